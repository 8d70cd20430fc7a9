using System.IO.Compression;
using System.Text;
using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Core.Journal;

public sealed class JournalArchiveTests : IDisposable
{
    private readonly JournalTestDb t = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));

    public JournalArchiveTests()
    {
        t.AddUser("ada", "Europe/Paris");
        t.AddUser("bob");
    }

    public void Dispose() => t.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<MemoryStream> ExportAsync(string user)
    {
        var zip = new MemoryStream();
        await t.Archive.WriteZipAsync(user, zip, Ct);
        zip.Position = 0;
        return zip;
    }

    private async Task<List<(JournalKind, DateOnly, string?, string?, string, int?, int?, string, int)>> SnapshotAsync(string user) =>
        (await t.Db.JournalEntries.AsNoTracking().Where(e => e.UserId == user).OrderBy(e => e.LocalDate).ThenBy(e => e.Title).ToListAsync(Ct))
            .Select(e => (e.Kind, e.LocalDate, e.Week, e.Title, e.Body, e.Mood, e.Energy, e.Tags, e.WordCount)).ToList();

    private static MemoryStream Zip(params (string Name, string Text)[] files)
    {
        var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        stream.Position = 0;
        return stream;
    }

    [Fact]
    public async Task ExportThenImport_RoundTrips_AndImportingTwiceAddsNothing()
    {
        await t.AddAsync("ada", new DateOnly(2026, 11, 24), JournalKind.MorningPages, "Woke early.\n\n## Thoughts\n\n- one: two\n- \"quoted\"\n\n---\n\nAfter a rule.", title: "Title: with \"quotes\" and # hash", mood: 4, energy: 2, tags: "work, ünïcode tag, a#b");
        await t.AddAsync("ada", new DateOnly(2026, 11, 25), JournalKind.WeeklyReview, "## Wins\n\nShipped.", week: "2026-W47", mood: 5);
        await t.AddAsync("ada", new DateOnly(1999, 12, 31), JournalKind.Note, "Party like it's 1999.");
        var original = await SnapshotAsync("ada");

        // Into an empty journal: everything comes back as it was.
        var result = await t.Archive.ImportZipAsync("bob", await ExportAsync("ada"), Ct);
        Assert.Equal(new JournalImportResult([], 3, 0), result);
        Assert.Equal(original, await SnapshotAsync("bob"));
        var tags = await t.Db.JournalTags.Where(x => x.UserId == "bob").Select(x => x.Name).OrderBy(x => x).ToListAsync(Ct);
        Assert.Equal(["a#b", "work", "ünïcode tag"], tags);

        // Again, and into the journal it came from: nothing is duplicated.
        Assert.Equal(new JournalImportResult([], 0, 3), await t.Archive.ImportZipAsync("bob", await ExportAsync("ada"), Ct));
        Assert.Equal(new JournalImportResult([], 0, 3), await t.Archive.ImportZipAsync("ada", await ExportAsync("ada"), Ct));
        Assert.Equal(6, await t.Db.JournalEntries.CountAsync(Ct));

        // Search finds imported entries too (the FTS triggers ran).
        var found = await t.Journal.ListAsync("bob", new JournalQuery(Search: "shipped"), Ct);
        Assert.Single(found.Items);
    }

    [Fact]
    public async Task Export_WritesMarkdownWithFrontMatter()
    {
        await t.AddAsync("ada", new DateOnly(2026, 11, 24), JournalKind.DailyReflection, "Went well.", title: "A day", mood: 3, tags: "family");
        using var zip = new ZipArchive(await ExportAsync("ada"), ZipArchiveMode.Read);
        var file = Assert.Single(zip.Entries);
        Assert.Matches(@"^journal/2026/2026-11-24-reflection-[0-9a-f]{8}\.md$", file.FullName);
        using var reader = new StreamReader(file.Open());
        var text = await reader.ReadToEndAsync(Ct);
        Assert.StartsWith("---\nid: ", text, StringComparison.Ordinal);
        Assert.Contains("\ndate: 2026-11-24\nkind: reflection\ntitle: \"A day\"\nmood: 3\ntags: [\"family\"]\ncreated: 2026-11-25T09:30:00Z\n", text, StringComparison.Ordinal);
        Assert.EndsWith("---\n\nWent well.\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WithErrors_NamesFileAndLine_AndImportsNothing()
    {
        var zip = Zip(
            ("good.md", "---\ndate: 2026-11-20\nkind: note\n---\n\nFine."),
            ("journal/bad-mood.md", "---\nid: 0123456789abcdef\ndate: 2026-11-21\nkind: note\nmood: 9\n---\n\nText"),
            ("journal/no-date.md", "---\nkind: morning-pages\n---\n\nText"),
            ("journal/empty.md", "---\ndate: 2026-11-22\nkind: note\ntags: [\"a\"]\n---\n\n"),
            ("journal/weird.md", "---\ndate: 2026-11-22\nkind: diary\n---\n\nText"),
            ("journal/old.md", "---\ndate: 1850-01-01\nkind: note\n---\n\nText"),
            ("journal/future.md", "---\nkind: note\ndate: 2099-01-01\n---\n\nText"),
            ("notes.txt", "ignored"));

        var result = await t.Archive.ImportZipAsync("ada", zip, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("journal/bad-mood.md, line 5: Mood is from 1 to 5.", result.Errors);
        Assert.Contains(result.Errors, e => e.StartsWith("journal/no-date.md, line 1: date must be a day", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("journal/empty.md, line 6: Write something first", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("journal/weird.md, line 3: kind must be one of", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("journal/future.md, line 3: Choose a date no later than today, 2026-11-", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("journal/old.md, line 2: Choose a date in 1900 or later.", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Errors, e => e.StartsWith("good.md", StringComparison.Ordinal));
        Assert.Equal(0, await t.Db.JournalEntries.CountAsync(Ct));
    }

    [Fact]
    public async Task Import_OfMoreEntriesThanOneWriteChunk_StoresEveryOne_AndAgainAddsNothing()
    {
        var files = Enumerable.Range(0, 1_201)
            .Select(i => ($"journal/{i}.md", $"---\ndate: {new DateOnly(2023, 1, 1).AddDays(i / 2):yyyy-MM-dd}\nkind: note\ntitle: Note {i}\n---\n\nText {i}."))
            .ToArray();

        Assert.Equal(new JournalImportResult([], 1_201, 0), await t.Archive.ImportZipAsync("ada", Zip(files), Ct));
        Assert.Equal(new JournalImportResult([], 0, 1_201), await t.Archive.ImportZipAsync("ada", Zip(files), Ct));
        Assert.Equal(1_201, await t.Db.JournalEntries.CountAsync(e => e.UserId == "ada", Ct));
    }

    [Fact]
    public async Task Import_HandWrittenFileWithoutId_IsNotDuplicatedOnSecondImport()
    {
        var file = ("today.md", "---\ndate: 2026-11-20\nkind: note\ntitle: Hello\ntags: running, Running , #sleep\n---\n\nBody text.\n");
        Assert.Equal(new JournalImportResult([], 1, 0), await t.Archive.ImportZipAsync("ada", Zip(file), Ct));
        Assert.Equal(new JournalImportResult([], 0, 1), await t.Archive.ImportZipAsync("ada", Zip(file), Ct));
        var entry = await t.Db.JournalEntries.SingleAsync(Ct);
        Assert.Equal("running\nsleep", entry.Tags);
    }

    [Fact]
    public async Task Import_AFileThatInflatesPastWhatTheZipDeclares_IsReadOnlyAsFarAsDeclared()
    {
        var good = ("a.md", "---\ndate: 2026-11-20\nkind: note\n---\n\nFine.\n");
        var bomb = ("b.md", "---\ndate: 2026-11-21\nkind: note\n---\n\n" + new string('a', 2 * 1024 * 1024));
        var zip = Zip(good, bomb).ToArray();
        // Make the zip lie: b.md says it unpacks to 100 bytes, in its local header and in the central directory.
        Assert.True(zip.Length < 64 * 1024);
        var lied = 0;
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var local = BitConverter.ToUInt32(zip, i) == 0x04034b50 && Encoding.ASCII.GetString(zip, i + 30, 4) == "b.md";
            var central = BitConverter.ToUInt32(zip, i) == 0x02014b50 && Encoding.ASCII.GetString(zip, i + 46, 4) == "b.md";
            if (local || central)
            {
                BitConverter.TryWriteBytes(zip.AsSpan(i + (local ? 22 : 24), 4), 100u);
                lied++;
            }
        }

        Assert.Equal(2, lied);

        var result = await t.Archive.ImportZipAsync("ada", new MemoryStream(zip), Ct);

        // What is read stops at the size the zip declared (which is bounded): the 2 MB never reach memory or the journal.
        Assert.Empty(result.Errors);
        var bodies = await t.Db.JournalEntries.OrderBy(e => e.LocalDate).Select(e => e.Body).ToListAsync(Ct);
        Assert.Equal(2, bodies.Count);
        Assert.InRange(bodies[1].Length, 0, 100);
    }

    [Fact]
    public async Task Import_NotAZip_SaysSo()
    {
        var result = await t.Archive.ImportZipAsync("ada", new MemoryStream("not a zip"u8.ToArray()), Ct);
        Assert.Equal(["The file is not a readable zip archive."], result.Errors);
    }
}
