using System.Globalization;

namespace LifeOs.Core.Dashboard;

/// <summary>The dashboard's period: a preset or custom dates, carried in the query string.</summary>
public sealed record DashboardRange(string Key, DateOnly From, DateOnly To)
{
    public const string Default = "30d";

    public static readonly IReadOnlyList<(string Key, string Label)> Presets =
        [("7d", "7 days"), ("30d", "30 days"), ("90d", "90 days"), ("1y", "1 year"), ("all", "All")];

    public int Days => To.DayNumber - From.DayNumber + 1;

    public string Label => Key switch
    {
        "custom" => $"{From:d MMM yyyy} – {To:d MMM yyyy}",
        "all" => "all time",
        "1y" => "the last year",
        _ => "the last " + Presets.Single(p => p.Key == Key).Label,
    };

    /// <param name="firstDay">The user's earliest day with data, for "all".</param>
    /// <returns>The range, and an error message when the request's dates were unusable (then the default is used).</returns>
    public static (DashboardRange Range, string? Error) Parse(string? key, string? from, string? to, DateOnly today, DateOnly? firstDay)
    {
        key = string.IsNullOrWhiteSpace(key) ? (from is null && to is null ? Default : "custom") : key.Trim().ToLowerInvariant();
        switch (key)
        {
            case "7d": return (new(key, today.AddDays(-6), today), null);
            case "30d": return (new(key, today.AddDays(-29), today), null);
            case "90d": return (new(key, today.AddDays(-89), today), null);
            case "1y": return (new(key, today.AddDays(-364), today), null);
            case "all":
                var start = firstDay is { } first && first < today ? first : today.AddDays(-29);
                return (new(key, start, today), null);
            case "custom":
                if (!TryDate(from, out var f) || !TryDate(to, out var t))
                {
                    return (Fallback(today), "Enter both dates as year-month-day.");
                }

                if (f > t)
                {
                    return (Fallback(today), "The start date must be on or before the end date.");
                }

                if (f.Year < 1900 || t.Year > 2100 || t.DayNumber - f.DayNumber > 366 * 20)
                {
                    return (Fallback(today), "Choose dates between 1900 and 2100, at most 20 years apart.");
                }

                if (t > today)
                {
                    return (Fallback(today), "The end date is after today: there is nothing to show there yet. Choose dates up to today.");
                }

                return (new("custom", f, t), null);
            default:
                return (Fallback(today), $"'{Shorten(key)}' is not a period LifeOs knows; showing the last 30 days.");
        }
    }

    private static DashboardRange Fallback(DateOnly today) => new(Default, today.AddDays(-29), today);

    /// <summary>The request's own words, cut short: a pasted page of text must not fill the message.</summary>
    internal static string Shorten(string text) => text.Length <= 24 ? text : string.Concat(text.AsSpan(0, 24), "…");

    private static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
