using LifeOs.Core;
using LifeOs.Core.Connections;
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

        group.MapGet("/callback", async (string provider, HttpContext context, CurrentUser user, ConnectionService connections,
            string? state, string? code, string? error, string? scope) =>
        {
            if (!ProviderKinds.TryParseSlug(provider, out var kind))
            {
                return Results.NotFound();
            }

            var outcome = await connections.CompleteConnectAsync(user.Id, kind, state, code, error, scope, context.RequestAborted);
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

        return endpoints;
    }

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
