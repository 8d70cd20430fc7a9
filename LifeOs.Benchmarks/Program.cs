using System.Globalization;
using LifeOs.Benchmarks;

// Numbers read the same on every machine (a decimal point, never a comma), in the table and the JSON.
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

BenchmarkOptions options;
try
{
    options = BenchmarkOptions.Parse(args);
}
catch (UsageException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(BenchmarkOptions.Usage);
    return 2;
}

if (options.ShowHelp)
{
    Console.WriteLine(BenchmarkOptions.Usage);
    return 0;
}

// Ctrl+C cancels instead of killing us outright, so the app under test is killed and its data deleted.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

try
{
    return await Scenarios.RunAsync(options, cancellation.Token);
}
catch (BenchmarkFailure ex)
{
    Console.Error.WriteLine($"FAILED: {ex.Message}");
    if (ex.Details is not null)
    {
        Console.Error.WriteLine(ex.Details);
    }

    return 1;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    Console.Error.WriteLine("Cancelled.");
    return 130;
}
