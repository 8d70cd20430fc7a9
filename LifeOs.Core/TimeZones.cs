namespace LifeOs.Core;

/// <summary>The IANA time zones a user can choose from.</summary>
public static class TimeZones
{
    private static readonly Lazy<IReadOnlyList<string>> All = new(() =>
        TimeZoneInfo.GetSystemTimeZones()
            .Select(z => z.HasIanaId ? z.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : null)
            .OfType<string>()
            .Append("UTC")
            .Where(id => id == "UTC" || id.Contains('/', StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray());

    public static IReadOnlyList<string> Ids => All.Value;

    public static bool IsKnown(string? id) =>
        !string.IsNullOrWhiteSpace(id) && All.Value.Contains(id, StringComparer.Ordinal);

    /// <summary>
    /// The zone with this id, or UTC when the id is empty or unknown to this machine (a zone stored under another
    /// machine's time-zone database must not make a page or a sync throw).
    /// </summary>
    public static TimeZoneInfo Find(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;
}
