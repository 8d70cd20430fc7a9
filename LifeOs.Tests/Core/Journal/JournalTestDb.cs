using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Journal;

/// <summary>A migrated database of its own (SQLite in memory unless told otherwise) with the journal services over a fake clock.</summary>
internal sealed class JournalTestDb : IDisposable
{
    private readonly EngineDatabase database;

    public JournalTestDb(DateTimeOffset now, Engine engine = Engine.Sqlite)
    {
        Time = new FakeTimeProvider(now);
        database = EngineDatabase.Create(engine);
        Db = database.NewContext();
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
        database.Dispose();
    }
}
