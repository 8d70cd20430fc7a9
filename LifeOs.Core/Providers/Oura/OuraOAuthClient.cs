using System.Net;
using System.Net.Http.Headers;
using LifeOs.Core.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Providers.Oura;

/// <summary>
/// Oura's OAuth2: standard form-posted token requests with plain RFC 6749 JSON answers, single-use refresh
/// tokens, no user id in the token response (it comes from personal_info). See shared/providers/oura.md.
/// </summary>
public sealed class OuraOAuthClient(HttpClient http, IOptions<ProvidersOptions> options, ILogger<OuraOAuthClient> logger) : IOAuthProviderClient
{
    private ProviderOptions Options => options.Value.Oura;

    public ProviderKind Provider => ProviderKind.Oura;

    public Uri BuildAuthorizeUrl(string state, string redirectUri, string? codeChallenge) =>
        OAuthHttp.AuthorizeUrl(Options, ' ', state, redirectUri, codeChallenge);

    public Task<ProviderTokens> ExchangeCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken) =>
        RequestTokenAsync(OAuthHttp.CodeExchangeForm(code, redirectUri, codeVerifier), cancellationToken);

    public Task<ProviderTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        RequestTokenAsync(OAuthHttp.RefreshForm(refreshToken), cancellationToken);

    public async Task<string> GetProviderUserIdAsync(ProviderTokens tokens, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, OAuthHttp.Combine(Options.ApiBaseUrl, "v2/usercollection/personal_info"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var (status, body) = await OAuthHttp.SendAsync(http, request, Provider, cancellationToken);
        if ((int)status >= 500)
        {
            throw OAuthHttp.ServerError(Provider, status);
        }

        if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw new ProviderAuthException(Provider, ProviderAuthFailure.Rejected,
                "Oura did not let LifeOs read your account id. Connect again and keep the \"personal\" permission ticked.");
        }

        if (status != HttpStatusCode.OK)
        {
            throw OAuthHttp.Unreadable(Provider);
        }

        var id = OAuthHttp.GetString(OAuthHttp.ParseObject(Provider, body), "id");
        return string.IsNullOrWhiteSpace(id) ? throw OAuthHttp.Unreadable(Provider) : id;
    }

    public async Task RevokeAsync(string accessToken, string providerUserId, CancellationToken cancellationToken)
    {
        // Oura documents revocation as a call with the token in the query; the method is not stated, GET works.
        var url = OAuthHttp.AppendQuery(OAuthHttp.Combine(Options.ApiBaseUrl, "oauth/revoke"), [new("access_token", accessToken)]);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        var (status, _) = await OAuthHttp.SendAsync(http, request, Provider, cancellationToken);
        if (!((int)status is >= 200 and < 300))
        {
            logger.LogInformation("Oura answered HTTP {Status} to a token revocation", (int)status);
        }
    }

    private async Task<ProviderTokens> RequestTokenAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        form["client_id"] = Options.ClientId ?? "";
        form["client_secret"] = Options.ClientSecret ?? "";
        using var request = new HttpRequestMessage(HttpMethod.Post, Options.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        var (status, body) = await OAuthHttp.SendAsync(http, request, Provider, cancellationToken);
        if ((int)status >= 500)
        {
            throw OAuthHttp.ServerError(Provider, status);
        }

        if (status != HttpStatusCode.OK)
        {
            throw Classify(status, body);
        }

        return OAuthHttp.ReadTokens(Provider, OAuthHttp.ParseObject(Provider, body), providerUserId: null, scopeSeparator: ' ');
    }

    /// <summary>RFC 6749 error answers (400/401 with {"error": …}).</summary>
    private ProviderAuthException Classify(HttpStatusCode status, string body)
    {
        string? error = null;
        try
        {
            error = OAuthHttp.GetString(OAuthHttp.ParseObject(Provider, body), "error");
        }
        catch (ProviderAuthException)
        {
            // Not JSON: decided by the status alone below.
        }

        logger.LogWarning("Oura token endpoint answered HTTP {Status} with error {Error}", (int)status, error ?? "(none)");
        return error switch
        {
            // invalid_request is what apps from the newer portal get for a dead refresh token (oura.md P1).
            "invalid_grant" or "invalid_request" => new ProviderAuthException(Provider, ProviderAuthFailure.InvalidGrant,
                "Oura no longer accepts LifeOs's access (the sign-in expired or was revoked). Connect Oura again."),
            "invalid_client" or "unauthorized_client" => new ProviderAuthException(Provider, ProviderAuthFailure.Rejected,
                "Oura did not accept this server's app credentials. The administrator should check Providers:Oura:ClientId, ClientSecret and TokenUrl."),
            "invalid_redirect_uri" => new ProviderAuthException(Provider, ProviderAuthFailure.Rejected,
                "Oura did not accept the redirect address. The administrator should register this server's /integrations/oura/callback address with Oura."),
            _ when status == HttpStatusCode.TooManyRequests => new ProviderAuthException(Provider, ProviderAuthFailure.RateLimited,
                "Oura is limiting requests right now. Try again in a few minutes."),
            null => OAuthHttp.Unreadable(Provider),
            _ => new ProviderAuthException(Provider, ProviderAuthFailure.Rejected,
                $"Oura refused the request ({error}). Try connecting again; if it keeps failing, the administrator should check the Oura app settings."),
        };
    }
}
