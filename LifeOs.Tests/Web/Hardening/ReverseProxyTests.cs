using System.Net;
using LifeOs.Core;
using LifeOs.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// Behind the TLS proxy the README recommends: what the browser used (https, the public host, its own address)
/// is believed from the proxies named in LifeOs:TrustedProxies, and from nobody else.
/// </summary>
public sealed class ReverseProxyTests : IAsyncLifetime
{
    private const string Proxy = "10.0.0.2";
    private const string Stranger = "198.51.100.99";

    private readonly LifeOsAppFactory app = new(new()
    {
        ["LifeOs:TrustedProxies"] = "10.0.0.0/24, 192.0.2.10",
        ["Providers:Oura:ClientId"] = "oura-client",
        ["Providers:Oura:ClientSecret"] = "oura-secret",
        ["Providers:Oura:AuthorizeUrl"] = "https://cloud.example/oauth/authorize",
    });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static string? SetCookie(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(v => v.StartsWith(name + "=", StringComparison.Ordinal))
            : null;

    [Fact]
    public async Task FromATrustedProxy_OnHttps_CookiesAreSecure_HstsIsSent_AndRedirectsKeepThePublicAddress()
    {
        using var client = ForwardedClient.Create(app, Proxy, ForwardedClient.Https);

        var login = await client.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.StartsWith("max-age=", login.Headers.GetValues("Strict-Transport-Security").Single(), StringComparison.Ordinal);

        var registered = await client.RegisterAsync("proxied@example.com");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var auth = SetCookie(registered, "LifeOs.Auth");
        Assert.NotNull(auth);
        Assert.Contains("; secure", auth, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", auth, StringComparison.OrdinalIgnoreCase);

        // Signed in over the proxy: the secure cookie came back, and the page is the user's.
        var settings = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);

        await client.LogoutAsync();
        var redirect = await client.GetAsync("/journal");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var location = redirect.Headers.Location!;
        Assert.True(!location.IsAbsoluteUri || location.GetLeftPart(UriPartial.Authority) == "https://life.example.org", location.ToString());
    }

    [Fact]
    public async Task FromAnUntrustedAddress_TheForwardedHeadersAreIgnored()
    {
        using var client = ForwardedClient.Create(app, Stranger, ForwardedClient.Https);

        var redirect = await client.GetAsync("/journal");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.DoesNotContain("life.example.org", redirect.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.False(redirect.Headers.Contains("Strict-Transport-Security"));

        var registered = await client.RegisterAsync("direct@example.com");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var auth = SetCookie(registered, "LifeOs.Auth");
        Assert.NotNull(auth);
        Assert.DoesNotContain("; secure", auth, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task TheOAuthRedirectUri_IsThePublicAddress_FromATrustedProxy_AndNeverAStrangersHost()
    {
        using var proxied = ForwardedClient.Create(app, Proxy, ForwardedClient.Https);
        await proxied.RegisterAsync("oauth-proxied@example.com");
        var viaProxy = await ConnectionsHarness.StartConnectAsync(proxied, "oura");
        Assert.Equal("https://life.example.org/integrations/oura/callback", RedirectUriOf(viaProxy));

        var spoofed = new Dictionary<string, string> { ["X-Forwarded-Proto"] = "https", ["X-Forwarded-Host"] = "evil.example" };
        using var stranger = ForwardedClient.Create(app, Stranger, spoofed);
        await stranger.RegisterAsync("oauth-stranger@example.com");
        var direct = await ConnectionsHarness.StartConnectAsync(stranger, "oura");
        Assert.DoesNotContain("evil.example", RedirectUriOf(direct), StringComparison.Ordinal);
        Assert.StartsWith("http://localhost/", RedirectUriOf(direct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithAPublicBaseUrl_TheOAuthRedirectUriIgnoresTheHostHeader()
    {
        await using var configured = new LifeOsAppFactory(new()
        {
            ["LifeOs:PublicBaseUrl"] = "https://health.example.net",
            ["Providers:Oura:ClientId"] = "oura-client",
            ["Providers:Oura:ClientSecret"] = "oura-secret",
            ["Providers:Oura:AuthorizeUrl"] = "https://cloud.example/oauth/authorize",
        });
        using var client = configured.CreateTestClient();
        client.Http.DefaultRequestHeaders.Host = "evil.example";
        await client.RegisterAsync("public-base@example.com");

        var authorize = await ConnectionsHarness.StartConnectAsync(client, "oura");
        Assert.Equal("https://health.example.net/integrations/oura/callback", RedirectUriOf(authorize));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("proxy.local")]
    public void ABadTrustedProxiesValue_StopsStartUp_NamingTheKey(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LifeOs:TrustedProxies"] = $"127.0.0.1, {value}" })
            .Build();
        var failure = Assert.Throws<LifeOs.Core.Data.StartupException>(() => { new ServiceCollection().AddLifeOsCore(configuration, Path.GetTempPath()); });
        Assert.Equal($"LifeOs:TrustedProxies (env LifeOs__TrustedProxies) has '{value}', which is not an IP address or a network such as '172.16.0.0/12'.", failure.Message);
    }

    private static string RedirectUriOf(string authorizeUrl) =>
        Uri.UnescapeDataString(new Uri(authorizeUrl).Query.TrimStart('?').Split('&')
            .Single(p => p.StartsWith("redirect_uri=", StringComparison.Ordinal))["redirect_uri=".Length..]);
}
