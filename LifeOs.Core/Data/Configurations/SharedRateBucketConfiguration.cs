using LifeOs.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

/// <summary>Withings' permits shared by every instance (<see cref="SharedRateLimit"/>): one row per limit.</summary>
internal sealed class SharedRateBucketConfiguration : IEntityTypeConfiguration<SharedRateBucket>
{
    public void Configure(EntityTypeBuilder<SharedRateBucket> builder)
    {
        builder.ToTable("SharedRateBuckets");
        builder.HasKey(b => b.Key);
        builder.Property(b => b.Key).HasMaxLength(64);
    }
}
