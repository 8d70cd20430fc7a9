using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Dashboard;

/// <summary>One day of a metric: its value in the user's display unit and the source whose value won the day.</summary>
public sealed record MetricDay(DateOnly Day, double Value, SampleSource Source, int SampleCount);

/// <summary>Lowest, highest and average daily value over a range, in the user's display unit.</summary>
public sealed record MetricStats(double Min, DateOnly MinDay, double Max, DateOnly MaxDay, double Average, int Days);

/// <summary>
/// One metric over a range, shaped for its page (/metrics/{code}): the days oldest first, their statistics,
/// and the first and last day the user has any value at all (to tell "nothing in this range" from "nothing yet").
/// </summary>
public sealed record MetricHistory(
    string Code,
    string Name,
    MetricGroup Group,
    Aggregation Aggregation,
    string Unit,
    UnitSystem Units,
    DashboardRange Range,
    string? RangeError,
    DateOnly Today,
    IReadOnlyList<MetricDay> Days,
    MetricStats? Stats,
    DateOnly? FirstDay,
    DateOnly? LastDay)
{
    public bool HasAnyData => LastDay is not null;
}

/// <summary>A metric the user has days of, for the list of their metrics.</summary>
public sealed record MetricSummary(string Code, string Name, MetricGroup Group, int Days, DateOnly LastDay);

/// <summary>Reads one metric's daily values for its own page; every read is the user's own (owner filter on the key).</summary>
public sealed class MetricHistoryService(LifeOsDbContext db, TimeProvider time)
{
    private const int MaxKeyInMessage = 40;

    /// <returns>Null when the metric is not in the catalogue or the user does not exist.</returns>
    public async Task<MetricHistory?> GetAsync(string userId, string metricCode, string? rangeKey, CancellationToken cancellationToken = default)
    {
        var metric = MetricCatalogue.Find(metricCode);
        var user = metric is null
            ? null
            : await db.FindClockAsync(userId, time, cancellationToken);
        if (metric is null || user is null)
        {
            return null;
        }

        var (zone, today) = (user.Zone, user.Today);
        var mine = db.DailyValues.AsNoTracking().Where(d => d.UserId == userId && d.MetricCode == metric.Code);
        // Two seeks on the primary key (user, metric, day).
        var firstDay = await mine.OrderBy(d => d.LocalDate).Select(d => (DateOnly?)d.LocalDate).FirstOrDefaultAsync(cancellationToken);
        var lastDay = await mine.OrderByDescending(d => d.LocalDate).Select(d => (DateOnly?)d.LocalDate).FirstOrDefaultAsync(cancellationToken);
        var (range, rangeError) = ParseRange(rangeKey, today, firstDay);

        var unit = metric.DisplayFor(user.UnitSystem);
        var rows = await mine.Where(d => d.LocalDate >= range.From && d.LocalDate <= range.To)
            .OrderBy(d => d.LocalDate)
            .Select(d => new { d.LocalDate, d.Value, d.Source, d.SampleCount })
            .ToListAsync(cancellationToken);
        var days = rows.ConvertAll(d => new MetricDay(d.LocalDate, Math.Round(unit.FromCanonical(d.Value), 2), d.Source, d.SampleCount));

        return new MetricHistory(metric.Code, metric.DisplayName, metric.Group, metric.Aggregation, unit.Label, user.UnitSystem,
            range, rangeError, today, days, Stats(days), firstDay, lastDay);
    }

    /// <summary>Every metric the user has at least one day of, in catalogue order.</summary>
    public async Task<IReadOnlyList<MetricSummary>> SummariesAsync(string userId, CancellationToken cancellationToken = default)
    {
        var counts = await db.DailyValues.AsNoTracking()
            .Where(d => d.UserId == userId)
            .GroupBy(d => d.MetricCode)
            .Select(g => new { Code = g.Key, Days = g.Count(), Last = g.Max(d => d.LocalDate) })
            .ToDictionaryAsync(g => g.Code, cancellationToken);
        return MetricCatalogue.All
            .Where(m => counts.ContainsKey(m.Code))
            .Select(m => new MetricSummary(m.Code, m.DisplayName, m.Group, counts[m.Code].Days, counts[m.Code].Last))
            .ToList();
    }

    /// <summary>A preset period (7d, 30d, 90d, 1y, all); anything else falls back to the default with a message, never an error.</summary>
    public static (DashboardRange Range, string? Error) ParseRange(string? key, DateOnly today, DateOnly? firstDay)
    {
        var normalized = key?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(normalized))
        {
            return DashboardRange.Parse(DashboardRange.Default, null, null, today, firstDay);
        }

        if (DashboardRange.Presets.Any(p => p.Key == normalized))
        {
            return DashboardRange.Parse(normalized, null, null, today, firstDay);
        }

        var shown = normalized.Length > MaxKeyInMessage ? normalized[..MaxKeyInMessage] + "…" : normalized;
        var (fallback, _) = DashboardRange.Parse(DashboardRange.Default, null, null, today, firstDay);
        return (fallback, $"'{shown}' is not a period LifeOs knows; showing the last 30 days.");
    }

    private static MetricStats? Stats(IReadOnlyList<MetricDay> days)
    {
        if (days.Count == 0)
        {
            return null;
        }

        var min = days.MinBy(d => d.Value)!;
        var max = days.MaxBy(d => d.Value)!;
        // Counts stay counts: 8,317 steps on average, not 8,317.47; readings in tenths keep two decimals.
        var average = days.Average(d => d.Value);
        var whole = days.All(d => d.Value == Math.Floor(d.Value));
        var decimals = !whole ? 2 : Math.Abs(average) >= 100 ? 0 : 1;
        return new MetricStats(min.Value, min.Day, max.Value, max.Day, Math.Round(average, decimals), days.Count);
    }
}
