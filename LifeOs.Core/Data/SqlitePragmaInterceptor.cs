using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LifeOs.Core.Data;

/// <summary>
/// Sets per-connection pragmas: wait for a writer instead of failing with SQLITE_BUSY, and relax
/// fsync to WAL's safe NORMAL level. journal_mode=WAL is persistent and set once at start-up.
/// </summary>
internal sealed class SqlitePragmaInterceptor : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

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
