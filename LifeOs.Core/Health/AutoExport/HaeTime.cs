using System.Globalization;
using System.Text.RegularExpressions;

namespace LifeOs.Core.Health.AutoExport;

/// <summary>
/// Times as Health Auto Export writes them, <c>2026-11-20 08:00:00 +0100</c>; ISO 8601 (<c>2026-11-20T08:00:00+01:00</c>)
/// is read too. A time without an offset is the user's own local time.
/// </summary>
public static partial class HaeTime
{
    public static DateTimeOffset? TryParse(string? text, TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40 || Pattern().Match(text.Trim()) is not { Success: true } match)
        {
            return null;
        }

        var local = match.Groups["date"].Value + "T" + match.Groups["time"].Value;
        if (!DateTime.TryParseExact(local, ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var wall))
        {
            return null;
        }

        var offsetText = match.Groups["offset"].Value;
        if (offsetText.Length == 0)
        {
            return zone.IsInvalidTime(wall) ? null : new DateTimeOffset(wall, zone.GetUtcOffset(wall));
        }

        if (offsetText is "Z" or "z")
        {
            return new DateTimeOffset(wall, TimeSpan.Zero);
        }

        var digits = offsetText[1..].Replace(":", "", StringComparison.Ordinal);
        var offset = new TimeSpan(int.Parse(digits[..2], CultureInfo.InvariantCulture), int.Parse(digits[2..], CultureInfo.InvariantCulture), 0);
        if (offset > TimeSpan.FromHours(14) || offset.Minutes >= 60)
        {
            return null;
        }

        return new DateTimeOffset(wall, offsetText[0] == '-' ? -offset : offset);
    }

    [GeneratedRegex(@"^(?<date>\d{4}-\d{2}-\d{2})[ T](?<time>\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?)\s*(?<offset>[Zz]|[+-]\d{2}:?\d{2})?$")]
    private static partial Regex Pattern();
}
