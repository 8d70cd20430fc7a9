namespace LifeOs.Core.Audit;

/// <summary>Who is acting and from where, as the host knows it (the web app reads the current request).</summary>
public interface IAuditClient
{
    /// <summary>The signed-in person acting, if any.</summary>
    string? ActorUserId { get; }

    string? IpAddress { get; }

    string? UserAgent { get; }
}

/// <summary>Work with no request behind it (jobs, tools): the server itself.</summary>
public sealed class ServerAuditClient : IAuditClient
{
    public string? ActorUserId => null;

    public string? IpAddress => null;

    public string? UserAgent => null;
}
