using System.Globalization;
using LifeOs.Core.Data;

namespace LifeOs.Web;

/// <summary>
/// <c>dotnet LifeOs.Web.dll copy-database --from "Data Source=/data/lifeos.db" --to "Host=…;Database=…;Username=…;Password=…"</c>:
/// moves an install from SQLite to PostgreSQL (<see cref="DatabaseCopy"/>) and prints each table's row count.
/// Exits 0 when every row was copied and verified, 1 when the copy was refused or failed, 2 on a usage mistake.
/// </summary>
internal static class CopyDatabaseCommand
{
    private const string Usage = "usage: copy-database --from \"Data Source=/data/lifeos.db\" --to \"Host=…;Database=…;Username=…;Password=…\"";

    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "copy-database";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var from = Option(args, "--from");
        var to = Option(args, "--to");
        if (from is null || to is null)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        try
        {
            var tables = await DatabaseCopy.SqliteToPostgreSqlAsync(from, to);
            foreach (var table in tables)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{table.Table,-32} {table.Rows,12:N0} rows {table.Elapsed.TotalSeconds,8:F1} s"));
            }

            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"Copied {tables.Sum(t => t.Rows):N0} rows in {tables.Count} tables; every table's count matches. Now set LifeOs:Database:Provider=PostgreSQL and its connection string."));
            return 0;
        }
        catch (DatabaseCopyException ex)
        {
            await error.WriteLineAsync($"copy-database: {ex.Message}");
            return 1;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or ArgumentException)
        {
            await error.WriteLineAsync($"copy-database failed, nothing was kept in PostgreSQL: {ex.Message}");
            return 1;
        }
    }

    private static string? Option(string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        return at > 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
