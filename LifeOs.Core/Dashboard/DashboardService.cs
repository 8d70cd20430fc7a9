using System.Globalization;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Dashboard;

/// <summary>Reads a user's daily values once for the range (plus the history baselines need) and shapes the dashboard.</summary>
public sealed class DashboardService(LifeOsDbContext db, TimeProvider time, HealthStore store, IEnumerable<IDailySeriesProvider> providers)
{
    public const string Mood = "mood";
    public const string Energy = "energy";
    public const string JournalEntries = "journal_entries";
    public const string WeightChange = "weight_change";
    /// <summary>At most this many points per chart series (a chart is at most ~600 px wide): the heart-rate day here, daily series in the page's charts.</summary>
    public const int MaxPoints = 600;
    public const int MinInsightDays = 14;

    /// <summary>Metrics the dashboard reads; everything else stays in the database.</summary>
    public static readonly IReadOnlyList<string> Metrics =
    [
        MetricCatalogue.SleepDuration, MetricCatalogue.SleepDeep, MetricCatalogue.SleepLight, MetricCatalogue.SleepRem, MetricCatalogue.SleepAwake,
        MetricCatalogue.SleepScore, MetricCatalogue.ReadinessScore, MetricCatalogue.HrvRmssd, MetricCatalogue.RestingHeartRate,
        MetricCatalogue.Steps, MetricCatalogue.Weight, MetricCatalogue.Systolic, MetricCatalogue.Diastolic, MetricCatalogue.HeartRate,
    ];

    private const int BaselineDays = 30;

    public async Task<DashboardData?> BuildAsync(string userId, string? rangeKey, string? from, string? to, string? heartRateDay, CancellationToken cancellationToken)
    {
        if (await db.FindClockAsync(userId, time, cancellationToken) is not { } user)
        {
            return null;
        }

        var (zone, today) = (user.Zone, user.Today);
        // Only "all" needs the first day; one index seek per metric finds it.
        var firstDay = string.Equals(rangeKey?.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? await FirstDayAsync(userId, cancellationToken)
            : null;
        var (range, rangeError) = DashboardRange.Parse(rangeKey, from, to, today, firstDay);

        // One read: the range plus the 30 days before it for baselines and moving averages.
        var readFrom = range.From.AddDays(-BaselineDays - 7);
        var rows = await store.ReadDailyAsync(userId, Metrics, readFrom, range.To, cancellationToken);
        var history = new Dictionary<string, DailySeries>(StringComparer.Ordinal);
        foreach (var (code, values) in rows)
        {
            var metric = MetricCatalogue.Get(code);
            var unit = metric.DisplayFor(user.UnitSystem);
            history[code] = new DailySeries(code, metric.DisplayName, unit.Label, values.ConvertAll(v => new DayValue(v.Day, unit.FromCanonical(v.Value))));
        }

        foreach (var provider in providers)
        {
            foreach (var series in await provider.GetAsync(userId, readFrom, range.To, cancellationToken))
            {
                history[series.Code] = series;
            }
        }

        history[WeightChange] = WeightChanges(history[MetricCatalogue.Weight]);
        var inRange = history.ToDictionary(h => h.Key, h => h.Value with { Points = h.Value.Points.Where(p => p.Day >= range.From).ToList() }, StringComparer.Ordinal);
        var hasAnyData = history.Values.Any(s => s.Points.Count > 0)
            || await db.DailyValues.AnyAsync(d => d.UserId == userId, cancellationToken);

        var (day, dayError) = ParseDay(heartRateDay, today);
        return new DashboardData(
            range,
            rangeError,
            today,
            TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone),
            user.UnitSystem,
            hasAnyData,
            Cards(history, range.To, today),
            inRange,
            await HeartRateAsync(userId, zone, inRange[MetricCatalogue.HeartRate], day, cancellationToken),
            Insights(inRange),
            dayError);
    }

    private async Task<DateOnly?> FirstDayAsync(string userId, CancellationToken cancellationToken)
    {
        if (db.Database.IsNpgsql())
        {
            // The same seek per metric, all in one statement: a round trip to the server each would cost more than the seeks.
            return await db.Database.SqlQuery<DateOnly?>($"""
                SELECT min(f."LocalDate") AS "Value" FROM unnest({Metrics.ToArray()}) AS m("Code") CROSS JOIN LATERAL
                    (SELECT d."LocalDate" FROM "DailyValues" AS d WHERE d."UserId" = {userId} AND d."MetricCode" = m."Code" ORDER BY d."LocalDate" LIMIT 1) AS f
                """).SingleAsync(cancellationToken);
        }

        DateOnly? first = null;
        foreach (var code in Metrics)
        {
            var day = await db.DailyValues.Where(d => d.UserId == userId && d.MetricCode == code)
                .OrderBy(d => d.LocalDate).Select(d => (DateOnly?)d.LocalDate).FirstOrDefaultAsync(cancellationToken);
            if (day < first || first is null)
            {
                first = day ?? first;
            }
        }

        return first;
    }

    private static DailySeries WeightChanges(DailySeries weight)
    {
        var changes = new List<DayValue>();
        for (var i = 1; i < weight.Points.Count; i++)
        {
            if (weight.Points[i].Day.DayNumber - weight.Points[i - 1].Day.DayNumber == 1)
            {
                changes.Add(new DayValue(weight.Points[i].Day, weight.Points[i].Value - weight.Points[i - 1].Value));
            }
        }

        return new DailySeries(WeightChange, "weight change", weight.Unit, changes);
    }

    private static IReadOnlyList<MetricCard> Cards(Dictionary<string, DailySeries> history, DateOnly end, DateOnly today)
    {
        // night: a value the ring dates on the morning it ends (sleep, and the heart measured during it).
        MetricCard Card(string code, string title, bool night, bool? higherIsBetter, string? second = null)
        {
            var series = history[code];
            var latest = series.Points.LastOrDefault(p => p.Day <= end && p.Day > end.AddDays(-BaselineDays));
            if (latest == default)
            {
                return new MetricCard(code, title, "", null, null, series.Unit, null, higherIsBetter, []);
            }

            var before = series.Points.Where(p => p.Day < latest.Day && p.Day >= latest.Day.AddDays(-BaselineDays)).ToList();
            var byDay = series.Points.Where(p => p.Day > latest.Day.AddDays(-14) && p.Day <= latest.Day).ToDictionary(p => p.Day, p => p.Value);
            var spark = Enumerable.Range(0, 14).Select(i => byDay.TryGetValue(latest.Day.AddDays(i - 13), out var v) ? v : (double?)null).ToList();
            var secondValue = second is null ? null : history[second].Points.Where(p => p.Day == latest.Day).Select(p => (double?)p.Value).FirstOrDefault();
            return new MetricCard(code, title, MetricCard.When(latest.Day, today, night), latest.Day, latest.Value, series.Unit, before.Count >= 3 ? before.Average(p => p.Value) : null, higherIsBetter, spark, secondValue);
        }

        return
        [
            Card(MetricCatalogue.SleepDuration, "Sleep", night: true, true),
            Card(MetricCatalogue.SleepScore, "Sleep score", night: true, true),
            Card(MetricCatalogue.ReadinessScore, "Readiness", night: false, true),
            Card(MetricCatalogue.Steps, "Steps", night: false, true),
            Card(MetricCatalogue.RestingHeartRate, "Resting heart rate", night: true, false),
            Card(MetricCatalogue.HrvRmssd, "HRV", night: true, true),
            Card(MetricCatalogue.Weight, "Weight", night: false, null),
            Card(MetricCatalogue.Systolic, "Blood pressure", night: false, false, MetricCatalogue.Diastolic),
        ];
    }

    /// <summary>The heart-rate day asked for in the query string: a real day between 1900 and today, or none (with why).</summary>
    private static (DateOnly? Day, string? Error) ParseDay(string? requested, DateOnly today)
    {
        if (string.IsNullOrWhiteSpace(requested))
        {
            return (null, null);
        }

        if (!DateOnly.TryParseExact(requested.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return (null, $"'{DashboardRange.Shorten(requested.Trim())}' is not a day (year-month-day); showing the latest day with heart rate.");
        }

        return day.Year < 1900 || day > today
            ? (null, "Choose a day between 1900 and today; showing the latest day with heart rate.")
            : (day, null);
    }

    private async Task<HeartRateDay?> HeartRateAsync(string userId, TimeZoneInfo zone, DailySeries daily, DateOnly? requested, CancellationToken cancellationToken)
    {
        var day = requested ?? (daily.Points.Count > 0 ? daily.Points[^1].Day : null);
        if (day is not { } chosen)
        {
            return null;
        }

        // The day's winning source only, as for its daily value: never two devices interleaved.
        var source = await db.DailyValues.Where(d => d.UserId == userId && d.MetricCode == MetricCatalogue.HeartRate && d.LocalDate == chosen)
            .Select(d => (SampleSource?)d.Source).SingleOrDefaultAsync(cancellationToken);
        if (source is null)
        {
            return new HeartRateDay(chosen, [], 0, 0, 0, 0);
        }

        // The source is filtered here, not in SQL: with Source in the WHERE clause SQLite's planner prefers the unique
        // (user, metric, source, record) index and walks every heart-rate sample of that source (0.7 s for five years
        // of minute data) instead of the few days' rows through (user, metric, start).
        var (first, end) = LocalDay.SampleStarts(chosen, chosen);
        var samples = (await db.SamplesOf(userId).AsNoTracking()
            .Where(s => s.MetricCode == MetricCatalogue.HeartRate && s.StartUtc >= first && s.StartUtc < end && s.LocalDate == chosen)
            .Select(s => new { s.StartUtc, s.Value, s.Source })
            .ToListAsync(cancellationToken))
            .Where(s => s.Source == source)
            .OrderBy(s => s.StartUtc)
            .ToList();
        var points = samples.Select(s => new Point(s.StartUtc.Ticks, s.Value)).ToList();
        var reduced = Downsampling.MinMaxBuckets(points, MaxPoints / 2);
        return new HeartRateDay(
            chosen,
            reduced.Select(p => (TimeZoneInfo.ConvertTimeFromUtc(new DateTime((long)p.X, DateTimeKind.Utc), zone), p.Y)).ToList(),
            samples.Min(s => s.Value),
            samples.Max(s => s.Value),
            samples.Average(s => s.Value),
            samples.Count);
    }

    private static IReadOnlyList<Insight> Insights(Dictionary<string, DailySeries> series) =>
        InsightFinder.Find(series, MinInsightDays).Take(6).ToList();
}
