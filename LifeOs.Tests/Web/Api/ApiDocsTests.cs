using System.Net;
using System.Text.RegularExpressions;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace LifeOs.Tests.Web.Api;

/// <summary>The OpenAPI document at /openapi/v1.json and the reference at /api/docs.</summary>
public sealed partial class ApiDocsTests : IAsyncLifetime
{
    private readonly ApiHarness api = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => api.DisposeAsync();

    [Fact]
    public async Task Document_ParsesWithMicrosoftOpenApi_AndListsEveryRoute_WithTheKeySchemeAndScope()
    {
        using var client = api.Client(null);
        var response = await client.GetAsync("/openapi/v1.json", ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await using var stream = await response.Content.ReadAsStreamAsync(ApiHarness.Ct);
        var read = await OpenApiDocument.LoadAsync(stream, "json", new OpenApiReaderSettings(), ApiHarness.Ct);
        Assert.Empty(read.Diagnostic?.Errors ?? []);
        var document = read.Document!;
        Assert.Equal("LifeOs API", document.Info.Title);
        Assert.True(document.Components?.SecuritySchemes?.ContainsKey("ApiKey"));

        // Every route of the API, and nothing else of the app.
        var documented = document.Paths.SelectMany(p => p.Value.Operations!.Select(o => (Method: o.Key.Method.ToUpperInvariant(), Path: p.Key))).ToHashSet();
        var expected = ApiEndpointTests.Routes.Select(r => (r.Method, Template(r.Path))).Append(("GET", "/api/v1/me")).ToHashSet();
        Assert.Equal(expected.Order(), documented.Where(d => expected.Contains(d)).Order());
        Assert.All(documented, d => Assert.StartsWith("/api/v1/", d.Path, StringComparison.Ordinal));

        foreach (var (method, path, scope) in ApiEndpointTests.Routes)
        {
            var operation = document.Paths[Template(path)].Operations![new HttpMethod(method)];
            var requirement = Assert.Single(operation.Security!);
            Assert.Equal([scope], requirement.Single().Value);
            Assert.NotEmpty(operation.Summary ?? "");
            Assert.True(operation.Responses!.ContainsKey("403"), $"{method} {path} does not document 403");
        }

        // Schemas: a sample page names its items and cursor.
        var samples = document.Paths["/api/v1/samples"].Operations![HttpMethod.Get].Responses!["200"].Content!["application/json"].Schema!;
        Assert.Contains("nextCursor", samples.Properties!.Keys);

        // Every write shows an example body.
        foreach (var (method, path) in new[] { (HttpMethod.Post, "/api/v1/samples"), (HttpMethod.Post, "/api/v1/journal/entries"), (HttpMethod.Put, "/api/v1/journal/entries/{id}"), (HttpMethod.Post, "/api/v1/ingest/health-auto-export") })
        {
            var example = document.Paths[path].Operations![method].RequestBody!.Content!["application/json"].Example;
            Assert.True(example is not null, $"{method} {path} has no example body");
        }

        var sampleExample = document.Paths["/api/v1/samples"].Operations![HttpMethod.Post].RequestBody!.Content!["application/json"].Example!;
        Assert.Equal("weight", sampleExample["samples"]![0]!["metric"]!.GetValue<string>());
    }

    [Fact]
    public async Task Reference_IsServed_AndItsScriptsAreAllowedByTheContentSecurityPolicy()
    {
        using var client = api.Client(null);
        var response = await client.GetAsync("/api/docs", ApiHarness.Ct);
        if (response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.Redirect or HttpStatusCode.Found)
        {
            response = await client.GetAsync(new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!), ApiHarness.Ct);
        }

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync(ApiHarness.Ct);
        Assert.Contains("LifeOs API", html, StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        foreach (Match script in ScriptSrc().Matches(html))
        {
            var src = script.Groups[1].Value;
            Assert.False(src.StartsWith("http", StringComparison.Ordinal), $"the reference loads {src} from elsewhere");
            var uri = new Uri(new Uri(response.RequestMessage!.RequestUri!, "."), src);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(uri, ApiHarness.Ct)).StatusCode);
        }

        // Its inline start-up script is allowed on this page only; the policy still admits no other origin.
        Assert.Matches(InlineScript(), html);
        Assert.Contains("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("http", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        var settings = await client.GetAsync("/Account/Login", ApiHarness.Ct);
        Assert.Contains("script-src 'self' 'nonce-", settings.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    private static string Template(string path) => NumberSegment().Replace(path.Replace("/steps/", "/{code}/").Replace("/oura/", "/{provider}/"), "/{id}");

    [GeneratedRegex(@"/\d+$")]
    private static partial Regex NumberSegment();

    [GeneratedRegex("<script[^>]*\\ssrc=\"([^\"]+)\"")]
    private static partial Regex ScriptSrc();

    [GeneratedRegex("<script(?![^>]*\\ssrc=)[^>]*>")]
    private static partial Regex InlineScript();

}
