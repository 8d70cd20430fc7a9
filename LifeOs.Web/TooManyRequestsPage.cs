using System.Globalization;

namespace LifeOs.Web;

/// <summary>
/// The answer to a request the rate limits refused: a small page in LifeOs's colours that says when to try again.
/// It is written by the rate limiter itself, not rendered through the app, because re-running the refused request
/// through the pipeline would be refused again. Its one inline style sheet is allowed by the CSP's style-src.
/// </summary>
public static class TooManyRequestsPage
{
    public static async Task WriteAsync(HttpContext context, int retryAfterSeconds, CancellationToken cancellationToken)
    {
        var wait = retryAfterSeconds < 90
            ? $"{retryAfterSeconds} seconds"
            : $"{Math.Ceiling(retryAfterSeconds / 60.0).ToString(CultureInfo.InvariantCulture)} minutes";
        if (!context.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"Too many attempts. Try again in {wait}.", cancellationToken);
            return;
        }

        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(Template.Replace("{wait}", wait, StringComparison.Ordinal), cancellationToken);
    }

    private const string Template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1.0" />
        <meta name="color-scheme" content="light dark" />
        <title>Too many attempts · LifeOs</title>
        <style>
        body { margin: 0; min-height: 100vh; display: grid; place-items: center; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; background: #f6f7fb; color: #1d2130; }
        main { max-width: 28rem; margin: 1.5rem; padding: 2rem; border: 1px solid #e3e6ef; border-radius: 14px; background: #fff; text-align: center; }
        h1 { font-size: 1.35rem; margin: 0 0 .75rem; }
        p { color: #5b6275; line-height: 1.5; margin: 0 0 1.25rem; }
        a { display: inline-block; padding: .55rem 1.1rem; border-radius: 8px; background: #4f46e5; color: #fff; text-decoration: none; font-weight: 600; }
        @media (prefers-color-scheme: dark) { body { background: #11141d; color: #e8eaf2; } main { background: #181c27; border-color: #2a3040; } p { color: #a3a9ba; } }
        </style>
        </head>
        <body>
        <main data-testid="too-many-requests">
        <h1>Too many attempts</h1>
        <p>To keep accounts safe, LifeOs pauses after many tries in a short time. Try again in {wait}.</p>
        <a href="/">Back to LifeOs</a>
        </main>
        </body>
        </html>
        """;
}
