using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// A commit that leaves SQLite's write-ahead log under its 1,000-page bound does not checkpoint; without
/// <see cref="SqliteCheckpointer"/> the log would grow until some later small commit (a webhook delivery, a journal save)
/// passed the bound and copied all of it into the file before answering. The app's checkpointer folds it in on its own clock.
/// </summary>
public sealed class SqliteCheckpointerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ASmallWrite_StaysInTheLog_UntilTheCheckpointerFoldsItIn()
    {
        await using var app = new LifeOsAppFactory();
        _ = app.Services; // starts the host, which migrates and starts the checkpointer
        var database = Path.Combine(app.DataDirectory, "lifeos.db");
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new ApplicationUser { Id = "ada", UserName = "ada@example.com", Email = "ada@example.com", TimeZoneId = "UTC", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
            return 0;
        });
        var before = new FileInfo(database).Length;

        // Three days of minute heart rate: a few hundred pages of log (compact samples take about a third of a page per
        // ten rows), under the bound where a commit checkpoints itself.
        var samples = Enumerable.Range(0, 3 * 1440)
            .Select(m => new SampleInput(MetricCatalogue.HeartRate, SampleSource.Manual, $"m{m}", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(m), 55 + (m % 40)))
            .ToList();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync("ada", samples, Ct);
        }

        Assert.True(new FileInfo(database + "-wal").Length > 100 * 4096, $"the write went to the log ({new FileInfo(database + "-wal").Length / 4096} pages)");
        Assert.Equal(before, new FileInfo(database).Length);

        // The app's clock moves on: the checkpointer copies the log into the file. A PASSIVE checkpoint copies only what no
        // reader still needs (the app's own background work may hold a snapshot for a moment), so the first one can fold in
        // part of the log: wait for all of it, not for the first change (which once ended the wait early in CI).
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (new FileInfo(database).Length <= before + (100 * 4096) && DateTime.UtcNow < deadline)
        {
            app.Time.Advance(SqliteCheckpointer.Interval);
            await Task.Delay(20, Ct);
        }

        var grown = (new FileInfo(database).Length - before) / 4096;
        Assert.True(grown > 100, $"the checkpointer folded the log into the file (the file grew {grown} pages)");
    }
}
