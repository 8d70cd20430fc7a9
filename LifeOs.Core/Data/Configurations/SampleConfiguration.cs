using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class SampleConfiguration : IEntityTypeConfiguration<Sample>
{
    public void Configure(EntityTypeBuilder<Sample> builder)
    {
        builder.ToTable("Samples");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.UserId).IsRequired();
        builder.Property(s => s.MetricCode).HasMaxLength(32).IsRequired();
        builder.Property(s => s.Source).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(s => s.SourceRecordId).HasMaxLength(128).IsRequired();
        builder.Property(s => s.DayFromSource).HasDefaultValue(false);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        // The idempotency key of the one upsert path.
        builder.HasIndex(s => new { s.UserId, s.MetricCode, s.Source, s.SourceRecordId }).IsUnique();
        // Recomputing a day and reading a range.
        builder.HasIndex(s => new { s.UserId, s.MetricCode, s.LocalDate });
        // The samples whose day LifeOs worked out, the ones a time zone change moves: found without reading the
        // years of samples whose source named the day.
        builder.HasIndex(s => new { s.UserId, s.Id }).HasDatabaseName("IX_Samples_DatedByLifeOs").HasFilter("\"DayFromSource\" = 0");
    }
}
