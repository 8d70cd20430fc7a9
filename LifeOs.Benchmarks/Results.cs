using System.Globalization;
using System.Runtime.InteropServices;

namespace LifeOs.Benchmarks;

// The JSON document, property for property (System.Text.Json writes them camelCased).

/// <param name="AppEnvironment">The --env overrides the app ran with; absent when there were none.</param>
internal sealed record BenchmarkReport(
    DateTimeOffset TimestampUtc, MachineInfo Machine, IReadOnlyDictionary<string, string>? AppEnvironment, ColdStartResult ColdStartMs, LoadResult Load);

/// <param name="LoadAverage">1-minute load average when the run began (Linux): other work on the machine
/// skews every figure, and this is the evidence of whether it was quiet.</param>
internal sealed record MachineInfo(int Cores, string Os, string Cpu, string Dotnet, string Sdk, double? LoadAverage)
{
    public static async Task<MachineInfo> DescribeAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        // Run where global.json applies, so this is the SDK that published the app.
        var sdk = await ChildProcess.RunAsync("dotnet", ["--version"], repositoryRoot, cancellationToken);
        return new MachineInfo(
            Environment.ProcessorCount,
            RuntimeInformation.OSDescription,
            CpuModel(),
            RuntimeInformation.FrameworkDescription,
            sdk.ExitCode == 0 ? sdk.StandardOutput.ToString().Trim() : "unknown",
            ReadLoadAverage());
    }

    public bool LooksBusy => LoadAverage > Cores / 2.0;

    /// <summary>The 1-minute load average now (Linux), or null.</summary>
    public static double? ReadLoadAverage()
    {
        const string loadAverage = "/proc/loadavg";
        return File.Exists(loadAverage)
            && double.TryParse(File.ReadAllText(loadAverage).Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var line = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
            : null;
        return line?[(line.IndexOf(':') + 1)..].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}

internal sealed record ColdStartResult(string Path, IReadOnlyList<double> Runs, double Min, double Median, double Max, double TargetMs, bool AnyRunOverTarget)
{
    public static ColdStartResult From(string path, IReadOnlyList<double> runs, TimeSpan target) => new(
        path,
        runs,
        runs.Min(),
        Math.Round(Percentiles.Median(runs), 1),
        runs.Max(),
        target.TotalMilliseconds,
        runs.Any(run => run > target.TotalMilliseconds));
}

internal sealed record LoadResult(int Clients, int Seconds, int WarmupSeconds, EndpointResult Healthz, EndpointResult Shell, LoadRatio Ratio);

/// <param name="Requests">Requests completed in the measured window, errors included.</param>
/// <param name="P50Ms">Latency percentiles of the successful (200) requests, full body read.</param>
/// <param name="ResponseBytes">Body size of one response, to show how much more the shell page carries.</param>
/// <param name="ErrorKinds">Count per kind of failure (status or exception); absent when there were none.</param>
internal sealed record EndpointResult(
    string Path,
    long Requests,
    double RequestsPerSecond,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    long Errors,
    long WarmupErrors,
    long ResponseBytes,
    IReadOnlyDictionary<string, long>? ErrorKinds);

/// <summary>Shell page divided by the /healthz floor.</summary>
internal sealed record LoadRatio(double RequestsPerSecond, double P95)
{
    public static LoadRatio Of(EndpointResult shell, EndpointResult floor) => new(
        Divide(shell.RequestsPerSecond, floor.RequestsPerSecond),
        Divide(shell.P95Ms, floor.P95Ms));

    private static double Divide(double numerator, double denominator) =>
        denominator == 0 ? 0 : Math.Round(numerator / denominator, 3);
}
