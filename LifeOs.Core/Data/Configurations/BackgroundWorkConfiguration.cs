using LifeOs.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class BackgroundWorkConfiguration : IEntityTypeConfiguration<BackgroundWork>
{
    public void Configure(EntityTypeBuilder<BackgroundWork> builder)
    {
        builder.ToTable("BackgroundWork");
        builder.Property(w => w.UserId).HasMaxLength(450);
        builder.Property(w => w.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(w => w.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(w => w.Payload).HasMaxLength(1000);
        builder.Property(w => w.Result).HasMaxLength(1000);
        builder.Property(w => w.Error).HasMaxLength(1000);
        builder.HasIndex(w => new { w.UserId, w.Kind, w.Status });
        builder.HasIndex(w => w.Status);
    }
}
