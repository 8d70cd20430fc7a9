namespace LifeOs.Core.Connections;

public enum ConnectionStatus
{
    /// <summary>Tokens are present and were last seen working.</summary>
    Connected,

    /// <summary>The provider rejected the refresh token: only the user can fix it, by connecting again.</summary>
    NeedsReconnect,

    /// <summary>The last attempt failed for a reason that may pass (provider down, unreadable answer).</summary>
    Error,
}

/// <summary>
/// One user's link to one provider account. Tokens are stored only encrypted (<see cref="TokenProtector"/>).
/// Disconnecting deletes the row; reconnecting replaces the tokens in place, so the id (and everything keyed
/// on it, such as sync history) stays.
/// </summary>
public class Connection
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public ProviderKind Provider { get; set; }

    /// <summary>The provider's id for the account (Oura personal_info id, Withings userid). One LifeOs user per provider account.</summary>
    public required string ProviderUserId { get; set; }

    public ConnectionStatus Status { get; set; }

    /// <summary>Why the connection needs attention, in words for the user; null when all is well.</summary>
    public string? StatusDetail { get; set; }

    /// <summary>Space-separated scopes the user actually granted.</summary>
    public string GrantedScopes { get; set; } = "";

    public required string ProtectedAccessToken { get; set; }
    public required string ProtectedRefreshToken { get; set; }
    public DateTime AccessTokenExpiresAt { get; set; }

    public DateTime ConnectedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? LastRefreshedAt { get; set; }

    /// <summary>Set by sync (issue 6) after a successful run.</summary>
    public DateTime? LastSyncedAt { get; set; }

    /// <summary>While set and in the future, one app instance is refreshing the tokens; others wait for it.</summary>
    public DateTime? RefreshLeaseUntil { get; set; }

    /// <summary>Concurrency token: every write increments it, and conditional updates compare it.</summary>
    public int Version { get; set; }
}

/// <summary>A pending authorize request. Only the SHA-256 of the state value is stored; it works once, for its user and provider, for 10 minutes.</summary>
public class OAuthState
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public ProviderKind Provider { get; set; }

    /// <summary>Lower-case hex SHA-256 of the state sent to the provider.</summary>
    public required string StateHash { get; set; }

    /// <summary>The exact redirect URI sent with the authorize request; the code exchange must repeat it.</summary>
    public required string RedirectUri { get; set; }

    /// <summary>PKCE verifier, encrypted; null when the provider is not configured for PKCE.</summary>
    public string? ProtectedCodeVerifier { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
}
