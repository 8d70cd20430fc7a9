using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LifeOs.Core.Data;

/// <summary>
/// Sets per-connection pragmas: wait for a writer instead of failing with SQLITE_BUSY, relax fsync to WAL's
/// safe NORMAL level, and leave checkpoints to <see cref="SqliteCheckpointer"/> (a writer checkpoints only past its
/// bound; the log is cut back to 16 MB when it restarts). journal_mode=WAL is persistent and set once at start-up.
/// </summary>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private static readonly string Pragmas =
        $"PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = {SqliteCheckpointer.WriterCheckpointPages}; PRAGMA journal_size_limit = 16777216;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
