namespace LifeOs.Core.Connections;

/// <summary>What a token endpoint returned. <see cref="ProviderUserId"/> is set when the token response carries it (Withings).</summary>
public sealed record ProviderTokens(
    string AccessToken,
    string RefreshToken,
    TimeSpan ExpiresIn,
    IReadOnlyList<string>? GrantedScopes,
    string? ProviderUserId);

/// <summary>
/// The OAuth side of one provider: authorize URL, code exchange, refresh, account id and revocation.
/// Implementations never retry token calls (they are not idempotent) and throw <see cref="ProviderAuthException"/>.
/// </summary>
public interface IOAuthProviderClient
{
    ProviderKind Provider { get; }

    Uri BuildAuthorizeUrl(string state, string redirectUri, string? codeChallenge);

    Task<ProviderTokens> ExchangeCodeAsync(string code, string redirectUri, string? codeVerifier, CancellationToken cancellationToken);

    Task<ProviderTokens> RefreshAsync(string refreshToken, CancellationToken cancellationToken);

    /// <summary>The provider's id for the account the tokens belong to.</summary>
    Task<string> GetProviderUserIdAsync(ProviderTokens tokens, CancellationToken cancellationToken);

    /// <summary>Best effort: revokes the grant at the provider where it offers revocation.</summary>
    Task RevokeAsync(string accessToken, string providerUserId, CancellationToken cancellationToken);
}
