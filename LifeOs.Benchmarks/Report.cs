using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LifeOs.Benchmarks;

/// <summary>The human table (Markdown, pastes into a PR or the design notes) and the JSON document.</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string ToJson(BenchmarkReport report) => JsonSerializer.Serialize(report, JsonOptions);

    public static string ToTable(BenchmarkReport report)
    {
        var machine = report.Machine;
        var cold = report.ColdStartMs;
        var load = report.Load;
        var text = new StringBuilder();
        text.AppendLine("## LifeOs foundation benchmark");
        text.AppendLine();
        text.AppendLine($"{report.TimestampUtc:yyyy-MM-dd HH:mm} UTC · {machine.Cores} cores ({machine.Cpu}) · {machine.Os} · {machine.Dotnet} · SDK {machine.Sdk} · load average at start {machine.LoadAverage?.ToString("0.00") ?? "n/a"}");
        if (report.AppEnvironment is { } environment)
        {
            text.AppendLine();
            text.AppendLine($"App environment overrides: {string.Join(", ", environment.Select(v => $"{v.Key}={v.Value}"))}");
        }

        text.AppendLine();
        text.AppendLine($"### Cold start: process start → first 200 on {cold.Path} (empty data directory, new database each run)");
        text.AppendLine();
        text.AppendLine($"| runs | min ms | median ms | max ms | any run over {cold.TargetMs:0} ms |");
        text.AppendLine("|---|---:|---:|---:|---|");
        text.AppendLine($"| {cold.Runs.Count}: {string.Join(", ", cold.Runs.Select(r => r.ToString("0")))} | {cold.Min:0} | {cold.Median:0} | {cold.Max:0} | {(cold.AnyRunOverTarget ? "**yes (target missed)**" : "no (target met)")} |");
        text.AppendLine();
        text.AppendLine($"### Load: {load.Clients} clients over loopback, {load.Seconds} s per endpoint after {load.WarmupSeconds} s warm-up");
        text.AppendLine();
        text.AppendLine("| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | body bytes |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        AppendRow(text, $"{load.Healthz.Path} (floor)", load.Healthz);
        AppendRow(text, $"{load.Shell.Path} (signed-in shell)", load.Shell);
        text.AppendLine($"| shell ÷ floor | | {load.Ratio.RequestsPerSecond:0.000}× | | {load.Ratio.P95:0.00}× | | | |");
        return text.ToString();
    }

    private static void AppendRow(StringBuilder text, string label, EndpointResult result)
    {
        var errors = result.WarmupErrors == 0 ? $"{result.Errors}" : $"{result.Errors} (+{result.WarmupErrors} in warm-up)";
        text.AppendLine($"| {label} | {result.Requests} | {result.RequestsPerSecond:0.0} | {result.P50Ms:0.00} | {result.P95Ms:0.00} | {result.P99Ms:0.00} | {errors} | {result.ResponseBytes} |");
    }
}
