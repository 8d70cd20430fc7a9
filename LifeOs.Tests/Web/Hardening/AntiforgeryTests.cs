using System.Net;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

public sealed class AntiforgeryTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    /// <summary>
    /// Every route the app maps that accepts something other than GET or HEAD, read from the app's own endpoint
    /// table, so a route added later is swept too. Route parameters get plausible values.
    /// </summary>
    private List<(string Method, string Path)> StateChangingRoutes()
    {
        var routes = new List<(string, string)>();
        foreach (var endpoint in app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>())
        {
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [HttpMethods.Post];
            var template = endpoint.RoutePattern.RawText ?? "";
            // The circuit's hub and its negotiation are SignalR's, authenticated by the circuit, not forms.
            if (template.StartsWith("/_blazor", StringComparison.Ordinal) || template.StartsWith("_blazor", StringComparison.Ordinal))
            {
                continue;
            }

            var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(Sample))));
            foreach (var method in methods.Where(m => m is not "GET" and not "HEAD" and not "OPTIONS"))
            {
                routes.Add((method, path));
            }
        }

        return routes.Distinct().ToList();
    }

    private static string Sample(Microsoft.AspNetCore.Routing.Patterns.RoutePatternPart part) => part switch
    {
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
        Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => parameter.Name.ToLowerInvariant() switch
        {
            "provider" => "oura",
            "code" => "weight",
            "kind" => "reflection",
            _ => "1",
        },
        _ => "",
    };

    /// <summary>
    /// Routes that are not browser forms, so no antiforgery token can exist for them, with what protects them instead.
    /// </summary>
    private static readonly Dictionary<string, string> NotBrowserForms = new()
    {
        ["POST /webhooks/withings"] = "Withings' servers post notifications anonymously, without cookies; the callback URL's secret authenticates them and they only queue a sync (never data)",
        ["POST /webhooks/oura"] = "Oura's servers post notifications anonymously, without cookies; each is HMAC-signed with the client secret and only queues a sync (never data)",
        ["POST /notifications/unsubscribe/1"] = "a mail program's RFC 8058 one-click unsubscribe, sent without cookies; the unguessable token in the link is the proof, and all it can do is turn that email channel off",
    };

    [Fact]
    public async Task EveryStateChangingRoute_IsRefusedWithoutAnAntiforgeryToken()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("sweeper@example.com");
        var routes = StateChangingRoutes();
        // The sweep found the form-post pages and the endpoints, not an empty table.
        Assert.Contains(routes, r => r.Path == "/Account/Logout");
        Assert.Contains(routes, r => r.Path == "/Account/Manage/DownloadPersonalData");
        Assert.Contains(routes, r => r.Path == "/integrations/oura/connect");
        Assert.Contains(routes, r => r.Path == "/settings");
        Assert.True(routes.Count > 20, $"{routes.Count} routes");

        Assert.All(NotBrowserForms.Keys, route => Assert.Contains(routes, r => $"{r.Method} {r.Path}" == route));
        var accepted = new List<string>();
        foreach (var (method, path) in routes.Where(r => !NotBrowserForms.ContainsKey($"{r.Method} {r.Path}")))
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "x", ["ReturnUrl"] = "/" }),
            };
            var response = await client.Http.SendAsync(request, TestContext.Current.CancellationToken);
            if (path.StartsWith("/api/", StringComparison.Ordinal))
            {
                // The API takes no cookie at all (an API key in a header, which another site cannot make a browser
                // send), so a forged form is refused as unauthenticated, or as not JSON, instead.
                if ((int)response.StatusCode is not (401 or 415))
                {
                    accepted.Add($"{method} {path}: {(int)response.StatusCode} (the API must refuse a cookie)");
                }
            }
            else if (response.StatusCode != HttpStatusCode.BadRequest)
            {
                accepted.Add($"{method} {path}: {(int)response.StatusCode}");
            }
        }

        Assert.True(accepted.Count == 0, "Answered without an antiforgery token:\n" + string.Join("\n", accepted));
        // Still signed in: the logout without a token did nothing.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/settings")).StatusCode);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("\\\\evil.example")]
    [InlineData("~//evil.example")]
    [InlineData("\tjavascript:alert(1)")]
    [InlineData("settings")]
    public async Task Logout_WithAForeignReturnUrl_StaysInTheApp_NeverA500(string returnUrl)
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync($"leaver-{Guid.NewGuid():N}@example.com");

        var response = await client.PostFormAsync("/settings", "", new Dictionary<string, string> { ["ReturnUrl"] = returnUrl }, postUrl: "/Account/Logout");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/", location, StringComparison.Ordinal);
        Assert.False(location.StartsWith("//", StringComparison.Ordinal) || location.StartsWith("/\\", StringComparison.Ordinal), location);
        Assert.DoesNotContain(location, c => char.IsControl(c));
    }
}
