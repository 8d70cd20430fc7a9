using Microsoft.Extensions.Options;

namespace LifeOs.Web.Api;

/// <summary>The REST API's limits (<c>LifeOs:Api:*</c>).</summary>
public sealed class ApiOptions
{
    public const string SectionName = "LifeOs:Api";

    /// <summary>Requests a minute one key may make; the next gets 429 with Retry-After.</summary>
    public int RequestsPerMinute { get; set; } = 600;

    /// <summary>The largest request body /api accepts (a 10,000-sample batch is about 1.5 MB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// Origins (https://dashboard.example.org) whose pages may call the API from a browser, separated by commas. Empty
    /// (the default): no CORS headers, so browsers refuse cross-origin calls; scripts and apps are unaffected.
    /// </summary>
    public string CorsOrigins { get; set; } = "";

    public IReadOnlyList<string> CorsOriginList() =>
        CorsOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class ApiOptionsValidator : IValidateOptions<ApiOptions>
{
    public ValidateOptionsResult Validate(string? name, ApiOptions options)
    {
        var failures = new List<string>();
        if (options.RequestsPerMinute is < 1 or > 1_000_000)
        {
            failures.Add($"LifeOs:Api:RequestsPerMinute (env LifeOs__Api__RequestsPerMinute) is {options.RequestsPerMinute}; set a number from 1 to 1000000.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 1024L * 1024 * 1024)
        {
            failures.Add($"LifeOs:Api:MaxRequestBodyBytes (env LifeOs__Api__MaxRequestBodyBytes) is {options.MaxRequestBodyBytes}; set between 1024 and 1073741824 bytes.");
        }

        foreach (var origin in options.CorsOriginList())
        {
            if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                failures.Add($"LifeOs:Api:CorsOrigins holds '{origin}'; list origins such as https://dashboard.example.org, separated by commas.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
