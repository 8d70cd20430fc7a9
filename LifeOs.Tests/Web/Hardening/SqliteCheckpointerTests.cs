using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// Writers leave SQLite's write-ahead log to <see cref="SqliteCheckpointer"/>: a commit no longer copies the log into
/// the database file (SQLite's default past 1,000 pages); the app's checkpointer does, on its own clock.
/// </summary>
public sealed class SqliteCheckpointerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AWriteOfThousandsOfPages_StaysInTheLog_UntilTheCheckpointerFoldsItIn()
    {
        await using var app = new LifeOsAppFactory();
        _ = app.Services; // starts the host, which migrates and starts the checkpointer
        var database = Path.Combine(app.DataDirectory, "lifeos.db");
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new ApplicationUser { Id = "ada", UserName = "ada@example.com", Email = "ada@example.com", TimeZoneId = "UTC", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
            await db.Database.OpenConnectionAsync(Ct);
            await using var pragma = db.Database.GetDbConnection().CreateCommand();
            pragma.CommandText = "PRAGMA wal_autocheckpoint";
            Assert.Equal(SqliteCheckpointer.WriterCheckpointPages, Convert.ToInt32(await pragma.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        });
        var before = new FileInfo(database).Length;

        // Two weeks of minute heart rate: well over 1,000 pages of log (4 MB), where a commit used to checkpoint.
        var samples = Enumerable.Range(0, 14 * 1440)
            .Select(m => new SampleInput(MetricCatalogue.HeartRate, SampleSource.Manual, $"m{m}", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(m), 55 + (m % 40)))
            .ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync("ada", samples, Ct);
        }

        Assert.True(new FileInfo(database + "-wal").Length > 1_000 * 4096, "the write went to the log");
        Assert.Equal(before, new FileInfo(database).Length);

        // The app's clock moves on: the checkpointer copies the log into the file.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (new FileInfo(database).Length == before && DateTime.UtcNow < deadline)
        {
            app.Time.Advance(SqliteCheckpointer.Interval);
            await Task.Delay(20, Ct);
        }

        Assert.True(new FileInfo(database).Length > before + (1_000 * 4096), "the checkpointer folded the log into the file");
    }
}
