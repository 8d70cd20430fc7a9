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
    public const int MaxPoints = 1000;
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
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.TimeZoneId, u.DayStartHour, u.UnitSystem })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return null;
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(user.TimeZoneId);
        var today = LocalDay.Of(time.GetUtcNow().UtcDateTime, zone, user.DayStartHour);
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

        return new DashboardData(
            range,
            rangeError,
            today,
            TimeZoneInfo.ConvertTimeFromUtc(time.GetUtcNow().UtcDateTime, zone),
            user.UnitSystem,
            hasAnyData,
            Cards(history, range.To),
            inRange,
            await HeartRateAsync(userId, zone, inRange[MetricCatalogue.HeartRate], heartRateDay, cancellationToken),
            Insights(inRange));
    }

    private async Task<DateOnly?> FirstDayAsync(string userId, CancellationToken cancellationToken)
    {
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

    private static IReadOnlyList<MetricCard> Cards(Dictionary<string, DailySeries> history, DateOnly end)
    {
        MetricCard Card(string code, string title, string kicker, bool? higherIsBetter, string? second = null)
        {
            var series = history[code];
            var latest = series.Points.LastOrDefault(p => p.Day <= end && p.Day > end.AddDays(-BaselineDays));
            if (latest == default)
            {
                return new MetricCard(code, title, kicker, null, null, series.Unit, null, higherIsBetter, []);
            }

            var before = series.Points.Where(p => p.Day < latest.Day && p.Day >= latest.Day.AddDays(-BaselineDays)).ToList();
            var byDay = series.Points.Where(p => p.Day > latest.Day.AddDays(-14) && p.Day <= latest.Day).ToDictionary(p => p.Day, p => p.Value);
            var spark = Enumerable.Range(0, 14).Select(i => byDay.TryGetValue(latest.Day.AddDays(i - 13), out var v) ? v : (double?)null).ToList();
            var secondValue = second is null ? null : history[second].Points.Where(p => p.Day == latest.Day).Select(p => (double?)p.Value).FirstOrDefault();
            return new MetricCard(code, title, kicker, latest.Day, latest.Value, series.Unit, before.Count >= 3 ? before.Average(p => p.Value) : null, higherIsBetter, spark, secondValue);
        }

        return
        [
            Card(MetricCatalogue.SleepDuration, "Sleep", "Last night", true),
            Card(MetricCatalogue.SleepScore, "Sleep score", "Last night", true),
            Card(MetricCatalogue.ReadinessScore, "Readiness", "Today", true),
            Card(MetricCatalogue.Steps, "Steps", "Today", true),
            Card(MetricCatalogue.RestingHeartRate, "Resting heart rate", "Last night", false),
            Card(MetricCatalogue.HrvRmssd, "HRV", "Last night", true),
            Card(MetricCatalogue.Weight, "Weight", "Latest", null),
            Card(MetricCatalogue.Systolic, "Blood pressure", "Latest", false, MetricCatalogue.Diastolic),
        ];
    }

    private async Task<HeartRateDay?> HeartRateAsync(string userId, TimeZoneInfo zone, DailySeries daily, string? requested, CancellationToken cancellationToken)
    {
        DateOnly? day = DateOnly.TryParseExact(requested, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asked)
            ? asked
            : daily.Points.Count > 0 ? daily.Points[^1].Day : null;
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

        var samples = await db.Samples.AsNoTracking()
            .Where(s => s.UserId == userId && s.MetricCode == MetricCatalogue.HeartRate && s.LocalDate == chosen && s.Source == source)
            .OrderBy(s => s.StartUtc)
            .Select(s => new { s.StartUtc, s.Value })
            .ToListAsync(cancellationToken);
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
