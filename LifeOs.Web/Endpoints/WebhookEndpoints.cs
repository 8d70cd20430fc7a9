using System.Diagnostics;
using LifeOs.Core.Connections;
using LifeOs.Core.Webhooks;

namespace LifeOs.Web.Endpoints;

/// <summary>
/// /webhooks/{provider}: where Withings and Oura say that new data exists. Anonymous server-to-server calls, so no
/// cookies and no antiforgery; Withings' callback URL carries a secret and Oura signs its posts. Each delivery is
/// recorded (<see cref="WebhookInbox"/>, one INSERT in a group commit) before answering; its targeted sync is queued after the answer
/// (<see cref="WebhookDispatcher"/>): no fetching happens here.
/// Answers are what each provider expects so that it neither retries forever nor drops the subscription: Withings
/// gets 200 for anything it sent (even an unknown user or a body LifeOs cannot read); Oura gets 200, or 400 for a
/// malformed body and 401 for a bad signature (it retries those at most 10 times in an hour). Rate-limited per
/// address (<see cref="RateLimits"/>). 404 while live updates are off.
/// </summary>
public static class WebhookEndpoints
{
    /// <summary>A notification is a few hundred bytes; anything much larger is not one.</summary>
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>The notification endpoints' paths, which the pipeline treats apart (<see cref="WebApplicationExtensions.UseLifeOsPipeline"/>).</summary>
    public static bool IsWebhook(HttpContext context) => context.Request.Path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// First in the pipeline: with <c>Providers:Webhooks:ServerTiming</c> on, each webhook answer carries a
    /// <c>Server-Timing</c> header (<see cref="DeliveryTimings"/>) from here to its headers, so a load test sees the
    /// server's share of every request. Two timestamps and a header.
    /// </summary>
    public static IApplicationBuilder UseWebhookServerTiming(this IApplicationBuilder app) =>
        !app.ApplicationServices.GetRequiredService<WebhookSettings>().ServerTiming ? app : app.UseWhen(IsWebhook, webhooks => webhooks.Use((context, next) =>
        {
            var timings = context.RequestServices.GetRequiredService<DeliveryTimings>();
            timings.Start();
            context.Response.OnStarting(static state =>
            {
                var (response, timings) = ((HttpResponse, DeliveryTimings))state;
                response.Headers["Server-Timing"] = timings.ServerTiming(Stopwatch.GetTimestamp());
                return Task.CompletedTask;
            }, (context.Response, timings));
            return next(context);
        }));

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/webhooks").AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        // Withings probes the URL with HEAD when subscribing (it must answer 2xx: home-assistant/core #72614).
        group.MapMethods("/withings", [HttpMethods.Head], (WebhookSettings settings) =>
            settings.EnabledFor(ProviderKind.Withings) ? Results.Ok() : Results.NotFound());

        group.MapPost("/withings", async (HttpContext context, WebhookSettings settings, WebhookInbox inbox, DeliveryTimings timings) =>
        {
            timings.HandlerStarted = Stopwatch.GetTimestamp();
            if (!settings.EnabledFor(ProviderKind.Withings))
            {
                return Results.Text("Live updates are off.", statusCode: StatusCodes.Status404NotFound);
            }

            if (!settings.IsWithingsToken(context.Request.Query["token"]))
            {
                return Results.Text("Unknown callback.", statusCode: StatusCodes.Status401Unauthorized);
            }

            var form = await ReadFormAsync(context);
            // Whatever the outcome (recorded, duplicate, unknown user, unreadable), Withings has nothing to retry.
            var outcome = form is null ? ReceiptOutcome.Malformed : await inbox.ReceiveWithingsAsync(form, context.RequestAborted);
            return Results.Text(outcome.ToString(), statusCode: StatusCodes.Status200OK);
        });

        // Oura's verification handshake when a subscription is created: echo the challenge only for our token.
        group.MapGet("/oura", (HttpContext context, WebhookSettings settings) =>
        {
            if (!settings.EnabledFor(ProviderKind.Oura))
            {
                return Results.Text("Live updates are off.", statusCode: StatusCodes.Status404NotFound);
            }

            var challenge = context.Request.Query["challenge"].ToString();
            if (!settings.IsOuraVerificationToken(context.Request.Query["verification_token"]) || challenge.Length is 0 or > 512)
            {
                return Results.Text("Verification failed.", statusCode: StatusCodes.Status401Unauthorized);
            }

            return Results.Json(new { challenge });
        });

        group.MapPost("/oura", async (HttpContext context, WebhookSettings settings, WebhookInbox inbox, DeliveryTimings timings) =>
        {
            timings.HandlerStarted = Stopwatch.GetTimestamp();
            if (!settings.EnabledFor(ProviderKind.Oura))
            {
                return Results.Text("Live updates are off.", statusCode: StatusCodes.Status404NotFound);
            }

            var body = await ReadBodyAsync(context);
            var outcome = body is null ? ReceiptOutcome.Malformed : await inbox.ReceiveOuraAsync(body,
                context.Request.Headers["x-oura-signature"], context.Request.Headers["x-oura-timestamp"], settings.OuraClientSecret, context.RequestAborted);
            return outcome switch
            {
                ReceiptOutcome.BadSignature => Results.Text("Bad signature.", statusCode: StatusCodes.Status401Unauthorized),
                ReceiptOutcome.Malformed => Results.Text("Malformed.", statusCode: StatusCodes.Status400BadRequest),
                _ => Results.Text(outcome.ToString(), statusCode: StatusCodes.Status200OK),
            };
        });

        return endpoints;
    }

    private static async Task<Dictionary<string, string?>?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType || context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        try
        {
            var form = await context.Request.ReadFormAsync(new Microsoft.AspNetCore.Http.Features.FormOptions { ValueCountLimit = 32, KeyLengthLimit = 64, ValueLengthLimit = 1024, BufferBodyLengthLimit = MaxBodyBytes },
                context.RequestAborted);
            return form.ToDictionary(f => f.Key, f => (string?)f.Value.ToString(), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The raw bytes (Oura's signature covers them exactly), or null when over the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[4096];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                return null;
            }
        }

        return buffer.ToArray();
    }
}
