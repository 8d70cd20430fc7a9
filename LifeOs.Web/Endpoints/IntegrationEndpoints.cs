using LifeOs.Core;
using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using LifeOs.Web.Components.Account;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace LifeOs.Web.Endpoints;

/// <summary>
/// The OAuth edge of /integrations: connect (POST, antiforgery) sends the browser to the provider, the
/// provider sends it back to callback (GET), disconnect (POST, antiforgery). Each ends on /integrations
/// with a status message; Core does the work.
/// </summary>
public static class IntegrationEndpoints
{
    public static IEndpointRouteBuilder MapIntegrationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/integrations/{provider}").RequireAuthorization().ExcludeFromDescription();

        group.MapPost("/connect", async (string provider, HttpContext context, IAntiforgery antiforgery, CurrentUser user,
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

            var outcome = await connections.StartConnectAsync(user.Id, kind, RedirectUri(context, options.Value, kind), context.RequestAborted);
            return outcome.RedirectTo is { } authorize
                ? Results.Redirect(authorize.AbsoluteUri)
                : BackToIntegrations(context, outcome);
        });

        group.MapGet("/callback", async (string provider, HttpContext context, CurrentUser user, ConnectionService connections, SyncQueue queue,
            string? state, string? code, string? error, string? scope) =>
        {
            if (!ProviderKinds.TryParseSlug(provider, out var kind))
            {
                return Results.NotFound();
            }

            var outcome = await connections.CompleteConnectAsync(user.Id, kind, state, code, error, scope, context.RequestAborted);
            if (outcome.Succeeded)
            {
                // The first sync fetches history (Sync:BackfillDays) in the background; the page shows its progress.
                await queue.EnqueueAsync(user.Id, kind, SyncTrigger.Backfill, context.RequestAborted);
            }

            return BackToIntegrations(context, outcome);
        });

        group.MapPost("/disconnect", async (string provider, HttpContext context, IAntiforgery antiforgery, CurrentUser user,
            ConnectionService connections) =>
        {
            if (!ProviderKinds.TryParseSlug(provider, out var kind))
            {
                return Results.NotFound();
            }

            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var deleteData = form["DeleteData"].Contains("true");
            var outcome = await connections.DisconnectAsync(user.Id, kind, deleteData, context.RequestAborted);
            return BackToIntegrations(context, outcome);
        });

        group.MapPost("/sync", async (string provider, HttpContext context, IAntiforgery antiforgery, CurrentUser user, SyncQueue queue) =>
        {
            if (!ProviderKinds.TryParseSlug(provider, out var kind))
            {
                return Results.NotFound();
            }

            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            var result = await queue.EnqueueAsync(user.Id, kind, SyncTrigger.Manual, context.RequestAborted);
            return BackToIntegrations(context, SyncMessage(kind, result));
        });

        group.MapPost("/history", async (string provider, HttpContext context, IAntiforgery antiforgery, CurrentUser user, SyncQueue queue, TimeProvider time) =>
        {
            if (!ProviderKinds.TryParseSlug(provider, out var kind))
            {
                return Results.NotFound();
            }

            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
            if (!DateOnly.TryParseExact(form["From"].ToString(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var from)
                || from > today || from < today.AddYears(-20))
            {
                return BackToIntegrations(context, new ConnectionOutcome(false, "Choose a date in the past (at most 20 years ago) to fetch history from."));
            }

            var result = await queue.RequestHistoryAsync(user.Id, kind, from, context.RequestAborted);
            return BackToIntegrations(context, result.Outcome is EnqueueOutcome.Queued or EnqueueOutcome.AlreadyActive
                ? new ConnectionOutcome(true, $"LifeOs will fetch your {kind.DisplayName()} history from {from:d MMM yyyy}.")
                : SyncMessage(kind, result));
        });

        // Polled by js/sync-status.js while a run is queued or running; the page works without it.
        endpoints.MapGet("/integrations/sync-status", async (CurrentUser user, SyncStatusService status, HttpContext context) =>
        {
            var overview = await status.GetAsync(user.Id, runsPerConnection: 1, context.RequestAborted);
            return Results.Json(new
            {
                active = overview.Values.Any(o => o.Active is not null),
                signature = SyncSignature(overview),
            });
        }).RequireAuthorization().ExcludeFromDescription();

        return endpoints;
    }

    /// <summary>Changes whenever a run starts, progresses or ends: the script reloads the page when it does.</summary>
    public static string SyncSignature(IReadOnlyDictionary<ProviderKind, SyncOverview> overview) =>
        string.Join(";", overview.OrderBy(o => o.Key).Select(o => o.Value.Runs.FirstOrDefault() is { } r ? $"{o.Key}:{r.Id}:{r.Status}:{r.Progress}" : $"{o.Key}:-"));

    private static ConnectionOutcome SyncMessage(ProviderKind kind, EnqueueResult result) => result.Outcome switch
    {
        EnqueueOutcome.Queued => new ConnectionOutcome(true, $"{kind.DisplayName()} sync queued. This page updates when it finishes."),
        EnqueueOutcome.AlreadyActive => new ConnectionOutcome(true, $"{kind.DisplayName()} is already syncing; this page updates when it finishes."),
        EnqueueOutcome.NeedsReconnect => new ConnectionOutcome(false, $"{kind.DisplayName()} needs to be connected again before it can sync."),
        _ => new ConnectionOutcome(false, $"{kind.DisplayName()} is not connected."),
    };

    /// <summary>
    /// The exact redirect URI registered with the provider: LifeOs:PublicBaseUrl behind a proxy, otherwise
    /// the address this request came in on.
    /// </summary>
    public static string RedirectUri(HttpContext context, LifeOsOptions options, ProviderKind provider)
    {
        var baseUrl = string.IsNullOrWhiteSpace(options.PublicBaseUrl)
            ? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}"
            : options.PublicBaseUrl;
        return $"{baseUrl.TrimEnd('/')}/integrations/{provider.Slug()}/callback";
    }

    private static IResult BackToIntegrations(HttpContext context, ConnectionOutcome outcome)
    {
        // The page's StatusMessage reads this cookie. Lax, not the template's Strict: the callback is a
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
