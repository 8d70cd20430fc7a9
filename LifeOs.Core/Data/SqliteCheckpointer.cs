using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Data;

/// <summary>
/// Folds SQLite's write-ahead log into the database file every second, beside the writers. SQLite's own rule stays: the
/// commit that takes the log past 1,000 pages (4 MB) copies the whole log into the file itself, with two fsyncs, before
/// it returns. Bulk writes (a sync's pages of samples, an import) pass that bound in every commit and keep checkpointing
/// themselves, which in-process is the fastest way for them. Small writes would pass it once in a while: a webhook
/// delivery, a journal save or a sign-in then waited for a copy of other transactions' pages. With this PASSIVE
/// checkpoint every second (it never waits for a reader or a writer and never makes one wait) the log is folded in
/// long before it reaches the bound, so those commits only append. Letting a larger log build up for the checkpointer
/// alone (writers bounded at 10,000 pages) was tried and dropped: the ingest of a million samples ran 14 % slower
/// (most likely as each of the writer's page reads searched a longer log).
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString, TimeProvider time, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>How often the log is folded in.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

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
                    logger.LogWarning("Checkpointing the database's write-ahead log failed ({Error}); writers checkpoint past 1,000 pages meanwhile.", e.Message);
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
