using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class DailyValueConfiguration : IEntityTypeConfiguration<DailyValue>
{
    public void Configure(EntityTypeBuilder<DailyValue> builder)
    {
        builder.ToTable("DailyValues");
        builder.HasKey(d => new { d.UserId, d.MetricCode, d.LocalDate });
        builder.Property(d => d.MetricCode).HasMaxLength(32);
        builder.Property(d => d.Source).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
        // Covers the dashboard's and goals' range reads (value included), so years of days are read from
        // the index alone instead of one table lookup per day.
        builder.HasIndex(d => new { d.UserId, d.MetricCode, d.LocalDate, d.Value }).HasDatabaseName("IX_DailyValues_Range");
    }
}
