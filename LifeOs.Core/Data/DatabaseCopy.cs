using System.Diagnostics;
using LifeOs.Core.Health;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace LifeOs.Core.Data;

/// <summary>One table copied: its rows in the source and in the target (equal, or the copy fails), and the time it took.</summary>
public sealed record TableCopy(string Table, long Rows, TimeSpan Elapsed);

/// <summary>Why a copy was refused or did not verify; the message is meant for the person running the command.</summary>
public sealed class DatabaseCopyException(string message) : Exception(message);

/// <summary>
/// Moves an install from SQLite to PostgreSQL (<c>copy-database</c>): migrates the target, copies every table of the model
/// in foreign-key order with binary COPY, keeping ids, then resets the identity sequences and compares row counts.
/// </summary>
/// <remarks>
/// The SQLite file is opened read-only and read in one transaction, so the copy is one consistent snapshot even while
/// the app still writes (WAL). The target is written in one transaction too: a copy that fails leaves it migrated and
/// empty, ready for another try. Values are read as the PostgreSQL column's provider type (an enum stored as text stays
/// the same text), so nothing is re-interpreted on the way.
/// </remarks>
public static class DatabaseCopy
{
    public static async Task<IReadOnlyList<TableCopy>> SqliteToPostgreSqlAsync(string from, string to, CancellationToken cancellationToken = default)
    {
        var source = new SqliteConnectionStringBuilder(from) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        if (!File.Exists(source.DataSource))
        {
            throw new DatabaseCopyException($"The SQLite database {source.DataSource} does not exist.");
        }

        await using (var sourceDb = new LifeOsDbContext(DesignTimeDbContextFactory.Options(source.ConnectionString)))
        {
            var pending = (await sourceDb.Database.GetPendingMigrationsAsync(cancellationToken)).Count();
            if (pending > 0)
            {
                throw new DatabaseCopyException(
                    $"The SQLite database is older than this version of LifeOs ({pending} migrations to apply): start this version on it once, stop it, then copy.");
            }
        }

        await using var targetDb = new PostgresLifeOsDbContext(PostgresDesignTimeDbContextFactory.Options(to));
        await targetDb.Database.MigrateAsync(cancellationToken);
        var tables = InDependencyOrder(targetDb.Model.GetRelationalModel().Tables);

        await using var postgres = new NpgsqlConnection(to);
        await postgres.OpenAsync(cancellationToken);
        var holdingData = new List<string>();
        foreach (var table in tables)
        {
            if (await ScalarAsync<bool>(postgres, null, $"SELECT EXISTS (SELECT 1 FROM \"{table.Name}\")", cancellationToken))
            {
                holdingData.Add(table.Name);
            }
        }

        if (holdingData.Count > 0)
        {
            throw new DatabaseCopyException(
                $"The PostgreSQL database already holds data ({string.Join(", ", holdingData)}): copy into a new, empty database.");
        }

        await using var sqlite = new SqliteConnection(source.ConnectionString);
        await sqlite.OpenAsync(cancellationToken);
        // Deferred: the snapshot starts at the first read and takes no write lock (the file is open read-only).
        await using var read = sqlite.BeginTransaction(deferred: true);
        await using var write = await postgres.BeginTransactionAsync(cancellationToken);
        // Contexts on the same connections and transactions, for tables with JSON columns: each provider writes JSON its own
        // way (SQLite keeps bytes in hexadecimal, PostgreSQL in Base64), so those rows go through EF Core's model.
        await using var sourceEntities = new LifeOsDbContext(new DbContextOptionsBuilder<LifeOsDbContext>()
            .UseSqlite(sqlite).UseApplicationServiceProvider(DesignTimeDbContextFactory.IdentityModelServices()).Options);
        await sourceEntities.Database.UseTransactionAsync(read, cancellationToken);
        await using var targetEntities = new PostgresLifeOsDbContext(new DbContextOptionsBuilder<PostgresLifeOsDbContext>()
            .UseNpgsql(postgres).UseApplicationServiceProvider(DesignTimeDbContextFactory.IdentityModelServices()).Options);
        await targetEntities.Database.UseTransactionAsync(write, cancellationToken);
        var sourceTables = sourceEntities.Model.GetRelationalModel().Tables.ToDictionary(t => t.Name);
        var copied = new List<TableCopy>();
        foreach (var table in tables)
        {
            var started = Stopwatch.GetTimestamp();
            var rows = table.Columns.Any(c => c.StoreType is "jsonb" or "json")
                ? await (Task<long>)typeof(DatabaseCopy).GetMethod(nameof(CopyEntitiesAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
                    .MakeGenericMethod(table.EntityTypeMappings.Select(m => m.TypeBase).OfType<IEntityType>().First(e => !e.IsOwned()).ClrType)
                    .Invoke(null, [sourceEntities, targetEntities, cancellationToken])!
                : await CopyTableAsync(sqlite, read, postgres, table, sourceTables[table.Name], cancellationToken);
            var inSource = await ScalarAsync<long>(sqlite, read, $"SELECT count(*) FROM \"{table.Name}\"", cancellationToken);
            var inTarget = await ScalarAsync<long>(postgres, write, $"SELECT count(*) FROM \"{table.Name}\"", cancellationToken);
            if (rows != inSource || inTarget != inSource)
            {
                throw new DatabaseCopyException($"{table.Name}: {inSource} rows in SQLite, {rows} copied, {inTarget} in PostgreSQL; nothing was kept.");
            }

            copied.Add(new TableCopy(table.Name, inTarget, Stopwatch.GetElapsedTime(started)));
        }

        await ResetIdentitiesAsync(postgres, write, cancellationToken);
        await write.CommitAsync(cancellationToken);
        return copied;
    }

    /// <summary>Principal tables before the tables whose foreign keys point at them (a table's keys to itself aside).</summary>
    private static List<ITable> InDependencyOrder(IEnumerable<ITable> tables)
    {
        var pending = tables.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
        var ordered = new List<ITable>(pending.Count);
        while (pending.Count > 0)
        {
            var ready = pending.FirstOrDefault(t => t.ForeignKeyConstraints.All(fk => fk.PrincipalTable == t || ordered.Contains(fk.PrincipalTable)))
                ?? throw new InvalidOperationException("The model's foreign keys form a cycle: " + string.Join(", ", pending.Select(t => t.Name)));
            ordered.Add(ready);
            pending.Remove(ready);
        }

        return ordered;
    }

    /// <remarks>
    /// A column both engines store alike is copied as it is. One they store differently (SQLite keeps the samples' times as
    /// seconds, PostgreSQL as timestamps) is read as SQLite's model stores it, turned back into the model's value by
    /// SQLite's converter, and written as PostgreSQL's converter stores it.
    /// </remarks>
    private static async Task<long> CopyTableAsync(
        SqliteConnection sqlite, SqliteTransaction read, NpgsqlConnection postgres, ITable table, ITable sourceTable, CancellationToken cancellationToken)
    {
        // Generated columns (the journal's search vector) are computed by PostgreSQL from the copied ones.
        var columns = table.Columns.Where(c => c.ComputedColumnSql is null).ToList();
        var names = string.Join(", ", columns.Select(c => $"\"{c.Name}\""));
        var sourceMappings = columns.Select(c => sourceTable.FindColumn(c.Name)!.StoreTypeMapping).ToArray();
        var types = sourceMappings.Select(ProviderType).ToArray();
        var conversions = columns.Select((c, i) => ProviderType(c.StoreTypeMapping) == types[i] ? null : Conversion(sourceMappings[i], c.StoreTypeMapping)).ToArray();
        var storeTypes = columns.Select(c => c.StoreType.Split('(')[0]).ToArray();
        var order = table.PrimaryKey is { } key ? " ORDER BY " + string.Join(", ", key.Columns.Select(c => $"\"{c.Name}\"")) : "";

        // Oura's heart-rate record ids as their source gave them: SQLite stores them without the instant (SeriesRows.Stored),
        // and PostgreSQL's unique key holds them whole.
        var reads = string.Join(", ", columns.Select(c => table.Name == "Samples" && c.Name == nameof(Sample.SourceRecordId) ? SeriesRows.RecordIdSql : $"\"{c.Name}\""));
        await using var select = sqlite.CreateCommand();
        select.Transaction = read;
        select.CommandText = $"SELECT {reads} FROM \"{table.Name}\"{order}";
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        await using var importer = await postgres.BeginBinaryImportAsync($"COPY \"{table.Name}\" ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < columns.Count; i++)
            {
                if (await reader.IsDBNullAsync(i, cancellationToken))
                {
                    await importer.WriteNullAsync(cancellationToken);
                }
                else
                {
                    var value = Read(reader, i, types[i]);
                    await importer.WriteAsync(conversions[i] is { } convert ? convert(value) : value, storeTypes[i], cancellationToken);
                }
            }
        }

        return (long)await importer.CompleteAsync(cancellationToken);
    }

    private static async Task<long> CopyEntitiesAsync<T>(LifeOsDbContext source, PostgresLifeOsDbContext target, CancellationToken cancellationToken)
        where T : class
    {
        var rows = await source.Set<T>().AsNoTracking().ToListAsync(cancellationToken);
        target.Set<T>().AddRange(rows);
        await target.SaveChangesAsync(cancellationToken);
        target.ChangeTracker.Clear();
        return rows.Count;
    }

    /// <summary>From SQLite's stored value to PostgreSQL's, through the model's value (e.g. seconds → DateTime → timestamp).</summary>
    private static Func<object, object> Conversion(
        Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping from, Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping to) =>
        value =>
        {
            var model = from.Converter is { } read ? read.ConvertFromProvider(value)! : value;
            return to.Converter is { } write ? write.ConvertToProvider(model)! : model;
        };

    /// <summary>The type a column's values have on their way to the database (after a value converter such as enum to text).</summary>
    private static Type ProviderType(Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping mapping)
    {
        var type = mapping.Converter?.ProviderClrType ?? mapping.ClrType;
        return Nullable.GetUnderlyingType(type) ?? type;
    }

    /// <summary>
    /// A SQLite value as <paramref name="type"/>, parsed as EF Core's SQLite provider stores it. Times are UTC in LifeOs
    /// (SQLite keeps them without a zone); PostgreSQL's timestamp with time zone takes only UTC.
    /// </summary>
    private static object Read(SqliteDataReader reader, int i, Type type) => type switch
    {
        _ when type == typeof(string) => reader.GetString(i),
        _ when type == typeof(long) => reader.GetInt64(i),
        _ when type == typeof(int) => reader.GetInt32(i),
        _ when type == typeof(short) => reader.GetInt16(i),
        _ when type == typeof(bool) => reader.GetBoolean(i),
        _ when type == typeof(double) => reader.GetDouble(i),
        _ when type == typeof(float) => reader.GetFloat(i),
        _ when type == typeof(decimal) => reader.GetDecimal(i),
        _ when type == typeof(Guid) => reader.GetGuid(i),
        _ when type == typeof(byte[]) => reader.GetFieldValue<byte[]>(i),
        _ when type == typeof(DateTime) => DateTime.SpecifyKind(reader.GetDateTime(i), DateTimeKind.Utc),
        _ when type == typeof(DateTimeOffset) => reader.GetDateTimeOffset(i).ToUniversalTime(),
        _ when type == typeof(DateOnly) => reader.GetFieldValue<DateOnly>(i),
        _ when type == typeof(TimeOnly) => reader.GetFieldValue<TimeOnly>(i),
        _ when type == typeof(TimeSpan) => reader.GetTimeSpan(i),
        _ => throw new NotSupportedException($"Copying a column of type {type} is not supported."),
    };

    /// <summary>Each identity column's sequence continues after the highest copied id, so new rows do not collide with copied ones.</summary>
    private static async Task ResetIdentitiesAsync(NpgsqlConnection postgres, NpgsqlTransaction write, CancellationToken cancellationToken)
    {
        var identities = new List<(string Table, string Column)>();
        await using (var find = new NpgsqlCommand(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES'", postgres, write))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                identities.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, column) in identities)
        {
            await using var reset = new NpgsqlCommand(
                $"SELECT setval(pg_get_serial_sequence(@table, @column), coalesce(max(\"{column}\"), 0) + 1, false) FROM \"{table}\"", postgres, write);
            reset.Parameters.AddWithValue("table", $"\"{table}\"");
            reset.Parameters.AddWithValue("column", column);
            await reset.ExecuteScalarAsync(cancellationToken);
        }
    }

    private static async Task<T> ScalarAsync<T>(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return (T)Convert.ChangeType(await command.ExecuteScalarAsync(cancellationToken), typeof(T), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
