using System.IO.Compression;
using System.Net;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using LifeOs.Web;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LifeOs.Tests.Web;

/// <summary><c>copy-database</c>: an install moved from SQLite to PostgreSQL keeps every row and shows the same data.</summary>
public sealed class CopyDatabaseTests
{
    [Fact]
    public async Task EveryTable_IsCopiedRowForRow_IdsKept_AndNewRowsGetNewIds()
    {
        var ct = TestContext.Current.CancellationToken;
        var directory = TempDirectory.Create("lifeos-copy");
        try
        {
            var file = Path.Combine(directory, "lifeos.db");
            await using (var db = new LifeOsDbContext(DesignTimeDbContextFactory.Options($"Data Source={file}")))
            {
                await db.Database.MigrateAsync(ct);
            }

            var tables = new List<string>();
            using (var sqlite = new SqliteConnection($"Data Source={file};Pooling=False"))
            {
                sqlite.Open();
                LegacyDatabase.FillEveryTable(sqlite);
                MakeValuesReadable(sqlite);
                tables.AddRange(LegacyDatabase.Tables(sqlite).Where(t => t != "AspNetUserPasskeys"));
            }

            var target = PostgresServer.CreateDatabase("copy");
            var output = new StringWriter();
            var error = new StringWriter();
            Assert.True(await CopyDatabaseCommand.RunAsync(["copy-database", "--from", $"Data Source={file}", "--to", target], output, error) == 0, error.ToString());

            // Every table of the SQLite file (FTS5's index aside, which PostgreSQL computes) has its one row in PostgreSQL.
            await using var postgres = new NpgsqlConnection(target);
            await postgres.OpenAsync(ct);
            foreach (var table in tables)
            {
                await using var count = new NpgsqlCommand($"SELECT count(*) FROM \"{table}\"", postgres);
                Assert.True(1L == (long)(await count.ExecuteScalarAsync(ct))!, $"{table} has no copied row");
                Assert.Matches($@"(?m)^{table}\s+1 rows", output.ToString());
            }

            Assert.Contains($"Copied {tables.Count} rows in {tables.Count + 1} tables", output.ToString(), StringComparison.Ordinal);

            // Ids are kept, the identity sequences continue after them, and the copied entry is searchable.
            await using var db2 = new PostgresLifeOsDbContext(PostgresServer.Options(target));
            var copied = await db2.JournalEntries.SingleAsync(ct);
            Assert.Equal(1, copied.Id);
            var userId = copied.UserId;
            db2.JournalEntries.Add(new JournalEntry { Uid = "new", UserId = userId, Body = "A lantern again.", LocalDate = new DateOnly(2026, 11, 25) });
            await db2.SaveChangesAsync(ct);
            Assert.Equal([1L, 2L], await db2.JournalEntries.OrderBy(e => e.Id).Select(e => e.Id).ToListAsync(ct));
            var found = await new JournalService(db2, TimeProvider.System).ListAsync(userId, new JournalQuery(Search: "lantern"), ct);
            Assert.Equal(2, found.Total);

            // A second copy into the same database is refused and changes nothing.
            var again = new StringWriter();
            Assert.Equal(1, await CopyDatabaseCommand.RunAsync(["copy-database", "--from", $"Data Source={file}", "--to", target], new StringWriter(), again));
            Assert.Contains("already holds data", again.ToString(), StringComparison.Ordinal);
            Assert.Equal(2, await db2.JournalEntries.CountAsync(ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(directory);
        }
    }

    private static readonly DateTime OuraAt = new(2026, 11, 24, 5, 42, 0, DateTimeKind.Utc);

    [Fact]
    public async Task TheAppOnTheCopy_ExportsTheSameAccount_AsTheAppOnSqliteDid()
    {
        var ct = TestContext.Current.CancellationToken;
        var target = PostgresServer.CreateDatabase("copyapp");
        Dictionary<string, string> before;
        string sqliteFile;
        var directory = TempDirectory.Create("lifeos-copy-app");
        try
        {
            await using (var app = new LifeOsAppFactory(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" }, dataDirectory: directory))
            {
                using var client = app.CreateTestClient();
                await client.RegisterAsync("me@example.com");
                using var other = app.CreateTestClient();
                await other.RegisterAsync("other@example.com");
                var ids = await app.WithDbAsync(db => db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id));
                await ExportAndDeletionTests.SeedEverythingAsync(app, ids["me@example.com"], "mine");
                await ExportAndDeletionTests.SeedEverythingAsync(app, ids["other@example.com"], "theirs");
                // Oura's heart rate, whose record id SQLite keeps without its instant (SeriesRows.Stored).
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(
                        ids["me@example.com"], [new SampleInput(MetricCatalogue.HeartRate, SampleSource.Oura, SeriesRows.RecordId(OuraAt, "awake"), OuraAt, 58)], ct);
                }

                before = await ExportAsync(client);
                sqliteFile = Path.Combine(directory, "lifeos.db");

                // Copied while the app still runs: the copy reads one snapshot and never writes to the file.
                var error = new StringWriter();
                Assert.True(await CopyDatabaseCommand.RunAsync(["copy-database", "--from", $"Data Source={sqliteFile}", "--to", target], new StringWriter(), error) == 0, error.ToString());
            }

            await using var onPostgres = new LifeOsAppFactory(new()
            {
                ["LifeOs:DefaultTimeZone"] = "Europe/Paris",
                ["LifeOs:Database:Provider"] = "PostgreSQL",
                ["LifeOs:Database:ConnectionString"] = target,
            });
            using var signedIn = onPostgres.CreateTestClient();
            Assert.Equal(HttpStatusCode.Redirect, (await signedIn.LoginAsync("me@example.com")).StatusCode);
            var after = await ExportAsync(signedIn, onPostgres);
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            // Signing in to the app on PostgreSQL is one more entry in the security log; the rest is the same, byte for byte.
            Assert.Contains("audit-mine", after["security-activity.json"], StringComparison.Ordinal);
            foreach (var (name, text) in before.Where(f => f.Key != "security-activity.json"))
            {
                Assert.True(text == after[name], $"{name} differs:\n{text}\n---\n{after[name]}");
            }

            // PostgreSQL's unique key holds Oura's heart-rate record id whole, as the export (compared above) shows it.
            await using (var copied = new PostgresLifeOsDbContext(PostgresServer.Options(target)))
            {
                Assert.Equal(SeriesRows.RecordId(OuraAt, "awake"), await copied.Samples.Where(x => x.MetricCode == MetricCatalogue.HeartRate).Select(x => x.SourceRecordId).SingleAsync(ct));
            }

            var journal = await signedIn.GetAsync("/journal?q=caf");
            Assert.Contains("<mark>Café</mark>", WebUtility.HtmlDecode(await journal.Content.ReadAsStringAsync(ct)), StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(directory);
        }
    }

    [Fact]
    public async Task ACopyFromAFileThatIsNotThere_OrWithoutItsArguments_IsRefused()
    {
        var error = new StringWriter();
        Assert.Equal(2, await CopyDatabaseCommand.RunAsync(["copy-database", "--from", "Data Source=x.db"], new StringWriter(), error));
        Assert.Contains("usage: copy-database", error.ToString(), StringComparison.Ordinal);
        error = new StringWriter();
        Assert.Equal(1, await CopyDatabaseCommand.RunAsync(["copy-database", "--from", "Data Source=/nonexistent/lifeos.db", "--to", PostgresServer.CreateDatabase("nofile")], new StringWriter(), error));
        Assert.Contains("does not exist", error.ToString(), StringComparison.Ordinal);
    }

    /// <summary>The account export zip, file by file.</summary>
    private static async Task<Dictionary<string, string>> ExportAsync(TestClient client, LifeOsAppFactory? app = null)
    {
        var response = await client.PostFormAsync("/Account/Manage/PersonalData", "", new Dictionary<string, string>(), postUrl: "/Account/Manage/DownloadPersonalData");
        Assert.True(response.StatusCode == HttpStatusCode.OK, string.Join("\n", app?.Logs.Where(l => l.Contains("xception", StringComparison.Ordinal)).Take(2) ?? []));
        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)));
        return zip.Entries.ToDictionary(e => e.FullName, e => new StreamReader(e.Open()).ReadToEnd());
    }

    /// <summary>
    /// LegacyDatabase gives text columns text; those the model reads as times or enums get values of their kind, as the app would have
    /// written. Passkeys (a JSON document) are left to the test with the app's own data.
    /// </summary>
    private static void MakeValuesReadable(SqliteConnection sqlite)
    {
        using (var delete = sqlite.CreateCommand())
        {
            delete.CommandText = "DELETE FROM \"AspNetUserPasskeys\"";
            delete.ExecuteNonQuery();
        }

        using var db = new PostgresLifeOsDbContext(PostgresServer.Options("Host=unused"));
        foreach (var table in db.Model.GetRelationalModel().Tables)
        {
            foreach (var column in table.Columns.Where(c => c.PropertyMappings.Any()))
            {
                var property = column.PropertyMappings.First().Property;
                var type = column.StoreTypeMapping;
                var clr = Nullable.GetUnderlyingType(type.Converter?.ProviderClrType ?? type.ClrType) ?? type.Converter?.ProviderClrType ?? type.ClrType;
                var model = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
                var value = model.IsEnum && clr == typeof(string) ? $"'{Enum.GetNames(model)[0]}'"
                    : clr == typeof(TimeOnly) ? "'08:00:00'"
                    : clr == typeof(DateTime) || clr == typeof(DateTimeOffset) ? "'2026-11-24 08:00:00'"
                    : clr == typeof(DateOnly) ? "'2026-11-24'"
                    : clr == typeof(string) && property.GetMaxLength() is { } length ? $"substr(\"{column.Name}\", 1, {length})"
                    : null;
                if (value is not null)
                {
                    using var update = sqlite.CreateCommand();
                    update.CommandText = $"UPDATE \"{table.Name}\" SET \"{column.Name}\" = {value}";
                    update.ExecuteNonQuery();
                }
            }
        }
    }
}
