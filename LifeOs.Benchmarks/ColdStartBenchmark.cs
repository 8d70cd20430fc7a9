namespace LifeOs.Benchmarks;

/// <summary>
/// Time from starting the published app to the first 200 of the login page, each run on an empty data
/// directory: the first-install path, database creation and migration included.
/// </summary>
internal sealed class ColdStartBenchmark(AppLaunchSettings launch)
{
    public const string ProbePath = "/Account/Login";
    public static readonly TimeSpan Target = TimeSpan.FromSeconds(2);

    // Far above the target: a slow start should be measured and reported, not turned into a failure.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public async Task<ColdStartResult> RunAsync(int runs, CancellationToken cancellationToken)
    {
        await PublishedApp.WarmUpProbeAsync(cancellationToken);
        var times = new List<double>(runs);
        for (var run = 1; run <= runs; run++)
        {
            // Runs are strictly sequential: the previous process has exited before the next starts,
            // so no run competes with another for the CPU.
            await using var app = PublishedApp.Start(launch);
            var elapsed = await app.WaitUntilServingAsync(ProbePath, StartTimeout, cancellationToken);
            times.Add(Math.Round(elapsed.TotalMilliseconds, 1));
            Log.Info($"Cold start {run}/{runs}: {elapsed.TotalMilliseconds:0} ms");
        }

        return ColdStartResult.From(ProbePath, times, Target);
    }
}
