using System.Net;
using System.Text.RegularExpressions;
using LifeOs.Tests.TestSupport;

namespace LifeOs.Tests.Web.Hardening;

public sealed partial class SecurityHeadersTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    /// <summary>Pages, account pages, a redirect, a static file, a download, the health check, an unknown address and an error.</summary>
    public static TheoryData<string> Routes() =>
    [
        "/", "/journal", "/metrics", "/metrics/weight", "/metrics/workouts", "/goals", "/integrations", "/settings", "/admin",
        "/Account/Login", "/Account/Register", "/Account/Manage", "/Account/Manage/TwoFactorAuthentication",
        "/app.css", "/favicon.svg", "/_framework/blazor.web.js", "/metrics/import/example-long.csv",
        "/healthz", "/no-such-page", "/integrations/nobody/callback",
    ];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task EveryResponse_CarriesTheSecurityHeaders(string route)
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync($"headers-{Guid.NewGuid():N}@example.com");

        var response = await client.GetAsync(route);

        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("object-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.DoesNotMatch("script-src[^;]*'unsafe-inline'", csp);
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
        Assert.Equal("strict-origin-when-cross-origin", Header(response, "Referrer-Policy"));
        Assert.Contains("camera=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.Contains("geolocation=()", Header(response, "Permissions-Policy"), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Server"));
    }

    [Fact]
    public async Task TheOneInlineScript_IsAllowedByThisResponsesNonce_AndNoOther()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("nonce@example.com");

        var nonces = new List<string>();
        foreach (var route in new[] { "/settings", "/settings", "/Account/Login" })
        {
            var response = await client.GetAsync(route);
            var html = await TestClient.BodyAsync(response);
            var nonce = NonceSource().Match(Header(response, "Content-Security-Policy"));
            Assert.True(nonce.Success, Header(response, "Content-Security-Policy"));

            // Every inline script on the page (the framework's import map) carries the header's nonce.
            var inline = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).QuerySelectorAll("script:not([src])");
            Assert.NotEmpty(inline);
            Assert.All(inline, script => Assert.Equal(nonce.Groups[1].Value, script.GetAttribute("nonce")));
            nonces.Add(nonce.Groups[1].Value);
        }

        Assert.Equal(nonces.Count, nonces.Distinct().Count());
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(", ", contentValues)
        : throw new Xunit.Sdk.XunitException($"{(int)response.StatusCode} {response.RequestMessage?.RequestUri} has no {name} header");

    [GeneratedRegex("'nonce-([^']+)'")]
    private static partial Regex NonceSource();

    [Fact]
    public async Task AStatusPage_ForARefusedRequest_StillCarriesThem()
    {
        using var client = app.CreateTestClient();
        var response = await client.Http.PostAsync("/Account/Logout", new FormUrlEncodedContent([]), TestContext.Current.CancellationToken);
        Assert.True(response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Redirect, response.StatusCode.ToString());
        Assert.Contains("default-src 'self'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
    }
}
