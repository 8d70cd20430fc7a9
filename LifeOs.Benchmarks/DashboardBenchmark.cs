using System.Text;
using System.Text.Json;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 7's figures: the published app, a user with five years of data (minute-level heart rate every
/// day, daily values for every dashboard metric), and the dashboard's server time for one year and for
/// all of it, one request at a time, against the /healthz floor measured in the same run.
/// </summary>
internal sealed class DashboardBenchmark(BenchmarkOptions options)
{
    private const int Years = 5;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-dashboard-").FullName;
        try
        {
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            // --postgres: the app and the seeding on one new database of a throwaway cluster, configured as an operator would.
            var database = options.Postgres
                ? new Dictionary<string, string?> { ["LifeOs:Database:Provider"] = "PostgreSQL", ["LifeOs:Database:ConnectionString"] = PostgresServer.CreateDatabase("dashboard") }
                : [];
            var environment = new Dictionary<string, string>(options.AppEnvironment, StringComparer.Ordinal);
            foreach (var (key, value) in database)
            {
                environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
            }

            await using var app = PublishedApp.Start(new AppLaunchSettings(publishDirectory, scratch, environment));
            await app.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(60), cancellationToken);
            var session = await AccountRegistration.RegisterAsync(app.BaseAddress, cancellationToken);

            var seeded = await SeedAsync(app.DataDirectory, cancellationToken, database);
            // 10 s of warm-up per page by default: counters showed tiered compilation re-jitting the dashboard's code
            // for the first ~6 s of its load (0.5–0.8 s of JIT a second), which a 2 s warm-up left in the measured part.
            var warmup = options.WarmupOr(10);
            var load = new LoadBenchmark(app.BaseAddress, clients: 1, TimeSpan.FromSeconds(options.Seconds), TimeSpan.FromSeconds(warmup));
            var floor = await load.MeasureAsync(FoundationBenchmark.HealthPath, cookies: null, cancellationToken);
            var year = await load.MeasureAsync("/?range=1y", session, cancellationToken);
            var all = await load.MeasureAsync("/?range=all", session, cancellationToken);
            var goals = await load.MeasureAsync("/goals", session, cancellationToken);

            var result = new { TimestampUtc = DateTimeOffset.UtcNow, Machine = machine, Engine = options.Postgres ? "PostgreSQL" : "SQLite", Seeded = seeded, Healthz = floor, Year = year, All = all, Goals = goals, WarmupSeconds = warmup, options.Seconds };
            Console.WriteLine(Table(floor, year, all, goals, seeded, machine, result.Engine, warmup, options.Seconds));
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            Log.Info($"JSON written to {jsonPath}");
            return floor.Errors + year.Errors + all.Errors + goals.Errors == 0 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(scratch, recursive: true);
        }
    }

    internal sealed record Seeded(long Samples, long HeartRateSamples, long DailyValues, int Goals, int JournalEntries, double Seconds);

    /// <summary>The dashboard's data set for the user <see cref="AccountRegistration"/> created (the circuits scenario seeds the same).</summary>
    /// <param name="settings">The app's database settings when it is not on its SQLite file (PostgreSQL).</param>
    internal static async Task<Seeded> SeedAsync(string dataDirectory, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await using var store = await BenchStore.CreateAsync(dataDirectory, newUserId: null, cancellationToken, settings);
        var userId = await store.Db.Users.Where(u => u.Email == AccountRegistration.Email).Select(u => u.Id).SingleAsync(cancellationToken);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var days = (Years * 365) + 1;
        Log.Info($"Seeding {Years} years of data with minute-level heart rate every day…");
        await store.UpsertAsync(userId, DemoData.Days(today.AddDays(-days + 1), today, minuteHeartRateDays: days), cancellationToken);
        var goals = await SeedGoalsAsync(store, userId, today.AddDays(-days + 1), cancellationToken);
        var entries = await SeedJournalAsync(store, userId, today, cancellationToken);
        var seeded = new Seeded(
            await store.CountSamplesAsync(cancellationToken),
            await store.Db.Samples.LongCountAsync(s => s.MetricCode == MetricCatalogue.HeartRate, cancellationToken),
            await store.Db.DailyValues.LongCountAsync(cancellationToken),
            goals,
            entries,
            Math.Round(watch.Elapsed.TotalSeconds, 1));
        if (store.Db.Database.IsSqlite())
        {
            store.Checkpoint();
        }
        else
        {
            // What autovacuum does on a real install long before five years of data: statistics, and a visibility map
            // that lets the covering indexes answer without visiting the table. Done here, it cannot start mid-measurement.
            await store.Db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE", cancellationToken);
        }

        Log.Info($"Seeded {seeded.Samples:N0} samples ({seeded.HeartRateSamples:N0} heart rate) and {seeded.DailyValues:N0} daily values in {seeded.Seconds} s");
        return seeded;
    }

    /// <summary>2,000 journal entries with mood and energy, most days of the five years (some days two).</summary>
    private static async Task<int> SeedJournalAsync(BenchStore store, string userId, DateOnly today, CancellationToken cancellationToken)
    {
        var journal = store.Scope.GetRequiredService<JournalService>();
        var random = new Random(5);
        const int count = 2000;
        for (var i = 0; i < count; i++)
        {
            var day = today.AddDays(-(int)(i * 0.9));
            var kind = i % 3 == 0 ? JournalKind.MorningPages : JournalKind.DailyReflection;
            var body = string.Join(' ', Enumerable.Range(0, 120).Select(w => Words[random.Next(Words.Length)]));
            var result = await journal.CreateAsync(userId, new JournalEntryInput(kind, day, null, null, body, random.Next(1, 6), random.Next(1, 6), "bench"), cancellationToken);
            if (!result.Succeeded)
            {
                throw new BenchmarkFailure($"Could not write journal entry {i}: {string.Join(" ", result.Errors.Values)}");
            }
        }

        return count;
    }

    private static readonly string[] Words = ["walked", "coffee", "slept", "tired", "work", "friends", "run", "rain", "read", "quiet", "garden", "music", "focus", "late", "early", "dinner"];

    /// <summary>20 goals of every metric kind, all started five years ago, so each is evaluated over the whole history.</summary>
    private static async Task<int> SeedGoalsAsync(BenchStore store, string userId, DateOnly start, CancellationToken cancellationToken)
    {
        var service = store.Scope.GetRequiredService<GoalService>();
        var kinds = new (GoalKind Kind, string Metric, Comparison Comparison, double Target, int? Days)[]
        {
            (GoalKind.DailyTarget, MetricCatalogue.Steps, Comparison.AtLeast, 10_000, null),
            (GoalKind.DailyTarget, MetricCatalogue.SleepDuration, Comparison.AtLeast, 7.5, null),
            (GoalKind.DailyTarget, MetricCatalogue.RestingHeartRate, Comparison.AtMost, 60, null),
            (GoalKind.DailyTarget, MetricCatalogue.SleepScore, Comparison.AtLeast, 75, null),
            (GoalKind.WeeklyAverage, MetricCatalogue.SleepDuration, Comparison.AtLeast, 7, null),
            (GoalKind.WeeklyAverage, MetricCatalogue.ReadinessScore, Comparison.AtLeast, 70, null),
            (GoalKind.WeeklyCount, MetricCatalogue.Steps, Comparison.AtLeast, 10_000, 4),
            (GoalKind.WeeklyCount, MetricCatalogue.HrvRmssd, Comparison.AtLeast, 45, 3),
            (GoalKind.BodyTarget, MetricCatalogue.Weight, Comparison.AtMost, 70, null),
            (GoalKind.DailyTarget, MetricCatalogue.HeartRate, Comparison.AtMost, 80, null),
        };
        for (var i = 0; i < 20; i++)
        {
            var (kind, metric, comparison, target, days) = kinds[i % kinds.Length];
            var result = await service.CreateAsync(userId, new GoalInput
            {
                Name = $"Goal {i + 1}",
                Kind = kind,
                MetricCode = metric,
                Comparison = comparison,
                Target = target,
                DaysPerWeek = days,
                StartDate = start,
                EndDate = kind == GoalKind.BodyTarget ? start.AddDays(6 * 365) : null,
            }, cancellationToken);
            if (!result.Succeeded)
            {
                throw new BenchmarkFailure($"Could not create goal {i + 1}: {string.Join(" ", result.Errors.Values)}");
            }
        }

        return 20;
    }

    private static string Table(EndpointResult floor, EndpointResult year, EndpointResult all, EndpointResult goals, Seeded seeded, MachineInfo machine, string engine, int warmup, int seconds)
    {
        var text = new StringBuilder();
        text.AppendLine($"## LifeOs dashboard benchmark ({engine})");
        text.AppendLine();
        text.AppendLine($"{machine.Cores} cores ({machine.Cpu}) · {machine.Dotnet} · load average at start {machine.LoadAverage?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"}");
        text.AppendLine($"Seeded: {seeded.Samples:N0} samples ({seeded.HeartRateSamples:N0} minute-level heart rate), {seeded.DailyValues:N0} daily values, {seeded.JournalEntries:N0} journal entries, {seeded.Goals} goals.");
        text.AppendLine($"Each page: {warmup} s of warm-up, then {seconds} s measured.");
        text.AppendLine();
        text.AppendLine("| page (one client, sequential) | requests | p50 ms | p95 ms | p99 ms | HTML bytes |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (label, result) in new[] { ("/healthz (floor)", floor), ("/?range=1y (goal p95 < 50 ms)", year), ("/?range=all (goal p95 < 100 ms)", all), ($"/goals, {seeded.Goals} goals over {Years} years (goal p95 < 50 ms)", goals) })
        {
            text.AppendLine($"| {label} | {result.Requests} | {result.P50Ms:0.00} | {result.P95Ms:0.00} | {result.P99Ms:0.00} | {result.ResponseBytes:N0} |");
        }

        return text.ToString();
    }
}
