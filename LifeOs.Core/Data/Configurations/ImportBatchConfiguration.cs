using LifeOs.Core.Accounts;
using LifeOs.Core.Health.Import;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class ImportBatchConfiguration : IEntityTypeConfiguration<ImportBatch>
{
    public void Configure(EntityTypeBuilder<ImportBatch> builder)
    {
        builder.ToTable("ImportBatches");
        builder.Property(b => b.UserId).IsRequired();
        builder.Property(b => b.UploadId).HasMaxLength(32);
        builder.Property(b => b.FileName).HasMaxLength(260);
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(b => b.Metrics).HasMaxLength(2000);
        // Goes with the account (its samples go first, in chunks, by AccountDeletionWork).
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(b => b.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(b => new { b.UserId, b.CreatedAt });
    }
}
