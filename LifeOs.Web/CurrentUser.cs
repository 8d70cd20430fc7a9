using System.Security.Claims;

namespace LifeOs.Web;

/// <summary>Resolves the signed-in user's id once at the web edge; Core services take it as a parameter.</summary>
public sealed class CurrentUser(IHttpContextAccessor accessor)
{
    public string Id => TryGetId() ?? throw new InvalidOperationException("No signed-in user on this request.");

    public string? TryGetId() => accessor.HttpContext?.User.FindFirstValue(ClaimTypes.NameIdentifier);
}
