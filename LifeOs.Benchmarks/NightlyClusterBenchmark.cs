using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Sync;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 20's figure: the nightly run of 1,000 Withings users split across two instances of the published app on one
/// PostgreSQL database (a throwaway cluster, as the tests start one): the Quartz cluster, the shared Withings bucket,
/// <see cref="SyncBenchmark.FakeServer"/> on loopback with 50 ms latency, and the in-process nightly's app-wide limit
/// of 1,200 requests a minute on both instances and the bucket. Each user's last nightly run is two days old, so the
/// planner each instance fires at start-up finds every connection due (no wait for a wall-clock hour). Measured: the
/// time from the first nightly run queued to the last one finished against the lower bound the limit implies, the
/// busiest 60 seconds at the fake, the runs each instance finished (from their logs), and exactly once: one succeeded
/// nightly run per connection and one request per Withings service per user at the fake. A second pass kills one
/// instance after a third of the runs and shows the other finishing everything.
/// </summary>
internal sealed partial class NightlyClusterBenchmark(BenchmarkOptions options)
{
    private const int Users = 1_000;
    private const int WithingsPerMinute = 1_200;
    private const int LatencyMs = 50;
    private static readonly TimeSpan PassTimeout = TimeSpan.FromMinutes(15);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-nightly-cluster-").FullName;
        try
        {
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            await using var fake = await SyncBenchmark.FakeServer.StartAsync(cancellationToken);
            fake.LatencyMs = LatencyMs;

            // --only both / --only killed runs one pass (e.g. to iterate on the both-up figure without the kill).
            var passes = new List<PassResult>();
            (string Part, string Name, bool KillOne)[] all = [("both", "both up", false), ("killed", "one killed after a third", true)];
            foreach (var pass in all.Where(p => options.Runs(p.Part)))
            {
                passes.Add(await PassAsync(pass.Name, publishDirectory, scratch, fake, pass.KillOne, cancellationToken));
                Console.WriteLine(Table(passes, machine));
            }

            var result = new { TimestampUtc = DateTimeOffset.UtcNow, Machine = machine, Users, WithingsPerMinute, LatencyMs, Passes = passes };
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            Log.Info($"JSON written to {jsonPath}");
            return passes.All(p => p.Clean && (p.Killed || p.RunsPerInstance.Values.All(n => n > 0))) ? 0 : 1;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <param name="RunsPerInstance">Runs each instance logged as ended (a run taken over after a kill counts for the one that finished it).</param>
    /// <param name="Killed">Instance a was killed after a third of the runs.</param>
    /// <param name="RunningAtKill">Runs running just before the kill, on either instance (0 without a kill).</param>
    /// <param name="ConnectionsWithOneSucceededRun">Connections whose one nightly run of the pass succeeded.</param>
    /// <param name="ConnectionsWithMoreThanOneRun">Connections that got a second nightly run (or any other run) in the pass.</param>
    /// <param name="Timeline">Where the time between the first run queued and the last one finished went.</param>
    /// <param name="UsersWithOneRequestPerService">Users the fake saw exactly once on each Withings service and on nothing else
    /// (a run taken over repeats the requests its dead instance had not stored yet, once).</param>
    internal sealed record PassResult(
        string Name, int Users, int Requests, double Seconds, double LowerBoundSeconds, double Ratio, int MaxRequestsInAnyMinute, int Limit,
        IReadOnlyDictionary<string, int> RunsPerInstance, IReadOnlyDictionary<string, double?> CpuSecondsPerInstance, bool Killed, int RunningAtKill,
        int NightlyRuns, int Succeeded, int ConnectionsWithOneSucceededRun, int ConnectionsWithMoreThanOneRun, int ConnectionsMissing,
        int OtherRuns, int UsersWithOneRequestPerService, int MinRequestsPerUser, int MaxRequestsPerUser, double? LoadAverageBefore, double? LoadAverageAfter,
        Timeline Timeline)
    {
        public bool Clean => ConnectionsWithOneSucceededRun == Users && ConnectionsWithMoreThanOneRun == 0 && ConnectionsMissing == 0 && OtherRuns == 0
            && (Killed ? MaxRequestsPerUser <= 2 * SyncBenchmark.WithingsTypes.Length : UsersWithOneRequestPerService == Users) && MaxRequestsInAnyMinute <= Limit;
    }

    private async Task<PassResult> PassAsync(string name, string publishDirectory, string scratch, SyncBenchmark.FakeServer fake, bool killOne, CancellationToken cancellationToken)
    {
        var connectionString = PostgresServer.CreateDatabase("nightly");
        var database = new Dictionary<string, string?>
        {
            ["LifeOs:Database:Provider"] = "PostgreSQL",
            ["LifeOs:Database:ConnectionString"] = connectionString,
            ["Sync:SchedulerName"] = new NpgsqlConnectionStringBuilder(connectionString).Database,
        };
        await using var core = await SyncBenchmark.Core.CreateAsync(Directory.CreateDirectory(Path.Combine(scratch, $"seed-{Guid.NewGuid():N}")).FullName, fake.BaseUrl, database, cancellationToken);
        Log.Info($"Pass '{name}': seeding {Users:N0} Withings users on PostgreSQL…");
        var connections = await core.SeedAsync(Users, ProviderKind.Withings, cursorsComplete: true, cancellationToken);
        // Each connection's last nightly run two days ago: tonight's is due, and nothing asks for a backfill.
        await core.SeedNightlyRunsAsync(connections, DateTime.UtcNow.AddDays(-2), cancellationToken);
        fake.ResetCounters();
        var passStart = DateTime.UtcNow;
        var loadBefore = MachineInfo.ReadLoadAverage();

        var environment = new Dictionary<string, string>(options.AppEnvironment, StringComparer.Ordinal);
        foreach (var (key, value) in database)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        // The in-process nightly's limit, on each instance's own limiter and on the bucket they share.
        environment["Sync__WithingsRequestsPerMinute"] = WithingsPerMinute.ToString(CultureInfo.InvariantCulture);
        environment["Sync__SharedWithingsLimit"] = "true";
        foreach (var provider in new[] { "Withings", "Oura" })
        {
            environment.TryAdd($"Providers__{provider}__ClientId", "bench");
            environment.TryAdd($"Providers__{provider}__ClientSecret", "bench");
            environment.TryAdd($"Providers__{provider}__ApiBaseUrl", fake.BaseUrl);
        }

        var ended = new ConcurrentDictionary<long, string>();
        var instances = new Dictionary<string, PublishedApp>(StringComparer.Ordinal);
        var cpu = new Dictionary<string, double?>(StringComparer.Ordinal);
        var runningAtKill = 0;
        try
        {
            Log.Info($"Pass '{name}': starting two instances; each one's start-up fires the nightly planner…");
            foreach (var instance in new[] { "a", "b" })
            {
                var app = PublishedApp.Start(new AppLaunchSettings(publishDirectory, scratch, environment));
                app.StandardOutput.Watch = line =>
                {
                    if (EndedLine().Match(line) is { Success: true } match)
                    {
                        ended[long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)] = instance;
                    }
                };
                instances[instance] = app;
            }

            foreach (var app in instances.Values)
            {
                await app.WaitUntilServingAsync(FoundationBenchmark.HealthPath, TimeSpan.FromSeconds(180), cancellationToken);
            }

            var watch = Stopwatch.StartNew();
            var killed = !killOne;
            while (true)
            {
                var finished = await core.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.QueuedAt >= passStart && r.FinishedAt != null, cancellationToken));
                if (finished >= Users)
                {
                    break;
                }

                if (!killed && finished >= Users / 3)
                {
                    runningAtKill = await core.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.QueuedAt >= passStart && r.Status == SyncRunStatus.Running, cancellationToken));
                    cpu["a"] = instances["a"].CpuTime?.TotalSeconds;
                    await instances["a"].DisposeAsync();
                    instances.Remove("a");
                    killed = true;
                    Log.Info($"Pass '{name}': killed instance a after {finished} runs finished, {runningAtKill} running");
                }

                if (watch.Elapsed > PassTimeout)
                {
                    throw new BenchmarkFailure($"Pass '{name}': only {finished} of {Users} nightly runs finished within {PassTimeout.TotalMinutes} minutes.",
                        string.Join(Environment.NewLine, instances.Select(i => $"--- instance {i.Key}:{Environment.NewLine}{i.Value.Tail}")));
                }

                await Task.Delay(500, cancellationToken);
            }

            foreach (var (instance, app) in instances)
            {
                cpu[instance] = app.CpuTime?.TotalSeconds;
            }
        }
        finally
        {
            foreach (var app in instances.Values)
            {
                await app.DisposeAsync();
            }
        }

        var runs = await core.WithDbAsync(db => db.Set<SyncRun>().AsNoTracking().Where(r => r.QueuedAt >= passStart)
            .Select(r => new { r.Id, r.ConnectionId, r.Trigger, r.Status, r.QueuedAt, r.StartedAt, r.FinishedAt }).ToListAsync(cancellationToken));
        var nightly = runs.Where(r => r.Trigger == SyncTrigger.Nightly).ToList();
        var perConnection = nightly.GroupBy(r => r.ConnectionId).ToDictionary(g => g.Key, g => g.ToList());
        var (firstQueued, lastFinished) = (nightly.Min(r => r.QueuedAt), nightly.Max(r => r.FinishedAt!.Value));
        var seconds = (lastFinished - firstQueued).TotalSeconds;
        var requests = fake.Requests;
        var lowerBound = requests / (double)WithingsPerMinute * 60;
        var perUser = Enumerable.Range(0, Users).Select(i => fake.Fetches.Where(f => f.Key.StartsWith($"withings|{i}|", StringComparison.Ordinal)).ToDictionary(f => f.Key, f => f.Value)).ToList();
        var services = SyncBenchmark.WithingsTypes.Length;
        var result = new PassResult(
            name, Users, requests, Math.Round(seconds, 1), Math.Round(lowerBound, 1), Math.Round(seconds / Math.Max(1, lowerBound), 3),
            fake.MaxWithingsInAnyWindow(TimeSpan.FromMinutes(1)), WithingsPerMinute,
            ended.GroupBy(e => e.Value).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()), cpu, killOne, runningAtKill,
            nightly.Count, nightly.Count(r => r.Status == SyncRunStatus.Succeeded),
            connections.Count(c => perConnection.TryGetValue(c, out var list) && list is [{ Status: SyncRunStatus.Succeeded }]),
            perConnection.Count(p => p.Value.Count > 1), connections.Count(c => !perConnection.ContainsKey(c)), runs.Count - nightly.Count,
            perUser.Count(u => u.Count == services && u.Values.All(n => n == 1)), perUser.Min(u => u.Values.Sum()), perUser.Max(u => u.Values.Sum()),
            loadBefore, MachineInfo.ReadLoadAverage(),
            Timeline.Of(firstQueued, lastFinished, fake.WithingsTimesUtc(), nightly.Where(r => r.StartedAt != null).Select(r => r.StartedAt!.Value), nightly.Select(r => r.FinishedAt!.Value)));
        Log.Info($"Pass '{name}': {result.Seconds} s for {requests} requests (lower bound {result.LowerBoundSeconds} s, ×{result.Ratio}), " +
            $"max {result.MaxRequestsInAnyMinute} in any minute, runs per instance {string.Join(", ", result.RunsPerInstance.Select(r => $"{r.Key} {r.Value}"))}, clean: {result.Clean}");
        Log.Info($"Pass '{name}': {result.Timeline}");
        return result;
    }

    /// <summary>
    /// Where a pass's time went, from the first nightly run queued: the wait for the first Withings request, the time
    /// from the last request to the last run finished, seconds without any request in between, and requests, runs
    /// started and runs finished per 10 seconds (at the bucket's 1,180 a minute, a full 10 s holds about 197 requests).
    /// </summary>
    internal sealed record Timeline(
        double FirstRequestAfterSeconds, double LastRequestToLastFinishedSeconds, int SecondsWithoutRequests,
        IReadOnlyList<int> RequestsPer10Seconds, IReadOnlyList<int> RunsStartedPer10Seconds, IReadOnlyList<int> RunsFinishedPer10Seconds)
    {
        public static Timeline Of(DateTime firstQueued, DateTime lastFinished, IReadOnlyList<DateTime> requests, IEnumerable<DateTime> started, IEnumerable<DateTime> finished)
        {
            var buckets = (int)Math.Ceiling((lastFinished - firstQueued).TotalSeconds / 10) + 1;
            List<int> Per10Seconds(IEnumerable<DateTime> times)
            {
                var counts = new int[buckets];
                foreach (var time in times)
                {
                    counts[Math.Clamp((int)((time - firstQueued).TotalSeconds / 10), 0, buckets - 1)]++;
                }

                return [.. counts];
            }

            var busySeconds = requests.Select(r => (long)Math.Floor((r - firstQueued).TotalSeconds)).ToHashSet();
            var idle = requests.Count == 0 ? 0
                : (int)(busySeconds.Max() - busySeconds.Min() + 1 - busySeconds.Count);
            return new Timeline(
                requests.Count == 0 ? 0 : Math.Round((requests[0] - firstQueued).TotalSeconds, 2),
                requests.Count == 0 ? 0 : Math.Round((lastFinished - requests[^1]).TotalSeconds, 2),
                idle, Per10Seconds(requests), Per10Seconds(started), Per10Seconds(finished));
        }

        public override string ToString() =>
            $"first request {FirstRequestAfterSeconds:0.00} s after the first run queued; last run finished {LastRequestToLastFinishedSeconds:0.00} s after the last request; " +
            $"{SecondsWithoutRequests} s without a request in between{Environment.NewLine}" +
            $"  requests per 10 s:      {string.Join(' ', RequestsPer10Seconds)}{Environment.NewLine}" +
            $"  runs started per 10 s:  {string.Join(' ', RunsStartedPer10Seconds)}{Environment.NewLine}" +
            $"  runs finished per 10 s: {string.Join(' ', RunsFinishedPer10Seconds)}";
    }

    private static string Table(IReadOnlyList<PassResult> passes, MachineInfo machine)
    {
        string Row(string label, Func<PassResult, string> value) => $"| {label} | {string.Join(" | ", passes.Select(value))} |";
        var text = new StringBuilder();
        text.AppendLine("## LifeOs nightly sync across two instances (PostgreSQL, Quartz cluster, shared Withings bucket)");
        text.AppendLine();
        text.AppendLine($"{machine.Cores} cores ({machine.Cpu}) · {machine.Dotnet} · load average at start {machine.LoadAverage?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}");
        text.AppendLine();
        text.AppendLine($"| {Users:N0} Withings users × 1 day, {LatencyMs} ms latency, {WithingsPerMinute:N0}/min | {string.Join(" | ", passes.Select(p => p.Name))} |");
        text.AppendLine($"|---|{string.Concat(passes.Select(_ => "---:|"))}");
        text.AppendLine(Row("requests", p => p.Requests.ToString("N0", CultureInfo.InvariantCulture)));
        text.AppendLine(Row("first queued → last finished / lower bound", p => $"{p.Seconds:0.0} s / {p.LowerBoundSeconds:0.0} s (×{p.Ratio:0.00}; goal ≤ 1.2)"));
        text.AppendLine(Row("most requests in any 60 s window", p => $"{p.MaxRequestsInAnyMinute:N0} (limit {p.Limit:N0})"));
        text.AppendLine(Row("runs finished per instance", p => string.Join(", ", p.RunsPerInstance.Select(r => $"{r.Key}: {r.Value:N0}")) + (p.Killed ? $" (a killed with {p.RunningAtKill} running)" : "")));
        text.AppendLine(Row("CPU per instance", p => string.Join(", ", p.CpuSecondsPerInstance.Select(c => $"{c.Key}: {c.Value:0} s"))));
        text.AppendLine(Row("connections with one succeeded nightly run / twice / missing", p => $"{p.ConnectionsWithOneSucceededRun:N0} / {p.ConnectionsWithMoreThanOneRun} / {p.ConnectionsMissing}"));
        text.AppendLine(Row("users the fake saw once per service (4 requests)", p => $"{p.UsersWithOneRequestPerService:N0} (requests per user {p.MinRequestsPerUser}–{p.MaxRequestsPerUser}" +
            (p.Killed ? "; the others' runs were taken over" : "") + ")"));
        text.AppendLine(Row("load average at the start / end", p => $"{p.LoadAverageBefore:0.00} / {p.LoadAverageAfter:0.00}"));
        return text.ToString();
    }

    /// <summary>SyncService's last line of a run: "Sync run {RunId} of connection {ConnectionId} ({Provider}) ended {Status}".</summary>
    [GeneratedRegex(@"Sync run (\d+) of connection \d+ \(\w+\) ended ")]
    private static partial Regex EndedLine();
}
