using Microsoft.Data.Sqlite;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// A normalised description of a SQLite schema from PRAGMAs (columns, indexes, foreign keys), sorted,
/// because sqlite_master's CREATE text differs in layout between CreateTable and a later AddColumn.
/// </summary>
public static class SchemaSnapshot
{
    public static IReadOnlyList<string> Read(SqliteConnection connection)
    {
        var lines = new List<string>();
        // FTS5 virtual tables and their shadow tables (<name>_data, _idx, …) are made only by migration SQL;
        // the model knows nothing of them, so they are checked by their own test instead.
        var virtualTables = Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'").Select(r => r[0]!).ToList();
        foreach (var table in Query(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%'"))
        {
            var t = table[0]!;
            if (virtualTables.Exists(v => t == v || t.StartsWith(v + "_", StringComparison.Ordinal)))
            {
                continue;
            }

            foreach (var c in Query(connection, $"SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{t}')"))
            {
                lines.Add($"{t}.column {c[0]} type={c[1]} notnull={c[2]} default={c[3]} pk={c[4]}");
            }

            foreach (var ix in Query(connection, $"SELECT name, \"unique\" FROM pragma_index_list('{t}') WHERE origin = 'c'"))
            {
                var columns = string.Join(",", Query(connection, $"SELECT name FROM pragma_index_info('{ix[0]}') ORDER BY seqno").Select(r => r[0]));
                lines.Add($"{t}.index {ix[0]} unique={ix[1]} ({columns})");
            }

            foreach (var fk in Query(connection, $"SELECT \"from\", \"table\", \"to\", on_delete FROM pragma_foreign_key_list('{t}')"))
            {
                lines.Add($"{t}.fk {fk[0]} -> {fk[1]}.{fk[2]} on_delete={fk[3]}");
            }
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    internal static List<string?[]> Query(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string?[]>();
        while (reader.Read())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
