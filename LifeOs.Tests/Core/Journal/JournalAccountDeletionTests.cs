using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

using LifeOs.Tests.TestSupport;

namespace LifeOs.Tests.Core.Journal;

public sealed class JournalAccountDeletionTests
{
    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task DeletingAnAccount_LeavesNoJournalRow_AndNoWordInTheSearchIndex(Engine engine)
    {
        using var t = new JournalTestDb(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero), engine);
        var ct = TestContext.Current.CancellationToken;
        t.AddUser("ada");
        t.AddUser("bob");
        await t.AddAsync("ada", new DateOnly(2026, 11, 24), body: "Quixotic aubergine thoughts", tags: "private");
        await t.AddAsync("bob", new DateOnly(2026, 11, 24), body: "Ordinary words");
        t.Db.JournalTemplates.Add(new JournalTemplate { UserId = "ada", Kind = JournalKind.Note, Body = "Mine" });
        t.Db.JournalPreferences.Add(new JournalPreferences { UserId = "ada", StreakGraceRule = true });
        await t.Db.SaveChangesAsync(ct);
        var drafts = new JournalDraftService(t.Db, t.Time);
        await drafts.SaveAsync("ada", JournalDraftTarget.New(JournalKind.Note), new JournalEntryInput(JournalKind.Note, null, null, null, "Unsaved aubergine", null, null, null), ct);
        await drafts.SaveAsync("bob", JournalDraftTarget.New(JournalKind.Note), new JournalEntryInput(JournalKind.Note, null, null, null, "Bob's draft", null, null, null), ct);

        await t.Db.Users.Where(u => u.Id == "ada").ExecuteDeleteAsync(ct);

        Assert.Equal(["bob"], await t.Db.JournalEntries.Select(e => e.UserId).ToListAsync(ct));
        Assert.Equal(0, await t.Db.JournalTags.CountAsync(e => e.UserId == "ada", ct));
        Assert.Equal(0, await t.Db.JournalTemplates.CountAsync(ct));
        Assert.Equal(0, await t.Db.JournalPreferences.CountAsync(ct));
        Assert.Equal(["bob"], await t.Db.JournalDrafts.Select(d => d.UserId).ToListAsync(ct));
        if (engine == Engine.PostgreSql)
        {
            // The words live in the entry's own generated column, so they went with the row.
            return;
        }

        Assert.Equal(0, await t.Db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM JournalSearch WHERE JournalSearch MATCH 'aubergine'").SingleAsync(ct));
        // The index's own vocabulary no longer holds the deleted words (secure-delete).
        await t.Db.Database.ExecuteSqlRawAsync("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, 'JournalSearch', 'row')", ct);
        Assert.Equal(0, await t.Db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM temp.vocab WHERE term IN ('aubergin', 'quixot', 'privat')").SingleAsync(ct));
        Assert.Equal(1, await t.Db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM temp.vocab WHERE term = 'ordinari'").SingleAsync(ct));
    }
}
