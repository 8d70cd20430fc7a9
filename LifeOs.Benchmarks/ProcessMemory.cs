using System.Diagnostics.Tracing;
using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace LifeOs.Benchmarks;

/// <param name="RssBytes">VmRSS of /proc/&lt;pid&gt;/status: what the process holds in RAM (after the GC below).</param>
/// <param name="RssAnonBytes">RssAnon: the anonymous part of it (heaps, stacks), without mapped files such as the app's DLLs.</param>
/// <param name="LiveManagedBytes">Bytes of managed objects that survived a full, blocking GC (the sum of the
/// GC's promoted sizes over every generation, large- and pinned-object heaps included).</param>
/// <param name="ManagedHeapBytes">The generations' sizes after that GC (live objects plus the free space between them).</param>
internal sealed record MemoryReading(long RssBytes, long RssAnonBytes, long LiveManagedBytes, long ManagedHeapBytes, int GcHandles);

/// <summary>
/// Reads the app's memory from outside, with nothing added to the app: a full GC is induced and its figures
/// read over EventPipe, the runtime's diagnostics channel (what dotnet-gcdump and dotnet-trace use), then
/// VmRSS from /proc. Enabling the runtime provider with the GCHeapCollect keyword makes the runtime run a
/// blocking gen-2 collection; its GCHeapStats event carries the survivors per generation.
/// </summary>
internal static class ProcessMemory
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<MemoryReading> ReadAfterFullGcAsync(int processId, CancellationToken cancellationToken)
    {
        var gc = await InduceFullGcAsync(processId, cancellationToken);
        var status = ReadStatus(processId);
        return new MemoryReading(status["VmRSS"], status.GetValueOrDefault("RssAnon"), gc.Live, gc.Heap, gc.Handles);
    }

    private static async Task<(long Live, long Heap, int Handles)> InduceFullGcAsync(int processId, CancellationToken cancellationToken)
    {
        var client = new DiagnosticsClient(processId);
        var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
        using var session = client.StartEventPipeSession(
            [new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, keywords)],
            requestRundown: false,
            circularBufferMB: 16);
        var result = new TaskCompletionSource<(long, long, int)>(TaskCreationOptions.RunContinuationsAsynchronously);
        var reading = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            var fullBlockingGc = false;
            source.Clr.GCStart += e => fullBlockingGc = e.Depth == 2 && e.Type == GCType.NonConcurrentGC;
            source.Clr.GCHeapStats += e =>
            {
                if (fullBlockingGc)
                {
                    var live = e.TotalPromotedSize0 + e.TotalPromotedSize1 + e.TotalPromotedSize2 + e.TotalPromotedSize3 + e.TotalPromotedSize4;
                    result.TrySetResult((live, e.TotalHeapSize, e.GCHandleCount));
                }
            };
            try
            {
                source.Process();
            }
            catch (Exception) when (result.Task.IsCompleted)
            {
                // The session was stopped under the reader once the figures were in.
            }
        }, CancellationToken.None);

        try
        {
            return await result.Task.WaitAsync(Timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new BenchmarkFailure($"No full GC was reported by process {processId} within {Timeout.TotalSeconds:0} s of asking for one over EventPipe.");
        }
        finally
        {
            try
            {
                await session.StopAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is ServerNotAvailableException or IOException or TimeoutException)
            {
                // The app exited; the reading (if any) stands.
            }

            await reading;
        }
    }

    /// <summary>The kB figures of /proc/&lt;pid&gt;/status, in bytes.</summary>
    private static Dictionary<string, long> ReadStatus(int processId)
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var rest = line[(colon + 1)..].Trim();
            if (colon > 0 && rest.EndsWith(" kB", StringComparison.Ordinal)
                && long.TryParse(rest[..^3], NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes))
            {
                values[line[..colon]] = kilobytes * 1024;
            }
        }

        return values.ContainsKey("VmRSS") ? values : throw new BenchmarkFailure($"/proc/{processId}/status has no VmRSS line.");
    }
}
