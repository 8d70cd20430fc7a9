using System.Net;
using System.Text.Json;
using LifeOs.Core.Connections;

namespace LifeOs.Core.Providers;

/// <summary>Sending one OAuth request and turning transport failures into user-facing <see cref="ProviderAuthException"/>s.</summary>
internal static class OAuthHttp
{
    /// <summary>Sends once (no retry: token calls are not idempotent) and returns the status and body text.</summary>
    public static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient http, HttpRequestMessage request, ProviderKind provider, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return (response.StatusCode, body);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderAuthException(provider, ProviderAuthFailure.Unavailable,
                $"LifeOs could not reach {provider.DisplayName()}. Check the server's internet connection and try again.", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ProviderAuthException(provider, ProviderAuthFailure.Unavailable,
                $"{provider.DisplayName()} took too long to answer. Try again in a few minutes.", ex);
        }
    }

    public static ProviderAuthException ServerError(ProviderKind provider, HttpStatusCode status) =>
        new(provider, ProviderAuthFailure.Unavailable,
            $"{provider.DisplayName()} is having trouble right now (HTTP {(int)status}). Nothing was changed; try again in a few minutes.");

    public static ProviderAuthException Unreadable(ProviderKind provider, Exception? inner = null) =>
        new(provider, ProviderAuthFailure.BadResponse,
            $"{provider.DisplayName()} sent an answer LifeOs could not read. Nothing was changed; try again later.", inner);

    /// <summary>Parses a JSON object, or throws <see cref="Unreadable"/>.</summary>
    public static JsonElement ParseObject(ProviderKind provider, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw Unreadable(provider);
            }

            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw Unreadable(provider, ex);
        }
    }

    public static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        } : null;

    public static double? GetNumber(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Number => value.GetDouble(),
            JsonValueKind.String when double.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        } : null;

    /// <summary>Reads access token, refresh token, lifetime and scopes from a token response object.</summary>
    public static ProviderTokens ReadTokens(ProviderKind provider, JsonElement body, string? providerUserId, char scopeSeparator)
    {
        var access = GetString(body, "access_token");
        var refresh = GetString(body, "refresh_token");
        var expiresIn = GetNumber(body, "expires_in");
        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(refresh) || expiresIn is null or <= 0)
        {
            throw Unreadable(provider);
        }

        var scope = GetString(body, "scope");
        IReadOnlyList<string>? scopes = scope is null ? null : scope.Split([scopeSeparator, ' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return new ProviderTokens(access, refresh, TimeSpan.FromSeconds(expiresIn.Value), scopes, providerUserId);
    }

    public static string AppendQuery(string baseUrl, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return baseUrl + (baseUrl.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    /// <summary>The authorization-code request both providers accept; they differ only in how scopes are joined.</summary>
    public static Uri AuthorizeUrl(ProviderOptions options, char scopeSeparator, string state, string redirectUri, string? codeChallenge)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("response_type", "code"),
            new("client_id", options.ClientId ?? ""),
            new("redirect_uri", redirectUri),
            new("scope", string.Join(scopeSeparator, options.ScopeList)),
            new("state", state),
        };
        if (codeChallenge is not null)
        {
            parameters.Add(new("code_challenge", codeChallenge));
            parameters.Add(new("code_challenge_method", "S256"));
        }

        return new Uri(AppendQuery(options.AuthorizeUrl, parameters));
    }

    /// <summary>The form of an authorization-code exchange (RFC 6749 §4.1.3, plus the PKCE verifier when one was sent).</summary>
    public static Dictionary<string, string> CodeExchangeForm(string code, string redirectUri, string? codeVerifier)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri,
        };
        if (codeVerifier is not null)
        {
            form["code_verifier"] = codeVerifier;
        }

        return form;
    }

    public static Dictionary<string, string> RefreshForm(string refreshToken) =>
        new() { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken };

    public static string Combine(string baseUrl, string path) => baseUrl.TrimEnd('/') + "/" + path.TrimStart('/');
}
