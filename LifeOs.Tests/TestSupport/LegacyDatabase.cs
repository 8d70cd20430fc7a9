using System.Globalization;
using Microsoft.Data.Sqlite;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// Puts one row in every table of a database, whatever its schema: each column gets a value of its type,
/// and each foreign key the key of the row already put in the table it points to (tables are filled in
/// dependency order). Used to prove that an upgrade keeps every row of every table.
/// </summary>
public static class LegacyDatabase
{
    public static IReadOnlyList<string> Tables(SqliteConnection connection) =>
        Query(connection, """
            SELECT name FROM sqlite_master
            WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%'
              AND name NOT LIKE 'JournalSearch%'
            ORDER BY name
            """).Select(r => r[0]!).ToList();

    public static void FillEveryTable(SqliteConnection connection)
    {
        var tables = Tables(connection);
        var keys = new Dictionary<(string Table, string Column), object>();
        var pending = tables.ToList();
        while (pending.Count > 0)
        {
            var ready = pending.First(t => ForeignKeys(connection, t).All(fk => fk.Table == t || !pending.Contains(fk.Table)));
            Insert(connection, ready, keys);
            pending.Remove(ready);
        }
    }

    /// <summary>Every row of <paramref name="table"/> as text, limited to <paramref name="columns"/> (all when null).</summary>
    public static IReadOnlyList<string> Rows(SqliteConnection connection, string table, IReadOnlyCollection<string>? columns = null)
    {
        var names = columns ?? Columns(connection, table).Select(c => c.Name).ToList();
        var select = string.Join(" || '|' || ", names.Select(n => $"coalesce(quote(\"{n}\"), 'NULL')"));
        return Query(connection, $"SELECT {select} FROM \"{table}\" ORDER BY 1").Select(r => r[0]!).ToList();
    }

    public static IReadOnlyList<(string Name, string Type, bool Pk)> Columns(SqliteConnection connection, string table) =>
        Query(connection, $"SELECT name, type, pk FROM pragma_table_info('{table}')")
            .Select(r => (r[0]!, r[1]!, r[2] != "0")).ToList();

    private static List<(string From, string Table, string To)> ForeignKeys(SqliteConnection connection, string table) =>
        Query(connection, $"SELECT \"from\", \"table\", \"to\" FROM pragma_foreign_key_list('{table}')")
            .Select(r => (r[0]!, r[1]!, r[2]!)).ToList();

    private static void Insert(SqliteConnection connection, string table, Dictionary<(string, string), object> keys)
    {
        var foreign = ForeignKeys(connection, table).ToDictionary(fk => fk.From, fk => (fk.Table, fk.To));
        var columns = Columns(connection, table);
        using var command = connection.CreateCommand();
        var values = new List<string>();
        foreach (var (name, type, _) in columns)
        {
            object value = foreign.TryGetValue(name, out var target) && keys.TryGetValue(target, out var key)
                ? key
                : ValueFor(table, name, type);
            keys[(table, name)] = value;
            command.Parameters.AddWithValue("$" + name, value);
            values.Add("$" + name);
        }

        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c.Name}\""))}) VALUES ({string.Join(", ", values)})";
        command.ExecuteNonQuery();
    }

    private static object ValueFor(string table, string column, string type) => type.ToUpperInvariant() switch
    {
        "INTEGER" => 1L,
        "REAL" => 2.5,
        "BLOB" => new byte[] { 1, 2, 3 },
        // A sample's metric and source as the migration that turns them into numbers knows them.
        _ when table == "Samples" && column == "MetricCode" => "heart_rate",
        _ when table == "Samples" && column == "Source" => "Oura",
        // Dates and times as EF stores them, so that the app's own reads of the upgraded database work.
        _ when column.EndsWith("Date", StringComparison.Ordinal) || column is "HistoryFrom" or "CompleteThrough" => "2026-11-24",
        _ when column.EndsWith("At", StringComparison.Ordinal) || column.EndsWith("Utc", StringComparison.Ordinal) || column == "LockoutEnd" => "2026-11-24 08:00:00",
        _ => string.Create(CultureInfo.InvariantCulture, $"{table} {column} lantern"),
    };

    private static List<string?[]> Query(SqliteConnection connection, string sql) => SchemaSnapshot.Query(connection, sql);
}
