using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LifeOs.Core.Webhooks;

/// <summary>
/// Where one webhook delivery's time went on the server, sent back in its <c>Server-Timing</c> header so a load test
/// reads the server's side of every request beside its own (the webhook benchmark reports both). Stopwatch ticks only:
/// nothing is allocated until the header is written, and nothing here comes from the notification.
/// </summary>
public sealed class DeliveryTimings
{
    /// <summary>When the request entered the pipeline (the first middleware).</summary>
    public long PipelineStarted { get; private set; }

    /// <summary>Garbage collections so far of generation 0 (which counts every collection), 1 and 2 when the request entered the pipeline.</summary>
    private (int Gen0, int Gen1, int Gen2) gcsAtStart;

    /// <summary>The process's GC pauses so far when the request entered the pipeline.</summary>
    private TimeSpan gcPauseAtStart;

    /// <summary>Thread-pool threads when the request entered the pipeline: few threads and many requests is a queue for a core or a thread.</summary>
    private int threadsAtStart;

    /// <summary>
    /// Called by the first middleware. Besides the time it notes the GC count and pause total and the thread pool's
    /// size, so an answer says whether a collection paused it and how many threads were there: the slowest answers of
    /// a burst are told apart by these, not by the work they did. Counters the runtime keeps anyway; nothing allocated.
    /// </summary>
    public void Start()
    {
        PipelineStarted = Stopwatch.GetTimestamp();
        gcsAtStart = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        gcPauseAtStart = GC.GetTotalPauseDuration();
        threadsAtStart = ThreadPool.ThreadCount;
    }

    /// <summary>When the endpoint's handler started: the middleware before it took the difference.</summary>
    public long HandlerStarted { get; set; }

    /// <summary>When the handler had authenticated, parsed and found the connection, and handed the row to be written.</summary>
    public long WriteRequested { get; set; }

    /// <summary>Waiting for the write (the group commit's queue, the write lock, the batch's inserts and its commit).</summary>
    public TimeSpan Queued { get; set; }

    /// <summary>Time the batch waited for SQLite's write lock (BEGIN IMMEDIATE).</summary>
    public TimeSpan Lock { get; set; }

    /// <summary>The batch's inserts and commit.</summary>
    public TimeSpan Write { get; set; }

    /// <summary>How many deliveries the batch held (0: nothing was written).</summary>
    public int Batch { get; set; }

    /// <summary>
    /// <c>total</c> (pipeline start to now), <c>pipeline</c> (middleware before the handler), <c>read</c> (secret,
    /// body, connection look-up), <c>queue</c>, <c>lock</c>, <c>write</c> in milliseconds, the batch size, then
    /// <c>gc</c> (collections that began meanwhile; <c>gcgen</c>, the highest generation among them, when there were
    /// any), <c>gcpause</c> (the process's GC pauses meanwhile, ms) and
    /// <c>threads</c> (thread-pool threads at the start).
    /// </summary>
    public string ServerTiming(long now)
    {
        var text = new StringBuilder(128);
        Append(text, "total", Ms(PipelineStarted, now));
        if (HandlerStarted != 0)
        {
            Append(text, "pipeline", Ms(PipelineStarted, HandlerStarted));
            Append(text, "read", Ms(HandlerStarted, WriteRequested != 0 ? WriteRequested : now));
        }

        if (Batch > 0)
        {
            Append(text, "queue", Queued.TotalMilliseconds);
            Append(text, "lock", Lock.TotalMilliseconds);
            Append(text, "write", Write.TotalMilliseconds);
            text.Append(CultureInfo.InvariantCulture, $", batch;desc={Batch}");
        }

        if (PipelineStarted != 0)
        {
            var collections = GC.CollectionCount(0) - gcsAtStart.Gen0;
            text.Append(CultureInfo.InvariantCulture, $", gc;desc={collections}");
            if (collections > 0)
            {
                var generation = GC.CollectionCount(2) > gcsAtStart.Gen2 ? 2 : GC.CollectionCount(1) > gcsAtStart.Gen1 ? 1 : 0;
                text.Append(CultureInfo.InvariantCulture, $", gcgen;desc={generation}");
            }

            Append(text, "gcpause", (GC.GetTotalPauseDuration() - gcPauseAtStart).TotalMilliseconds);
            text.Append(CultureInfo.InvariantCulture, $", threads;desc={threadsAtStart}");
        }

        return text.ToString();
    }

    private static double Ms(long from, long to) => from == 0 || to < from ? 0 : Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static void Append(StringBuilder text, string name, double ms) =>
        text.Append(CultureInfo.InvariantCulture, $"{(text.Length > 0 ? ", " : "")}{name};dur={ms:0.###}");
}
