using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Data;

/// <summary>
/// Folds SQLite's write-ahead log into the database file every second, off the writers' path. By default the
/// transaction whose commit takes the log past 1,000 pages copies the whole log into the file itself, with two
/// fsyncs, before it returns: a sync page of samples, a webhook delivery or a journal save then waits for a copy of
/// other transactions' pages. Here writers only append to the log, and a checkpoint runs beside them (a PASSIVE one:
/// it never waits for a reader or a writer and never makes one wait). Writers still checkpoint themselves past
/// <see cref="WriterCheckpointPages"/>, so the log stays bounded when this service is not running (tools, tests
/// without a host) or cannot keep up.
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString, TimeProvider time, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>How often the log is folded in: the most a reader's log grows between two checkpoints is a second of writes.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>The log size (pages of 4 KB, about 40 MB) past which a writer's commit checkpoints anyway; SQLite's default is 1,000.</summary>
    public const int WriterCheckpointPages = 10_000;

    // Never creates the file: before the migrator has made the database there is nothing to checkpoint.
    private readonly string readWrite = new SqliteConnectionStringBuilder(connectionString) { Mode = SqliteOpenMode.ReadWrite }.ToString();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                Checkpoint();
                failing = false;
            }
            catch (SqliteException e)
            {
                // Once per run of failures: writers checkpoint themselves meanwhile, so nothing grows without bound.
                if (!failing)
                {
                    logger.LogWarning("Checkpointing the database's write-ahead log failed ({Error}); writers checkpoint past {Pages} pages meanwhile.", e.Message, WriterCheckpointPages);
                }

                failing = true;
            }
        }
    }

    /// <summary>One PASSIVE checkpoint: copies what no reader still needs; cheap when the log is already in the file.</summary>
    private void Checkpoint()
    {
        using var connection = new SqliteConnection(readWrite);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        command.ExecuteNonQuery();
    }
}
