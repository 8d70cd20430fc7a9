namespace LifeOs.Core.Connections;

public enum ProviderAuthFailure
{
    /// <summary>The code or refresh token is expired, used or revoked: the user must connect again.</summary>
    InvalidGrant,

    /// <summary>The provider is down, slow or unreachable: try later.</summary>
    Unavailable,

    /// <summary>The provider answered something LifeOs cannot read.</summary>
    BadResponse,

    /// <summary>The provider refused the request for another reason (client credentials, redirect URI, scope…).</summary>
    Rejected,

    /// <summary>Too many requests.</summary>
    RateLimited,
}

/// <summary>A failed OAuth call, with a message a user can act on. Never carries a token, code or secret.</summary>
public sealed class ProviderAuthException(ProviderKind provider, ProviderAuthFailure failure, string userMessage, Exception? inner = null)
    : Exception(userMessage, inner)
{
    public ProviderKind Provider { get; } = provider;

    public ProviderAuthFailure Failure { get; } = failure;
}

/// <summary>The user has no usable connection to this provider (none, or it needs reconnecting).</summary>
public sealed class ConnectionUnavailableException(ProviderKind provider, bool needsReconnect, string message) : Exception(message)
{
    public ProviderKind Provider { get; } = provider;

    public bool NeedsReconnect { get; } = needsReconnect;
}
