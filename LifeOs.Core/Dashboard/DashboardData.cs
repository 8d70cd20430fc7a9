using System.Globalization;
using LifeOs.Core.Accounts;

namespace LifeOs.Core.Dashboard;

/// <summary>One value per local day, in the user's display unit, oldest first.</summary>
public sealed record DailySeries(string Code, string Name, string Unit, IReadOnlyList<DayValue> Points)
{
    public static DailySeries Empty(string code, string name, string unit) => new(code, name, unit, []);
}

public readonly record struct DayValue(DateOnly Day, double Value);

/// <summary>A "today / last night" card: the latest value against the user's own 30-day baseline.</summary>
/// <param name="Kicker">The day the value is from, as a person says it ("Last night", "Today", "Yesterday", "Mon 23 Nov"); empty without a value.</param>
/// <param name="HigherIsBetter">Null when neither direction is better (weight).</param>
public sealed record MetricCard(
    string Code,
    string Title,
    string Kicker,
    DateOnly? Day,
    double? Value,
    string Unit,
    double? Baseline,
    bool? HigherIsBetter,
    IReadOnlyList<double?> Spark,
    double? SecondValue = null)
{
    public double? Delta => Value is { } v && Baseline is { } b ? v - b : null;

    /// <summary>
    /// Names the day a value is from, never claiming more than it is: "Today" only for today's value,
    /// "Last night" only for a night that ended this morning (<paramref name="night"/>: sleep and what the ring measures during it).
    /// </summary>
    public static string When(DateOnly day, DateOnly today, bool night) => (today.DayNumber - day.DayNumber) switch
    {
        0 => night ? "Last night" : "Today",
        1 => "Yesterday",
        _ when day.Year == today.Year => day.ToString("ddd d MMM", CultureInfo.InvariantCulture),
        _ => day.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
    };
}

/// <summary>A chosen day's heart rate, minute by minute (downsampled), in local time.</summary>
public sealed record HeartRateDay(DateOnly Day, IReadOnlyList<(DateTime LocalTime, double Bpm)> Points, double Min, double Max, double Mean, int SampleCount);

/// <summary>A correlation worth telling the user about, already phrased.</summary>
public sealed record Insight(string Sentence, string X, string Y, int LagDays, double R, double P, int N);

/// <summary>Everything the dashboard shows for one user and one range.</summary>
/// <param name="DayError">Why the requested heart-rate day was not used (then the latest day with samples is shown).</param>
public sealed record DashboardData(
    DashboardRange Range,
    string? RangeError,
    DateOnly Today,
    DateTime LocalNow,
    UnitSystem Units,
    bool HasAnyData,
    IReadOnlyList<MetricCard> Cards,
    IReadOnlyDictionary<string, DailySeries> Series,
    HeartRateDay? HeartRate,
    IReadOnlyList<Insight> Insights,
    string? DayError = null)
{
    public DailySeries Get(string code) => Series.TryGetValue(code, out var series) ? series : DailySeries.Empty(code, code, "");
}

/// <summary>
/// Another area's daily numbers for the dashboard (the journal's mood, energy and entries per day),
/// so the dashboard needs no knowledge of their tables.
/// </summary>
public interface IDailySeriesProvider
{
    Task<IReadOnlyList<DailySeries>> GetAsync(string userId, DateOnly from, DateOnly to, CancellationToken cancellationToken);
}
