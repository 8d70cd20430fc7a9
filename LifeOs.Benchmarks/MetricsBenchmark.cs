using System.Text;
using System.Text.Json;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 14's figures: the measurement history (/metrics, first page and filtered pages) and a metric's page
/// (/metrics/heart_rate) for a user with five years of minute-level heart rate (the dashboard's data set) plus a few
/// hundred typed-in weights, one request at a time, against the /healthz floor measured in the same run.
/// </summary>
internal sealed class MetricsBenchmark(BenchmarkOptions options)
{
    private const int TypedIn = 500;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-metrics-").FullName;
        try
        {
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            await using var app = PublishedApp.Start(new AppLaunchSettings(publishDirectory, scratch, options.AppEnvironment));
            await app.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(60), cancellationToken);
            var session = await AccountRegistration.RegisterAsync(app.BaseAddress, cancellationToken);

            var seeded = await DashboardBenchmark.SeedAsync(app.DataDirectory, cancellationToken);
            await SeedTypedInAsync(app.DataDirectory, cancellationToken);
            var yearAgo = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var pages = new (string Label, string Path)[]
            {
                ("/metrics, first page of every measurement", "/metrics"),
                ("/metrics?metric=heart_rate&from=(a year ago)", $"/metrics?metric=heart_rate&from={yearAgo}"),
                ("/metrics?source=kind:Manual (500 among 2.6M)", "/metrics?source=kind:Manual"),
                ("/metrics?source=kind:Synced", "/metrics?source=kind:Synced"),
                ("/metrics/heart_rate (30 days)", "/metrics/heart_rate"),
                ("/metrics/heart_rate?range=all", "/metrics/heart_rate?range=all"),
            };
            var load = new LoadBenchmark(app.BaseAddress, clients: 1, TimeSpan.FromSeconds(options.Seconds), TimeSpan.FromSeconds(options.WarmupSeconds));
            var floor = await load.MeasureAsync(FoundationBenchmark.HealthPath, cookies: null, cancellationToken);
            var results = new List<(string Label, EndpointResult Result)>();
            foreach (var (label, path) in pages)
            {
                results.Add((label, await load.MeasureAsync(path, session, cancellationToken)));
            }

            var result = new { TimestampUtc = DateTimeOffset.UtcNow, Machine = machine, Seeded = seeded, Healthz = floor, Pages = results.Select(r => new { r.Label, r.Result }) };
            Console.WriteLine(Table(floor, results, seeded, machine));
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            Log.Info($"JSON written to {jsonPath}");
            return floor.Errors + results.Sum(r => r.Result.Errors) == 0 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Typed-in weights spread over the five years: the rare rows a "typed in" filter must find among millions.</summary>
    private static async Task SeedTypedInAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        await using var store = await BenchStore.CreateAsync(dataDirectory, newUserId: null, cancellationToken);
        var userId = await store.Db.Users.Where(u => u.Email == AccountRegistration.Email).Select(u => u.Id).SingleAsync(cancellationToken);
        var health = store.Scope.GetRequiredService<HealthStore>();
        var now = DateTime.UtcNow;
        var inputs = Enumerable.Range(0, TypedIn)
            .Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, $"manual-bench-{i}", now.AddDays(-i * 3.6).AddHours(-2), 70 + (i % 7 * 0.3)))
            .ToList();
        await health.UpsertSamplesAsync(userId, inputs, cancellationToken);
        store.Checkpoint();
    }

    private static string Table(EndpointResult floor, List<(string Label, EndpointResult Result)> pages, DashboardBenchmark.Seeded seeded, MachineInfo machine)
    {
        var text = new StringBuilder();
        text.AppendLine("## LifeOs measurement history benchmark");
        text.AppendLine();
        text.AppendLine($"{machine.Cores} cores ({machine.Cpu}) · {machine.Dotnet} · load average at start {machine.LoadAverage?.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) ?? "n/a"}");
        text.AppendLine($"Seeded: {seeded.Samples:N0} samples ({seeded.HeartRateSamples:N0} minute-level heart rate) and {TypedIn} typed-in weights.");
        text.AppendLine();
        text.AppendLine("| page (one client, sequential; goal p95 < 50 ms) | requests | p50 ms | p95 ms | p99 ms | HTML bytes |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (label, result) in pages.Prepend(("/healthz (floor)", floor)))
        {
            text.AppendLine($"| {label} | {result.Requests} | {result.P50Ms:0.00} | {result.P95Ms:0.00} | {result.P99Ms:0.00} | {result.ResponseBytes:N0} |");
        }

        return text.ToString();
    }
}
