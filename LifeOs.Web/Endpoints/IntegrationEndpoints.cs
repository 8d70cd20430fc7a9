using System.Security.Claims;
using LifeOs.Core;
using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using LifeOs.Web.Components.Account;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace LifeOs.Web.Endpoints;

/// <summary>
/// The OAuth edge of /integrations, which has to be HTTP because the browser itself travels: connect (POST,
/// antiforgery) sends it to the provider, the provider sends it back to callback (GET). Both end on
/// /integrations with a status message, which the page shows once. Everything else the page does (sync now,
/// older history, disconnect) runs over its circuit.
/// </summary>
public static class IntegrationEndpoints
{
    public static IEndpointRouteBuilder MapIntegrationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/integrations/{provider}").RequireAuthorization().ExcludeFromDescription();

        group.MapPost("/connect", async (string provider, HttpContext context, IAntiforgery antiforgery, ClaimsPrincipal user,
            ConnectionService connections, IOptions<LifeOsOptions> options) =>
        {
            if (!ProviderKinds.TryParseSlug(provider, out var kind))
            {
                return Results.NotFound();
            }

            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            var redirectUri = RedirectUri($"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}", options.Value, kind);
            var outcome = await connections.StartConnectAsync(user.RequiredUserId(), kind, redirectUri, context.RequestAborted);
            return outcome.RedirectTo is { } authorize
                ? Results.Redirect(authorize.AbsoluteUri)
                : BackToIntegrations(context, outcome);
        });

        group.MapGet("/callback", async (string provider, HttpContext context, ClaimsPrincipal user, ConnectionService connections, SyncQueue queue, LifeOs.Core.Webhooks.WebhookTrigger webhooks,
            string? state, string? code, string? error, string? scope) =>
        {
            if (!ProviderKinds.TryParseSlug(provider, out var kind))
            {
                return Results.NotFound();
            }

            var outcome = await connections.CompleteConnectAsync(user.RequiredUserId(), kind, state, code, error, scope, context.RequestAborted);
            if (outcome.Succeeded)
            {
                // The first sync fetches history (Sync:BackfillDays) in the background; the page shows its progress.
                var queued = await queue.EnqueueAsync(user.RequiredUserId(), kind, SyncTrigger.Backfill, context.RequestAborted);
                // Live updates: subscribe in the background too (the provider probes the callback while subscribing).
                if (await connections.GetConnectionIdAsync(user.RequiredUserId(), kind, context.RequestAborted) is { } connectionId)
                {
                    await webhooks.ConnectedAsync(connectionId, context.RequestAborted);
                }
            }

            return BackToIntegrations(context, outcome);
        });

        return endpoints;
    }

    /// <summary>
    /// The exact redirect URI registered with the provider: LifeOs:PublicBaseUrl behind a proxy, otherwise the
    /// address the browser used (<paramref name="baseUri"/>: the request's on HTTP, NavigationManager.BaseUri on a circuit).
    /// </summary>
    public static string RedirectUri(string baseUri, LifeOsOptions options, ProviderKind provider)
    {
        var baseUrl = string.IsNullOrWhiteSpace(options.PublicBaseUrl) ? baseUri : options.PublicBaseUrl;
        return $"{baseUrl.TrimEnd('/')}/integrations/{provider.Slug()}/callback";
    }

    private static IResult BackToIntegrations(HttpContext context, ConnectionOutcome outcome)
    {
        // IntegrationsPage reads this cookie while prerendering. Lax, not the template's Strict: the callback is a
        // navigation that started on the provider's site, and a Strict cookie would not follow its redirect.
        context.Response.Cookies.Append(IdentityRedirectManager.StatusCookieName, outcome.Succeeded ? outcome.Message : "Error: " + outcome.Message, new CookieOptions
        {
            SameSite = SameSiteMode.Lax,
            HttpOnly = true,
            IsEssential = true,
            Secure = context.Request.IsHttps,
            MaxAge = TimeSpan.FromSeconds(30),
            Path = "/",
        });
        return Results.Redirect($"{context.Request.PathBase}/integrations");
    }
}
