using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Data;
using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 3's figures: one user with 10,000 journal entries (about 3 million words) in the published app.
/// Measures, one client at a time (the latency a person sees), the /healthz floor, the first page of
/// /journal and full-text searches; then the same pages under the --clients load; and, in-process
/// against the same database file, the streak computation. Targets: search p95 &lt; 50 ms, /journal
/// p95 &lt; 50 ms, streaks &lt; 10 ms.
/// </summary>
internal sealed class JournalBenchmark(BenchmarkOptions options)
{
    public const int Entries = 10_000;
    public const int WordsPerEntry = 300;
    private const int SequentialRequests = 300;

    // A few words people search for (common and rare, one or two words, a prefix), rotated.
    private static readonly string[] Queries =
    [
        "harbour", "coffee morning", "lighthouse", "quiet walk", "grateful", "meeting", "sleep", "ferr",
        "mountain bread", "family dinner", "deadline", "rain", "zephyr", "running tired", "book",
        "walk canal", "focus", "tomorrow", "sketch", "garden",
    ];

    private static readonly string[] Vocabulary = BuildVocabulary();

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-bench-journal-").FullName;
        try
        {
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            var launch = new AppLaunchSettings(publishDirectory, scratch, options.AppEnvironment);

            await using var app = PublishedApp.Start(launch);
            await app.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(60), cancellationToken);
            var cookies = await AccountRegistration.RegisterAsync(app.BaseAddress, cancellationToken);
            var connectionString = $"Data Source={Path.Combine(app.DataDirectory, "lifeos.db")};Pooling=False";

            var seed = await SeedAsync(connectionString, cancellationToken);
            Log.Info($"Seeded {seed.Entries:N0} entries, {seed.Words:N0} words in {seed.Seconds:0.0} s.");

            // With a new connection for every call (which also parses the schema), then as the app runs it:
            // Core composed as the app composes it, with pooled connections and the same interceptor.
            LatencyResult coldStreaks;
            await using (var db = Open(connectionString))
            {
                coldStreaks = await MeasureStreaksAsync("  … with a new connection for every call", db, cancellationToken);
            }

            LatencyResult streaks;
            await using (var store = await BenchStore.CreateAsync(app.DataDirectory, newUserId: null, cancellationToken))
            {
                streaks = await MeasureStreaksAsync("JournalStreakService.GetAsync (overall + per kind, in-process)", store.Db, cancellationToken);
            }

            Log.Info($"Streaks: p50 {streaks.P50Ms:0.00} ms, p95 {streaks.P95Ms:0.00} ms; new connection each call: p50 {coldStreaks.P50Ms:0.00} ms, p95 {coldStreaks.P95Ms:0.00} ms.");

            using var http = new HttpClient(new SocketsHttpHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };
            var sequential = new List<LatencyResult>
            {
                await SequentialAsync(app, http, "/healthz", _ => "/healthz", cancellationToken),
                await SequentialAsync(app, http, "/journal", _ => "/journal", cancellationToken),
                await SequentialAsync(app, http, "/journal?q=…", i => "/journal?q=" + Uri.EscapeDataString(Queries[i % Queries.Length]), cancellationToken),
            };

            var load = new LoadBenchmark(app.BaseAddress, options.Clients, TimeSpan.FromSeconds(options.Seconds), TimeSpan.FromSeconds(options.WarmupSeconds));
            var loaded = new List<EndpointResult>
            {
                await load.MeasureAsync("/healthz", cookies: null, cancellationToken),
                await load.MeasureAsync("/journal", cookies, cancellationToken),
                await load.MeasureAsync("/journal?q=coffee", cookies, cancellationToken),
            };

            var report = new JournalReport(DateTimeOffset.UtcNow, machine, seed, streaks, coldStreaks, sequential, options.Clients, loaded);
            var json = JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(Table(report));
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            Log.Info($"JSON written to {jsonPath}");
            return loaded.Sum(r => r.Errors + r.WarmupErrors) + sequential.Sum(r => r.Errors) == 0 ? 0 : 1;
        }
        finally
        {
            try
            {
                if (options.KeepPublish && options.SkipPublishDirectory is null)
                {
                    Directory.Delete(Path.Combine(scratch, "src"), recursive: true);
                    Log.Info($"Publish output kept: rerun with --skip-publish {Path.Combine(scratch, "publish")}");
                }
                else
                {
                    Directory.Delete(scratch, recursive: true);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.Info($"Warning: could not delete '{scratch}' ({ex.Message}).");
            }
        }
    }

    private static LifeOsDbContext Open(string connectionString) =>
        new(new DbContextOptionsBuilder<LifeOsDbContext>().UseSqlite(connectionString).Options);

    /// <summary>10,000 entries over the last ~27 years, about 300 words each from a Zipf-like vocabulary, inserted through EF (the FTS triggers run).</summary>
    private static async Task<SeedResult> SeedAsync(string connectionString, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await using var db = Open(connectionString);
        var userId = await db.Users.Where(u => u.Email == AccountRegistration.Email).Select(u => u.Id).SingleAsync(cancellationToken);
        var random = new Random(42);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var kinds = JournalKinds.All;
        var tags = new[] { "work", "family", "running", "sleep", "travel", "books", "health", "friends", "ideas", "money" };
        long words = 0;
        var now = DateTime.UtcNow;
        for (var batch = 0; batch < Entries / 1000; batch++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            for (var i = 0; i < 1000; i++)
            {
                var n = batch * 1000 + i;
                var body = Body(random, WordsPerEntry - 40 + random.Next(80));
                var entryTags = tags.OrderBy(_ => random.Next()).Take(random.Next(4)).ToList();
                var kind = kinds[n % 7 == 0 ? 2 : random.Next(kinds.Count)];
                var date = today.AddDays(-n);
                var count = JournalRules.CountWords(body);
                words += count;
                db.JournalEntries.Add(new JournalEntry
                {
                    Uid = Guid.NewGuid().ToString("N"),
                    UserId = userId,
                    Kind = kind,
                    LocalDate = date,
                    Week = kind == JournalKind.WeeklyReview ? IsoWeek.Format(date) : null,
                    Title = random.Next(3) == 0 ? null : string.Join(' ', Enumerable.Range(0, 3 + random.Next(4)).Select(_ => Word(random))),
                    Body = body,
                    Mood = random.Next(6) is var m && m == 0 ? null : m,
                    Energy = random.Next(6) is var e && e == 0 ? null : e,
                    Tags = string.Join('\n', entryTags),
                    TagRows = entryTags.Select(t => new JournalTag { UserId = userId, Name = t }).ToList(),
                    WordCount = count,
                    CreatedAt = now,
                    UpdatedAt = now,
                });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        await db.Database.ExecuteSqlRawAsync("PRAGMA optimize;", cancellationToken);
        return new SeedResult(Entries, words, Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1));
    }

    private static async Task<LatencyResult> MeasureStreaksAsync(string label, LifeOsDbContext db, CancellationToken cancellationToken)
    {
        var userId = await db.Users.Where(u => u.Email == AccountRegistration.Email).Select(u => u.Id).SingleAsync(cancellationToken);
        var service = new JournalStreakService(db, TimeProvider.System);
        var times = new List<double>();
        var cpuStart = TimeSpan.Zero;
        // Warm-up calls are not measured: a running server has long since compiled this path to its final tier.
        const int warmup = 400, measured = 300;
        for (var i = 0; i < warmup + measured; i++)
        {
            if (i == warmup)
            {
                cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            }

            var started = Stopwatch.GetTimestamp();
            var streaks = await service.GetAsync(userId, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i >= warmup)
            {
                times.Add(elapsed);
            }

            if (streaks.Overall.Longest < 1000)
            {
                throw new BenchmarkFailure($"Expected a long streak over the seeded days, got {streaks.Overall}.");
            }
        }

        // CPU time is what the computation costs; wall time also holds waiting for a core on a busy machine.
        var cpuPerCall = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / times.Count;
        return LatencyResult.From(label, times, 0) with { CpuMsPerRequest = Math.Round(cpuPerCall, 2) };
    }

    /// <summary>One request at a time, after 30 unmeasured ones: the latency one person sees.</summary>
    private static async Task<LatencyResult> SequentialAsync(PublishedApp app, HttpClient http, string label, Func<int, string> path, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        var errors = 0;
        TimeSpan? cpuStart = null;
        for (var i = -30; i < SequentialRequests; i++)
        {
            if (i == 0)
            {
                cpuStart = app.CpuTime;
            }

            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path(i + 30), cancellationToken);
            _ = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
            {
                if (errors++ == 0)
                {
                    Log.Info($"{path(i + 30)} answered {(int)response.StatusCode}");
                }
            }
            else if (i >= 0)
            {
                times.Add(elapsed);
            }
        }

        var cpuEnd = app.CpuTime;
        var result = LatencyResult.From(label, times, errors) with
        {
            CpuMsPerRequest = cpuStart is { } a && cpuEnd is { } b ? Math.Round((b - a).TotalMilliseconds / SequentialRequests, 2) : null,
        };
        Log.Info($"{label}: p50 {result.P50Ms:0.00} ms, p95 {result.P95Ms:0.00} ms, {errors} errors (sequential)");
        return result;
    }

    private static string Body(Random random, int words)
    {
        var text = new StringBuilder(words * 7);
        for (var i = 0; i < words; i++)
        {
            text.Append(Word(random));
            text.Append(i % 15 == 14 ? ".\n\n" : i % 7 == 6 ? ", " : " ");
        }

        return text.ToString();
    }

    /// <summary>Zipf-like: a few words are everywhere, most are rare, as in real writing.</summary>
    private static string Word(Random random) => Vocabulary[(int)Math.Min(Vocabulary.Length - 1, Math.Floor(Math.Pow(Vocabulary.Length, random.NextDouble())) - 1)];

    private static string[] BuildVocabulary()
    {
        const string common = "the and to of a i in was it my that for on with is today me had but at so we this be not feel about felt more time day just like what out some from all it's up after really think work morning walk coffee sleep family friend tired good quiet rain harbour sketch lighthouse meeting deadline book running garden bread mountain canal dinner grateful focus tomorrow ferries tea kitchen window light dog cat city train call mother father sister brother plan idea write writing page music long short week weekend evening night early late better worse happy anxious calm busy slow fast home office trip sea river forest snow sun cloud wind";
        var words = common.Split(' ').ToList();
        // A long tail of rarer words, so that not every query matches half the journal.
        var syllables = new[] { "ka", "lo", "mi", "ren", "to", "va", "shi", "ne", "por", "zu", "el", "an", "qui", "ber", "dor", "fa" };
        var random = new Random(7);
        while (words.Count < 20_000)
        {
            words.Add(string.Concat(Enumerable.Range(0, 2 + random.Next(3)).Select(_ => syllables[random.Next(syllables.Length)])));
        }

        words.Add("zephyr");
        return words.Distinct().ToArray();
    }

    private static string Table(JournalReport report)
    {
        var text = new StringBuilder();
        text.AppendLine($"Journal benchmark, {report.Seed.Entries:N0} entries, {report.Seed.Words:N0} words ({report.Machine.Cores} cores, {report.Machine.Cpu}, load average {report.Machine.LoadAverage} at start)");
        text.AppendLine("One client at a time:");
        foreach (var r in report.Sequential.Prepend(report.StreaksNewConnection).Prepend(report.Streaks))
        {
            text.AppendLine($"  {r.Label,-64} p50 {r.P50Ms,8:0.00} ms   p95 {r.P95Ms,8:0.00} ms   p99 {r.P99Ms,8:0.00} ms   cpu/req {r.CpuMsPerRequest,6:0.00} ms   n={r.Samples}");
        }

        text.AppendLine($"{report.Clients} clients:");
        foreach (var r in report.UnderLoad)
        {
            text.AppendLine($"  {r.Path,-64} {r.RequestsPerSecond,8:0} req/s   p50 {r.P50Ms,8:0.00} ms   p95 {r.P95Ms,8:0.00} ms   errors {r.Errors}");
        }

        return text.ToString();
    }

    private sealed record SeedResult(int Entries, long Words, double Seconds);

    /// <param name="CpuMsPerRequest">CPU time of the process doing the work (the app, or this process for in-process timings), per request; 10 ms resolution summed over all requests.</param>
    private sealed record LatencyResult(string Label, int Samples, double P50Ms, double P95Ms, double P99Ms, double MaxMs, int Errors, double? CpuMsPerRequest = null)
    {
        public static LatencyResult From(string label, List<double> times, int errors)
        {
            var sorted = times.Order().ToArray();
            return new LatencyResult(label, sorted.Length, Math.Round(Percentiles.Of(sorted, 50), 2), Math.Round(Percentiles.Of(sorted, 95), 2), Math.Round(Percentiles.Of(sorted, 99), 2), sorted.Length == 0 ? 0 : Math.Round(sorted[^1], 2), errors);
        }
    }

    private sealed record JournalReport(DateTimeOffset At, MachineInfo Machine, SeedResult Seed, LatencyResult Streaks, LatencyResult StreaksNewConnection, IReadOnlyList<LatencyResult> Sequential, int Clients, IReadOnlyList<EndpointResult> UnderLoad);
}
