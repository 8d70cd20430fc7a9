using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 13's figures for the interactive UI, on the published app with the dashboard's five-year data set:
/// cold start; first paint of the prerendered page against the static SSR app of another ref (main), side by
/// side; memory per idle circuit at 100 and 500 real circuits; and the cost of switching the dashboard's range
/// on a live circuit, from a real browser.
/// </summary>
internal sealed class CircuitsBenchmark(BenchmarkOptions options)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-circuits-").FullName;
        try
        {
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            if (machine.LooksBusy)
            {
                Log.Info($"Warning: load average {machine.LoadAverage} on {machine.Cores} cores; something else is running and the figures will be noisy.");
            }

            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            StaticBuild? staticBuild = null;
            if (options.Runs("paint"))
            {
                staticBuild = await StaticBuild.PrepareAsync(repositoryRoot, options.StaticRef, options.SkipStaticPublishDirectory, scratch, cancellationToken);
            }

            var launch = new AppLaunchSettings(publishDirectory, scratch, options.AppEnvironment);
            ColdStartResult? coldStart = null;
            if (options.Runs("cold"))
            {
                // First, while nothing else of ours runs.
                coldStart = await new ColdStartBenchmark(launch).RunAsync(options.ColdRuns, cancellationToken);
            }

            await using var app = PublishedApp.Start(launch);
            await app.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(60), cancellationToken);
            var session = await AccountRegistration.RegisterAsync(app.BaseAddress, cancellationToken);
            var seeded = await DashboardBenchmark.SeedAsync(app.DataDirectory, cancellationToken);

            FirstPaintResult? paint = null;
            if (staticBuild is not null)
            {
                paint = await new FirstPaintBenchmark(app, staticBuild, session, options).RunAsync(scratch, cancellationToken);
            }

            CircuitMemoryResult? memory = null;
            if (options.Runs("memory"))
            {
                memory = await new CircuitMemoryBenchmark(app, session, options.Page, TimeSpan.FromSeconds(options.HoldSeconds)).RunAsync(options.CircuitCounts, cancellationToken);
            }

            InteractionResult? interaction = null;
            if (options.Runs("interaction"))
            {
                interaction = await new InteractionBenchmark(app, session, options).RunAsync(cancellationToken);
            }

            var report = new CircuitsReport(
                DateTimeOffset.UtcNow,
                machine,
                options.AppEnvironment.Count == 0 ? null : options.AppEnvironment,
                options.Page,
                seeded,
                coldStart,
                paint,
                memory,
                interaction);
            var json = JsonSerializer.Serialize(report, Json);
            Console.WriteLine(Table(report));
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            Log.Info($"JSON written to {jsonPath}");
            return (paint?.Errors ?? 0) + (interaction?.Errors ?? 0) == 0 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Cleanup(scratch);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Log.Info($"Warning: could not delete '{scratch}' ({ex.Message}).");
            }
        }
    }

    /// <summary>Deletes the scratch directory; with --keep-publish, all but the publish outputs (printed for --skip-publish).</summary>
    private void Cleanup(string scratch)
    {
        if (!options.KeepPublish)
        {
            Directory.Delete(scratch, recursive: true);
            return;
        }

        foreach (var entry in Directory.EnumerateFileSystemEntries(scratch))
        {
            var name = Path.GetFileName(entry);
            if (name is "publish" or "static-publish")
            {
                Log.Info($"Publish output kept: {(name == "publish" ? "--skip-publish" : "--skip-static-publish")} {entry}");
            }
            else if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    private static string Table(CircuitsReport report)
    {
        var machine = report.Machine;
        var text = new StringBuilder();
        text.AppendLine("## LifeOs interactive pages and circuits");
        text.AppendLine();
        text.AppendLine($"{report.TimestampUtc:yyyy-MM-dd HH:mm} UTC · {machine.Cores} cores ({machine.Cpu}) · {machine.Dotnet} · load average at start {machine.LoadAverage?.ToString("0.00") ?? "n/a"}");
        var seeded = report.Seeded;
        text.AppendLine($"Page under test: {report.Page} · seeded: {seeded.Samples:N0} samples ({seeded.HeartRateSamples:N0} minute-level heart rate), {seeded.DailyValues:N0} daily values, {seeded.JournalEntries:N0} journal entries, {seeded.Goals} goals.");
        if (report.AppEnvironment is { } environment)
        {
            text.AppendLine($"App environment overrides: {string.Join(", ", environment.Select(v => $"{v.Key}={v.Value}"))}");
        }

        if (report.ColdStart is { } cold)
        {
            text.AppendLine();
            text.AppendLine($"### Cold start (process start → first 200 on {cold.Path}, published app, empty data directory)");
            text.AppendLine();
            text.AppendLine("| runs | min ms | median ms | max ms | goal |");
            text.AppendLine("|---|---:|---:|---:|---|");
            var met = cold.Median < cold.TargetMs ? "✓" : "**missed**";
            text.AppendLine($"| {cold.Runs.Count}: {string.Join(", ", cold.Runs.Select(r => r.ToString("0")))} | {cold.Min:0} | {cold.Median:0} | {cold.Max:0} | median < {cold.TargetMs:0} ms {met} |");
        }

        if (report.FirstPaint is { } paint)
        {
            FirstPaintBenchmark.AppendTable(text, paint);
        }

        if (report.Memory is { } memory)
        {
            text.AppendLine();
            text.AppendLine($"### Memory per idle circuit ({memory.Page}; each circuit: its own prerendered GET, started over /_blazor, first render acknowledged, settled, held open)");
            text.AppendLine();
            text.AppendLine("| circuits | RSS MB | live managed MB | RSS / circuit KB | live managed / circuit KB | managed heap / circuit KB | components / circuit | s to open the new ones | first render p95 ms | goal |");
            text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            text.AppendLine($"| baseline | {Mb(memory.Baseline.RssBytes)} | {Mb(memory.Baseline.LiveManagedBytes)} | | | | | | | |");
            foreach (var step in memory.Steps)
            {
                var met = step.RssPerCircuitKb <= memory.GoalKbPerCircuit ? "✓" : "**missed**";
                text.AppendLine($"| {step.Circuits} | {Mb(step.Memory.RssBytes)} | {Mb(step.Memory.LiveManagedBytes)} | {step.RssPerCircuitKb:0} | {step.LiveManagedPerCircuitKb:0} | {step.ManagedHeapPerCircuitKb:0} | {step.ComponentsPerCircuit:0} | {step.OpenSeconds:0.0} | {step.FirstRenderP95Ms:0} | RSS ≤ {memory.GoalKbPerCircuit:0} KB {met} |");
            }

            text.AppendLine($"| all closed | {Mb(memory.AfterClose.RssBytes)} | {Mb(memory.AfterClose.LiveManagedBytes)} | | | | | | | |");
        }

        if (report.Interaction is { } interaction)
        {
            InteractionBenchmark.AppendTable(text, interaction);
        }

        return text.ToString();
    }

    private static string Mb(long bytes) => (bytes / 1048576.0).ToString("0.0");
}

internal sealed record CircuitsReport(
    DateTimeOffset TimestampUtc,
    MachineInfo Machine,
    IReadOnlyDictionary<string, string>? AppEnvironment,
    string Page,
    DashboardBenchmark.Seeded Seeded,
    ColdStartResult? ColdStart,
    FirstPaintResult? FirstPaint,
    CircuitMemoryResult? Memory,
    InteractionResult? Interaction);
