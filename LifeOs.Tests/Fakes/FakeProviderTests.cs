using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;

namespace LifeOs.Tests.Fakes;

/// <summary>The fakes themselves behave as the provider notes document, so tests against them mean something.</summary>
public sealed class FakeProviderTests
{
    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false });

    private static async Task<JsonElement> PostAsync(string url, Dictionary<string, string> form, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return JsonSerializer.Deserialize<JsonElement>(body) is var json && response.StatusCode == HttpStatusCode.OK
            ? json
            : JsonSerializer.Deserialize<JsonElement>($"{{\"http\":{(int)response.StatusCode},\"json\":{body}}}");
    }

    private static string Code(string callback) => QueryHelpers.ParseQuery(new Uri(callback).Query)["code"].ToString();

    private static string Authorize(FakeProviderServer fake, string path, string scope) =>
        $"{fake.BaseUrl}{path}?response_type=code&client_id={fake.ClientId}&redirect_uri={Uri.EscapeDataString("http://localhost/cb")}&scope={Uri.EscapeDataString(scope)}&state=s1";

    [Fact]
    public async Task Withings_ErrorsAreHttp200WithAStatus_CodesLive30Seconds_AndRotationKeepsTheOldRefreshTokenUntilTheNewAccessTokenIsUsed()
    {
        var time = ConnectionsHarness.NewClock();
        await using var withings = await FakeWithings.StartAsync(time);
        var token = withings.BaseUrl + "/v2/oauth2";
        Dictionary<string, string> Request(string grant, string key, string value) => new()
        {
            ["action"] = "requesttoken", ["grant_type"] = grant, ["client_id"] = withings.ClientId, ["client_secret"] = withings.ClientSecret,
            [key] = value, ["redirect_uri"] = "http://localhost/cb",
        };

        // A code is good for 30 seconds only.
        var late = Code(await withings.ConsentAsync(Authorize(withings, "/oauth2_user/authorize2", "user.metrics")));
        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(503, (await PostAsync(token, Request("authorization_code", "code", late))).GetProperty("status").GetInt32());

        var code = Code(await withings.ConsentAsync(Authorize(withings, "/oauth2_user/authorize2", "user.metrics")));
        var first = (await PostAsync(token, Request("authorization_code", "code", code))).GetProperty("body");
        Assert.Equal(38271645, first.GetProperty("userid").GetInt64());
        var refresh1 = first.GetProperty("refresh_token").GetString()!;

        time.Advance(TimeSpan.FromSeconds(11));
        var second = (await PostAsync(token, Request("refresh_token", "refresh_token", refresh1))).GetProperty("body");
        Assert.NotEqual(refresh1, second.GetProperty("refresh_token").GetString());

        // Grace: the old refresh token still works while the new access token is unused...
        time.Advance(TimeSpan.FromSeconds(11));
        var third = (await PostAsync(token, Request("refresh_token", "refresh_token", refresh1))).GetProperty("body");
        var access3 = third.GetProperty("access_token").GetString()!;

        // ...and an identical request within 10 s is throttled with 601.
        var throttled = await PostAsync(token, Request("refresh_token", "refresh_token", refresh1));
        time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(0, (await PostAsync(withings.BaseUrl + "/v2/user", new() { ["action"] = "getdevice" }, access3)).GetProperty("status").GetInt32());
        var afterUse = await PostAsync(token, Request("refresh_token", "refresh_token", refresh1));

        Assert.Equal(601, throttled.GetProperty("status").GetInt32());
        Assert.Equal(10, throttled.GetProperty("body").GetProperty("wait_seconds").GetInt32());
        Assert.Equal(503, afterUse.GetProperty("status").GetInt32());
        Assert.Equal(401, (await PostAsync(withings.BaseUrl + "/v2/user", new() { ["action"] = "getdevice" }, "made-up")).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Withings_OldRefreshToken_DiesEightHoursAfterRotation_EvenUnused()
    {
        var time = ConnectionsHarness.NewClock();
        await using var withings = await FakeWithings.StartAsync(time);
        var token = withings.BaseUrl + "/v2/oauth2";
        Dictionary<string, string> Refresh(string value) => new()
        {
            ["action"] = "requesttoken", ["grant_type"] = "refresh_token", ["client_id"] = withings.ClientId, ["client_secret"] = withings.ClientSecret, ["refresh_token"] = value,
        };
        var code = Code(await withings.ConsentAsync(Authorize(withings, "/oauth2_user/authorize2", "user.metrics")));
        var first = (await PostAsync(token, new() { ["action"] = "requesttoken", ["grant_type"] = "authorization_code", ["client_id"] = withings.ClientId, ["client_secret"] = withings.ClientSecret, ["code"] = code, ["redirect_uri"] = "http://localhost/cb" })).GetProperty("body");
        var old = first.GetProperty("refresh_token").GetString()!;
        Assert.Equal(0, (await PostAsync(token, Refresh(old))).GetProperty("status").GetInt32());

        time.Advance(TimeSpan.FromHours(8));
        Assert.Equal(503, (await PostAsync(token, Refresh(old))).GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Oura_RefreshTokensAreSingleUse_AndErrorsAreRfc6749()
    {
        var time = ConnectionsHarness.NewClock();
        await using var oura = await FakeOura.StartAsync(time);
        var token = oura.BaseUrl + "/oauth/token";
        var code = Code(await oura.ConsentAsync(Authorize(oura, "/oauth/authorize", "personal daily")));
        var first = await PostAsync(token, new() { ["grant_type"] = "authorization_code", ["client_id"] = oura.ClientId, ["client_secret"] = oura.ClientSecret, ["code"] = code, ["redirect_uri"] = "http://localhost/cb" });
        var refresh = first.GetProperty("refresh_token").GetString()!;
        Dictionary<string, string> Refresh() => new() { ["grant_type"] = "refresh_token", ["client_id"] = oura.ClientId, ["client_secret"] = oura.ClientSecret, ["refresh_token"] = refresh };

        Assert.True((await PostAsync(token, Refresh())).TryGetProperty("access_token", out _));
        var reused = await PostAsync(token, Refresh());
        Assert.Equal(400, reused.GetProperty("http").GetInt32());
        Assert.Equal("invalid_grant", reused.GetProperty("json").GetProperty("error").GetString());

        var codeReused = await PostAsync(token, new() { ["grant_type"] = "authorization_code", ["client_id"] = oura.ClientId, ["client_secret"] = oura.ClientSecret, ["code"] = code, ["redirect_uri"] = "http://localhost/cb" });
        Assert.Equal("invalid_grant", codeReused.GetProperty("json").GetProperty("error").GetString());
    }
}
