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
        // A column default: the upsert's INSERT does not name the column, and its UPDATE leaves it alone.
        builder.Property(s => s.Excluded).HasDefaultValue(false);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        // The idempotency key of the one upsert path.
        builder.HasIndex(s => new { s.UserId, s.MetricCode, s.Source, s.SourceRecordId }).IsUnique();
        // Recomputing a day and reading a range.
        builder.HasIndex(s => new { s.UserId, s.MetricCode, s.LocalDate });
        // The samples whose day LifeOs worked out, the ones a time zone change moves: found without reading the
        // years of samples whose source named the day.
        builder.HasIndex(s => new { s.UserId, s.Id }).HasDatabaseName("IX_Samples_DatedByLifeOs").HasFilter("\"DayFromSource\" = 0");
        // GET /api/v1/samples reads in time order. Without these every page sorted all of the user's samples first (300 ms a
        // page over a year of minute heart rate, whatever the page size; the README's API figures). One serves all metrics,
        // the other one metric: with only the first, SQLite walks a year of heart rate to find a few weights. SQLite appends
        // the row id (Id), the order's tie-break.
        builder.HasIndex(s => new { s.UserId, s.StartUtc });
        builder.HasIndex(s => new { s.UserId, s.MetricCode, s.StartUtc });
        // Undoing an import finds its rows without reading the rest (most samples belong to no import).
        builder.HasIndex(s => new { s.UserId, s.ImportBatchId }).HasFilter("\"ImportBatchId\" IS NOT NULL");
    }
}
