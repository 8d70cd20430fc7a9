using System.Globalization;
using LifeOs.Core.Data.Migrations.Legacy;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Data;

/// <summary>
/// Applies pending migrations at start-up, writing a consistent backup of an existing database first.
/// A database made by LifeOs 0.1's hand-written migrations is first brought to their last step, then
/// recorded as having the generated <c>Initial</c> migration, whose schema is the same (a test holds them equal).
/// </summary>
public sealed class DatabaseMigrator(LifeOsDbContext db, DataDirectory dataDirectory, TimeProvider time, ILogger<DatabaseMigrator> logger)
{
    /// <returns>The backup file written, or null when none was needed.</returns>
    /// <exception cref="StartupException">PostgreSQL cannot be reached or refuses the configured credentials.</exception>
    public async Task<string?> MigrateAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await MigrateCoreAsync(cancellationToken);
        }
        catch (Npgsql.NpgsqlException ex) when (!IsSqlite)
        {
            throw new StartupException(PostgresProblem(ex), ex);
        }
    }

    /// <summary>
    /// What the operator should fix, in words, for a failure to open or use the PostgreSQL database. (A missing database
    /// is created by the migration when the user may create databases; when not, PostgreSQL's own refusal is shown.)
    /// </summary>
    internal string PostgresProblem(Npgsql.NpgsqlException ex)
    {
        var where = new Npgsql.NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        var target = $"PostgreSQL at {where.Host}:{where.Port}, database '{where.Database}' as '{where.Username}'";
        const string key = "LifeOs:Database:ConnectionString (env LifeOs__Database__ConnectionString)";
        return ex switch
        {
            Npgsql.PostgresException { SqlState: "28P01" or "28000" } pg =>
                $"{target} refused the credentials ({pg.MessageText}). Check the user name and password in {key}.",
            Npgsql.PostgresException pg =>
                $"{target} answered with an error ({pg.SqlState}: {pg.MessageText}).",
            _ => $"{target} cannot be reached ({ex.InnerException?.Message ?? ex.Message}). Check that the server runs and that {key} names the right host and port.",
        };
    }

    private async Task<string?> MigrateCoreAsync(CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var legacy = IsSqlite && applied.Exists(IsLegacy) && !applied.Contains(InitialMigration);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        if (pending.Count == 0)
        {
            return null;
        }

        string? backup = null;
        if (applied.Count > 0 && IsSqlite)
        {
            backup = await BackupAsync($"before-{(legacy ? "upgrade-from-0.1" : pending[0])}", cancellationToken);
            logger.LogInformation("Backed up the database to {Backup} before applying {Count} migration(s)", backup, pending.Count);
        }

        if (IsSqlite)
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

        if (legacy)
        {
            await HandOverFromLegacyAsync(cancellationToken);
            pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        }

        await db.Database.MigrateAsync(cancellationToken);
        logger.LogInformation("Applied migrations: {Migrations}", pending.Count == 0 ? "none after the upgrade from 0.1" : string.Join(", ", pending));
        if (applied.Count > 0 && IsSqlite && pending.Exists(m => ShrinkingMigrations.Any(s => m.EndsWith(s, StringComparison.Ordinal))))
        {
            // The samples were copied into their compact table, or an index of them dropped: the old pages are free but
            // still in the file (a million samples left 426 MB of a 550 MB file). VACUUM gives them back to the disk, once.
            await db.Database.ExecuteSqlRawAsync("VACUUM;", cancellationToken);
            logger.LogInformation("Compacted the database after shrinking how it stores samples");
        }

        // A new database file and the backup were just created with the process's default mode.
        dataDirectory.RestrictToOwner();
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

    /// <summary>Migrations that leave much of an existing SQLite file free (the end of their names).</summary>
    private static readonly string[] ShrinkingMigrations = ["_CompactSamples", "_DropSamplesDayIndex", "_SeriesRowsOutOfKeys", "_SeriesRecordIdsWithoutInstant"];

    private bool IsSqlite => db.Database.IsSqlite();

    /// <summary>The first generated migration, which stands for the whole 0.1 schema.</summary>
    private string InitialMigration => db.Database.GetMigrations().First();

    private static bool IsLegacy(string migrationId) =>
        string.CompareOrdinal(migrationId, LegacyLifeOsDbContext.LastMigration) <= 0;

    /// <summary>
    /// Applies the hand-written migrations the database lacks, on the same connection, then records the
    /// generated Initial migration as applied (the legacy rows stay, so an older LifeOs still reads its history).
    /// </summary>
    private async Task HandOverFromLegacyAsync(CancellationToken cancellationToken)
    {
        var options = new DbContextOptionsBuilder<LifeOsDbContext>()
            .UseSqlite(db.Database.GetDbConnection())
            .UseApplicationServiceProvider(db.GetService<IDbContextOptions>().FindExtension<CoreOptionsExtension>()?.ApplicationServiceProvider)
            .Options;
        await using (var legacyDb = new LegacyLifeOsDbContext(options))
        {
            await legacyDb.Database.MigrateAsync(cancellationToken);
        }

        var history = db.GetService<IHistoryRepository>();
        var productVersion = typeof(DbContext).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().Single().InformationalVersion.Split('+')[0];
#pragma warning disable EF1002 // the SQL comes from EF's history repository, not from input
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(InitialMigration, productVersion)), cancellationToken);
#pragma warning restore EF1002
        logger.LogInformation("Upgraded a LifeOs 0.1 database: its hand-written migrations are complete and it is now recorded as {Migration}", InitialMigration);
    }
}
