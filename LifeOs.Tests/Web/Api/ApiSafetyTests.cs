using System.Net;
using System.Net.Http.Json;

namespace LifeOs.Tests.Web.Api;

/// <summary>The API's per-key rate limit, body size limit and CORS.</summary>
public sealed class ApiSafetyTests
{
    [Fact]
    public async Task EachKey_IsLimitedPerMinute_With429ProblemDetails_AndRetryAfter()
    {
        await using var api = new ApiHarness(new() { ["LifeOs:Api:RequestsPerMinute"] = "5" });
        var (me, _) = await api.PersonAsync("me@example.com");
        using var first = api.Client(await api.KeyAsync(me));
        using var second = api.Client(await api.KeyAsync(me, name: "second"));
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
        }

        var refused = await first.GetAsync("/api/v1/me", ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(429, (await ApiHarness.JsonAsync(refused)).GetProperty("status").GetInt32());

        // Another key has its own allowance.
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
    }

    [Fact]
    public async Task ABodyOverTheLimit_Is413_BeforeItIsRead()
    {
        await using var api = new ApiHarness(new() { ["LifeOs:Api:MaxRequestBodyBytes"] = "2048" });
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me));
        using var big = new StringContent("{\"samples\":[" + new string(' ', 4096) + "]}", System.Text.Encoding.UTF8, "application/json");
        var response = await client.PostAsync("/api/v1/samples", big, ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cors_IsOff_UnlessOriginsAreConfigured()
    {
        await using (var off = new ApiHarness())
        {
            using var client = off.Client(null);
            var preflight = Preflight("https://dashboard.example.org");
            var response = await client.SendAsync(preflight, ApiHarness.Ct);
            Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        }

        await using var on = new ApiHarness(new() { ["LifeOs:Api:CorsOrigins"] = "https://dashboard.example.org" });
        using var browser = on.Client(null);
        var allowed = await browser.SendAsync(Preflight("https://dashboard.example.org"), ApiHarness.Ct);
        Assert.Equal("https://dashboard.example.org", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var other = await browser.SendAsync(Preflight("https://evil.example.net"), ApiHarness.Ct);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/v1/summary/daily");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        return request;
    }
}
