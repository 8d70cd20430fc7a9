using System.Text.Encodings.Web;
using LifeOs.Core.Notifications;

namespace LifeOs.Web.Endpoints;

/// <summary>
/// The unsubscribe link in every reminder email. The token in the link is the proof (no sign-in: the mail may be
/// read on another device), so there is no antiforgery token to check: GET is the link a person clicks, POST the
/// RFC 8058 one-click request a mail program sends from its own "Unsubscribe" button. Either turns that address's
/// channel off (the person can turn it on again on the Notifications page), and an unknown token answers 404.
/// </summary>
public static class NotificationEndpoints
{
    public static IEndpointRouteBuilder MapNotificationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(NotificationLinks.UnsubscribeBase).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();
        group.MapGet("/{token}", UnsubscribeAsync);
        group.MapPost("/{token}", UnsubscribeAsync);
        return endpoints;
    }

    private static async Task<IResult> UnsubscribeAsync(string token, NotificationService notifications, CancellationToken cancellationToken)
    {
        var address = await notifications.UnsubscribeAsync(token, cancellationToken);
        return address is null
            ? Page(StatusCodes.Status404NotFound, "This link does not work", "It may be mistyped, or the email channel was removed. You can manage reminders on the Notifications page after signing in.")
            : Page(StatusCodes.Status200OK, "You are unsubscribed", $"LifeOs sends no more reminders to {address}. To get them again, turn the email channel on in Notifications.");
    }

    private static IResult Page(int status, string title, string text)
    {
        var html = HtmlEncoder.Default;
        return Results.Content($$"""
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1.0" />
            <title>{{html.Encode(title)}} · LifeOs</title>
            <style>body{font-family:system-ui,sans-serif;display:grid;place-items:center;min-height:100vh;margin:0;background:#f6f7fb;color:#1a1e2b}main{max-width:28rem;margin:1rem;padding:2rem;background:#fff;border-radius:16px;text-align:center}a{color:#4f5bd5;font-weight:600}</style>
            </head><body><main data-testid="unsubscribe"><h1>{{html.Encode(title)}}</h1><p>{{html.Encode(text)}}</p><p><a href="/settings/notifications">Notifications</a></p></main></body></html>
            """, "text/html; charset=utf-8", statusCode: status);
    }
}
