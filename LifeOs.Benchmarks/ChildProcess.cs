using System.Diagnostics;

namespace LifeOs.Benchmarks;

/// <summary>Runs a short-lived tool (dotnet publish, dotnet --version) to completion.</summary>
internal static class ChildProcess
{
    public sealed record Outcome(int ExitCode, OutputTail StandardOutput, OutputTail StandardError, TimeSpan Elapsed)
    {
        public string Tail => OutputTail.Describe(StandardOutput, StandardError);
    }

    public static async Task<Outcome> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var standardOutput = new OutputTail();
        var standardError = new OutputTail();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => standardOutput.Add(e.Data);
        process.ErrorDataReceived += (_, e) => standardError.Add(e.Data);

        var started = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: do not leave a half-finished build running behind us.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Outcome(process.ExitCode, standardOutput, standardError, Stopwatch.GetElapsedTime(started));
    }
}
