using Microsoft.Extensions.Options;

namespace LifeOs.Core.Connections;

/// <summary>The <c>Providers</c> configuration section: one app registration per provider.</summary>
public sealed class ProvidersOptions
{
    public const string SectionName = "Providers";

    public ProviderOptions Oura { get; set; } = new()
    {
        AuthorizeUrl = "https://cloud.ouraring.com/oauth/authorize",
        // Apps registered on the newer developer portal use https://moi.ouraring.com/oauth/v2/ext/oauth-token instead.
        TokenUrl = "https://api.ouraring.com/oauth/token",
        ApiBaseUrl = "https://api.ouraring.com",
        Scopes = "personal daily heartrate workout session spo2",
    };

    public ProviderOptions Withings { get; set; } = new()
    {
        AuthorizeUrl = "https://account.withings.com/oauth2_user/authorize2",
        TokenUrl = "https://wbsapi.withings.net/v2/oauth2",
        ApiBaseUrl = "https://wbsapi.withings.net",
        Scopes = "user.metrics,user.activity",
    };

    public ProviderOptions For(ProviderKind provider) => provider switch
    {
        ProviderKind.Oura => Oura,
        ProviderKind.Withings => Withings,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };
}

/// <summary>One provider's app registration and endpoints. The URLs are overridable so tests and staging can point elsewhere.</summary>
public sealed class ProviderOptions
{
    /// <summary>Empty: the provider shows as "not configured" and the rest of the app runs.</summary>
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    public string AuthorizeUrl { get; set; } = "";

    public string TokenUrl { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "";

    /// <summary>Space- or comma-separated; sent in the provider's own format.</summary>
    public string Scopes { get; set; } = "";

    /// <summary>Send a PKCE S256 challenge with the authorize request and the verifier with the code exchange.</summary>
    public bool UsePkce { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(ClientId);

    public IReadOnlyList<string> ScopeList =>
        Scopes.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class ProvidersOptionsValidator : IValidateOptions<ProvidersOptions>
{
    public ValidateOptionsResult Validate(string? name, ProvidersOptions options)
    {
        var failures = new List<string>();
        foreach (var provider in ProviderKinds.All)
        {
            Validate(provider.ToString(), options.For(provider), failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Validate(string provider, ProviderOptions options, List<string> failures)
    {
        string Key(string setting) => $"{ProvidersOptions.SectionName}:{provider}:{setting} (env {ProvidersOptions.SectionName}__{provider}__{setting})";

        var hasId = !string.IsNullOrWhiteSpace(options.ClientId);
        var hasSecret = !string.IsNullOrWhiteSpace(options.ClientSecret);
        if (hasSecret && !hasId)
        {
            failures.Add($"{Key("ClientId")} is required when {ProvidersOptions.SectionName}:{provider}:ClientSecret is set.");
        }

        if (hasId && !hasSecret)
        {
            failures.Add($"{Key("ClientSecret")} is required when {ProvidersOptions.SectionName}:{provider}:ClientId is set.");
        }

        foreach (var (setting, value) in new[] { ("AuthorizeUrl", options.AuthorizeUrl), ("TokenUrl", options.TokenUrl), ("ApiBaseUrl", options.ApiBaseUrl) })
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                failures.Add($"{Key(setting)} is '{value}'; set an absolute http(s) URL.");
            }
        }

        if (hasId && options.ScopeList.Count == 0)
        {
            failures.Add($"{Key("Scopes")} is empty; list the scopes LifeOs asks for.");
        }
    }
}
