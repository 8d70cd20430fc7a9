using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Core.Webhooks;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Webhooks;

/// <summary>
/// <see cref="SyncHarness"/> (Ada and Bo connected to both fakes, their backfills run) on a public https address, so
/// live updates are on, with the fakes' notification side pointed at the app's in-memory server. Nothing runs by
/// itself: tests deliver notifications through the fakes, dispatch them as the dispatcher's loop would and run the
/// queued runs the way a Quartz worker would.
/// </summary>
public sealed class WebhookHarness : IAsyncDisposable
{
    public const string PublicBaseUrl = "https://lifeos.example.test";

    private WebhookHarness(SyncHarness sync, HttpClient callbacks)
    {
        Sync = sync;
        Callbacks = callbacks;
    }

    public SyncHarness Sync { get; }

    /// <summary>What the providers' servers use to reach LifeOs: no cookies, no antiforgery token.</summary>
    public HttpClient Callbacks { get; }

    public LifeOsAppFactory App => Sync.App;

    public static async Task<WebhookHarness> StartAsync(Dictionary<string, string?>? settings = null, bool subscribe = true)
    {
        var all = new Dictionary<string, string?> { ["LifeOs:PublicBaseUrl"] = PublicBaseUrl };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var sync = await SyncHarness.StartAsync(all);
        var callbacks = sync.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        sync.Withings.Callbacks = callbacks;
        sync.Oura.Callbacks = callbacks;
        var harness = new WebhookHarness(sync, callbacks);
        // The backfills the connect callbacks queued: afterwards, only what a notification causes runs.
        await sync.RunQueuedAsync(TestContext.Current.CancellationToken);
        if (subscribe)
        {
            await harness.SubscribeAllAsync();
        }

        return harness;
    }

    public Task SubscribeAllAsync() => Sync.WithAsync<bool, WebhookSubscriptions>(async s =>
    {
        await s.EnsureAllAsync(TestContext.Current.CancellationToken);
        return true;
    });

    public Task<List<ProviderNotification>> NotificationsAsync() =>
        App.WithDbAsync(db => db.ProviderNotifications.OrderBy(n => n.Id).ToListAsync());

    public Task<List<SyncRun>> RunsAsync(SyncTrigger trigger) =>
        App.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Trigger == trigger).OrderBy(r => r.Id).ToListAsync());

    /// <summary>What the dispatcher's loop does after the endpoints answer: gives the recorded notifications their runs.</summary>
    public Task<int> DispatchAsync() =>
        App.Services.GetRequiredService<WebhookDispatcher>().DispatchPendingAsync(TestContext.Current.CancellationToken);

    /// <summary>Dispatches what was recorded, then runs the queued runs as a Quartz worker would.</summary>
    public async Task<List<SyncRun>> RunQueuedAsync()
    {
        await DispatchAsync();
        return await Sync.RunQueuedAsync(TestContext.Current.CancellationToken);
    }

    public Task<long> ConnectionIdAsync(string userId, ProviderKind provider) =>
        App.WithDbAsync(db => db.Connections.Where(c => c.UserId == userId && c.Provider == provider).Select(c => c.Id).SingleAsync());

    public Task<List<Sample>> SamplesByRecordAsync(string userId, SampleSource source, string recordId) =>
        App.WithDbAsync(db => db.SamplesOf(userId).Where(s => s.Source == source && s.SourceRecordId == recordId).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        Callbacks.Dispose();
        await Sync.DisposeAsync();
    }
}
