using System.Diagnostics;
using System.Net;

namespace LifeOs.Benchmarks;

/// <param name="Circuits">Circuits open (and settled) when the reading was taken.</param>
/// <param name="RssPerCircuitKb">(VmRSS − baseline VmRSS) ÷ circuits.</param>
/// <param name="LiveManagedPerCircuitKb">(live managed bytes − baseline) ÷ circuits.</param>
/// <param name="ComponentsPerCircuit">Component instances alive in a circuit (from its render batches), on average:
/// what a circuit's memory mostly grows with.</param>
internal sealed record CircuitMemoryStep(
    int Circuits,
    MemoryReading Memory,
    double RssPerCircuitKb,
    double RssAnonPerCircuitKb,
    double LiveManagedPerCircuitKb,
    double ManagedHeapPerCircuitKb,
    double OpenSeconds,
    double FirstRenderP50Ms,
    double FirstRenderP95Ms,
    int RenderBatches,
    long RenderBatchBytes,
    int InteropCalls,
    double ComponentsPerCircuit);

/// <param name="Baseline">After warm-up circuits were opened and closed, before the measured ones.</param>
/// <param name="AfterClose">Once every measured circuit was closed with the disconnect beacon.</param>
/// <param name="InteropCalls">The JS interop identifiers the page called, with how often (over every circuit).</param>
internal sealed record CircuitMemoryResult(
    string Page,
    int WarmupCircuits,
    MemoryReading Baseline,
    IReadOnlyList<CircuitMemoryStep> Steps,
    MemoryReading AfterClose,
    double GoalKbPerCircuit,
    IReadOnlyDictionary<string, int> InteropCalls);

/// <summary>
/// Memory per idle circuit: open N real circuits of one signed-in page (each with its own prerendered GET),
/// let them settle, induce a full GC in the app and read its memory; the growth over the baseline ÷ N.
/// </summary>
/// <param name="hold">How long to keep the last step's circuits open before closing them (--hold), for inspection.</param>
internal sealed class CircuitMemoryBenchmark(PublishedApp app, CookieContainer session, string page, TimeSpan hold)
{
    public const double GoalKb = 250;
    private const int WarmupCircuits = 10;

    // Opening circuits in parallel, a few at a time: like people arriving, without queueing hundreds of
    // prerenders at once on two cores.
    private const int Parallelism = 4;
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(120);

    public async Task<CircuitMemoryResult> RunAsync(IReadOnlyList<int> counts, CancellationToken cancellationToken)
    {
        using var http = CreateClient();
        var browser = new BrowserStandIn();

        // Warm-up: JIT, the page's first database reads, SignalR's and the renderer's pools.
        var warmup = await OpenAsync(http, browser, WarmupCircuits, cancellationToken);
        await SettleAsync(warmup, cancellationToken);
        await CloseAsync(warmup);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var baseline = await ProcessMemory.ReadAfterFullGcAsync(app.ProcessId, cancellationToken);
        Log.Info($"Baseline after {WarmupCircuits} warm-up circuits: {Describe(baseline)}");

        var open = new List<BlazorCircuit>();
        var steps = new List<CircuitMemoryStep>();
        try
        {
            foreach (var count in counts)
            {
                var started = Stopwatch.GetTimestamp();
                open.AddRange(await OpenAsync(http, browser, count - open.Count, cancellationToken));
                await SettleAsync(open, cancellationToken);
                var openSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                var reading = await ProcessMemory.ReadAfterFullGcAsync(app.ProcessId, cancellationToken);
                EnsureConnected(open);

                var firstRenders = open.Select(c => c.TimeToFirstRender.TotalMilliseconds).Order().ToArray();
                var step = new CircuitMemoryStep(
                    count,
                    reading,
                    PerCircuitKb(reading.RssBytes - baseline.RssBytes, count),
                    PerCircuitKb(reading.RssAnonBytes - baseline.RssAnonBytes, count),
                    PerCircuitKb(reading.LiveManagedBytes - baseline.LiveManagedBytes, count),
                    PerCircuitKb(reading.ManagedHeapBytes - baseline.ManagedHeapBytes, count),
                    Math.Round(openSeconds, 1),
                    Math.Round(Percentiles.Of(firstRenders, 50), 1),
                    Math.Round(Percentiles.Of(firstRenders, 95), 1),
                    open.Sum(c => c.RenderBatches),
                    open.Sum(c => c.RenderBatchBytes),
                    open.Sum(c => c.InteropCalls),
                    Math.Round(open.Average(c => c.Components), 1));
                steps.Add(step);
                Log.Info($"{count} circuits of {page} open and settled in {openSeconds:0.0} s: {Describe(reading)}; per circuit: RSS {step.RssPerCircuitKb:0} KB, live managed {step.LiveManagedPerCircuitKb:0} KB, {step.ComponentsPerCircuit:0} components");
            }


            if (hold > TimeSpan.Zero)
            {
                Log.Info($"Holding {open.Count} circuits open for {hold.TotalSeconds:0} s: the app is process {app.ProcessId} (e.g. dotnet-gcdump collect -p {app.ProcessId}).");
                await Task.Delay(hold, cancellationToken);
                EnsureConnected(open);
            }
        }
        finally
        {
            await CloseAsync(open);
        }

        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        var afterClose = await ProcessMemory.ReadAfterFullGcAsync(app.ProcessId, cancellationToken);
        Log.Info($"All circuits closed: {Describe(afterClose)}");
        return new CircuitMemoryResult(page, WarmupCircuits, baseline, steps, afterClose, GoalKb, new SortedDictionary<string, int>(browser.Calls, StringComparer.Ordinal));
    }

    private HttpClient CreateClient()
    {
        var cookies = new CookieContainer();
        cookies.Add(session.GetAllCookies());
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies, MaxConnectionsPerServer = Parallelism * 2 };
        return new HttpClient(handler) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    private async Task<List<BlazorCircuit>> OpenAsync(HttpClient http, BrowserStandIn browser, int count, CancellationToken cancellationToken)
    {
        var circuits = new BlazorCircuit?[count];
        try
        {
            await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
            {
                var prerendered = await PrerenderedPage.FetchAsync(http, page, ct);
                circuits[i] = await BlazorCircuit.StartAsync(http, session, prerendered, browser, ct);
            });
        }
        catch (BenchmarkFailure ex) when (ex.Details is null)
        {
            await CloseAsync(circuits.OfType<BlazorCircuit>());
            throw new BenchmarkFailure(ex.Message, app.Tail);
        }
        catch
        {
            await CloseAsync(circuits.OfType<BlazorCircuit>());
            throw;
        }

        return [.. circuits.OfType<BlazorCircuit>()];
    }

    /// <summary>A circuit the server closed (an unhandled exception in the page) must not count as an idle one.</summary>
    private void EnsureConnected(IReadOnlyList<BlazorCircuit> circuits)
    {
        var broken = circuits.Where(c => !c.IsConnected).ToList();
        if (broken.Count > 0)
        {
            throw new BenchmarkFailure($"{broken.Count} of {circuits.Count} circuits of {page} are no longer connected: {broken[0].Error ?? "closed"}", app.Tail);
        }
    }

    /// <summary>Waits until no circuit has received anything for a moment and no JS call is unanswered, then checks that all are still connected.</summary>
    private async Task SettleAsync(IReadOnlyList<BlazorCircuit> circuits, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (!circuits.All(c => c.IsQuiet(Quiet)))
        {
            if (Stopwatch.GetElapsedTime(started) > SettleTimeout)
            {
                throw new BenchmarkFailure($"{circuits.Count(c => !c.IsQuiet(Quiet))} circuits of {page} were still busy after {SettleTimeout.TotalSeconds:0} s.", app.Tail);
            }

            await Task.Delay(100, cancellationToken);
        }

        EnsureConnected(circuits);
    }

    private static async Task CloseAsync(IEnumerable<BlazorCircuit> circuits)
    {
        foreach (var chunk in circuits.Chunk(Parallelism * 4))
        {
            await Task.WhenAll(chunk.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private static double PerCircuitKb(long bytes, int circuits) => Math.Round(bytes / 1024.0 / circuits, 1);

    private static string Describe(MemoryReading reading) =>
        $"RSS {reading.RssBytes / 1048576.0:0.0} MB, live managed {reading.LiveManagedBytes / 1048576.0:0.0} MB (heap {reading.ManagedHeapBytes / 1048576.0:0.0} MB)";
}
