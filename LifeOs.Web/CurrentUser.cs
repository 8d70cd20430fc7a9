using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace LifeOs.Web;

/// <summary>
/// Resolves the signed-in user's id once at the web edge; Core services take it as a parameter. Works in
/// prerendering and in an interactive circuit alike (there is no HttpContext in a circuit).
/// </summary>
public sealed class CurrentUser(AuthenticationStateProvider authentication)
{
    public async Task<string> GetIdAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User.RequiredUserId();

    public async Task<ClaimsPrincipal> GetPrincipalAsync() =>
        (await authentication.GetAuthenticationStateAsync()).User;
}

public static class UserClaims
{
    /// <summary>The user id of a signed-in principal (endpoints bind ClaimsPrincipal; they require authorization).</summary>
    public static string RequiredUserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user.");
}
