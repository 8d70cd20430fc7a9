using System.Security.Claims;
using LifeOs.Core.Audit;

namespace LifeOs.Web.Audit;

/// <summary>
/// The current request's person, address (the client's, after trusted forwarded headers) and browser. On an
/// interactive page this is the circuit's connection; the actions there that matter pass their actor explicitly.
/// </summary>
public sealed class HttpAuditClient(IHttpContextAccessor accessor) : IAuditClient
{
    public string? ActorUserId =>
        accessor.HttpContext?.User is { Identity.IsAuthenticated: true } user ? user.FindFirstValue(ClaimTypes.NameIdentifier) : null;

    public string? IpAddress => accessor.HttpContext?.Connection.RemoteIpAddress?.ToString();

    public string? UserAgent => accessor.HttpContext?.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent : null;
}
