using LifeOs.Core.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace LifeOs.Web.Authorization;

/// <summary>
/// Named authorization policies: pages say <c>[Authorize(Policy = Policies.Administrator)]</c> and markup says
/// <c>&lt;AuthorizeView Policy="@Policies.Administrator"&gt;</c>, instead of checking roles themselves.
/// </summary>
public static class Policies
{
    /// <summary>The server's administrators (role <see cref="Roles.Administrator"/>): /admin, and how to set up a provider.</summary>
    public const string Administrator = "Administrator";

    public static IServiceCollection AddLifeOsAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(Administrator, policy => policy.RequireAuthenticatedUser().RequireRole(Roles.Administrator));
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, HiddenFromMembersResultHandler>();
        return services;
    }

    /// <summary>Whether a failed check was the administrators' policy (a signed-in member, not a visitor).</summary>
    internal static bool FailedAdministrator(AuthorizationFailure? failure) =>
        failure?.FailedRequirements.OfType<RolesAuthorizationRequirement>().Any(r => r.AllowedRoles.Contains(Roles.Administrator)) == true;
}

/// <summary>
/// A signed-in member who opens an administrators' page gets "not found" (404, the not-found page), not "access
/// denied": members do not learn that the page exists. Everything else is the default (sign-in redirect, 403).
/// The interactive router does the same for in-app navigation (Routes.razor).
/// </summary>
internal sealed class HiddenFromMembersResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && Policies.FailedAdministrator(authorizeResult.AuthorizationFailure))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        return fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
