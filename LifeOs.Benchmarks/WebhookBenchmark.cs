using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 18's figures, on the published app (Quartz running, as deployed) with Withings and Oura pointed at
/// <see cref="SyncBenchmark.FakeServer"/> on loopback and a public https address configured so live updates are on:
/// 1. notification received → data stored: for each of <see cref="LatencyRuns"/> Withings users and as many Oura users,
///    one at a time, POST the provider's notification to /webhooks/… and poll the database until the user's new
///    samples are there (p50/p95, goal p95 &lt; 5 s);
/// 2. a burst of 1,000 Withings notifications for 100 users (8 distinct per user over the four categories LifeOs reads,
///    plus 2 repeated deliveries each), shuffled and sent by 16 concurrent senders: the endpoint's latency (goal
///    p99 &lt; 50 ms), every distinct notification recorded once and processed, duplicates answered as such, the fetches
///    the fake saw per user and service, and the most Withings requests in any 60 s window (limit 120).
/// Users are seeded after the app's start-up subscription check, each with a finished nightly run, so nothing but the
/// notifications makes the app call the fakes.
/// </summary>
internal sealed class WebhookBenchmark(BenchmarkOptions options)
{
    private const string PublicBaseUrl = "https://lifeos.bench.example";
    private const string ClientSecret = "bench";
    private const int LatencyRuns = 40;
    private const int BurstUsers = 100;
    private const int DistinctPerUser = 8;
    private const int RepeatsPerUser = 2;
    private const int BurstSenders = 16;
    private const int WarmUpDeliveries = 480;

    /// <summary>Not the server's: the key under which <see cref="SendAsync"/> adds the benchmark's own GC pause during a request.</summary>
    private const string ClientGcPause = "client-gcpause";
    private const int WithingsLimit = 120;
    private static readonly TimeSpan StoredTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromMinutes(20);

    /// <summary>The Withings services a notification category makes a targeted run call (withings.md §6).</summary>
    private static readonly Dictionary<int, string> ServiceOf = new()
    {
        [1] = "/measure:getmeas",
        [4] = "/measure:getmeas",
        [16] = "/v2/measure:getactivity",
        [44] = "/v2/sleep:getsummary",
    };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-webhooks-").FullName;
        try
        {
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            await using var fake = await SyncBenchmark.FakeServer.StartAsync(cancellationToken);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            fake.OuraFrom = today.AddDays(-3);
            fake.OuraTo = today;

            var environment = new Dictionary<string, string>(options.AppEnvironment, StringComparer.Ordinal)
            {
                ["LifeOs__PublicBaseUrl"] = PublicBaseUrl,
                ["Providers__Webhooks__ServerTiming"] = "true", // the server-side figures are read from it
            };
            foreach (var provider in new[] { "Withings", "Oura" })
            {
                environment.TryAdd($"Providers__{provider}__ClientId", "bench");
                environment.TryAdd($"Providers__{provider}__ClientSecret", ClientSecret);
                environment.TryAdd($"Providers__{provider}__ApiBaseUrl", fake.BaseUrl);
            }

            await using var app = PublishedApp.Start(new AppLaunchSettings(publishDirectory, scratch, environment));
            // Generous: on a shared machine the first start (a new database, every migration) can take a minute.
            await app.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(180), cancellationToken);
            await using var core = await SyncBenchmark.Core.CreateAsync(app.DataDirectory, fake.BaseUrl, new() { ["LifeOs:PublicBaseUrl"] = PublicBaseUrl }, cancellationToken);
            await using var scope = core.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
            await WaitForStartupCheckAsync(db, app, cancellationToken);
            // Withings: the burst's users, then the latency runs' users, then one for warming up; Oura: the runs' users and one.
            Log.Info($"Seeding {BurstUsers + LatencyRuns + 1} Withings and {LatencyRuns + 1} Oura users…");
            var withings = await core.SeedAsync(BurstUsers + LatencyRuns + 1, ProviderKind.Withings, cursorsComplete: true, cancellationToken);
            var oura = await core.SeedAsync(LatencyRuns + 1, ProviderKind.Oura, cursorsComplete: true, cancellationToken);
            // A finished nightly run per connection, so the app's dispatcher sees nothing due (no backfill, no nightly) during the run.
            await core.SeedNightlyRunsAsync([.. withings, .. oura], DateTime.UtcNow, cancellationToken);
            fake.ResetCounters();

            var settings = core.Services.GetRequiredService<WebhookSettings>();
            var withingsPath = new Uri(settings.WithingsCallbackUrl).PathAndQuery;
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = BurstSenders })
            {
                BaseAddress = app.BaseAddress,
                Timeout = TimeSpan.FromSeconds(30),
            };

            // One unmeasured delivery of each kind (JIT, pools), for users outside both phases.
            await PostWithingsAsync(http, withingsPath, BurstUsers + LatencyRuns, 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), cancellationToken);
            await PostOuraAsync(http, LatencyRuns, today, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

            var withingsLatency = await LatencyAsync("Withings", db, fake, i => (BurstUsers + i, $"bench-Withings-{BurstUsers + i}"), MetricCatalogue.Weight,
                async (user, ct) => await PostWithingsAsync(http, withingsPath, user, 1, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ct), cancellationToken);
            var ouraLatency = await LatencyAsync("Oura", db, fake, i => (i, $"bench-Oura-{i}"), MetricCatalogue.ReadinessScore,
                async (user, ct) => await PostOuraAsync(http, user, today, ct), cancellationToken);
            var warmUp = await WarmUpAsync(http, withingsPath, db, withings.Skip(BurstUsers).Take(LatencyRuns).ToList(), cancellationToken);
            var burst = await BurstAsync(http, withingsPath, db, fake, app, withings.Take(BurstUsers).ToList(), cancellationToken);
            var maxWithings = fake.MaxWithingsInAnyWindow(TimeSpan.FromMinutes(1));
            Log.Info($"Most Withings requests in any 60 s window over both phases: {maxWithings} (limit {WithingsLimit}); /notify calls {fake.NotifyCalls}");

            var result = new
            {
                TimestampUtc = DateTimeOffset.UtcNow,
                Machine = machine,
                Latency = new[] { withingsLatency, ouraLatency },
                WarmUp = warmUp,
                Burst = burst,
                MaxWithingsRequestsInAnyMinute = maxWithings,
                WithingsLimit,
                NotifyCalls = fake.NotifyCalls,
            };
            Console.WriteLine(Table(withingsLatency, ouraLatency, warmUp, burst, maxWithings, machine));
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            Log.Info($"JSON written to {jsonPath}");
            var clean = burst.Lost == 0 && burst.Failed == 0 && burst.Refused == 0 && maxWithings <= WithingsLimit
                && withingsLatency.TimedOut == 0 && ouraLatency.TimedOut == 0;
            return clean ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// The app checks every subscription at start-up (Oura's app-level ones are made then); waiting for its recorded
    /// outcome keeps that check out of the measurements, and users seeded afterwards have none to check until tomorrow.
    /// </summary>
    private static async Task WaitForStartupCheckAsync(LifeOsDbContext db, PublishedApp app, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        while (!await db.Set<AppSetting>().AsNoTracking().AnyAsync(s => s.Key == "Webhooks:Subscriptions:Withings", cancellationToken))
        {
            if (watch.Elapsed > StoredTimeout)
            {
                throw new BenchmarkFailure("The app did not record its start-up subscription check within a minute (are live updates on?).", app.Tail);
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    internal sealed record LatencyResult(string Provider, int Runs, double P50Seconds, double P95Seconds, double MaxSeconds, double EndpointP50Ms, double EndpointMaxMs, int TimedOut);

    /// <summary>One notification at a time, each for a user with nothing stored yet: POST, then poll every 10 ms until the user's sample is there.</summary>
    private static async Task<LatencyResult> LatencyAsync(string provider, LifeOsDbContext db, SyncBenchmark.FakeServer fake, Func<int, (int ProviderUser, string UserId)> user,
        string metric, Func<int, CancellationToken, Task<(HttpStatusCode Status, string Body, double Ms, IReadOnlyDictionary<string, double> Server)>> post, CancellationToken cancellationToken)
    {
        Log.Info($"{provider}: notification → stored, {LatencyRuns} runs one at a time…");
        var stored = new List<double>();
        var endpoint = new List<double>();
        var timedOut = 0;
        for (var i = 0; i < LatencyRuns; i++)
        {
            var (providerUser, userId) = user(i);
            var started = Stopwatch.GetTimestamp();
            var (status, body, ms, _) = await post(providerUser, cancellationToken);
            if (status != HttpStatusCode.OK || body != nameof(ReceiptOutcome.Accepted))
            {
                throw new BenchmarkFailure($"The {provider} notification for user {providerUser} was answered {(int)status} {body}.");
            }

            endpoint.Add(ms);
            while (!await db.SamplesOf(userId).AsNoTracking().AnyAsync(s => s.MetricCode == metric, cancellationToken))
            {
                if (Stopwatch.GetElapsedTime(started) > StoredTimeout)
                {
                    timedOut++;
                    break;
                }

                await Task.Delay(10, cancellationToken);
            }

            stored.Add(Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        var sorted = stored.Order().ToList();
        var result = new LatencyResult(provider, LatencyRuns, Math.Round(Percentiles.Of(sorted, 50), 3), Math.Round(Percentiles.Of(sorted, 95), 3), Math.Round(sorted[^1], 3),
            Math.Round(Percentiles.Median(endpoint), 1), Math.Round(endpoint.Max(), 1), timedOut);
        Log.Info($"{provider}: stored after p50 {result.P50Seconds} s, p95 {result.P95Seconds} s, max {result.MaxSeconds} s; endpoint median {result.EndpointP50Ms} ms; {timedOut} timed out; fake saw {fake.Requests} requests so far");
        return result;
    }

    /// <param name="Sent">Deliveries, repeats included.</param>
    /// <param name="Distinct">Different notifications among them.</param>
    /// <param name="Refused">Deliveries answered other than 200 (e.g. 429 from the per-address limit).</param>
    /// <param name="Recorded">Notification rows for the burst's users (one per distinct notification when none is lost).</param>
    /// <param name="Lost">Distinct notifications answered 200 at least once but not recorded.</param>
    /// <param name="Runs">Targeted sync runs for the burst's users.</param>
    /// <param name="ServiceFetches">Requests the fake saw for the burst's users' data; <paramref name="MinimumFetches"/> is one per user and service notified.</param>
    internal sealed record BurstResult(int Users, int Sent, int Distinct, int Refused, int AnsweredDuplicate, int Recorded, int Processed, int Failed, int Lost,
        int Runs, int MaxRunsPerUser, int ServiceFetches, int MinimumFetches, int MaxFetchesPerUserAndService, int UnfetchedUserServices,
        double SendSeconds, double DrainSeconds, double DrainLowerBoundSeconds, double EndpointP50Ms, double EndpointP95Ms, double EndpointP99Ms, double EndpointMaxMs,
        double AppCpuMsPerDelivery, ServerSide Server, Positions ByPosition, IReadOnlyList<Slow> Slowest);

    /// <summary>One burst delivery: its place in the send order, when it was sent (ms after the burst began), the client's time and the server's <c>Server-Timing</c>.</summary>
    internal sealed record Delivery(int Position, double AtMs, double Ms, IReadOnlyDictionary<string, double> Server);

    /// <summary>
    /// The endpoint's latency for the burst's first <see cref="FirstDeliveries"/> deliveries (in send order) and the
    /// rest: when the tail sits in the first ones, it is warm-up (tier-0 code, empty pools), not the steady state.
    /// </summary>
    internal sealed record Positions(double FirstP50Ms, double FirstP99Ms, double FirstMaxMs, double FirstServerP99Ms, double RestP50Ms, double RestP99Ms, double RestMaxMs, double RestServerP99Ms)
    {
        public const int FirstDeliveries = 100;

        public static Positions Of(IEnumerable<Delivery> deliveries)
        {
            var (first, rest) = (deliveries.Where(d => d.Position < FirstDeliveries).ToList(), deliveries.Where(d => d.Position >= FirstDeliveries).ToList());
            static double P(IEnumerable<double> values, double percentile) => Math.Round(Percentiles.Of(values.Order().ToList(), percentile), 1);
            static IEnumerable<double> Server(List<Delivery> part) => part.Select(d => d.Server.GetValueOrDefault("total"));
            return new Positions(P(first.Select(d => d.Ms), 50), P(first.Select(d => d.Ms), 99), P(first.Select(d => d.Ms), 100), P(Server(first), 99),
                P(rest.Select(d => d.Ms), 50), P(rest.Select(d => d.Ms), 99), P(rest.Select(d => d.Ms), 100), P(Server(rest), 99));
        }
    }

    /// <summary>
    /// One of the burst's slowest answers, client time beside the server's parts: <c>Outside</c> is the client's time
    /// the server's pipeline did not see (Kestrel, the thread pool, the benchmark's own senders); <c>Gc</c>/<c>GcPauseMs</c>
    /// the collections and GC pause during it; <c>Threads</c> the thread pool's size when it arrived; <c>ClientGcPauseMs</c>
    /// the benchmark's own GC pause meanwhile.
    /// </summary>
    internal sealed record Slow(int Position, double AtMs, double Ms, double TotalMs, double OutsideMs, double PipelineMs, double ReadMs, double QueueMs, double LockMs,
        double WriteMs, int Batch, int Gc, int? GcGeneration, double GcPauseMs, int Threads, double ClientGcPauseMs)
    {
        public static Slow Of(Delivery d)
        {
            double M(string metric) => Math.Round(d.Server.GetValueOrDefault(metric), 2);
            return new Slow(d.Position, Math.Round(d.AtMs), Math.Round(d.Ms, 1), M("total"), Math.Round(d.Ms - d.Server.GetValueOrDefault("total"), 1), M("pipeline"), M("read"),
                M("queue"), M("lock"), M("write"), (int)M("batch"), (int)M("gc"), d.Server.TryGetValue("gcgen", out var generation) ? (int)generation : null, M("gcpause"), (int)M("threads"), M(ClientGcPause));
        }
    }

    /// <summary>The warm-up burst's own figures: excluded from the burst's, reported to show what a cold endpoint costs.</summary>
    internal sealed record WarmUpResult(int Sent, double P50Ms, double P99Ms, double MaxMs, IReadOnlyList<Slow> Slowest);

    /// <summary>
    /// Before the measured burst, <see cref="WarmUpDeliveries"/> deliveries for the latency runs' Withings users (not the burst's),
    /// from the same <see cref="BurstSenders"/> senders, then a wait until their runs are done. The latency runs only
    /// ever sent one delivery at a time, so without this the burst's first answers paid for what a running server
    /// paid long ago: tier-0 code on the concurrent paths (batches of several rows, sixteen requests at once), the
    /// thread pool growing from its start-up size, connections opened for the first time. A server in production
    /// has been answering deliveries for weeks; this measures that server.
    /// </summary>
    private static async Task<WarmUpResult> WarmUpAsync(HttpClient http, string withingsPath, LifeOsDbContext db, List<long> connections, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var queue = new ConcurrentQueue<(int User, long Start)>(Enumerable.Range(0, WarmUpDeliveries)
            .Select(i => (BurstUsers + (i % LatencyRuns), now - (7200 * (1 + (i / LatencyRuns))))));
        Log.Info($"Warm-up: {WarmUpDeliveries} Withings deliveries for the {LatencyRuns} latency users, {BurstSenders} senders (not measured)…");
        var deliveries = new ConcurrentBag<Delivery>();
        var sequence = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, BurstSenders).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var n))
            {
                var position = Interlocked.Increment(ref sequence);
                var at = watch.Elapsed.TotalMilliseconds;
                var (status, body, ms, server) = await PostWithingsAsync(http, withingsPath, n.User, 1, n.Start, cancellationToken);
                if (status != HttpStatusCode.OK || body != nameof(ReceiptOutcome.Accepted))
                {
                    throw new BenchmarkFailure($"A warm-up delivery was answered {(int)status} {body}.");
                }

                deliveries.Add(new Delivery(position, at, ms, server));
            }
        }, cancellationToken)));
        await WaitUntilDrainedAsync(db, connections, watch, cancellationToken);
        var sorted = deliveries.Select(d => d.Ms).Order().ToList();
        var result = new WarmUpResult(deliveries.Count, Math.Round(Percentiles.Of(sorted, 50), 1), Math.Round(Percentiles.Of(sorted, 99), 1), Math.Round(sorted[^1], 1),
            [.. deliveries.OrderByDescending(d => d.Ms).Take(5).Select(Slow.Of)]);
        Log.Info($"Warm-up: p50 {result.P50Ms} ms, p99 {result.P99Ms} ms, max {result.MaxMs} ms; slowest sent # {string.Join(", ", result.Slowest.Select(d => d.Position))}; drained after {watch.Elapsed.TotalSeconds:0.0} s");
        return result;
    }

    /// <summary>Until no notification of these connections waits and none of their runs is queued or running.</summary>
    private static async Task WaitUntilDrainedAsync(LifeOsDbContext db, List<long> connections, Stopwatch drain, CancellationToken cancellationToken)
    {
        var started = drain.Elapsed;
        while (await db.ProviderNotifications.AsNoTracking().AnyAsync(n => connections.Contains(n.ConnectionId!.Value)
                   && (n.Status == NotificationStatus.Received || n.Status == NotificationStatus.Queued), cancellationToken)
               || await db.Set<SyncRun>().AsNoTracking().AnyAsync(r => connections.Contains(r.ConnectionId)
                   && (r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running), cancellationToken))
        {
            if (drain.Elapsed - started > DrainTimeout)
            {
                throw new BenchmarkFailure($"The notifications were not all processed within {DrainTimeout.TotalMinutes} minutes.");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task<BurstResult> BurstAsync(HttpClient http, string withingsPath, LifeOsDbContext db, SyncBenchmark.FakeServer fake, PublishedApp app,
        List<long> connections, CancellationToken cancellationToken)
    {
        // Per user: appli 1 in three windows, 4 in one, 16 and 44 in two each (8 distinct), then two of them again.
        var random = new Random(18);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var notifications = new List<(int User, int Appli, long Start)>();
        var expectedServices = new HashSet<string>(StringComparer.Ordinal);
        for (var user = 0; user < BurstUsers; user++)
        {
            var distinct = new List<(int User, int Appli, long Start)>();
            foreach (var (appli, windows) in new[] { (1, 3), (4, 1), (16, 2), (44, 2) })
            {
                for (var w = 0; w < windows; w++)
                {
                    distinct.Add((user, appli, now - (3600 * (w + 1)) - random.Next(600)));
                    expectedServices.Add($"withings|{user}|{ServiceOf[appli]}");
                }
            }

            notifications.AddRange(distinct);
            notifications.AddRange(Enumerable.Range(0, RepeatsPerUser).Select(_ => distinct[random.Next(distinct.Count)]));
        }

        var shuffled = notifications.OrderBy(_ => random.Next()).ToList();
        var distinctCount = notifications.Distinct().Count();
        Log.Info($"Burst: {shuffled.Count} Withings notifications ({distinctCount} distinct) for {BurstUsers} users, {BurstSenders} senders; load average {MachineInfo.ReadLoadAverage()}…");
        var deliveries = new ConcurrentBag<Delivery>();
        var sequence = -1;
        var answers = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var accepted = new ConcurrentDictionary<(int User, int Appli, long Start), bool>();
        var queue = new ConcurrentQueue<(int User, int Appli, long Start)>(shuffled);
        var cpuBefore = app.CpuTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, BurstSenders).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var n))
            {
                var position = Interlocked.Increment(ref sequence);
                var at = watch.Elapsed.TotalMilliseconds;
                var (status, body, ms, server) = await PostWithingsAsync(http, withingsPath, n.User, n.Appli, n.Start, cancellationToken);
                deliveries.Add(new Delivery(position, at, ms, server));
                answers.AddOrUpdate(status == HttpStatusCode.OK ? body : $"HTTP {(int)status}", 1, (_, c) => c + 1);
                if (status == HttpStatusCode.OK)
                {
                    accepted[n] = true;
                }
            }
        }, cancellationToken)));
        var sendSeconds = watch.Elapsed.TotalSeconds;
        // The app's CPU time while the burst was sent, per delivery (the targeted runs that started meanwhile included):
        // what the endpoint costs whatever else the machine runs.
        var cpuPerDeliveryMs = app.CpuTime is { } cpuAfter && cpuBefore is { } before ? Math.Round((cpuAfter - before).TotalMilliseconds / shuffled.Count, 2) : double.NaN;
        Log.Info($"Burst sent in {sendSeconds:0.0} s: {string.Join(", ", answers.OrderBy(a => a.Key).Select(a => $"{a.Key} {a.Value}"))}");

        await WaitUntilDrainedAsync(db, connections, watch, cancellationToken);
        var drainSeconds = watch.Elapsed.TotalSeconds;
        var rows = await db.ProviderNotifications.AsNoTracking().Where(n => connections.Contains(n.ConnectionId!.Value))
            .Select(n => new { n.Status, n.SyncRunId }).ToListAsync(cancellationToken);
        var runs = await db.Set<SyncRun>().AsNoTracking().Where(r => connections.Contains(r.ConnectionId) && r.Trigger == SyncTrigger.Webhook)
            .GroupBy(r => r.ConnectionId).Select(g => g.Count()).ToListAsync(cancellationToken);
        var burstFetches = fake.Fetches.Where(f => expectedServices.Contains(f.Key)).ToList();
        var otherFetches = fake.Fetches.Where(f => !expectedServices.Contains(f.Key) && f.Key.StartsWith("withings|", StringComparison.Ordinal)
            && int.TryParse(f.Key.Split('|')[1], CultureInfo.InvariantCulture, out var u) && u < BurstUsers).Sum(f => f.Value);
        if (otherFetches > 0)
        {
            Log.Info($"Warning: {otherFetches} requests for the burst's users to services no notification named.");
        }

        var refused = answers.Where(a => a.Key.StartsWith("HTTP ", StringComparison.Ordinal)).Sum(a => a.Value);
        var sorted = deliveries.Select(d => d.Ms).Order().ToList();
        var requests = burstFetches.Sum(f => f.Value) + otherFetches;
        var result = new BurstResult(
            BurstUsers, shuffled.Count, distinctCount, refused, answers.GetValueOrDefault(nameof(ReceiptOutcome.Duplicate)),
            rows.Count, rows.Count(r => r.Status == NotificationStatus.Processed), rows.Count(r => r.Status == NotificationStatus.Failed),
            Math.Max(0, accepted.Count - rows.Count),
            runs.Sum(), runs.Count == 0 ? 0 : runs.Max(),
            requests, expectedServices.Count, burstFetches.Count == 0 ? 0 : burstFetches.Max(f => f.Value), expectedServices.Count - burstFetches.Count,
            Math.Round(sendSeconds, 1), Math.Round(drainSeconds, 1), Math.Round(requests / (double)WithingsLimit * 60, 1),
            Math.Round(Percentiles.Of(sorted, 50), 1), Math.Round(Percentiles.Of(sorted, 95), 1), Math.Round(Percentiles.Of(sorted, 99), 1), Math.Round(sorted[^1], 1),
            cpuPerDeliveryMs, ServerSide.Of([.. deliveries.Select(d => d.Server)]), Positions.Of(deliveries), [.. deliveries.OrderByDescending(d => d.Ms).Take(10).Select(Slow.Of)]);
        Log.Info($"Burst: {result.Recorded} recorded ({result.Processed} processed, {result.Failed} failed, {result.Lost} lost), {result.Runs} runs (most {result.MaxRunsPerUser} per user), "
            + $"{result.ServiceFetches} fetches for {result.MinimumFetches} user-services (most {result.MaxFetchesPerUserAndService}), drained after {result.DrainSeconds} s (lower bound {result.DrainLowerBoundSeconds} s); "
            + $"endpoint p50 {result.EndpointP50Ms} ms, p99 {result.EndpointP99Ms} ms, max {result.EndpointMaxMs} ms; app CPU {cpuPerDeliveryMs} ms per delivery while sending; "
            + $"server side {result.Server}");
        return result;
    }

    private static async Task<(HttpStatusCode Status, string Body, double Ms, IReadOnlyDictionary<string, double> Server)> PostWithingsAsync(HttpClient http, string path, int user, int appli, long start, CancellationToken cancellationToken)
    {
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userid"] = user.ToString(CultureInfo.InvariantCulture),
            ["appli"] = appli.ToString(CultureInfo.InvariantCulture),
            ["startdate"] = start.ToString(CultureInfo.InvariantCulture),
            ["enddate"] = (start + 60).ToString(CultureInfo.InvariantCulture),
        });
        return await SendAsync(http, new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, cancellationToken);
    }

    /// <summary>A signed Oura notification (oura.md §7): upper-case hex HMAC-SHA256 of timestamp + body, keyed with the client secret.</summary>
    private static async Task<(HttpStatusCode Status, string Body, double Ms, IReadOnlyDictionary<string, double> Server)> PostOuraAsync(HttpClient http, int user, DateOnly day, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["event_type"] = "create",
            ["data_type"] = "daily_readiness",
            ["object_id"] = $"daily_readiness-{day:yyyyMMdd}",
            ["event_time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            ["user_id"] = user.ToString(CultureInfo.InvariantCulture),
        });
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] message = [.. Encoding.UTF8.GetBytes(timestamp), .. body];
        var signature = Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ClientSecret), message));
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/oura") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("x-oura-signature", signature);
        request.Headers.Add("x-oura-timestamp", timestamp);
        return await SendAsync(http, request, cancellationToken);
    }

    private static async Task<(HttpStatusCode Status, string Body, double Ms, IReadOnlyDictionary<string, double> Server)> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            var (sent, paused) = (Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var ms = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            var timings = ServerTiming(response);
            // This process's own GC pauses meanwhile (its senders and the fakes): time outside the server that is ours.
            timings[ClientGcPause] = (GC.GetTotalPauseDuration() - paused).TotalMilliseconds;
            return (response.StatusCode, body, ms, timings);
        }
    }

    /// <summary>The app's <c>Server-Timing</c> header (DeliveryTimings): metric → milliseconds (the batch size for <c>batch</c>).</summary>
    private static Dictionary<string, double> ServerTiming(HttpResponseMessage response)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        if (!response.Headers.TryGetValues("Server-Timing", out var values))
        {
            return metrics;
        }

        foreach (var metric in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            var parts = metric.Split(';', StringSplitOptions.TrimEntries);
            var value = parts.Skip(1).Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] is "dur" or "desc");
            if (value is not null && double.TryParse(value[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                metrics[parts[0]] = number;
            }
        }

        return metrics;
    }

    /// <summary>
    /// The server's side of the burst's requests: <c>total</c> from the first middleware to the answer's headers, and
    /// its parts (middleware before the handler; reading, authenticating and finding the connection; waiting for the
    /// write: the group commit's queue, the write lock, the batch's inserts and commit), p50 and p99 each.
    /// </summary>
    internal sealed record ServerSide(int Answers, double TotalP50Ms, double TotalP99Ms, double PipelineP50Ms, double PipelineP99Ms, double ReadP50Ms, double ReadP99Ms,
        double QueueP99Ms, double LockP50Ms, double LockP99Ms, double WriteP99Ms, double MeanBatch, int AnswersWithGc, int AnswersWithGen1Or2, double GcPauseMaxMs)
    {
        public static ServerSide Of(IReadOnlyCollection<IReadOnlyDictionary<string, double>> answers)
        {
            List<double> Sorted(string metric) => answers.Where(a => a.ContainsKey(metric)).Select(a => a[metric]).Order().ToList();
            double P(string metric, double percentile) => Math.Round(Percentiles.Of(Sorted(metric), percentile), 2);
            var batches = Sorted("batch");
            return new ServerSide(answers.Count(a => a.ContainsKey("total")), P("total", 50), P("total", 99), P("pipeline", 50), P("pipeline", 99), P("read", 50), P("read", 99),
                P("queue", 99), P("lock", 50), P("lock", 99), P("write", 99), batches.Count == 0 ? 0 : Math.Round(batches.Average(), 1),
                answers.Count(a => a.GetValueOrDefault("gc") > 0), answers.Count(a => a.GetValueOrDefault("gcgen") > 0), P("gcpause", 100));
        }
    }

    private static string Table(LatencyResult withings, LatencyResult oura, WarmUpResult warmUp, BurstResult burst, int maxWithings, MachineInfo machine)
    {
        var text = new StringBuilder();
        text.AppendLine("## LifeOs webhook benchmark");
        text.AppendLine();
        text.AppendLine($"{machine.Cores} cores ({machine.Cpu}) · {machine.Dotnet} · load average at start {machine.LoadAverage?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}");
        text.AppendLine();
        text.AppendLine($"| notification → data stored, {LatencyRuns} one at a time | p50 s | p95 s (goal < 5) | max s | endpoint median ms | timed out |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var r in new[] { withings, oura })
        {
            text.AppendLine($"| {r.Provider} | {r.P50Seconds:0.000} | {r.P95Seconds:0.000} | {r.MaxSeconds:0.000} | {r.EndpointP50Ms:0.0} | {r.TimedOut} |");
        }

        text.AppendLine();
        text.AppendLine($"| burst: {burst.Sent:N0} Withings notifications ({burst.Distinct} distinct), {burst.Users} users, {BurstSenders} senders | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine($"| warm-up before it, not measured: {warmUp.Sent} deliveries for other users, p50 / p99 / max | {warmUp.P50Ms:0.0} / {warmUp.P99Ms:0.0} / {warmUp.MaxMs:0.0} ms |");
        text.AppendLine($"| refused (not 200) | {burst.Refused} |");
        text.AppendLine($"| answered Duplicate | {burst.AnsweredDuplicate} |");
        text.AppendLine($"| recorded / processed / failed / lost | {burst.Recorded} / {burst.Processed} / {burst.Failed} / {burst.Lost} |");
        text.AppendLine($"| targeted runs (most per user) | {burst.Runs} ({burst.MaxRunsPerUser}) |");
        text.AppendLine($"| Withings data requests / one per user and service | {burst.ServiceFetches} / {burst.MinimumFetches} (most {burst.MaxFetchesPerUserAndService} for one; {burst.UnfetchedUserServices} never fetched) |");
        text.AppendLine($"| most Withings requests in any 60 s window | {maxWithings} (limit {WithingsLimit}) |");
        text.AppendLine($"| sent in / all processed after (lower bound at the limit) | {burst.SendSeconds:0.0} s / {burst.DrainSeconds:0.0} s ({burst.DrainLowerBoundSeconds:0.0} s) |");
        text.AppendLine($"| endpoint p50 / p95 / p99 (goal < 50) / max | {burst.EndpointP50Ms:0.0} / {burst.EndpointP95Ms:0.0} / {burst.EndpointP99Ms:0.0} / {burst.EndpointMaxMs:0.0} ms |");
        text.AppendLine($"| app CPU time per delivery while sending (runs included) | {burst.AppCpuMsPerDelivery:0.00} ms |");
        var server = burst.Server;
        text.AppendLine($"| server side (Server-Timing, {server.Answers} answers): total p50 / p99 | {server.TotalP50Ms:0.0} / {server.TotalP99Ms:0.0} ms |");
        text.AppendLine($"| … middleware before the handler p50 / p99; read, secret and connection look-up p50 / p99 | {server.PipelineP50Ms:0.00} / {server.PipelineP99Ms:0.00} ms; {server.ReadP50Ms:0.00} / {server.ReadP99Ms:0.00} ms |");
        text.AppendLine($"| … write: queue p99; write lock p50 / p99; inserts and commit p99; mean batch | {server.QueueP99Ms:0.00}; {server.LockP50Ms:0.00} / {server.LockP99Ms:0.00}; {server.WriteP99Ms:0.00} ms; {server.MeanBatch:0.0} |");
        text.AppendLine($"| … answers during which a GC began (a gen 1 or 2 one); longest GC pause within one answer | {server.AnswersWithGc} ({server.AnswersWithGen1Or2}); {server.GcPauseMaxMs:0.00} ms |");
        var p = burst.ByPosition;
        text.AppendLine($"| first {Positions.FirstDeliveries} sent: p50 / p99 / max (server total p99) | {p.FirstP50Ms:0.0} / {p.FirstP99Ms:0.0} / {p.FirstMaxMs:0.0} ms ({p.FirstServerP99Ms:0.0}) |");
        text.AppendLine($"| the rest: p50 / p99 / max (server total p99) | {p.RestP50Ms:0.0} / {p.RestP99Ms:0.0} / {p.RestMaxMs:0.0} ms ({p.RestServerP99Ms:0.0}) |");
        text.AppendLine();
        text.AppendLine("| slowest | sent # | at ms | client ms | server total | outside | pipeline | read | queue | lock | write | batch | gc | gc pause | threads | client's gc pause |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (d, i) in burst.Slowest.Select((d, i) => (d, i + 1)))
        {
            text.AppendLine($"| {i} | {d.Position} | {d.AtMs:0} | {d.Ms:0.0} | {d.TotalMs:0.0} | {d.OutsideMs:0.0} | {d.PipelineMs:0.00} | {d.ReadMs:0.00} | {d.QueueMs:0.00} | {d.LockMs:0.00} | {d.WriteMs:0.00} | {d.Batch} | {d.Gc}{(d.GcGeneration is { } g ? $" (gen {g})" : "")} | {d.GcPauseMs:0.00} | {d.Threads} | {d.ClientGcPauseMs:0.00} |");
        }
        return text.ToString();
    }
}
