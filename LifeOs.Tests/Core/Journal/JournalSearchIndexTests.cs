using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Data.Migrations.Legacy;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Journal;

/// <summary>The search index's owner token: one per journal, the same from SQL and from C#, kept through upgrades.</summary>
public sealed class JournalSearchIndexTests
{
    private const string BeforeOwnerToken = "20261125000800_AddDailyValueRangeIndex";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 30, 0, TimeSpan.Zero);

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task EveryKindOfUserId_FindsOnlyItsOwnEntries(Engine engine)
    {
        // A GUID (five tokens to FTS5 as text), ids that differ only in case (FTS5 folds case), non-ASCII,
        // and punctuation that FTS5's query syntax treats specially.
        string[] ids = [Guid.NewGuid().ToString(), "Ada", "ada", "Zoë", "a \"b\" OR c*", "ada0"];
        using var t = new JournalTestDb(Now, engine);
        var ct = TestContext.Current.CancellationToken;
        foreach (var id in ids)
        {
            t.AddUser(id);
            await t.AddAsync(id, new DateOnly(2026, 11, 24), body: $"A lantern by the harbour, written by {id}.");
        }

        foreach (var id in ids)
        {
            var page = await t.Journal.ListAsync(id, new JournalQuery(Search: "lantern"), ct);
            Assert.Equal(1, page.Total);
            var entry = await t.Journal.GetAsync(id, page.Items.Single().Id, ct);
            Assert.NotNull(entry);
            Assert.Contains(id, entry.Body, StringComparison.Ordinal);
        }

        // FTS5's own check, which compares the index with the entries' columns (the generated owner token included).
        if (engine == Engine.Sqlite)
        {
            await t.Db.Database.ExecuteSqlRawAsync("""INSERT INTO "JournalSearch"("JournalSearch", rank) VALUES ('integrity-check', 1);""", ct);
        }
    }

    [Fact]
    public void OwnerToken_InCSharp_IsWhatTheGeneratedColumnHolds()
    {
        using var t = new JournalTestDb(Now);
        foreach (var id in new[] { "bd0c2cb4-2f0e-4e0a-9d7e-8c39b1c0f0aa", "Zoë", "x" })
        {
            t.AddUser(id);
            t.Db.JournalEntries.Add(new JournalEntry { Uid = id, UserId = id, Body = "Words.", LocalDate = new DateOnly(2026, 11, 25) });
        }

        t.Db.SaveChanges();
        var stored = t.Db.Database.SqlQueryRaw<string>("""SELECT "UserId" || '=' || "SearchOwner" AS "Value" FROM "JournalEntries" ORDER BY "Id" """).ToList();
        Assert.Equal(
            stored,
            new[] { "bd0c2cb4-2f0e-4e0a-9d7e-8c39b1c0f0aa", "Zoë", "x" }.Select(id => $"{id}={JournalSearch.OwnerToken(id)}"));
    }

    [Fact]
    public async Task UpgradingAJournal_RebuildsTheIndex_AndDowngradingRestoresTheOldOne()
    {
        var ct = TestContext.Current.CancellationToken;
        using var connection = TestDatabase.OpenInMemory();
        // The owner token came with a hand-written 0.1 migration; those still upgrade old databases.
        await using var db = new LegacyLifeOsDbContext(TestDatabase.Options(connection));
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(BeforeOwnerToken, cancellationToken: ct);
        foreach (var id in new[] { "ada", "bob" })
        {
            // By SQL: the model has columns (added later) that this old schema does not.
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO AspNetUsers (Id, UserName, Email, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount, TimeZoneId, UnitSystem, DayStartHour, CreatedAt) VALUES ({id}, {id}, {id + "@example.com"}, 1, 0, 0, 1, 0, 'UTC', 'Metric', 0, '2026-11-25 09:30:00')", ct);
            db.JournalEntries.Add(new JournalEntry { Uid = $"{id}-1", UserId = id, Body = $"Ferries at dawn, {id}.", LocalDate = new DateOnly(2026, 11, 20) });
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        await migrator.MigrateAsync(cancellationToken: ct);
        var journal = new JournalService(db, new FakeTimeProvider(Now));
        var found = await journal.ListAsync("ada", new JournalQuery(Search: "ferry"), ct);
        Assert.Equal(1, found.Total);
        Assert.Contains("<mark>", found.Items.Single().SnippetHtml, StringComparison.Ordinal);

        // Entries written after the upgrade are indexed by the new triggers.
        await journal.CreateAsync("bob", new JournalEntryInput(JournalKind.Note, new DateOnly(2026, 11, 21), null, null, "More ferries.", null, null, null), ct);
        Assert.Equal(2, (await journal.ListAsync("bob", new JournalQuery(Search: "ferries"), ct)).Total);

        await migrator.MigrateAsync(BeforeOwnerToken, cancellationToken: ct);
        Assert.Equal(2, await db.Database.SqlQueryRaw<int>("""SELECT COUNT(*) AS "Value" FROM "JournalSearch" WHERE "JournalSearch" MATCH {0}""", "{UserId} : bob AND ferry").SingleAsync(ct));
        await db.Database.ExecuteSqlRawAsync("""INSERT INTO "JournalSearch"("JournalSearch", rank) VALUES ('integrity-check', 1);""", ct);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Search_PagesThroughEveryMatchOnce_BestFirst_AndFiltersCountToo(Engine engine)
    {
        using var t = new JournalTestDb(Now, engine);
        t.AddUser("ada");
        t.AddUser("bob");
        var ct = TestContext.Current.CancellationToken;
        for (var i = 0; i < 25; i++)
        {
            // Every third entry has the word in its title, which ranks first; notes and reflections alternate.
            await t.AddAsync("ada", new DateOnly(2026, 11, 1).AddDays(i), i % 2 == 0 ? JournalKind.Note : JournalKind.DailyReflection,
                body: $"Entry {i} mentions the orchard {new string('.', i)} once.", title: i % 3 == 0 ? "Orchard day" : $"Day {i}");
        }

        await t.AddAsync("bob", new DateOnly(2026, 11, 1), body: "Bob's orchard.");
        await t.AddAsync("ada", new DateOnly(2026, 11, 1), body: "Nothing to find here.");

        var first = await t.Journal.ListAsync("ada", new JournalQuery(Search: "orchard"), ct);
        var second = await t.Journal.ListAsync("ada", new JournalQuery(Search: "orchard", Page: 2), ct);
        var beyond = await t.Journal.ListAsync("ada", new JournalQuery(Search: "orchard", Page: 3), ct);
        Assert.Equal((25, 25, 25), (first.Total, second.Total, beyond.Total));
        Assert.Equal((20, 5, 0), (first.Items.Count, second.Items.Count, beyond.Items.Count));
        Assert.Empty((await t.Journal.ListAsync("ada", new JournalQuery(Search: "orchard", Page: int.MaxValue), ct)).Items);
        Assert.Empty((await t.Journal.ListAsync("ada", new JournalQuery(Page: int.MaxValue), ct)).Items);
        Assert.Equal(25, first.Items.Concat(second.Items).Select(i => i.Id).Distinct().Count());
        Assert.All(first.Items.Take(9), i => Assert.Equal("Orchard day", i.Title));
        Assert.All(first.Items.Concat(second.Items), i => Assert.Contains("<mark>", i.SnippetHtml, StringComparison.Ordinal));

        var notes = await t.Journal.ListAsync("ada", new JournalQuery(Kind: JournalKind.Note, Search: "orchard"), ct);
        Assert.Equal(13, notes.Total);
        Assert.All(notes.Items, i => Assert.Equal(JournalKind.Note, i.Kind));
        var notesPage2 = await t.Journal.ListAsync("ada", new JournalQuery(Kind: JournalKind.Note, Search: "orchard", Page: 2), ct);
        Assert.Empty(notesPage2.Items);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Search_StemsWords_FoldsDiacritics_MatchesTheWordBeingTyped_AndMarksMatchesSafely(Engine engine)
    {
        using var t = new JournalTestDb(Now, engine);
        t.AddUser("ada");
        t.AddUser("bob");
        var ct = TestContext.Current.CancellationToken;
        await t.AddAsync("ada", new DateOnly(2026, 11, 20), body: "Ferries at dawn from the harbour.");
        await t.AddAsync("ada", new DateOnly(2026, 11, 21), body: "A café crème in the naïve sun.", tags: "travel");
        await t.AddAsync("ada", new DateOnly(2026, 11, 22), body: "<script>alert('x')</script> the lighthouse & the sea.");
        await t.AddAsync("bob", new DateOnly(2026, 11, 22), body: "Bob's ferry, bob's café, bob's lighthouse.");

        async Task<JournalListPage> Find(string text) => await t.Journal.ListAsync("ada", new JournalQuery(Search: text), ct);

        // Stemmed on both sides, as FTS5's porter tokenizer does; every word must match.
        Assert.Equal(1, (await Find("ferry")).Total);
        Assert.Equal(1, (await Find("ferry dawn")).Total);
        Assert.Equal(0, (await Find("ferry dusk")).Total);
        // Diacritics fold away in both directions; a stop word is a word like any other.
        Assert.Equal(1, (await Find("cafe")).Total);
        Assert.Equal(1, (await Find("CAFÉ naive")).Total);
        Assert.Equal(3, (await Find("the")).Total);
        // Tags are searched too.
        Assert.Equal(1, (await Find("travel")).Total);
        // The last word is a prefix from three letters on, unless the text ends with a space.
        Assert.Equal(1, (await Find("lightho")).Total);
        Assert.Equal(0, (await Find("lightho ")).Total);
        Assert.Equal(0, (await Find("li")).Total);
        // Query syntax of either engine is just text: here three words, of which "or" and "near" are in no entry.
        Assert.Equal(0, (await Find("\"lighthouse\" OR & | ! :* ( NEAR")).Total);
        Assert.Equal(1, (await Find("lighthouse) & !(")).Total);

        var snippet = (await Find("lighthouse")).Items.Single().SnippetHtml!;
        Assert.Contains("<mark>lighthouse</mark>", snippet, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", snippet, StringComparison.Ordinal);
        Assert.Equal(1, snippet.Split("<mark>").Length - 1);
    }
}
