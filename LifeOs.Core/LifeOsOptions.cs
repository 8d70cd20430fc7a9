using Microsoft.Extensions.Options;

namespace LifeOs.Core;

/// <summary>The <c>LifeOs</c> configuration section.</summary>
public sealed class LifeOsOptions
{
    public const string SectionName = "LifeOs";

    /// <summary>Holds lifeos.db, keys/ and backups/. Relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>
    /// Who can create an account: <c>Open</c> (anyone) or <c>InviteOnly</c> (<c>Closed</c> is its older name: only
    /// with an invitation link). Unset: invite-only once the first account exists. The administrator's choice at
    /// /admin wins over this default. Kept as text so that a bad value gets a message naming the key.
    /// </summary>
    public string? Registration { get; set; }

    /// <summary>The configured <see cref="Registration"/> default, or null when it is not set (or not valid).</summary>
    public RegistrationMode? ConfiguredRegistration() => RegistrationModes.TryParse(Registration, out var mode) ? mode : null;

    /// <summary>IANA time zone given to new accounts.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>The public address (scheme and host) used to build OAuth redirect URIs behind a proxy.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>
    /// Addresses and networks (CIDR) of the reverse proxies whose X-Forwarded-For/-Proto/-Host headers are believed,
    /// separated by commas or spaces. Headers from any other address are ignored. Loopback by default.
    /// </summary>
    public string TrustedProxies { get; set; } = "127.0.0.1, ::1";

    /// <summary>The parsed <see cref="TrustedProxies"/>: a single address is a /32 (or /128) network.</summary>
    public IReadOnlyList<System.Net.IPNetwork> TrustedProxyNetworks() =>
        [.. SplitProxies(TrustedProxies).Select(p => ParseProxy(p) ?? throw new FormatException($"'{p}' is not an address or network"))];

    internal static IEnumerable<string> SplitProxies(string? value) =>
        (value ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    internal static System.Net.IPNetwork? ParseProxy(string value) =>
        System.Net.IPNetwork.TryParse(value, out var network) ? network
        : System.Net.IPAddress.TryParse(value, out var address) ? new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128)
        : null;

    /// <summary>
    /// Optional full SQLite connection string; by default the file in the data directory. The older key:
    /// <see cref="DatabaseOptions.ConnectionString"/> wins when both are set.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The <c>LifeOs:Database</c> section: which engine holds the data.</summary>
    public DatabaseOptions Database { get; set; } = new();
}

/// <summary>The <c>LifeOs:Database</c> section.</summary>
public sealed class DatabaseOptions
{
    /// <summary><c>Sqlite</c> (the default: one file in the data directory) or <c>PostgreSQL</c> (several instances, larger installs).</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    /// <summary>Required for PostgreSQL (<c>Host=db;Database=lifeos;Username=lifeos;Password=…</c>); optional for SQLite.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The parsed <see cref="Provider"/>, or null when it names no known engine.</summary>
    public DatabaseProvider? ParsedProvider() =>
        Provider?.Trim().ToUpperInvariant() switch
        {
            "SQLITE" or "" or null => DatabaseProvider.Sqlite,
            "POSTGRESQL" or "POSTGRES" or "NPGSQL" => DatabaseProvider.PostgreSql,
            _ => null,
        };
}

public enum DatabaseProvider
{
    Sqlite,
    PostgreSql,
}

public enum RegistrationMode
{
    /// <summary>New accounts only through an administrator's invitation link (and the very first account).</summary>
    InviteOnly,

    /// <summary>Anyone who can reach the server can create an account.</summary>
    Open,
}

/// <summary>Reads a registration mode from configuration or a stored setting, where "Closed" is the older name of InviteOnly.</summary>
public static class RegistrationModes
{
    public static bool TryParse(string? value, out RegistrationMode mode)
    {
        switch (value?.Trim().Replace("-", "", StringComparison.Ordinal).ToUpperInvariant())
        {
            case "OPEN":
                mode = RegistrationMode.Open;
                return true;
            case "INVITEONLY" or "CLOSED":
                mode = RegistrationMode.InviteOnly;
                return true;
            default:
                mode = RegistrationMode.InviteOnly;
                return false;
        }
    }
}

internal sealed class LifeOsOptionsValidator : IValidateOptions<LifeOsOptions>
{
    public ValidateOptionsResult Validate(string? name, LifeOsOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add("LifeOs:DataDirectory (env LifeOs__DataDirectory) must name a directory for the database, keys and backups.");
        }

        if (!TimeZones.IsKnown(options.DefaultTimeZone))
        {
            failures.Add($"LifeOs:DefaultTimeZone (env LifeOs__DefaultTimeZone) is '{options.DefaultTimeZone}', which is not an IANA time zone id such as 'Europe/Paris'.");
        }

        if (!string.IsNullOrEmpty(options.PublicBaseUrl)
            && (!Uri.TryCreate(options.PublicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http")))
        {
            failures.Add($"LifeOs:PublicBaseUrl (env LifeOs__PublicBaseUrl) is '{options.PublicBaseUrl}'; set an absolute http(s) URL such as 'https://lifeos.example.com'.");
        }

        if (!string.IsNullOrWhiteSpace(options.Registration) && options.ConfiguredRegistration() is null)
        {
            failures.Add($"LifeOs:Registration (env LifeOs__Registration) is '{options.Registration}'; set 'Open' (anyone can create an account) or 'InviteOnly' (only with an invitation link), or leave it unset for invite-only once the first account exists.");
        }

        switch (options.Database.ParsedProvider())
        {
            case null:
                failures.Add($"LifeOs:Database:Provider (env LifeOs__Database__Provider) is '{options.Database.Provider}'; set 'Sqlite' (the default, one file in the data directory) or 'PostgreSQL'.");
                break;
            case DatabaseProvider.PostgreSql when string.IsNullOrWhiteSpace(options.Database.ConnectionString):
                failures.Add("LifeOs:Database:ConnectionString (env LifeOs__Database__ConnectionString) is required with PostgreSQL, e.g. 'Host=db;Database=lifeos;Username=lifeos;Password=secret'.");
                break;
        }

        var badProxies = LifeOsOptions.SplitProxies(options.TrustedProxies).Where(p => LifeOsOptions.ParseProxy(p) is null).ToList();
        if (badProxies.Count > 0)
        {
            failures.Add($"LifeOs:TrustedProxies (env LifeOs__TrustedProxies) has '{string.Join("', '", badProxies)}', which is not an IP address or a network such as '172.16.0.0/12'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
