using System.IO.Compression;
using System.Net;
using System.Text.Json;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web;

/// <summary>The account export zip and account deletion, across every table the app has.</summary>
public sealed class ExportAndDeletionTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static Dictionary<string, string> Measurement(string metric, string value) => new()
    {
        ["Input.MetricCode"] = metric,
        ["Input.Value"] = value,
        ["Input.LocalTime"] = "2026-11-24T07:15",
    };

    private async Task<TestClient> UserWithDataAsync(string email, string weight)
    {
        var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        await client.PostFormAsync("/metrics", "add-measurement", Measurement(MetricCatalogue.Weight, weight));
        await client.PostFormAsync("/settings", "source-priority", new Dictionary<string, string> { ["Move"] = "Body:Manual:up" });
        return client;
    }

    [Fact]
    public async Task Export_IsAZipOfTheUsersOwnAccountAndHealthData()
    {
        using var mine = await UserWithDataAsync("me@example.com", "71.3");
        using var other = await UserWithDataAsync("other@example.com", "88.8");

        var response = await mine.PostFormAsync("/settings", "", new Dictionary<string, string>(), postUrl: "/Account/Manage/DownloadPersonalData");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("lifeos-export-2026-11-25.zip", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);

        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)));
        Assert.Contains("README.txt", zip.Entries.Select(e => e.FullName));
        var account = JsonDocument.Parse(Read(zip, "account.json")).RootElement;
        Assert.Equal("me@example.com", account.GetProperty("email").GetString());
        Assert.Equal("Europe/Paris", account.GetProperty("settings").GetProperty("timeZoneId").GetString());
        var body = account.GetProperty("settings").GetProperty("sourcePriorities").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "Body");
        Assert.Equal("Withings", body.GetProperty("order")[0].GetString()); // Manual moved from third to second
        Assert.Equal("Manual", body.GetProperty("order")[1].GetString());

        var samples = Read(zip, "health/samples.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("metric,unit,source,source_record_id,start_utc,end_utc,local_date,value", samples[0]);
        Assert.Single(samples.Skip(1));
        Assert.StartsWith("weight,kg,Manual,manual-", samples[1], StringComparison.Ordinal);
        Assert.EndsWith(",2026-11-24T06:15:00Z,,2026-11-24,71.3", samples[1], StringComparison.Ordinal);
        Assert.Equal(["metric,unit,local_date,value,source,sample_count", "weight,kg,2026-11-24,71.3,Manual,1"], Read(zip, "health/daily-values.csv").Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var everything = string.Concat(zip.Entries.Select(e => Read(zip, e.FullName)));
        Assert.DoesNotContain("other@example.com", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("88.8", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("PasswordHash", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SecurityStamp", everything, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Export_RequiresSignIn()
    {
        using var client = app.CreateTestClient();
        using var empty = new FormUrlEncodedContent([]);
        var response = await client.Http.PostAsync("/Account/Manage/DownloadPersonalData", empty, TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DeletingAnAccount_LeavesNoRowInAnyTableThatMentionsTheUser()
    {
        using var doomed = await UserWithDataAsync("doomed@example.com", "70");
        using var survivor = await UserWithDataAsync("survivor@example.com", "80");
        var ids = await app.WithDbAsync(db => db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id));
        Assert.NotEmpty(await MentionsAsync(ids["doomed@example.com"]));
        // A CSV upload waiting for confirmation is a file, not a row: it must go too.
        var staged = await doomed.PostFileAsync("/metrics/import", "import-upload", "file", "w.csv", "timestamp,metric,value,unit\n2026-11-20T08:00,weight,70,kg\n"u8.ToArray());
        Assert.Equal(HttpStatusCode.Redirect, staged.StatusCode);
        var imports = Path.Combine(app.DataDirectory, "imports");
        Assert.Single(Directory.GetDirectories(imports));

        var response = await doomed.PostFormAsync("/Account/Manage/DeletePersonalData", "delete-user", new Dictionary<string, string> { ["Input.Password"] = TestClient.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.Empty(await MentionsAsync(ids["doomed@example.com"]));
        Assert.Empty(Directory.GetDirectories(imports));
        var survivorRows = await MentionsAsync(ids["survivor@example.com"]);
        Assert.Contains(survivorRows, m => m.StartsWith("Samples.", StringComparison.Ordinal));
        Assert.Contains(survivorRows, m => m.StartsWith("SourcePriorities.", StringComparison.Ordinal));
    }

    /// <summary>Every (table.column) in the database holding the user's id: every table, every text column.</summary>
    private Task<List<string>> MentionsAsync(string userId) => app.WithDbAsync(async db =>
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var found = new List<string>();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            var columns = new List<string>();
            await using (var info = connection.CreateCommand())
            {
                info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                await using var reader = await info.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    columns.Add(reader.GetString(0));
                }
            }

            foreach (var column in columns)
            {
                await using var count = connection.CreateCommand();
                count.CommandText = $"SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) = $id";
                count.Parameters.AddWithValue("$id", userId);
                if ((long)(await count.ExecuteScalarAsync())! > 0)
                {
                    found.Add($"{table}.{column}");
                }
            }
        }

        return found;
    });

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
