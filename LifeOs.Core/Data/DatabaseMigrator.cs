using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Data;

/// <summary>Applies pending migrations at start-up, writing a consistent backup of an existing database first.</summary>
public sealed class DatabaseMigrator(LifeOsDbContext db, DataDirectory dataDirectory, TimeProvider time, ILogger<DatabaseMigrator> logger)
{
    /// <returns>The backup file written, or null when none was needed.</returns>
    public async Task<string?> MigrateAsync(CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return null;
        }

        string? backup = null;
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        if (applied.Count > 0 && db.Database.IsSqlite())
        {
            backup = await BackupAsync($"before-{pending[0]}", cancellationToken);
            logger.LogInformation("Backed up the database to {Backup} before applying {Count} migration(s)", backup, pending.Count);
        }

        if (db.Database.IsSqlite())
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", cancellationToken);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Applied migrations: {Migrations}", string.Join(", ", pending));
        return backup;
    }

    /// <summary>Writes a transactionally consistent copy with VACUUM INTO (safe while other connections write).</summary>
    public async Task<string> BackupAsync(string label, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(dataDirectory.BackupsPath);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        var file = Path.Combine(dataDirectory.BackupsPath, $"lifeos-{stamp}-{label}.db");
        if (File.Exists(file))
        {
            file = Path.Combine(dataDirectory.BackupsPath, $"lifeos-{stamp}-{label}-{Guid.NewGuid():N}.db");
        }

        // VACUUM INTO takes a literal file name, not a parameter; the name is built here, not from input.
        var literal = file.Replace("'", "''", StringComparison.Ordinal);
#pragma warning disable EF1002 // no user input in the SQL
        await db.Database.ExecuteSqlRawAsync($"VACUUM INTO '{literal}';", cancellationToken);
#pragma warning restore EF1002
        return file;
    }
}
