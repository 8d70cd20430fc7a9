using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LifeOs.Core.Data.Configurations;

/// <summary>
/// The <c>Samples</c> table: the one table that holds millions of rows (years of minute heart rate), so every column is
/// as small as it can be. The owner is a <see cref="UserNumber"/>, the metric its stored number
/// (<see cref="MetricCatalogue.StoredNumber"/>), the source its enum number; on SQLite, instants are seconds since
/// 1970 and days are day numbers since 1970 (<see cref="UseCompactTimes"/>) rather than text. PostgreSQL's own
/// timestamp and date types are already 8 and 4 bytes.
/// </summary>
internal sealed class SampleConfiguration : IEntityTypeConfiguration<Sample>
{
    public void Configure(EntityTypeBuilder<Sample> builder)
    {
        builder.ToTable("Samples");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.MetricCode).HasColumnName("Metric")
            .HasConversion(new ValueConverter<string, int>(code => MetricCatalogue.StoredNumber(code), number => MetricCatalogue.StoredCode(number)));
        builder.Property(s => s.Source).HasConversion<int>();
        builder.Property(s => s.SourceRecordId).HasMaxLength(128).IsRequired();
        builder.Property(s => s.DayFromSource).HasDefaultValue(false);
        // A column default: the upsert's INSERT does not name the column, and its UPDATE leaves it alone.
        builder.Property(s => s.Excluded).HasDefaultValue(false);
        builder.HasOne<UserNumber>().WithMany().HasForeignKey(s => s.UserNumber).OnDelete(DeleteBehavior.Cascade);
        // The idempotency key of the one upsert path.
        builder.HasIndex(s => new { s.UserNumber, s.MetricCode, s.Source, s.SourceRecordId }).IsUnique();
        // No index of (owner, metric, day): a day's samples start within two days of it (LocalDay.MaxSampleDayDistance,
        // which the store holds them to), so recomputing a day reads them through (owner, metric, start) below, a few days
        // either side; the index cost 13 MB per million samples.
        // No index of the samples LifeOs dated (a time zone change moves them): they are nearly all of a user's samples
        // (minute heart rate), so re-dating walks the table in id order instead; the index cost 12 MB per million samples.
        // GET /api/v1/samples reads in time order. Without these every page sorted all of the user's samples first (300 ms a
        // page over a year of minute heart rate, whatever the page size; the README's API figures). One serves all metrics,
        // the other one metric: with only the first, SQLite walks a year of heart rate to find a few weights. SQLite appends
        // the row id (Id), the order's tie-break.
        builder.HasIndex(s => new { s.UserNumber, s.StartUtc });
        builder.HasIndex(s => new { s.UserNumber, s.MetricCode, s.StartUtc });
        // Undoing an import finds its rows without reading the rest (most samples belong to no import).
        builder.HasIndex(s => new { s.UserNumber, s.ImportBatchId }).HasFilter("\"ImportBatchId\" IS NOT NULL");
    }

    /// <summary>
    /// SQLite's index layout: Oura's minute heart rate (<see cref="SeriesRows"/>) only in the table and (owner, metric,
    /// start). In the upsert's unique key (22 MB per million samples) and the all-metrics time index (14 MB) it was most of
    /// the database; the series is found by its instant instead, and merged into the all-metrics order. PostgreSQL, where
    /// size is not the constraint and concurrent writers rely on the unique key, keeps both indexes whole.
    /// </summary>
    public static void UseSeriesLayout(EntityTypeBuilder<Sample> builder)
    {
        builder.HasIndex(s => new { s.UserNumber, s.MetricCode, s.Source, s.SourceRecordId }).HasFilter(SeriesRows.IndexFilter);
        builder.HasIndex(s => new { s.UserNumber, s.StartUtc }).HasFilter(SeriesRows.IndexFilter);
    }

    private static readonly ValueConverter<DateTime, long> Seconds = new(v => CompactTime.ToSeconds(v), v => CompactTime.FromSeconds(v));

    /// <summary>
    /// SQLite's instants and days as integers: 4 bytes and 2 instead of 19–27 and 10 of text, in the table and its indexes
    /// (milliseconds took 6: 8 MB more per million samples, for a precision no source has).
    /// </summary>
    public static void UseCompactTimes(EntityTypeBuilder<Sample> builder)
    {
        builder.Property(s => s.StartUtc).HasConversion(Seconds);
        builder.Property(s => s.EndUtc).HasConversion(new ValueConverter<DateTime?, long?>(
            v => v == null ? null : CompactTime.ToSeconds(v.Value), v => v == null ? null : CompactTime.FromSeconds(v.Value)));
        builder.Property(s => s.UpdatedAt).HasConversion(Seconds);
        builder.Property(s => s.LocalDate).HasConversion(new ValueConverter<DateOnly, int>(d => CompactTime.ToDayNumber(d), n => CompactTime.FromDayNumber(n)));
    }
}

internal sealed class UserNumberConfiguration : IEntityTypeConfiguration<UserNumber>
{
    public void Configure(EntityTypeBuilder<UserNumber> builder)
    {
        builder.ToTable("UserNumbers");
        builder.HasKey(n => n.Number);
        builder.HasIndex(n => n.UserId).IsUnique();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(n => n.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>How the <c>Samples</c> table keeps instants and days on SQLite (and how its raw SQL writes them).</summary>
public static class CompactTime
{
    private static readonly long EpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int EpochDay = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>
    /// Whole seconds since 1970-01-01 UTC, rounded down (before 1970 too): no source is finer than a second (Oura and
    /// Withings send seconds, Apple Health and CSV files seconds at most), so finer parts are dropped.
    /// </summary>
    public static long ToSeconds(DateTime value)
    {
        var ticks = (value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value).Ticks - EpochTicks;
        return Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var rest) - (rest < 0 ? 1 : 0);
    }

    public static DateTime FromSeconds(long seconds) => new(EpochTicks + (seconds * TimeSpan.TicksPerSecond), DateTimeKind.Utc);

    /// <summary>Days since 1970-01-01 (negative before).</summary>
    public static int ToDayNumber(DateOnly day) => day.DayNumber - EpochDay;

    public static DateOnly FromDayNumber(int number) => DateOnly.FromDayNumber(number + EpochDay);
}
