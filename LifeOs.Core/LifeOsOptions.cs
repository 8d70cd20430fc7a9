using Microsoft.Extensions.Options;

namespace LifeOs.Core;

/// <summary>The <c>LifeOs</c> configuration section.</summary>
public sealed class LifeOsOptions
{
    public const string SectionName = "LifeOs";

    /// <summary>Holds lifeos.db, keys/ and backups/. Relative paths are resolved against the content root.</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Whether new people can create an account (the administrator can change it at /admin).</summary>
    public RegistrationMode Registration { get; set; } = RegistrationMode.Open;

    /// <summary>IANA time zone given to new accounts.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>The public address (scheme and host) used to build OAuth redirect URIs behind a proxy.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Optional full connection string; by default the SQLite file in the data directory.</summary>
    public string? ConnectionString { get; set; }
}

public enum RegistrationMode
{
    Open,
    Closed,
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

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
