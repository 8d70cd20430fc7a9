using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Providers.Withings;

/// <summary>
/// Withings' OAuth2: RPC-style form posts (<c>action=requesttoken</c>) whose errors come back as HTTP 200 with
/// <c>{"status": n, "body": …}</c>; codes live 30 seconds; every refresh rotates the refresh token. The token
/// response carries the user id. Revocation needs a nonce and an HMAC signature. See shared/providers/withings.md.
/// </summary>
public sealed class WithingsOAuthClient(HttpClient http, IOptions<ProvidersOptions> options, TimeProvider time, ILogger<WithingsOAuthClient> logger) : IOAuthProviderClient
{
    private ProviderOptions Options => options.Value.Withings;

    public ProviderKind Provider => ProviderKind.Withings;

    public Uri BuildAuthorizeUrl(string state, string redirectUri, string? codeChallenge) =>
        OAuthHttp.AuthorizeUrl(Options, ',', state, redirectUri, codeChallenge);

    public Task<ProviderTokens> ExchangeCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken) =>
        RequestTokenAsync(OAuthHttp.CodeExchangeForm(code, redirectUri, codeVerifier), cancellationToken);

    public Task<ProviderTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestTokenAsync(OAuthHttp.RefreshForm(refreshToken), cancellationToken);

    public Task<string> GetProviderUserIdAsync(ProviderTokens tokens, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(tokens.ProviderUserId)
            ? throw OAuthHttp.Unreadable(Provider)
            : Task.FromResult(tokens.ProviderUserId);

    public async Task RevokeAsync(string accessToken, string providerUserId, CancellationToken cancellationToken)
    {
        // 1. A single-use nonce, signed with the client secret; 2. the revoke call, signed with the nonce.
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var clientId = Options.ClientId ?? "";
        var nonceBody = await PostAsync(OAuthHttp.Combine(Options.ApiBaseUrl, "v2/signature"), new Dictionary<string, string>
        {
            ["action"] = "getnonce",
            ["client_id"] = clientId,
            ["timestamp"] = timestamp,
            ["signature"] = Sign($"getnonce,{clientId},{timestamp}"),
        }, cancellationToken);
        var nonce = OAuthHttp.GetString(nonceBody, "nonce") ?? throw OAuthHttp.Unreadable(Provider);

        await PostAsync(Options.TokenUrl, new Dictionary<string, string>
        {
            ["action"] = "revoke",
            ["client_id"] = clientId,
            ["nonce"] = nonce,
            ["signature"] = Sign($"revoke,{clientId},{nonce}"),
            ["userid"] = providerUserId,
        }, cancellationToken);
    }

    /// <summary>hex(HMAC-SHA256(client secret, message)).</summary>
    internal string Sign(string message) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Options.ClientSecret ?? ""), Encoding.UTF8.GetBytes(message)));

    private async Task<ProviderTokens> RequestTokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["action"] = "requesttoken";
        form["client_id"] = Options.ClientId ?? "";
        form["client_secret"] = Options.ClientSecret ?? "";
        var body = await PostAsync(Options.TokenUrl, form, cancellationToken);
        return OAuthHttp.ReadTokens(Provider, body, OAuthHttp.GetString(body, "userid"), scopeSeparator: ',');
    }

    /// <summary>Posts a form and unwraps the envelope: returns <c>body</c> when <c>status</c> is 0, throws otherwise.</summary>
    private async Task<JsonElement> PostAsync(string url, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        var (status, text) = await OAuthHttp.SendAsync(http, request, Provider, cancellationToken);
        if ((int)status >= 500)
        {
            throw OAuthHttp.ServerError(Provider, status);
        }

        var envelope = OAuthHttp.ParseObject(Provider, text);
        if (!envelope.TryGetProperty("status", out var statusElement) || !statusElement.TryGetInt32(out var code))
        {
            throw OAuthHttp.Unreadable(Provider);
        }

        if (code == 0)
        {
            return envelope.TryGetProperty("body", out var body) && body.ValueKind == JsonValueKind.Object ? body : throw OAuthHttp.Unreadable(Provider);
        }

        logger.LogWarning("Withings answered {Action} with status {Code}", form.GetValueOrDefault("action"), code);
        throw code switch
        {
            // 503 is what an expired or reused code and a dead refresh token produce; 100-102/200/401 are authentication failures.
            503 or 100 or 101 or 102 or 200 or 401 => new ProviderAuthException(Provider, ProviderAuthFailure.InvalidGrant,
                "Withings no longer accepts this sign-in (it expired, was already used or was revoked). Connect Withings again."),
            601 => new ProviderAuthException(Provider, ProviderAuthFailure.RateLimited,
                "Withings is limiting requests right now. Wait a minute and try again."),
            522 or 524 => new ProviderAuthException(Provider, ProviderAuthFailure.Unavailable,
                $"Withings is having trouble right now (status {code}). Nothing was changed; try again in a few minutes."),
            _ => new ProviderAuthException(Provider, ProviderAuthFailure.Rejected,
                $"Withings refused the request (status {code}). Try connecting again; if it keeps failing, the administrator should check Providers:Withings settings and the registered callback address."),
        };
    }
}
