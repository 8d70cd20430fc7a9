using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Tests.Fakes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// Two users (Ada in Berlin, Bo in Auckland) connected to the fake Oura and Withings with realistic data, and
/// helpers to queue and run syncs deterministically (the scheduler is off; runs are executed directly).
/// </summary>
public sealed class SyncHarness : IAsyncDisposable
{
    public const string AdaOura = "8f3c2a71-4b9e-4d2a-9c51-0e6b7d1a2f34";
    public const string BoOura = "0b5d1c9e-6a2f-4e8d-b7c3-91a4f0e2d6b8";
    public const string AdaWithings = "38271645";
    public const string BoWithings = "47382956";

    private SyncHarness(ConnectionsHarness inner) => Inner = inner;

    public ConnectionsHarness Inner { get; }

    public LifeOsAppFactory App => Inner.App;

    public FakeOura Oura => Inner.Oura;

    public FakeWithings Withings => Inner.Withings;

    public string AdaId { get; private set; } = "";

    public string BoId { get; private set; } = "";

    public TestClient Ada { get; private set; } = default!;

    public static async Task<SyncHarness> StartAsync(Dictionary<string, string?>? settings = null, bool connectBo = true, string? dataDirectory = null)
    {
        // 40 days of history reach every hand-written record (the oldest is 32 days back) and keep tests quick.
        var all = new Dictionary<string, string?> { ["Sync:BackfillDays"] = "40" };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var harness = new SyncHarness(await ConnectionsHarness.StartAsync(settings: all, dataDirectory: dataDirectory));
        SyncFixtures.Seed(harness.Oura, harness.Withings);
        harness.Ada = await harness.Inner.SignedInAsync("ada@example.com");
        harness.AdaId = await harness.UserIdAsync("ada@example.com");
        await harness.SetZoneAsync(harness.AdaId, "Europe/Berlin");
        harness.Oura.Account = AdaOura;
        harness.Withings.Account = AdaWithings;
        await harness.Inner.ConnectAsync(harness.Ada, "oura");
        await harness.Inner.ConnectAsync(harness.Ada, "withings");
        if (connectBo)
        {
            using var bo = await harness.Inner.SignedInAsync("bo@example.com");
            harness.BoId = await harness.UserIdAsync("bo@example.com");
            await harness.SetZoneAsync(harness.BoId, "Pacific/Auckland");
            harness.Oura.Account = BoOura;
            harness.Withings.Account = BoWithings;
            await harness.Inner.ConnectAsync(bo, "oura");
            await harness.Inner.ConnectAsync(bo, "withings");
        }

        return harness;
    }

    public Task<string> UserIdAsync(string email) => App.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    public Task<int> SetZoneAsync(string userId, string zone) =>
        App.WithDbAsync(db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZoneId, zone)));

    public async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>Runs every queued run (the backfills the connect callback queued, Sync now, nightly), in queue order.</summary>
    public async Task<List<SyncRun>> RunQueuedAsync(CancellationToken cancellationToken = default)
    {
        var queued = await App.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Status == SyncRunStatus.Queued).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
        foreach (var id in queued)
        {
            await WithAsync<bool, SyncService>(s => s.RunAsync(id, cancellationToken));
        }

        return await App.WithDbAsync(db => db.Set<SyncRun>().Where(r => queued.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync());
    }

    /// <summary>Queues a manual run for one connection and runs it.</summary>
    public async Task<SyncRun> SyncAsync(string userId, ProviderKind provider, CancellationToken cancellationToken = default)
    {
        // The connect callback queued a backfill: drop it so this run is the only one.
        await App.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Status == SyncRunStatus.Queued && r.UserId == userId).ExecuteDeleteAsync());
        var queued = await WithAsync<EnqueueResult, SyncQueue>(q => q.EnqueueAsync(userId, provider, SyncTrigger.Manual));
        Assert.Equal(EnqueueOutcome.Queued, queued.Outcome);
        await WithAsync<bool, SyncService>(s => s.RunAsync(queued.RunId!.Value, cancellationToken));
        return await App.WithDbAsync(db => db.Set<SyncRun>().SingleAsync(r => r.Id == queued.RunId));
    }

    public Task<List<Sample>> SamplesAsync(string userId, SampleSource source, string metric) =>
        App.WithDbAsync(db => db.SamplesOf(userId).Where(s => s.Source == source && s.MetricCode == metric).OrderBy(s => s.StartUtc).ToListAsync());

    public Task<int> SampleCountAsync(string userId) => App.WithDbAsync(db => db.SamplesOf(userId).CountAsync());

    /// <summary>The daily value of one metric and day, from one source (computing it from that source's samples the way the store does).</summary>
    public async Task<double?> DailyAsync(string userId, SampleSource source, string metric, DateOnly day)
    {
        var values = await App.WithDbAsync(db => db.SamplesOf(userId).Where(s => s.Source == source && s.MetricCode == metric && s.LocalDate == day)
            .Select(s => s.Value).ToListAsync());
        if (values.Count == 0)
        {
            return null;
        }

        return MetricCatalogue.Get(metric).Aggregation switch
        {
            Aggregation.Sum => values.Sum(),
            Aggregation.Mean => values.Average(),
            Aggregation.Min => values.Min(),
            Aggregation.Max => values.Max(),
            _ => values[^1],
        };
    }

    public async ValueTask DisposeAsync()
    {
        Ada?.Dispose();
        await Inner.DisposeAsync();
    }
}
