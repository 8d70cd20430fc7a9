using System.Net;
using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using LifeOs.Core.Webhooks;
using LifeOs.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifeOs.Tests.Web.Webhooks;

/// <summary>The request records; <see cref="WebhookDispatcher"/> gives runs afterwards, batched per connection.</summary>
public sealed class WebhookDispatcherTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 8, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ABurstRecordedBeforeAPass_BecomesOneRunPerConnection_EachWithOnlyItsOwnNotifications()
    {
        await using var h = await WebhookHarness.StartAsync();
        foreach (var (appli, hours) in new[] { (1, 1), (1, 5), (16, 2), (44, 9) })
        {
            Assert.Equal([HttpStatusCode.OK], await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, appli, At.AddHours(-hours), At));
        }

        await h.Sync.Withings.NotifyAsync(SyncHarness.BoWithings, 1, At.AddHours(-1), At);
        Assert.All(await h.NotificationsAsync(), n => Assert.Equal(NotificationStatus.Received, n.Status));

        Assert.Equal(2, await h.DispatchAsync());

        var runs = await h.RunsAsync(SyncTrigger.Webhook);
        Assert.Equal(2, runs.Count);
        var ada = await h.ConnectionIdAsync(h.Sync.AdaId, ProviderKind.Withings);
        var bo = await h.ConnectionIdAsync(h.Sync.BoId, ProviderKind.Withings);
        var notifications = await h.NotificationsAsync();
        Assert.All(notifications, n => Assert.Equal(NotificationStatus.Queued, n.Status));
        Assert.All(notifications, n => Assert.Equal(runs.Single(r => r.ConnectionId == n.ConnectionId).Id, n.SyncRunId));
        Assert.Equal(4, notifications.Count(n => n.ConnectionId == ada));
        Assert.Equal(1, notifications.Count(n => n.ConnectionId == bo));
        Assert.Equal(h.Sync.BoId, runs.Single(r => r.ConnectionId == bo).UserId);

        // A second pass has nothing to do.
        Assert.Equal(0, await h.DispatchAsync());
        Assert.Equal(2, (await h.RunsAsync(SyncTrigger.Webhook)).Count);
    }

    [Fact]
    public async Task TheLoop_DispatchesWhatTheEndpointRecorded_WithoutBeingAsked()
    {
        await using var h = await WebhookHarness.StartAsync();
        // The app's own loop is off in tests (no scheduler); this one runs as in production.
        using var loop = ActivatorUtilities.CreateInstance<WebhookDispatcher>(h.App.Services, Options.Create(new SyncOptions { RunScheduler = true }));
        await loop.StartAsync(Ct);
        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, At.AddHours(-1), At);
        var notification = Assert.Single(await h.NotificationsAsync());

        loop.Received(notification.ConnectionId!.Value);
        // The loop lets the burst settle first (a second on the app's clock, which only the test moves).
        var idle = loop.WhenIdleAsync();
        while (!idle.IsCompleted)
        {
            h.App.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(idle, Task.Delay(20, Ct));
        }

        var run = Assert.Single(await h.RunsAsync(SyncTrigger.Webhook));
        Assert.Equal(SyncRunStatus.Queued, run.Status);
        notification = Assert.Single(await h.NotificationsAsync());
        Assert.Equal(NotificationStatus.Queued, notification.Status);
        Assert.Equal(run.Id, notification.SyncRunId);
        await loop.StopAsync(Ct);
    }

    [Fact]
    public async Task ANotificationNoPassDispatched_IsDispatchedByTheHousekeeping()
    {
        await using var h = await WebhookHarness.StartAsync();
        // Recorded, then the app stopped before the dispatcher's pass.
        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, At.AddHours(-1), At);
        Assert.Empty(await h.RunsAsync(SyncTrigger.Webhook));

        await h.Sync.WithAsync<int, WebhookInbox>(i => i.PruneAndDispatchAsync(Ct));

        var run = Assert.Single(await h.RunsAsync(SyncTrigger.Webhook));
        Assert.Equal(run.Id, Assert.Single(await h.NotificationsAsync()).SyncRunId);
        Assert.Equal(SyncRunStatus.Succeeded, Assert.Single(await h.Sync.RunQueuedAsync(Ct)).Status);
        Assert.Equal(NotificationStatus.Processed, Assert.Single(await h.NotificationsAsync()).Status);
    }
}
