using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Journal;

/// <summary>A migrated in-memory database with the journal services over a fake clock.</summary>
internal sealed class JournalTestDb : IDisposable
{
    private readonly SqliteConnection connection = TestDatabase.OpenInMemory();

    public JournalTestDb(DateTimeOffset now)
    {
        Time = new FakeTimeProvider(now);
        Db = new LifeOsDbContext(TestDatabase.Options(connection));
        Db.Database.Migrate();
        Journal = new JournalService(Db, Time);
        Streaks = new JournalStreakService(Db, Time);
        Archive = new JournalArchive(Db, Time);
    }

    public FakeTimeProvider Time { get; }

    public LifeOsDbContext Db { get; }

    public JournalService Journal { get; }

    public JournalStreakService Streaks { get; }

    public JournalArchive Archive { get; }

    public void AddUser(string id, string zone = "UTC", int dayStartHour = 0, bool grace = false)
    {
        Db.Users.Add(new ApplicationUser { Id = id, UserName = id, Email = $"{id}@example.com", TimeZoneId = zone, DayStartHour = dayStartHour, CreatedAt = DateTime.UtcNow });
        if (grace)
        {
            Db.JournalPreferences.Add(new JournalPreferences { UserId = id, StreakGraceRule = true });
        }

        Db.SaveChanges();
        Db.ChangeTracker.Clear();
    }

    public async Task<long> AddAsync(string user, DateOnly date, JournalKind kind = JournalKind.MorningPages, string body = "Words on a page.", string? title = null, int? mood = null, int? energy = null, string? tags = null, string? week = null)
    {
        var result = await Journal.CreateAsync(user, new JournalEntryInput(kind, date, week, title, body, mood, energy, tags), TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        Db.ChangeTracker.Clear();
        return result.Id!.Value;
    }

    public void Dispose()
    {
        Db.Dispose();
        connection.Dispose();
    }
}
