using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Core.Connections;

/// <summary>ConnectionTokenService against the fake providers: single flight, rotation, invalid_grant, reconnect.</summary>
public sealed class TokenRefreshTests : IAsyncLifetime
{
    private ConnectionsHarness harness = default!;

    public async ValueTask InitializeAsync() => harness = await ConnectionsHarness.StartAsync();

    public ValueTask DisposeAsync() => harness.DisposeAsync();

    private async Task<string> ConnectedUserAsync(string provider, string email = "ring@example.com")
    {
        using var client = await harness.SignedInAsync(email);
        Assert.Contains("is connected", await harness.ConnectAsync(client, provider), StringComparison.Ordinal);
        return await harness.App.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
    }

    private Task<Connection> ConnectionAsync(string userId) =>
        harness.App.WithDbAsync(db => db.Connections.AsNoTracking().SingleAsync(c => c.UserId == userId));

    private string Decrypt(string protectedValue) => harness.App.Services.GetRequiredService<TokenProtector>().Unprotect(protectedValue);

    /// <summary>Brings the access token to 4 minutes before expiry: inside the 5-minute margin.</summary>
    private void AlmostExpire(TimeSpan lifetime) => harness.Time.Advance(lifetime - TimeSpan.FromMinutes(4));

    /// <param name="postgres">Both instances on one PostgreSQL database (a cluster) instead of one SQLite file.</param>
    [Theory]
    [InlineData("oura", 1, false)]
    [InlineData("withings", 1, false)]
    [InlineData("oura", 2, false)]
    [InlineData("withings", 2, false)]
    [InlineData("oura", 2, true)]
    [InlineData("withings", 2, true)]
    public async Task TenConcurrentCallers_MakeExactlyOneTokenRequest_AndAllGetTheNewToken(string provider, int instances, bool postgres)
    {
        var database = postgres ? PostgresServer.AppSettings() : null;
        if (database is not null)
        {
            await harness.DisposeAsync();
            harness = await ConnectionsHarness.StartAsync(settings: database);
        }

        var kind = provider == "oura" ? ProviderKind.Oura : ProviderKind.Withings;
        var fake = harness.Fake(provider);
        var userId = await ConnectedUserAsync(provider);
        await using var second = instances == 2 ? harness.StartSecondInstance(database) : null;
        _ = second?.Services; // start the second instance (it finds the database already migrated)
        AlmostExpire(fake.AccessTokenLifetime);
        var requestsBefore = fake.TokenRequests;
        var gate = fake.HoldTokenRequests();

        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callers = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await harness.AccessTokenAsync(userId, kind, i % 2 == 1 ? second : null);
        })).ToList();
        start.SetResult();

        await gate.Arrived.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        gate.Release();
        var tokens = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(requestsBefore + 1, fake.TokenRequests);
        var newest = fake.Grants.Last();
        Assert.All(tokens, token => Assert.Equal(newest.AccessToken, token));
        var connection = await ConnectionAsync(userId);
        Assert.Equal(newest.RefreshToken, Decrypt(connection.ProtectedRefreshToken));
        Assert.Null(connection.RefreshLeaseUntil);
        Assert.Equal(harness.Time.GetUtcNow().UtcDateTime, connection.LastRefreshedAt);
    }

    [Fact]
    public async Task Oura_RotatedRefreshTokenIsPersisted_SoEveryLaterRefreshWorks()
    {
        var userId = await ConnectedUserAsync("oura");
        for (var round = 1; round <= 3; round++)
        {
            AlmostExpire(harness.Oura.AccessTokenLifetime);
            var token = await harness.AccessTokenAsync(userId, ProviderKind.Oura);
            Assert.Equal(harness.Oura.Grants.Last().AccessToken, token);
            Assert.Equal(round + 1, harness.Oura.Grants.Count);
        }

        // Code exchange plus three refreshes, each with the refresh token the one before returned (single use).
        Assert.Equal(4, harness.Oura.TokenRequests);
        Assert.All(harness.Oura.Grants.SkipLast(1), g => Assert.True(g.RefreshUsed));
        Assert.Equal(harness.Oura.Grants.Last().RefreshToken, Decrypt((await ConnectionAsync(userId)).ProtectedRefreshToken));
    }

    [Fact]
    public async Task FreshToken_IsReturnedWithoutAnyTokenRequest()
    {
        var userId = await ConnectedUserAsync("withings");
        harness.Time.Advance(TimeSpan.FromHours(2)); // 1 h left of 3
        Assert.Equal(harness.Withings.Grants.Single().AccessToken, await harness.AccessTokenAsync(userId, ProviderKind.Withings));
        Assert.Equal(1, harness.Withings.TokenRequests);
    }

    [Fact]
    public async Task After401_RefreshesOnce_AndASecondCallerWithTheSameRejectedTokenGetsTheNewOne()
    {
        var userId = await ConnectedUserAsync("oura");
        var rejected = harness.Oura.Grants.Single().AccessToken;

        var first = await harness.WithServiceAsync<string, ConnectionTokenService>(s => s.RefreshAfterUnauthorizedAsync(userId, ProviderKind.Oura, rejected));
        var second = await harness.WithServiceAsync<string, ConnectionTokenService>(s => s.RefreshAfterUnauthorizedAsync(userId, ProviderKind.Oura, rejected));

        Assert.NotEqual(rejected, first);
        Assert.Equal(first, second);
        Assert.Equal(2, harness.Oura.TokenRequests);
    }

    [Theory]
    [InlineData("oura")]
    [InlineData("withings")]
    public async Task InvalidGrant_MarksNeedsReconnect_AndReconnectingKeepsTheConnectionAndItsData(string provider)
    {
        var kind = provider == "oura" ? ProviderKind.Oura : ProviderKind.Withings;
        var fake = harness.Fake(provider);
        var userId = await ConnectedUserAsync(provider);
        var before = await ConnectionAsync(userId);
        await harness.WithServiceAsync<UpsertResult, HealthStore>(store => store.UpsertSamplesAsync(userId,
            [new SampleInput(MetricCatalogue.Steps, kind.SampleSource(), "day-1", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), 9412)]));

        // The user removed LifeOs in the provider's app: the refresh token is dead.
        foreach (var grant in fake.Grants)
        {
            grant.Revoked = true;
        }

        AlmostExpire(fake.AccessTokenLifetime);
        var error = await Assert.ThrowsAsync<ConnectionUnavailableException>(() => harness.AccessTokenAsync(userId, kind));
        Assert.True(error.NeedsReconnect);
        var broken = await ConnectionAsync(userId);
        Assert.Equal(ConnectionStatus.NeedsReconnect, broken.Status);
        Assert.Contains("Connect again", broken.StatusDetail, StringComparison.Ordinal);
        Assert.Null(broken.RefreshLeaseUntil);

        // No more token requests while it needs reconnecting.
        var requests = fake.TokenRequests;
        await Assert.ThrowsAsync<ConnectionUnavailableException>(() => harness.AccessTokenAsync(userId, kind));
        Assert.Equal(requests, fake.TokenRequests);

        using var client = harness.App.CreateTestClient();
        await client.LoginAsync("ring@example.com");
        var (_, page) = await client.GetPageAsync("/integrations");
        Assert.Equal("Needs reconnect", page.QuerySelector($"[data-testid=integration-{provider}-status]")!.TextContent.Trim());
        Assert.Contains("Connect again to resume syncing", page.QuerySelector($"[data-testid=integration-{provider}-detail]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains($"Reconnect {kind}", page.Source.Text, StringComparison.Ordinal);

        var message = await harness.ConnectAsync(client, provider);
        Assert.Equal($"{kind} is connected again. Everything synced before is still here.", message);
        var after = await ConnectionAsync(userId);
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.ConnectedAt, after.ConnectedAt);
        Assert.Equal(ConnectionStatus.Connected, after.Status);
        Assert.Null(after.StatusDetail);
        var reconnected = await harness.AccessTokenAsync(userId, kind);
        Assert.Equal(fake.Grants.Last().AccessToken, reconnected);
        Assert.Equal(1, await harness.App.WithDbAsync(db => db.SamplesOf(userId).CountAsync()));
        Assert.Equal(1, await harness.App.WithDbAsync(db => db.DailyValues.CountAsync(d => d.UserId == userId)));
    }

    [Fact]
    public async Task RefreshFailingWithA5xx_RecordsAnError_ReleasesTheLease_AndTheNextAttemptRecovers()
    {
        var userId = await ConnectedUserAsync("withings");
        AlmostExpire(harness.Withings.AccessTokenLifetime);
        harness.Withings.Failure = TokenFailure.ServerError;

        var error = await Assert.ThrowsAsync<ProviderAuthException>(() => harness.AccessTokenAsync(userId, ProviderKind.Withings));
        Assert.Equal(ProviderAuthFailure.Unavailable, error.Failure);
        var failed = await ConnectionAsync(userId);
        Assert.Equal(ConnectionStatus.Error, failed.Status);
        Assert.Contains("Withings is having trouble right now", failed.StatusDetail, StringComparison.Ordinal);
        Assert.Null(failed.RefreshLeaseUntil);
        using (var client = harness.App.CreateTestClient())
        {
            await client.LoginAsync("ring@example.com");
            var (_, page) = await client.GetPageAsync("/integrations");
            Assert.Equal("Error", page.QuerySelector("[data-testid=integration-withings-status]")!.TextContent.Trim());
            Assert.Contains("Withings is having trouble right now (HTTP 500)", page.QuerySelector("[data-testid=integration-withings-detail]")!.TextContent, StringComparison.Ordinal);
        }

        harness.Withings.Failure = TokenFailure.None;
        harness.Time.Advance(TimeSpan.FromSeconds(11)); // Withings throttles an identical request within 10 s
        var recovered = await harness.AccessTokenAsync(userId, ProviderKind.Withings);
        Assert.Equal(harness.Withings.Grants.Last().AccessToken, recovered);
        Assert.Equal(ConnectionStatus.Connected, (await ConnectionAsync(userId)).Status);
    }

    [Fact]
    public async Task AnotherUser_GetsNoTokenForMyConnection()
    {
        await ConnectedUserAsync("oura", "owner@example.com");
        using var other = await harness.SignedInAsync("other@example.com");
        var otherId = await harness.App.WithDbAsync(db => db.Users.Where(u => u.Email == "other@example.com").Select(u => u.Id).SingleAsync());

        var error = await Assert.ThrowsAsync<ConnectionUnavailableException>(() => harness.AccessTokenAsync(otherId, ProviderKind.Oura));
        Assert.False(error.NeedsReconnect);
    }
}
