using System.Diagnostics;
using System.Threading.Channels;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Webhooks;

/// <summary>
/// Group commit for webhook deliveries: one writer that takes every notification waiting, inserts them in one
/// transaction (each with <c>INSERT … ON CONFLICT (provider, dedup key) DO NOTHING</c>, so a repeat, even one in the
/// same batch, inserts nothing) and only after the commit answers each request with its row id or "duplicate". A
/// delivery's 2xx therefore still means "recorded". Sixteen deliveries at once used to be sixteen writers contending
/// for SQLite's single write lock, and a writer that finds it taken sleeps in SQLite's busy handler (1, 2, 5, 10, 15,
/// 20, 25 ms …) before it tries again: that sleeping was the endpoint's tail under a burst. Now the requests queue
/// here in memory and one transaction serves them all. A failed batch fails every request in it (the endpoint
/// answers 500, as a failed INSERT did, and the provider retries); nothing of it was committed, and nothing
/// committed before is touched. The loop starts with the first delivery and runs on its own, so tests need nothing.
/// </summary>
public sealed class NotificationWriter : IDisposable
{
    /// <summary>A batch's bound: a burst larger than this is written in several transactions, none holding the lock long.</summary>
    public const int MaxBatch = 256;

    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory scopes;
    private readonly Task loop;

    public NotificationWriter(IServiceScopeFactory scopes)
    {
        this.scopes = scopes;
        // Not the first request's context: its activity, log scopes and origin would ride along with every batch.
        using (ExecutionContext.SuppressFlow())
        {
            loop = Task.Run(RunAsync);
        }
    }

    /// <summary>What a delivery's write came to: its row id (null: a duplicate, nothing inserted) and where the time went.</summary>
    public readonly record struct Written(long? Id, TimeSpan Queued, TimeSpan Lock, TimeSpan Write, int Batch);

    internal sealed record Pending(ProviderNotification Notification, long Enqueued)
    {
        public TaskCompletionSource<Written> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Queues the row for the next batch and completes once that batch is committed (or has failed). Cancelling
    /// stops the wait, not the write: a delivery whose caller went away may still be recorded, and is then a
    /// duplicate when the provider sends it again.
    /// </summary>
    public Task<Written> RecordAsync(ProviderNotification notification, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(notification, Stopwatch.GetTimestamp());
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(NotificationWriter));
        }

        return pending.Done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        // Whatever this loop writes, it writes for the deliveries' requests.
        WriteLockMonitor.Origin = "request";
        var batch = new List<Pending>(MaxBatch);
        while (await queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await WriteAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>One transaction for the batch; every request in it is answered once it has committed or failed.</summary>
    internal async Task WriteAsync(IReadOnlyList<Pending> batch)
    {
        var taken = Stopwatch.GetTimestamp();
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
            var ids = new long?[batch.Count];
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                var locked = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch.Count; i++)
                {
                    ids[i] = await InsertAsync(db, batch[i].Notification);
                }

                await transaction.CommitAsync();
                var committed = Stopwatch.GetTimestamp();
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(new Written(ids[i], Stopwatch.GetElapsedTime(batch[i].Enqueued, taken),
                        Stopwatch.GetElapsedTime(taken, locked), Stopwatch.GetElapsedTime(locked, committed), batch.Count));
                }
            }
        }
        catch (Exception ex)
        {
            // The loop carries on with the next batch; these requests learn of the failure (a 500, as before).
            foreach (var pending in batch)
            {
                pending.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>The row's id, or null when (provider, dedup key) is already there: a repeat inserts nothing and throws nothing.</summary>
    private static async Task<long?> InsertAsync(LifeOsDbContext db, ProviderNotification n)
    {
        var (provider, status) = (n.Provider.ToString(), n.Status.ToString());
        var recorded = await db.Database.SqlQuery<long>($"""
            INSERT INTO "ProviderNotifications" ("Provider", "ReceivedAt", "DedupKey", "ConnectionId", "Status", "DataType", "EventType", "ObjectId", "WindowFrom", "WindowTo", "Error", "ProcessedAt")
            VALUES ({provider}, {n.ReceivedAt}, {n.DedupKey}, {n.ConnectionId}, {status}, {n.DataType}, {n.EventType}, {n.ObjectId}, {n.WindowFrom}, {n.WindowTo}, {n.Error}, {n.ProcessedAt})
            ON CONFLICT ("Provider", "DedupKey") DO NOTHING
            RETURNING "Id" AS "Value"
            """).ToListAsync();
        return recorded.Count == 0 ? null : recorded[0];
    }

    public void Dispose()
    {
        // Rows already queued are still written; new deliveries are refused.
        queue.Writer.TryComplete();
        loop.Wait(TimeSpan.FromSeconds(10));
    }
}
