namespace LifeOs.Benchmarks;

/// <summary>
/// The benchmark scenarios by name. Each issue's figures get a scenario of their own, in a file of
/// their own; add one line here to make it runnable.
/// </summary>
internal static class Scenarios
{
    private static readonly Dictionary<string, Func<BenchmarkOptions, CancellationToken, Task<int>>> All = new(StringComparer.Ordinal)
    {
        ["foundation"] = (options, ct) => new FoundationBenchmark(options).RunAsync(ct),
        ["ingest"] = (options, ct) => new IngestBenchmark(options).RunAsync(ct),
        ["dashboard"] = (options, ct) => new DashboardBenchmark(options).RunAsync(ct),
        ["journal"] = (options, ct) => new JournalBenchmark(options).RunAsync(ct),
        ["sync"] = (options, ct) => new SyncBenchmark(options).RunAsync(ct),
        ["nightly-cluster"] = (options, ct) => new NightlyClusterBenchmark(options).RunAsync(ct),
        ["circuits"] = (options, ct) => new CircuitsBenchmark(options).RunAsync(ct),
        ["concurrency"] = (options, ct) => new ConcurrencyBenchmark(options).RunAsync(ct),
        ["api"] = (options, ct) => new ApiBenchmark(options).RunAsync(ct),
        ["webhooks"] = (options, ct) => new WebhookBenchmark(options).RunAsync(ct),
        ["metrics"] = (options, ct) => new MetricsBenchmark(options).RunAsync(ct),
        ["csvimport"] = (options, ct) => new CsvImportBenchmark(options).RunAsync(ct),
        ["reminders"] = (options, ct) => new RemindersBenchmark(options).RunAsync(ct),
        ["applehealth"] = (options, ct) => new AppleHealthBenchmark(options).RunAsync(ct),
        ["restore"] = (options, ct) => new RestoreBenchmark(options).RunAsync(ct),
    };

    public static string Names => string.Join(", ", All.Keys);

    public static bool IsKnown(string name) => All.ContainsKey(name);

    public static Task<int> RunAsync(BenchmarkOptions options, CancellationToken cancellationToken) =>
        All[options.Scenario](options, cancellationToken);
}
