using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Sync;

/// <summary>
/// Withings' application-wide limit shared through the database: instances on one database together never exceed it
/// in any minute, a caller waits for the next permit on the app's clock, and a sync takes its permits there.
/// </summary>
public sealed class SharedRateLimitTests
{
    private const int WithingsPerMinute = 120;

    private static readonly Dictionary<string, string?> SharedOn = new() { ["Sync:SharedWithingsLimit"] = "true" };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoHostsOnOneDatabase_TakingPermitsConcurrently_NeverExceedTheLimitInAnyMinute(bool postgres)
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = TempDirectory.Create("lifeos-shared-limit");
        try
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero));
            var start = time.GetUtcNow();
            // On PostgreSQL (a database several instances share) the shared limit is on without being asked for.
            var settings = postgres ? PostgresServer.AppSettings() : SharedOn;
            await using var one = new LifeOsAppFactory(settings, dataDirectory, time);
            await using var other = new LifeOsAppFactory(settings, dataDirectory, time);
            SharedRateLimit[] hosts = [one.Services.GetRequiredService<SharedRateLimit>(), other.Services.GetRequiredService<SharedRateLimit>()];
            foreach (var host in hosts)
            {
                Assert.True(await host.IsEnabledAsync());
            }

            // Two minutes, half a second at a time: each host asks twice at once, four callers for about one permit.
            var granted = new List<(TimeSpan At, int Host)>();
            for (var tick = 0; tick < 240; tick++)
            {
                var asks = Enumerable.Range(0, 4).Select(i => (Host: i % 2, Wait: hosts[i % 2].TryTakeAsync(SharedRateLimit.WithingsKey, WithingsPerMinute, ct))).ToList();
                await Task.WhenAll(asks.Select(a => a.Wait));
                granted.AddRange(asks.Where(a => a.Wait.Result is null).Select(a => (time.GetUtcNow() - start, a.Host)));
                time.Advance(TimeSpan.FromMilliseconds(500));
            }

            var busiestMinute = granted.Max(g => granted.Count(other => other.At >= g.At && other.At <= g.At + TimeSpan.FromMinutes(1)));
            Assert.True(busiestMinute <= WithingsPerMinute, $"{busiestMinute} permits within one minute");
            // The allowance is used, not wasted: a full bucket of 2, then 118 a minute for the 119.5 seconds that follow.
            Assert.InRange(granted.Count, 2 + 233, 2 + 235);
            Assert.All(new[] { 0, 1 }, host => Assert.Contains(granted, g => g.Host == host));
        }
        finally
        {
            TempDirectory.Delete(dataDirectory);
        }
    }

    [Fact]
    public async Task AnEmptyBucket_WaitsForTheNextPermit_OnTheInjectedClock()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = new LifeOsAppFactory();
        // Unset on SQLite: one process owns the database, and its own limiter suffices.
        Assert.False(await app.Services.GetRequiredService<SharedRateLimit>().IsEnabledAsync());

        var time = new TimerWatchingTimeProvider(app.Time.GetUtcNow());
        var limit = new SharedRateLimit(app.Services.GetRequiredService<IServiceScopeFactory>(), time, Options.Create(new SyncOptions { SharedWithingsLimit = true }));
        Assert.True(await limit.IsEnabledAsync());
        Assert.Null(await limit.TryTakeAsync(SharedRateLimit.WithingsKey, WithingsPerMinute, ct));
        Assert.Null(await limit.TryTakeAsync(SharedRateLimit.WithingsKey, WithingsPerMinute, ct));
        // The burst of 2 is gone; 118 a minute refill one permit in 60,000 / 118 = 508.5 ms.
        Assert.Equal(TimeSpan.FromMilliseconds(509), await limit.TryTakeAsync(SharedRateLimit.WithingsKey, WithingsPerMinute, ct));

        var waiting = limit.AcquireAsync(SharedRateLimit.WithingsKey, WithingsPerMinute, ct);
        await time.TimerCreated.WaitAsync(TimeSpan.FromSeconds(30), ct);
        time.Advance(TimeSpan.FromMilliseconds(508));
        Assert.False(waiting.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await waiting.WaitAsync(TimeSpan.FromSeconds(30), ct);

        var bucket = await app.WithDbAsync(db => db.SharedRateBuckets.AsNoTracking().SingleAsync());
        Assert.Equal(time.GetUtcNow().ToUnixTimeMilliseconds(), bucket.RefilledAtUnixMs);
        Assert.InRange(bucket.Tokens, 0, 0.01);
    }

    [Fact]
    public async Task WithTheSharedLimitOn_AWithingsSync_TakesAPermitPerRequestFromTheDatabase_AndOuraNone()
    {
        // 6,000 a minute: a bucket of 100, more than the sync needs, so the frozen clock never has to move.
        await using var h = await SyncHarness.StartAsync(new(SharedOn) { ["Sync:WithingsRequestsPerMinute"] = "6000" }, connectBo: false);

        var oura = await h.SyncAsync(h.AdaId, ProviderKind.Oura);
        Assert.Equal(SyncRunStatus.Succeeded, oura.Status);
        Assert.Empty(await h.App.WithDbAsync(db => db.SharedRateBuckets.ToListAsync()));

        var withings = await h.SyncAsync(h.AdaId, ProviderKind.Withings);
        Assert.Equal(SyncRunStatus.Succeeded, withings.Status);
        Assert.True(withings.Requests > 2, $"{withings.Requests} requests");
        Assert.True(await h.SampleCountAsync(h.AdaId) > 0);
        var bucket = await h.App.WithDbAsync(db => db.SharedRateBuckets.AsNoTracking().SingleAsync(b => b.Key == SharedRateLimit.WithingsKey));
        Assert.Equal(100 - withings.Requests, bucket.Tokens, 6);
    }

    /// <summary>A fake clock that says when someone starts waiting on it.</summary>
    private sealed class TimerWatchingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
    {
        private readonly TaskCompletionSource created = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task TimerCreated => created.Task;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            created.TrySetResult();
            return timer;
        }
    }
}
