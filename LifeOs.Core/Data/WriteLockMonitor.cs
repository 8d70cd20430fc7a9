using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Data;

/// <summary>
/// Watches how long each write transaction holds the database (SQLite has one writer: a transaction here begins
/// IMMEDIATE, so from its start to its end nobody else writes) and counts "database is locked" failures. A hold
/// over a second is logged as a warning with where it came from; the longest so far is logged when it grows, which
/// the benchmarks read. <see cref="Origin"/> says who is writing: the web app marks its requests.
/// </summary>
public sealed class WriteLockMonitor(ILogger<WriteLockMonitor> logger) : DbTransactionInterceptor
{
    private static readonly AsyncLocal<string?> CurrentOrigin = new();
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    private readonly Lock gate = new();
    private readonly Dictionary<DbTransaction, long> started = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, TimeSpan> longest = new(StringComparer.Ordinal);
    private long busyErrors;

    /// <summary>Who the current async flow writes for ("request", "background work", "sync"); null for anything else.</summary>
    public static string? Origin
    {
        get => CurrentOrigin.Value;
        set => CurrentOrigin.Value = value;
    }

    public long BusyErrors => Interlocked.Read(ref busyErrors);

    /// <summary>The longest write transaction seen for each origin.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Longest
    {
        get
        {
            lock (gate)
            {
                return new Dictionary<string, TimeSpan>(longest);
            }
        }
    }

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        lock (gate)
        {
            started[result] = Stopwatch.GetTimestamp();
        }

        return result;
    }

    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(transaction);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(transaction);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(transaction);
        return Task.CompletedTask;
    }

    public override void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData)
    {
        Failed(eventData.Exception);
        Ended(transaction);
    }

    public override Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionFailed(transaction, eventData);
        return Task.CompletedTask;
    }

    /// <summary>Counts a failure if SQLite gave up waiting for the write lock (SQLITE_BUSY or SQLITE_LOCKED).</summary>
    public void Failed(Exception? exception)
    {
        if (exception is SqliteException { SqliteErrorCode: 5 or 6 })
        {
            Interlocked.Increment(ref busyErrors);
            logger.LogError("The database was locked for too long: a write failed ({Origin})", Origin ?? "other");
        }
    }

    private void Ended(DbTransaction transaction)
    {
        long start;
        lock (gate)
        {
            if (!started.Remove(transaction, out start))
            {
                return;
            }
        }

        var held = Stopwatch.GetElapsedTime(start);
        var origin = Origin ?? "other";
        bool longer;
        lock (gate)
        {
            longer = !longest.TryGetValue(origin, out var before) || held > before;
            if (longer)
            {
                longest[origin] = held;
            }
        }

        if (held > Slow)
        {
            logger.LogWarning("A write transaction held the database for {Milliseconds:F0} ms ({Origin})", held.TotalMilliseconds, origin);
        }
        else if (longer && held > TimeSpan.FromMilliseconds(50))
        {
            logger.LogInformation("Longest write transaction so far: {Milliseconds:F0} ms ({Origin})", held.TotalMilliseconds, origin);
        }
    }
}

/// <summary>Counts "database is locked" failures of statements run outside an explicit transaction too.</summary>
internal sealed class WriteLockCommandMonitor(WriteLockMonitor monitor) : DbCommandInterceptor
{
    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) => monitor.Failed(eventData.Exception);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        monitor.Failed(eventData.Exception);
        return Task.CompletedTask;
    }
}
