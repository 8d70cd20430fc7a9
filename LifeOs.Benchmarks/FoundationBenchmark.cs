namespace LifeOs.Benchmarks;

/// <summary>Publish once, time the cold starts, then load-test one long-running instance.</summary>
internal sealed class FoundationBenchmark(BenchmarkOptions options)
{
    public const string HealthPath = "/healthz";

    // A signed-in page with the full shell (layout, nav) and a form that reads the user's settings.
    public const string ShellPath = "/settings";

    /// <returns>The process exit code: 0 when every request succeeded.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-bench-").FullName;
        var keepPublish = false;
        try
        {
            // Read before publishing: the build itself would push the load average up.
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            if (machine.LooksBusy)
            {
                Log.Info($"Warning: load average {machine.LoadAverage} on {machine.Cores} cores; something else is running and the figures will be noisy.");
            }

            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            keepPublish = options.KeepPublish && options.SkipPublishDirectory is null;

            var launch = new AppLaunchSettings(publishDirectory, scratch, options.AppEnvironment);
            var coldStart = await new ColdStartBenchmark(launch).RunAsync(options.ColdRuns, cancellationToken);
            var load = await MeasureLoadAsync(launch, cancellationToken);
            var report = new BenchmarkReport(
                DateTimeOffset.UtcNow, machine, options.AppEnvironment.Count == 0 ? null : options.AppEnvironment, coldStart, load);

            var json = Report.ToJson(report);
            Console.WriteLine(Report.ToTable(report));
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            Log.Info($"JSON written to {jsonPath}");

            return ReportErrors(load.Healthz) + ReportErrors(load.Shell) == 0 ? 0 : 1;
        }
        finally
        {
            Cleanup(scratch, keepPublish);
        }
    }

    private async Task<LoadResult> MeasureLoadAsync(AppLaunchSettings launch, CancellationToken cancellationToken)
    {
        await using var app = PublishedApp.Start(launch);
        await app.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(60), cancellationToken);
        try
        {
            var session = await AccountRegistration.RegisterAsync(app.BaseAddress, cancellationToken);
            Log.Info($"Registered {AccountRegistration.Email} through the form; {AccountRegistration.AuthCookieName} cookie received.");

            var load = new LoadBenchmark(app.BaseAddress, options.Clients, TimeSpan.FromSeconds(options.Seconds), TimeSpan.FromSeconds(options.WarmupSeconds));
            var healthz = await load.MeasureAsync(HealthPath, cookies: null, cancellationToken);
            var shell = await load.MeasureAsync(ShellPath, session, cancellationToken);
            return new LoadResult(options.Clients, options.Seconds, options.WarmupSeconds, healthz, shell, LoadRatio.Of(shell, healthz));
        }
        catch (BenchmarkFailure ex) when (ex.Details is null)
        {
            // Whatever went wrong over HTTP, the app's own log usually says why.
            throw new BenchmarkFailure(ex.Message, app.Tail);
        }
    }

    /// <returns>The number of failed requests, after saying loudly what they were.</returns>
    private static long ReportErrors(EndpointResult result)
    {
        var total = result.Errors + result.WarmupErrors;
        if (total > 0)
        {
            Console.Error.WriteLine($"FAILED: {total} request(s) to {result.Path} did not answer 200:");
            foreach (var (kind, count) in result.ErrorKinds ?? new Dictionary<string, long>())
            {
                Console.Error.WriteLine($"  {count} × {kind}");
            }
        }

        return total;
    }

    private static void Cleanup(string scratch, bool keepPublish)
    {
        try
        {
            if (keepPublish)
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
