using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using LifeOs.Core.Api;
using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Core.Sync;

/// <summary>
/// Two app processes on one PostgreSQL database (issue 20): the Quartz cluster runs each connection's nightly sync once
/// whichever instances are up, and an instance killed mid-run has its run finished by the other. The people and their
/// connections are made by an in-process host on the same database and keys (its scheduler off); the instances are the
/// built LifeOs.Web as child processes talking to the same fake Oura and Withings.
/// </summary>
public sealed class ClusterSyncTests
{
    [Fact]
    public async Task WithTwoInstancesUp_EachConnectionsNightlySyncRunsOnce_AndACookieFromOneWorksOnTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await StartAsync(connectBo: true);
        using var a = new ClusterInstance("a", ClusterSettings(h));
        using var b = new ClusterInstance("b", ClusterSettings(h));
        await Task.WhenAll(a.WaitHealthyAsync(ct), b.WaitHealthyAsync(ct));

        await PollAsync(h, () => h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.Trigger == SyncTrigger.Nightly && r.FinishedAt != null)), 4, [a, b]);

        var nightly = await NightlyRunsAsync(h);
        Assert.Equal(4, nightly.Count);
        Assert.All(nightly, r => Assert.True(Ran(r), $"run {r.Id}: {r.Status} {r.Error}"));
        Assert.Equal(4, nightly.Select(r => r.ConnectionId).Distinct().Count());
        // Each instance's start fired the dispatcher again; neither queued a second nightly run nor left one behind.
        Assert.Equal(0, await h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.FinishedAt == null)));

        // Signed in on one instance, recognised by the other (they share the DataProtection keys: here one keys directory).
        using var browser = new TestClient(new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = a.BaseAddress });
        Assert.Equal(HttpStatusCode.Redirect, (await browser.LoginAsync("ada@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings")).StatusCode);
        var onB = await browser.Http.GetAsync(new Uri(b.BaseAddress, "/settings"), ct);
        Assert.Equal(HttpStatusCode.OK, onB.StatusCode);
    }

    [Fact]
    public async Task AnInstanceKilledMidRun_HasItsRunTakenOverAndFinishedByTheOther()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await StartAsync(connectBo: false);
        // Ada's Oura run hangs on its first request (its first data type) on instance a, until a dies.
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Oura.Data.Fault("daily_sleep", async request =>
        {
            hung.TrySetResult();
            return await FakeProviderData.Hang()(request);
        });
        using var a = new ClusterInstance("a", ClusterSettings(h));
        await a.WaitHealthyAsync(ct);
        await hung.Task.WaitAsync(TimeSpan.FromMinutes(3), ct);
        var runId = await h.App.WithDbAsync(db => db.Set<SyncRun>()
            .Where(r => r.Trigger == SyncTrigger.Nightly && r.Status == SyncRunStatus.Running && db.Connections.Any(c => c.Id == r.ConnectionId && c.Provider == ProviderKind.Oura))
            .Select(r => r.Id).SingleAsync(ct));

        using var b = new ClusterInstance("b", ClusterSettings(h));
        await b.WaitHealthyAsync(ct);
        a.Kill();

        await PollAsync(h, () => h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.Id == runId && r.FinishedAt != null)), 1, [b]);
        var nightly = await NightlyRunsAsync(h);
        Assert.Equal(2, nightly.Count);
        Assert.All(nightly, r => Assert.True(Ran(r), $"run {r.Id}: {r.Status} {r.Error}"));
        Assert.Contains(nightly, r => r.Id == runId);
        Assert.True(await ClusterInstance.AnyLogsAsync([b], $"Sync run {runId} of connection", TimeSpan.FromSeconds(10), ct), $"instance b did not log run {runId}:\n{b.Output}");
    }

    [Fact]
    public async Task SyncNow_PressedOnBothInstancesAtOnce_QueuesOneRun_AndOneInstanceRunsItOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var h = await StartAsync(connectBo: false);
        // Tonight's nightly runs are done, so the cluster runs only what Sync now asks for.
        await h.App.WithDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            db.Set<SyncRun>().AddRange(await db.Connections.Select(c => new SyncRun
            {
                ConnectionId = c.Id, UserId = c.UserId, Trigger = SyncTrigger.Nightly, Status = SyncRunStatus.Succeeded, QueuedAt = now, StartedAt = now, FinishedAt = now,
            }).ToListAsync(ct));
            return await db.SaveChangesAsync(ct);
        });
        var key = await h.WithAsync<ApiKeyCreateResult, ApiKeyService>(k => k.CreateAsync(h.AdaId, "cluster test", [ApiScopes.Sync], null, ct));
        // Ada's Oura run holds its first request until both presses are answered.
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Oura.Data.Fault("daily_sleep", async _ =>
        {
            await answered.Task;
            return null;
        });
        using var a = new ClusterInstance("a", ClusterSettings(h));
        using var b = new ClusterInstance("b", ClusterSettings(h));
        await Task.WhenAll(a.WaitHealthyAsync(ct), b.WaitHealthyAsync(ct));

        var presses = await Task.WhenAll(SyncNowAsync(b, key.Key!, "oura"), SyncNowAsync(a, key.Key!, "oura"));
        answered.SetResult();
        var withings = await SyncNowAsync(b, key.Key!, "withings");
        Assert.Equal(presses[0].RunId, presses[1].RunId);
        Assert.Equal(1, presses.Count(p => p.AlreadyRunning));
        Assert.False(withings.AlreadyRunning);

        await PollAsync(h, () => h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.Trigger == SyncTrigger.Manual && r.FinishedAt != null)), 2, [a, b]);
        var manual = await h.App.WithDbAsync(db => db.Set<SyncRun>().AsNoTracking().Where(r => r.Trigger == SyncTrigger.Manual).OrderBy(r => r.Id).ToListAsync(ct));
        Assert.Equal([presses[0].RunId, withings.RunId], manual.Select(r => r.Id));
        Assert.All(manual, r => Assert.True(Ran(r), $"run {r.Id}: {r.Status} {r.Error}"));
        // Once: one instance ran each run, and the fakes saw each data type's window once.
        foreach (var run in manual)
        {
            await ClusterInstance.AnyLogsAsync([a, b], $"Sync run {run.Id} of connection", TimeSpan.FromSeconds(10), ct);
        }

        Assert.All(manual, r => Assert.Single(new[] { a, b }, i => i.Output.Contains($"Sync run {r.Id} of connection", StringComparison.Ordinal)));
        Assert.Equal(1, h.Oura.Data.Requests("daily_sleep"));
        Assert.Equal(1, h.Withings.Data.Requests("workouts"));
        Assert.Equal(0, await h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.FinishedAt == null)));
    }

    /// <summary>Presses Sync now on <paramref name="instance"/> through the API (the page's button queues the same way).</summary>
    private static async Task<SyncQueuedResponse> SyncNowAsync(ClusterInstance instance, string key, string provider)
    {
        using var http = new HttpClient { BaseAddress = instance.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await http.PostAsync(new Uri($"/api/v1/connections/{provider}/sync", UriKind.Relative), null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<SyncQueuedResponse>(TestContext.Current.CancellationToken))!;
    }

    /// <summary>
    /// The people and connections on a new PostgreSQL database. The connect callbacks queued backfills that this host
    /// (scheduler off) never runs: they are recorded as done, so the cluster's first planner pass finds every connection
    /// due for its nightly run (connected days ago on the fakes' clock; the instances run on the real one).
    /// </summary>
    private static async Task<SyncHarness> StartAsync(bool connectBo)
    {
        var h = await SyncHarness.StartAsync(PostgresServer.AppSettings(), connectBo);
        await h.App.WithDbAsync(db => db.Set<SyncRun>().ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, SyncRunStatus.Succeeded)
            .SetProperty(r => r.FinishedAt, r => r.QueuedAt)));
        return h;
    }

    /// <summary>The in-process host's database, keys directory and fakes, with the scheduler on and quick cluster check-ins.</summary>
    private static Dictionary<string, string?> ClusterSettings(SyncHarness h)
    {
        var configuration = h.App.Services.GetRequiredService<IConfiguration>();
        var settings = new Dictionary<string, string?>
        {
            ["LifeOs:DataDirectory"] = h.App.DataDirectory,
            ["LifeOs:Database:Provider"] = "PostgreSQL",
            ["LifeOs:Database:ConnectionString"] = configuration["LifeOs:Database:ConnectionString"],
            // One cluster per database: the name PostgresServer gave it.
            ["Sync:SchedulerName"] = configuration["Sync:SchedulerName"],
            ["Sync:RunScheduler"] = "true",
            ["Sync:ClusterCheckinSeconds"] = "1",
            ["Sync:BackfillDays"] = "40",
            ["Sync:RetryDelayScale"] = "0",
            // A hung request stays hung until its instance dies (no timeout and retry on the same instance).
            ["Sync:RequestTimeoutSeconds"] = "600",
        };
        foreach (var (key, value) in h.Oura.Settings().Concat(h.Withings.Settings()))
        {
            settings[key] = value;
        }

        return settings;
    }

    /// <summary>The run was carried out to its end and succeeded: every data type fetched and stored (the health store's writes work on PostgreSQL).</summary>
    private static bool Ran(SyncRun run) => run.Status == SyncRunStatus.Succeeded && run.StartedAt is not null && run.FinishedAt is not null;

    private static Task<List<SyncRun>> NightlyRunsAsync(SyncHarness h) =>
        h.App.WithDbAsync(db => db.Set<SyncRun>().AsNoTracking().Where(r => r.Trigger == SyncTrigger.Nightly).OrderBy(r => r.Id).ToListAsync());

    /// <summary>Polls the database until <paramref name="count"/> reaches <paramref name="expected"/> (the instances run on real time).</summary>
    private static async Task PollAsync(SyncHarness h, Func<Task<int>> count, int expected, ClusterInstance[] instances)
    {
        var clock = Stopwatch.StartNew();
        while (await count() < expected)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(3))
            {
                var runs = await h.App.WithDbAsync(db => db.Set<SyncRun>().Select(r => $"{r.Id} c{r.ConnectionId} {r.Trigger} {r.Status} {r.Error}").ToListAsync());
                Assert.Fail("Timed out waiting for sync runs: " + string.Join("; ", runs) + string.Concat(instances.Select(i => $"\n--- instance {i.Name}:\n{i.Output}")));
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }
}
