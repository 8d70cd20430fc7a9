namespace LifeOs.Web.Audit;

/// <summary>A browser's User-Agent as people say it ("Firefox on Windows"), for the security activity list.</summary>
public static class UserAgents
{
    public static string Describe(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "Unknown device";
        }

        var ua = userAgent;
        // Order matters: Edge and Opera say Chrome too, Chrome says Safari, every iPhone browser says Safari.
        var browser =
            Has(ua, "Edg/") ? "Edge"
            : Has(ua, "OPR/") ? "Opera"
            : Has(ua, "Firefox/") || Has(ua, "FxiOS/") ? "Firefox"
            : Has(ua, "CriOS/") || Has(ua, "Chrome/") ? "Chrome"
            : Has(ua, "Safari/") ? "Safari"
            : Has(ua, "curl/") ? "curl"
            : "A browser";
        var system =
            Has(ua, "iPhone") ? "iPhone"
            : Has(ua, "iPad") ? "iPad"
            : Has(ua, "Android") ? "Android"
            : Has(ua, "Windows") ? "Windows"
            : Has(ua, "Mac OS X") || Has(ua, "Macintosh") ? "macOS"
            : Has(ua, "CrOS") ? "ChromeOS"
            : Has(ua, "Linux") ? "Linux"
            : null;
        return system is null ? browser : $"{browser} on {system}";
    }

    private static bool Has(string ua, string token) => ua.Contains(token, StringComparison.OrdinalIgnoreCase);
}
