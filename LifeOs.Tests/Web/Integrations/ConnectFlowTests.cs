using System.Net;
using LifeOs.Core.Connections;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web.Integrations;

/// <summary>The OAuth connect flow through HTTP against the fake providers.</summary>
public sealed class ConnectFlowTests : IAsyncLifetime
{
    private ConnectionsHarness harness = default!;

    public async ValueTask InitializeAsync() => harness = await ConnectionsHarness.StartAsync(usePkce: true);

    public ValueTask DisposeAsync() => harness.DisposeAsync();

    private Task<int> ConnectionCountAsync() => harness.App.WithDbAsync(db => db.Connections.CountAsync());

    [Fact]
    public async Task Connect_Oura_FullFlow_StoresEncryptedTokens_AndShowsConnected()
    {
        using var client = await harness.SignedInAsync("ada@example.com");

        var authorize = await ConnectionsHarness.StartConnectAsync(client, "oura");
        Assert.StartsWith(harness.Oura.BaseUrl + "/oauth/authorize?", authorize, StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(new Uri(authorize).Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(harness.Oura.ClientId, query["client_id"]);
        Assert.Equal("http://localhost/integrations/oura/callback", query["redirect_uri"]);
        Assert.Equal("personal daily heartrate workout session spo2", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.True(query["state"].ToString().Length >= 22, "state carries at least 128 bits");

        var callback = await harness.Oura.ConsentAsync(authorize);
        var message = await ConnectionsHarness.CallbackAsync(client, callback);
        Assert.Equal("Oura is connected. Your data will appear after the first sync.", message);

        var connection = await harness.App.WithDbAsync(db => db.Connections.SingleAsync());
        var grant = Assert.Single(harness.Oura.Grants);
        Assert.Equal(ProviderKind.Oura, connection.Provider);
        Assert.Equal(ConnectionStatus.Connected, connection.Status);
        Assert.Equal("8f3c2a71-4b9e-4d2a-9c51-0e6b7d1a2f34", connection.ProviderUserId);
        Assert.Equal("personal daily heartrate workout session spo2", connection.GrantedScopes);
        Assert.DoesNotContain(grant.AccessToken, connection.ProtectedAccessToken, StringComparison.Ordinal);
        Assert.DoesNotContain(grant.RefreshToken, connection.ProtectedRefreshToken, StringComparison.Ordinal);
        Assert.Equal(harness.Time.GetUtcNow().UtcDateTime.AddHours(24), connection.AccessTokenExpiresAt);
        Assert.Equal(grant.AccessToken, await harness.AccessTokenAsync(connection.UserId, ProviderKind.Oura));

        var (_, page) = await client.GetPageAsync("/integrations");
        Assert.Equal("Connected", page.QuerySelector("[data-testid=integration-oura-status]")!.TextContent.Trim());
        Assert.Equal("8f3c2a71-4b9e-4d2a-9c51-0e6b7d1a2f34", page.QuerySelector("[data-testid=integration-oura-account]")!.TextContent.Trim());
        Assert.Contains("Heart rate", page.QuerySelector("[data-testid=integration-oura-scopes]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Not connected", page.QuerySelector("[data-testid=integration-withings-status]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Connect_Withings_FullFlow_UsesTheEnvelope_AndStoresTheUserIdFromTheTokenAnswer()
    {
        harness.Withings.GrantedScopesOverride = "user.metrics";
        using var client = await harness.SignedInAsync("bo@example.com");

        var authorize = await ConnectionsHarness.StartConnectAsync(client, "withings");
        var query = QueryHelpers.ParseQuery(new Uri(authorize).Query);
        Assert.StartsWith(harness.Withings.BaseUrl + "/oauth2_user/authorize2?", authorize, StringComparison.Ordinal);
        Assert.Equal("user.metrics,user.activity", query["scope"]);
        Assert.Equal("http://localhost/integrations/withings/callback", query["redirect_uri"]);

        var message = await ConnectionsHarness.CallbackAsync(client, await harness.Withings.ConsentAsync(authorize));
        Assert.Equal("Withings is connected. Your data will appear after the first sync.", message);

        var connection = await harness.App.WithDbAsync(db => db.Connections.SingleAsync());
        Assert.Equal(ProviderKind.Withings, connection.Provider);
        Assert.Equal("38271645", connection.ProviderUserId);
        Assert.Equal("user.metrics", connection.GrantedScopes);
        Assert.Equal(harness.Time.GetUtcNow().UtcDateTime.AddHours(3), connection.AccessTokenExpiresAt);
        Assert.Equal(Assert.Single(harness.Withings.Grants).AccessToken, await harness.AccessTokenAsync(connection.UserId, ProviderKind.Withings));
    }

    public static TheoryData<string, string> BadStates => new()
    {
        { "missing", "missing its security check" },
        { "forged", "did not match a connection you started" },
        { "expired", "took longer than 10 minutes and expired" },
        { "reused", "was already used" },
        { "other-user", "did not match a connection you started" },
        { "other-provider", "did not come from the provider this connection was started for" },
    };

    [Theory]
    [MemberData(nameof(BadStates))]
    public async Task Callback_WithABadState_IsRejectedWithAMessage_AndStoresNoTokens(string kind, string expected)
    {
        using var client = await harness.SignedInAsync("cy@example.com");
        var authorize = await ConnectionsHarness.StartConnectAsync(client, "oura");
        var callback = await harness.Oura.ConsentAsync(authorize);
        var state = QueryHelpers.ParseQuery(new Uri(callback).Query)["state"].ToString();
        var code = QueryHelpers.ParseQuery(new Uri(callback).Query)["code"].ToString();
        var tokenRequestsBefore = harness.Oura.TokenRequests;

        var victim = client;
        string url;
        switch (kind)
        {
            case "missing":
                url = $"/integrations/oura/callback?code={code}";
                break;
            case "forged":
                url = $"/integrations/oura/callback?code={code}&state=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
                break;
            case "expired":
                harness.Time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
                url = callback;
                break;
            case "reused":
                Assert.StartsWith("Oura is connected", await ConnectionsHarness.CallbackAsync(client, callback), StringComparison.Ordinal);
                await harness.App.WithDbAsync(db => db.Connections.ExecuteDeleteAsync());
                tokenRequestsBefore = harness.Oura.TokenRequests;
                url = callback;
                break;
            case "other-user":
                // Someone else's browser arrives with my state and code (a login CSRF / a leaked link).
                victim = await harness.SignedInAsync("mallory@example.com");
                url = callback;
                break;
            default:
                url = callback.Replace("/integrations/oura/callback", "/integrations/withings/callback", StringComparison.Ordinal);
                break;
        }

        var message = await ConnectionsHarness.CallbackAsync(victim, url);
        Assert.StartsWith("Error: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Equal(0, await ConnectionCountAsync());
        Assert.Equal(tokenRequestsBefore, harness.Oura.TokenRequests);
        if (!ReferenceEquals(victim, client))
        {
            victim.Dispose();
        }
    }

    [Theory]
    [InlineData("oura")]
    [InlineData("withings")]
    public async Task Callback_AccessDenied_SaysSoKindly_AndStoresNothing(string provider)
    {
        using var client = await harness.SignedInAsync("dee@example.com");
        var message = await harness.ConnectAsync(client, provider, approve: false);
        Assert.Contains("You chose not to give LifeOs access", message, StringComparison.Ordinal);
        Assert.Equal(0, await ConnectionCountAsync());
        Assert.Equal(0, harness.Fake(provider).TokenRequests);
    }

    [Theory]
    [InlineData("oura", TokenFailure.ServerError, "Oura is having trouble right now (HTTP 500)")]
    [InlineData("oura", TokenFailure.Garbage, "Oura sent an answer LifeOs could not read")]
    [InlineData("oura", TokenFailure.ErrorEnvelope, "Oura did not accept this server's app credentials")]
    [InlineData("withings", TokenFailure.ServerError, "Withings is having trouble right now (HTTP 500)")]
    [InlineData("withings", TokenFailure.Garbage, "Withings sent an answer LifeOs could not read")]
    [InlineData("withings", TokenFailure.ErrorEnvelope, "Withings refused the request (status 293)")]
    public async Task Callback_WhenTheTokenEndpointFails_ShowsAClearMessage_AndStoresNothing(string provider, TokenFailure failure, string expected)
    {
        using var client = await harness.SignedInAsync("eve@example.com");
        harness.Fake(provider).Failure = failure;

        var message = await harness.ConnectAsync(client, provider);
        Assert.StartsWith("Error: ", message, StringComparison.Ordinal);
        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.Equal(0, await ConnectionCountAsync());
        var (_, page) = await client.GetPageAsync("/integrations");
        Assert.Equal("Not connected", page.QuerySelector($"[data-testid=integration-{provider}-status]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Callback_Withings_AfterItsThirtySecondCodeExpired_SaysToStartAgain()
    {
        using var client = await harness.SignedInAsync("slow@example.com");
        var callback = await harness.Withings.ConsentAsync(await ConnectionsHarness.StartConnectAsync(client, "withings"));
        harness.Time.Advance(TimeSpan.FromSeconds(31));

        var message = await ConnectionsHarness.CallbackAsync(client, callback);
        Assert.Contains("Withings did not accept the sign-in (it expired or was already used)", message, StringComparison.Ordinal);
        Assert.Equal(0, await ConnectionCountAsync());
    }

    [Fact]
    public async Task Connect_Oura_WithoutThePersonalPermission_SaysWhichOneIsNeeded_AndStoresNothing()
    {
        harness.Oura.GrantedScopesOverride = "daily heartrate";
        using var client = await harness.SignedInAsync("private@example.com");

        var message = await harness.ConnectAsync(client, "oura");
        Assert.Contains("keep the \"personal\" permission ticked", message, StringComparison.Ordinal);
        Assert.Equal(0, await ConnectionCountAsync());
    }

    [Fact]
    public async Task Connect_Oura_RecordsTheScopesTheUserGranted_FromTheRedirectWhenTheTokenAnswerHasNone()
    {
        harness.Oura.OmitScopeInTokenAnswer = true;
        harness.Oura.GrantedScopesOverride = "personal heartrate";
        using var client = await harness.SignedInAsync("partial@example.com");

        Assert.StartsWith("Oura is connected", await harness.ConnectAsync(client, "oura"), StringComparison.Ordinal);
        Assert.Equal("personal heartrate", (await harness.App.WithDbAsync(db => db.Connections.SingleAsync())).GrantedScopes);
    }

    [Fact]
    public async Task Connect_AProviderAccountLinkedToAnotherUser_IsRefused()
    {
        using (var first = await harness.SignedInAsync("first@example.com"))
        {
            Assert.StartsWith("Withings is connected", await harness.ConnectAsync(first, "withings"), StringComparison.Ordinal);
        }

        using var second = await harness.SignedInAsync("second@example.com");
        var message = await harness.ConnectAsync(second, "withings");
        Assert.Contains("This Withings account is already connected to another LifeOs account", message, StringComparison.Ordinal);
        var owners = await harness.App.WithDbAsync(db => db.Connections.Join(db.Users, c => c.UserId, u => u.Id, (c, u) => u.Email).ToListAsync());
        Assert.Equal(["first@example.com"], owners);
    }

    [Fact]
    public async Task Connect_WithoutAntiforgeryToken_Is400_AndAnonymousIsSentToLogin()
    {
        using var client = await harness.SignedInAsync("form@example.com");
        using var empty = new FormUrlEncodedContent([]);
        var response = await client.Http.PostAsync("/integrations/oura/connect", empty, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);

        using var anonymous = harness.App.CreateTestClient();
        var callback = await anonymous.GetAsync("/integrations/oura/callback?code=x&state=y");
        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Contains("/Account/Login", callback.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/integrations/fitbit/callback?code=x&state=y")).StatusCode);
    }
}
