using System.IO.Compression;
using System.Text;
using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Core.Journal;

/// <summary>Journals from other apps: a zip of Markdown notes (Obsidian, Logseq) and Day One's JSON export.</summary>
public sealed class JournalFormatsTests : IDisposable
{
    private readonly JournalTestDb t = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));

    public JournalFormatsTests()
    {
        t.AddUser("ada");
        t.AddUser("bob");
    }

    public void Dispose() => t.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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

    private static readonly (string, string)[] Notes =
    [
        ("vault/Daily/2024-01-31.md", "---\ntags:\n  - café\n  - work\n---\n\n# Mittwoch\nÜber den Fluss gelaufen. 雪が降った。\n"),
        ("logseq/journals/2024_02_01.md", "- Met Zoë for lunch\n- Ran 5 km\n"),
        ("vault/Ideas/Garden plan.md", "---\ndate: 2024-02-03\ntitle: \"Plans for the garden\"\ntags: [garden, \"spring\"]\n---\nTomatoes by the wall.\n"),
        ("logseq/journals/2024_02_02.md", "\n"),
        ("vault/Someday.md", "No date anywhere in this one.\n"),
    ];

    [Fact]
    public async Task MarkdownNotes_TakeTheirDay_FromFrontMatter_ElseTheFileName_ElseTheDayAsked()
    {
        var preview = await t.Archive.PreviewZipAsync("ada", Zip(Notes), Ct);

        Assert.Equal(JournalImportFormat.Markdown, preview.Format);
        Assert.Equal(["vault/Someday.md"], preview.Undated);
        Assert.Equal(4, preview.Entries);
        Assert.Equal((new DateOnly(2024, 1, 31), new DateOnly(2024, 2, 3)), (preview.From!.Value, preview.To!.Value));
        Assert.Equal(["1 empty file"], preview.NotImported);

        // Without the day asked for, nothing is imported and the undated file is named.
        var refused = await t.Archive.ImportZipAsync("ada", Zip(Notes), undatedDay: null, Ct);
        Assert.Contains(refused.Errors, e => e.Contains("vault/Someday.md", StringComparison.Ordinal) && e.Contains("choose a day", StringComparison.Ordinal));
        Assert.Equal(0, await t.Db.JournalEntries.CountAsync(Ct));

        var result = await t.Archive.ImportZipAsync("ada", Zip(Notes), new DateOnly(2024, 3, 1), Ct);

        Assert.Equal(new JournalImportResult([], 4, 1), result);
        var entries = await t.Db.JournalEntries.AsNoTracking().Where(e => e.UserId == "ada").OrderBy(e => e.LocalDate).ToListAsync(Ct);
        Assert.Equal([new DateOnly(2024, 1, 31), new DateOnly(2024, 2, 1), new DateOnly(2024, 2, 3), new DateOnly(2024, 3, 1)], entries.Select(e => e.LocalDate));
        Assert.Equal("# Mittwoch\nÜber den Fluss gelaufen. 雪が降った。", entries[0].Body);
        Assert.Equal("café\nwork", entries[0].Tags);
        Assert.Null(entries[0].Title);
        Assert.Equal("Plans for the garden", entries[2].Title);
        Assert.Equal("garden\nspring", entries[2].Tags);
        Assert.Equal("Someday", entries[3].Title);
        Assert.All(entries, e => Assert.Equal(JournalKind.Note, e.Kind));

        // Again: nothing new.
        Assert.Equal(new JournalImportResult([], 0, 5), await t.Archive.ImportZipAsync("ada", Zip(Notes), new DateOnly(2024, 3, 1), Ct));
        // (The undated note has no day until one is chosen, so the preview cannot match it yet.)
        Assert.Equal(3, (await t.Archive.PreviewZipAsync("ada", Zip(Notes), Ct)).AlreadyHere);
        Assert.Equal(0, (await t.Archive.PreviewZipAsync("bob", Zip(Notes), Ct)).AlreadyHere);
    }

    [Fact]
    public async Task MarkdownNotes_WithABadDate_AreRefusedWhole_NamingTheFile()
    {
        var result = await t.Archive.ImportZipAsync("ada", Zip(("good.md", "---\ndate: 2024-01-02\n---\nFine."), ("bad.md", "---\ndate: last Tuesday\n---\nText")), new DateOnly(2024, 1, 1), Ct);

        Assert.Equal(["bad.md, line 2: date must be a day such as 2024-01-31, not \"last Tuesday\"."], result.Errors);
        Assert.Equal(0, await t.Db.JournalEntries.CountAsync(Ct));
    }

    private const string DayOneJson = """
        {
          "metadata": { "version": "1.0" },
          "entries": [
            {
              "uuid": "4F1C2D8E9A0B4C3D8E7F6A5B4C3D2E1F",
              "creationDate": "2024-01-31T23:30:00Z",
              "modifiedDate": "2024-02-01T08:00:00Z",
              "timeZone": "Asia/Tokyo",
              "starred": true,
              "tags": ["Travel", "Ünïcode"],
              "text": "Arrived in Kyoto\\!\n\n![](dayone-moment://A1B2C3)\n\nThe temple was quiet \\- 静か.",
              "photos": [ { "identifier": "A1B2C3", "md5": "abc", "type": "jpeg" } ]
            },
            {
              "uuid": "0A1B2C3D4E5F60718293A4B5C6D7E8F9",
              "creationDate": "2023-06-10T07:00:00Z",
              "timeZone": "Europe/Paris",
              "text": "Morning run by the river."
            },
            {
              "uuid": "99999999999999999999999999999999",
              "creationDate": "2023-06-11T07:00:00Z",
              "text": "",
              "photos": [ { "identifier": "PHOTO2" } ]
            }
          ]
        }
        """;

    [Fact]
    public async Task DayOne_Json_KeepsDateInItsZone_TextTagsAndStar_AndListsThePhotos()
    {
        var zip = () => Zip(("Journal.json", DayOneJson), ("photos/abc.jpeg", "binary"));

        var preview = await t.Archive.PreviewZipAsync("ada", zip(), Ct);
        Assert.Equal(JournalImportFormat.DayOne, preview.Format);
        Assert.Equal(2, preview.Entries);
        Assert.Equal(["2 photos"], preview.NotImported);
        Assert.Empty(preview.Errors);

        Assert.Equal(new JournalImportResult([], 2, 0), await t.Archive.ImportZipAsync("ada", zip(), Ct));

        var entries = await t.Db.JournalEntries.AsNoTracking().OrderBy(e => e.LocalDate).ToListAsync(Ct);
        Assert.Equal(new DateOnly(2023, 6, 10), entries[0].LocalDate);
        // 23:30 UTC is the next morning in Tokyo.
        Assert.Equal(new DateOnly(2024, 2, 1), entries[1].LocalDate);
        Assert.Equal("Arrived in Kyoto!\n\nThe temple was quiet - 静か.", entries[1].Body);
        Assert.Equal("Travel\nÜnïcode\nstarred", entries[1].Tags);
        Assert.Equal("4f1c2d8e9a0b4c3d8e7f6a5b4c3d2e1f", entries[1].Uid);
        Assert.Equal(new DateTime(2024, 1, 31, 23, 30, 0), entries[1].CreatedAt);

        Assert.Equal(new JournalImportResult([], 0, 2), await t.Archive.ImportZipAsync("ada", zip(), Ct));
    }

    [Fact]
    public async Task DayOne_WithAnInvalidEntry_ImportsNothing()
    {
        var json = DayOneJson.Replace("\"2023-06-10T07:00:00Z\"", "\"not a date\"", StringComparison.Ordinal);

        var result = await t.Archive.ImportZipAsync("ada", Zip(("Journal.json", json)), Ct);

        Assert.Equal(["Journal.json, entry 2: it has no creationDate."], result.Errors);
        Assert.Equal(0, await t.Db.JournalEntries.CountAsync(Ct));
        Assert.Contains("not a Day One export", (await t.Archive.ImportZipAsync("ada", Zip(("Journal.json", "{\"notes\":[]}")), Ct)).Errors.Single(), StringComparison.Ordinal);
    }
}
