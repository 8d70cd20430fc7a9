using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using LifeOs.Tests.Fakes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// <see cref="PageTestContext"/> with the provider settings pointed at a fake Oura and a fake Withings (real HTTP on
/// loopback, the context's clock), seeded with <see cref="SyncFixtures"/>' data, so components connect, sync and
/// disconnect through the app's real services. Start with <see cref="StartAsync"/>; dispose it to stop the fakes.
/// </summary>
public sealed class ProviderPageTestContext : PageTestContext, IAsyncDisposable
{
    private ProviderPageTestContext(Dictionary<string, string?> settings, Microsoft.Extensions.Time.Testing.FakeTimeProvider time, FakeOura oura, FakeWithings withings)
        : base(settings, time)
    {
        Oura = oura;
        Withings = withings;
    }

    public FakeOura Oura { get; }

    public FakeWithings Withings { get; }

    public static async Task<ProviderPageTestContext> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var time = ConnectionsHarness.NewClock();
        var oura = await FakeOura.StartAsync(time, SyncHarness.AdaOura);
        var withings = await FakeWithings.StartAsync(time, SyncHarness.AdaWithings);
        SyncFixtures.Seed(oura, withings);

        // 40 days of history reach every hand-written record and keep the runs quick (as in SyncHarness).
        var all = new Dictionary<string, string?> { ["Sync:BackfillDays"] = "40" };
        foreach (var (key, value) in oura.Settings().Concat(withings.Settings()).Concat(settings ?? []))
        {
            all[key] = value;
        }

        var context = new ProviderPageTestContext(all, time, oura, withings);
        await context.InitializeAsync();
        return context;
    }

    public FakeProviderServer Fake(ProviderKind provider) => provider == ProviderKind.Oura ? Oura : Withings;

    /// <summary>
    /// Connects the way a browser does (start, consent on the fake, callback) through ConnectionService, and queues
    /// the first backfill as the callback endpoint does.
    /// </summary>
    public async Task ConnectAsync(string userId, ProviderKind provider)
    {
        var start = await WithAsync<ConnectionService, ConnectionOutcome>(c =>
            c.StartConnectAsync(userId, provider, $"http://localhost/integrations/{provider.Slug()}/callback"));
        var callback = QueryHelpers.ParseQuery(new Uri(await Fake(provider).ConsentAsync(start.RedirectTo!.AbsoluteUri)).Query);
        string? Query(string key) => callback.TryGetValue(key, out var value) ? value.ToString() : null;
        var outcome = await WithAsync<ConnectionService, ConnectionOutcome>(c =>
            c.CompleteConnectAsync(userId, provider, Query("state"), Query("code"), Query("error"), Query("scope")));
        Assert.True(outcome.Succeeded, outcome.Message);
        await WithAsync<SyncQueue, EnqueueResult>(q => q.EnqueueAsync(userId, provider, SyncTrigger.Backfill));
    }

    /// <summary>Runs every queued run in queue order, as the scheduler would (it is off in tests).</summary>
    public async Task<List<SyncRun>> RunQueuedAsync()
    {
        var queued = await WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Status == SyncRunStatus.Queued).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
        foreach (var id in queued)
        {
            await WithAsync<SyncService, bool>(s => s.RunAsync(id, TestContext.Current.CancellationToken));
        }

        return await WithDbAsync(db => db.Set<SyncRun>().Where(r => queued.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync());
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Oura.DisposeAsync();
        await Withings.DisposeAsync();
    }
}
