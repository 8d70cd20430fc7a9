using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LifeOs.Tests.TestSupport;

/// <summary>A sign-in cookie carried by hand from one app (or one instance) to another.</summary>
public static class AuthCookie
{
    /// <returns>The <c>Cookie</c> header value that keeps the newly registered person signed in.</returns>
    public static async Task<string> RegisterAsync(WebApplicationFactory<Program> app, string email)
    {
        using var client = new TestClient(app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));
        var registered = await client.RegisterAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        return string.Join("; ", registered.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => c.StartsWith("LifeOs.Auth", StringComparison.Ordinal)));
    }

    /// <returns>The status of <paramref name="url"/> for whoever the cookie signs in (200, or a redirect to sign in).</returns>
    public static async Task<HttpStatusCode> GetWithCookieAsync(WebApplicationFactory<Program> app, string cookie, string url = "/settings")
    {
        using var http = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return (await http.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode;
    }
}
