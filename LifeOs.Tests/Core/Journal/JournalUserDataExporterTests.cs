using System.IO.Compression;
using System.Text.Json;
using LifeOs.Core.Export;
using LifeOs.Core.Journal;

using LifeOs.Tests.TestSupport;

namespace LifeOs.Tests.Core.Journal;

public sealed class JournalUserDataExporterTests
{
    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task FullAccountExport_HoldsTheUsersEntriesAsJsonAndMarkdown_AndNoOneElses(Engine engine)
    {
        using var t = new JournalTestDb(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero), engine);
        var ct = TestContext.Current.CancellationToken;
        t.AddUser("ada");
        t.AddUser("bob");
        await t.AddAsync("ada", new DateOnly(2026, 11, 24), JournalKind.DailyReflection, "Ada's day", title: "Mine", mood: 4, tags: "a, b");
        await t.AddAsync("bob", new DateOnly(2026, 11, 24), body: "Bob's day");
        var drafts = new JournalDraftService(t.Db, t.Time);
        await drafts.SaveAsync("ada", JournalDraftTarget.New(JournalKind.MorningPages), new JournalEntryInput(JournalKind.MorningPages, new DateOnly(2026, 11, 25), null, null, "Half a thought", null, null, null), ct);
        await drafts.SaveAsync("bob", JournalDraftTarget.New(JournalKind.MorningPages), new JournalEntryInput(JournalKind.MorningPages, null, null, null, "Bob's draft", null, null, null), ct);

        using var stream = new MemoryStream();
        await new UserDataExportService([new JournalUserDataExporter(t.Db)], TimeProvider.System).WriteZipAsync("ada", stream, ct);
        stream.Position = 0;
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read);

        Assert.Equal(["journal/drafts.json", "journal/entries.json", "journal/markdown/2026/", "journal/settings.json", "README.txt"],
            zip.Entries.Select(e => e.FullName.StartsWith("journal/markdown/2026/", StringComparison.Ordinal) ? "journal/markdown/2026/" : e.FullName).Order());
        using var json = JsonDocument.Parse(await new StreamReader(zip.GetEntry("journal/entries.json")!.Open()).ReadToEndAsync(ct));
        var entry = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal("reflection", entry.GetProperty("kind").GetString());
        Assert.Equal("Ada's day", entry.GetProperty("body").GetString());
        Assert.Equal(["a", "b"], entry.GetProperty("tags").EnumerateArray().Select(x => x.GetString()));
        using var drafted = JsonDocument.Parse(await new StreamReader(zip.GetEntry("journal/drafts.json")!.Open()).ReadToEndAsync(ct));
        var draft = Assert.Single(drafted.RootElement.EnumerateArray());
        Assert.Equal(("morning-pages", "Half a thought"), (draft.GetProperty("kind").GetString(), draft.GetProperty("body").GetString()));
    }
}
