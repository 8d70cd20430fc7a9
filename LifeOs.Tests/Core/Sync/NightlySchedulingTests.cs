using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Core.Sync;

/// <summary>Nightly runs at Sync:NightlyHour in each user's zone, with an injected clock; catch-up after a restart.</summary>
public sealed class NightlySchedulingTests
{
    [Fact]
    public void LastDue_IsTheNightlyHourInTheUsersZone_AcrossDstChanges()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
        // 09:30Z on 25 Nov: 10:30 in Berlin (CET, +1) → due 04:00 today = 03:00Z; 22:30 in Auckland (NZDT, +13) → 04:00 today = 15:00Z yesterday.
        var now = new DateTime(2026, 11, 25, 9, 30, 0, DateTimeKind.Utc);
        Assert.Equal(new DateTime(2026, 11, 25, 3, 0, 0, DateTimeKind.Utc), NightlyPlanner.LastDue(now, berlin, 4));
        Assert.Equal(new DateTime(2026, 11, 24, 15, 0, 0, DateTimeKind.Utc), NightlyPlanner.LastDue(now, auckland, 4));
        // Summer time in Berlin (+2): 04:00 is 02:00Z.
        Assert.Equal(new DateTime(2026, 7, 1, 2, 0, 0, DateTimeKind.Utc), NightlyPlanner.LastDue(new DateTime(2026, 7, 1, 12, 0, 0, DateTimeKind.Utc), berlin, 4));
        // 02:00 does not exist in Berlin on 28 Mar 2027 (clocks jump to 03:00 CEST): the run happens at 03:00 CEST = 01:00Z.
        Assert.Equal(new DateTime(2027, 3, 28, 1, 0, 0, DateTimeKind.Utc), NightlyPlanner.LastDue(new DateTime(2027, 3, 28, 12, 0, 0, DateTimeKind.Utc), berlin, 2));
    }

    [Fact]
    public async Task Planner_QueuesEachUserAtFourInTheirOwnZone_OnceANight_AndCatchesUpMissedRunsAfterARestart()
    {
        await using var h = await SyncHarness.StartAsync();
        // The backfills queued by connecting have run.
        Assert.All(await h.RunQueuedAsync(), r => Assert.Equal(SyncRunStatus.Succeeded, r.Status));

        async Task<List<(string UserId, SyncTrigger Trigger)>> PlanAsync(LifeOsAppFactory? app = null)
        {
            await using var scope = (app ?? h.App).Services.CreateAsyncScope();
            var planned = await scope.ServiceProvider.GetRequiredService<NightlyPlanner>().QueueDueAsync(TestContext.Current.CancellationToken);
            var db = scope.ServiceProvider.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>();
            var owners = await db.Connections.ToDictionaryAsync(c => c.Id, c => c.UserId, TestContext.Current.CancellationToken);
            return planned.Select(p => (owners[p.ConnectionId], p.Trigger)).OrderBy(p => p.Item1).ToList();
        }

        // 09:30Z: both connected after their last 04:00, so nothing is due.
        Assert.Empty(await PlanAsync());

        // 15:00Z is 04:00 on the 26th in Auckland: Bo's two connections, nobody else.
        h.App.Time.SetUtcNow(new DateTimeOffset(2026, 11, 25, 15, 0, 0, TimeSpan.Zero));
        Assert.Equal([(h.BoId, SyncTrigger.Nightly), (h.BoId, SyncTrigger.Nightly)], await PlanAsync());
        Assert.Empty(await PlanAsync());
        Assert.All(await h.RunQueuedAsync(), r => Assert.Equal(SyncRunStatus.Succeeded, r.Status));
        h.App.Time.SetUtcNow(new DateTimeOffset(2026, 11, 25, 20, 0, 0, TimeSpan.Zero));
        Assert.Empty(await PlanAsync());

        // 03:00Z on the 26th is 04:00 in Berlin: Ada's turn.
        h.App.Time.SetUtcNow(new DateTimeOffset(2026, 11, 26, 3, 0, 0, TimeSpan.Zero));
        Assert.Equal([(h.AdaId, SyncTrigger.Nightly), (h.AdaId, SyncTrigger.Nightly)], await PlanAsync());
        // The app stops with Ada's runs still queued and stays down until 09:00Z on the 27th: both users' nights pass.
        h.App.Time.SetUtcNow(new DateTimeOffset(2026, 11, 27, 9, 0, 0, TimeSpan.Zero));
        await using var restarted = h.Inner.StartSecondInstance(new() { ["Sync:BackfillDays"] = "40" });
        _ = restarted.Services; // start-up: the runs the old process left queued are marked stopped

        var interrupted = await restarted.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.Error == SyncService.InterruptedMessage));
        Assert.Equal(2, interrupted);
        var caughtUp = await PlanAsync(restarted);
        Assert.Equal(4, caughtUp.Count);
        Assert.All(caughtUp, p => Assert.Equal(SyncTrigger.Nightly, p.Trigger));
        Assert.Equal(2, caughtUp.Count(p => p.UserId == h.AdaId));
    }

    [Fact]
    public async Task Planner_PrunesHistoryOlderThan90Days_AndSkipsConnectionsThatNeedReconnecting()
    {
        await using var h = await SyncHarness.StartAsync(connectBo: false);
        await h.RunQueuedAsync();
        await h.App.WithDbAsync(db => db.Set<SyncRun>().ExecuteUpdateAsync(s => s.SetProperty(r => r.QueuedAt, r => r.QueuedAt.AddDays(-91))));
        await h.App.WithDbAsync(db => db.Connections.Where(c => c.Provider == ProviderKind.Withings).ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, ConnectionStatus.NeedsReconnect)));

        var planned = await h.WithAsync<IReadOnlyList<NightlyPlanner.Planned>, NightlyPlanner>(p => p.QueueDueAsync());

        // The old runs are gone, so Oura counts as never synced (a backfill from its cursors); Withings waits for the user.
        var oura = await h.App.WithDbAsync(db => db.Connections.SingleAsync(c => c.Provider == ProviderKind.Oura));
        Assert.Equal([new NightlyPlanner.Planned(oura.Id, SyncTrigger.Backfill)], planned);
        Assert.Equal(1, await h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync()));
    }
}
