using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace LifeOs.Tests.Core.Sync;

/// <summary>The one test with the scheduler on: queued runs really execute as Quartz jobs.</summary>
public sealed class QuartzSyncTests
{
    [Fact]
    public async Task WithTheSchedulerOn_ConnectingBackfills_AndSyncNowRunsAsAQuartzJob()
    {
        await using var h = await SyncHarness.StartAsync(new() { ["Sync:RunScheduler"] = "true", ["Sync:MaxConcurrency"] = "2" }, connectBo: false);

        await WaitAsync(h, () => h.App.WithDbAsync(db => db.Set<SyncRun>().AllAsync(r => r.Status == SyncRunStatus.Succeeded)));
        Assert.Equal(9412, await h.DailyAsync(h.AdaId, SampleSource.Oura, MetricCatalogue.Steps, new DateOnly(2026, 11, 24)));

        var queued = await h.WithAsync<EnqueueResult, SyncQueue>(q => q.EnqueueAsync(h.AdaId, ProviderKind.Withings, SyncTrigger.Manual));
        Assert.Equal(EnqueueOutcome.Queued, queued.Outcome);
        await WaitAsync(h, () => h.App.WithDbAsync(db => db.Set<SyncRun>().AnyAsync(r => r.Id == queued.RunId && r.Status == SyncRunStatus.Succeeded)));
    }

    /// <summary>
    /// A queued run's trigger never misfires: with a queue longer than Quartz's misfire threshold (a night of 1,000
    /// Withings users), a misfired trigger was left out of acquisition until the misfire handler came round, and the
    /// instances stalled with runs waiting. The scheduler is put in standby so the trigger stays to be read.
    /// </summary>
    [Fact]
    public async Task AQueuedRunsTrigger_IgnoresMisfires_AndCarriesItsRunId()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await SyncHarness.StartAsync(new() { ["Sync:RunScheduler"] = "true" }, connectBo: false);
        // Connecting queued backfills: let them finish, then stop firing.
        await WaitAsync(h, () => h.App.WithDbAsync(db => db.Set<SyncRun>().AllAsync(r => r.FinishedAt != null)));
        var scheduler = await h.App.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        await scheduler.Standby(ct);

        var queued = await h.WithAsync<EnqueueResult, SyncQueue>(q => q.EnqueueAsync(h.AdaId, ProviderKind.Withings, SyncTrigger.Manual));

        var triggers = await scheduler.GetTriggersOfJob(SyncConnectionJob.Key, ct);
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(Assert.Single(triggers, t => t.JobDataMap.GetLong(SyncConnectionJob.RunIdKey) == queued.RunId));
        Assert.Equal(SimpleTriggerMisfireInstruction.IgnoreMisfires, trigger.MisfireInstruction);
        Assert.Equal(0, trigger.RepeatCount);
    }

    /// <summary>Polls the database for up to a minute (Quartz runs on real time; the app's clock stays the harness's).</summary>
    private static async Task WaitAsync(SyncHarness h, Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                var runs = await h.App.WithDbAsync(db => db.Set<SyncRun>().Select(r => $"{r.Id} {r.Trigger} {r.Status} {r.Error}").ToListAsync());
                Assert.Fail("Timed out waiting for sync runs: " + string.Join("; ", runs) + "\nLog: " + string.Join("\n", h.App.Logs.Where(l => l.Contains("Quartz", StringComparison.OrdinalIgnoreCase) || l.Contains("Sync", StringComparison.Ordinal)).Take(40)));
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
