using System.Net;
using LifeOs.Tests.TestSupport;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// A client that reaches the app the way a browser behind a TLS proxy does: every request comes from
/// <paramref name="peer"/> (the proxy's address) over plain HTTP, carrying the headers the proxy adds. Cookies are
/// kept like a browser on the public https address keeps them, so Secure cookies are sent back; the Set-Cookie
/// headers of each response are left on it for the test to read.
/// </summary>
public sealed class ForwardedClient(string peer, IReadOnlyDictionary<string, string> forwarded) : DelegatingHandler
{
    private static readonly Uri CookieOrigin = new("https://life.example.org/");

    public static readonly IReadOnlyDictionary<string, string> Https = new Dictionary<string, string>
    {
        ["X-Forwarded-Proto"] = "https",
        ["X-Forwarded-Host"] = "life.example.org",
        ["X-Forwarded-For"] = "203.0.113.50",
    };

    private readonly CookieContainer cookies = new();

    public static TestClient Create(LifeOsAppFactory app, string peer, IReadOnlyDictionary<string, string> forwarded) =>
        new(app.CreateDefaultClient(new Uri("http://localhost/"), new ForwardedClient(peer, forwarded)));

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Add(PeerAddressStartupFilter.Header, peer);
        foreach (var (name, value) in forwarded)
        {
            request.Headers.Add(name, value);
        }

        var jar = cookies.GetCookieHeader(CookieOrigin);
        if (jar.Length > 0)
        {
            request.Headers.Add("Cookie", jar);
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var setCookie in setCookies)
            {
                cookies.SetCookies(CookieOrigin, setCookie);
            }
        }

        return response;
    }
}
