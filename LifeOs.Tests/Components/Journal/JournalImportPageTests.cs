using System.IO.Compression;
using Bunit;
using LifeOs.Core.Journal;
using LifeOs.Web.Components.Pages.Journal;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Components.Journal;

public sealed class JournalImportPageTests : JournalTestContext
{
    private async Task<IRenderedComponent<JournalImportPage>> ImportAsync(byte[] zip, string name = "journal.zip")
    {
        var page = RenderAt<JournalImportPage>("/journal/import");
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(zip, name, contentType: "application/zip"));
        page.WaitForAssertion(() => Assert.Contains(name, page.Find("[data-testid=chosen-file]").TextContent, StringComparison.Ordinal));
        await page.Find("[data-testid=import-button]").ClickAsync(new());
        return page;
    }

    private static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                writer.Write(text);
            }
        }

        return zip.ToArray();
    }

    [Fact]
    public async Task Import_OfTheExport_RestoresDeletedEntries_WithoutDuplicates()
    {
        var user = await SignInAsNewUserAsync("archivist@example.com");
        var first = await WriteAsync(user, JournalKind.MorningPages, "Pages about rain.", title: "Rain", mood: 3, tags: "weather");
        await WriteAsync(user, JournalKind.DailyReflection, "Learned: patience.", new DateOnly(2026, 11, 24));
        var zip = await WithAsync<JournalArchive, byte[]>(async archive =>
        {
            using var buffer = new MemoryStream();
            await archive.WriteZipAsync(user, buffer);
            return buffer.ToArray();
        });
        await WithAsync<JournalService, bool>(j => j.DeleteAsync(user, first));

        var page = await ImportAsync(zip);

        page.WaitForAssertion(() => Assert.Contains("Imported 1 entry; 1 already in your journal.", page.Find("[data-testid=import-result]").TextContent, StringComparison.Ordinal));
        Snackbars.WaitForAssertion(() => Assert.Contains("Imported 1 entry; 1 already in your journal.", SnackbarMessages()));
        Assert.Equal(2, await EntryCountAsync());
        Assert.Equal(("Rain", "weather"), await WithDbAsync(db => db.JournalEntries.Where(e => e.Title == "Rain").Select(e => new ValueTuple<string?, string>(e.Title, e.Tags)).SingleAsync()));

        var again = await ImportAsync(zip);
        again.WaitForAssertion(() => Assert.Contains("Imported 0 entries; 2 already in your journal.", again.Find("[data-testid=import-result]").TextContent, StringComparison.Ordinal));
        Assert.Equal(2, await EntryCountAsync());
    }

    [Fact]
    public async Task Import_BadFile_ListsTheProblemWithFileAndLine_AndImportsNothing()
    {
        await SignInAsNewUserAsync("importer@example.com");
        var zip = Zip(("a.md", "---\ndate: 2026-11-20\nkind: note\n---\nFine"), ("b.md", "---\ndate: 2026-11-20\nkind: note\nenergy: lots\n---\nText"));

        var page = await ImportAsync(zip);

        page.WaitForAssertion(() => Assert.Equal(["b.md, line 4: energy must be a whole number from 1 to 5, not \"lots\"."], page.FindAll("[data-testid=import-error]").Select(li => li.TextContent)));
        Assert.Contains("Nothing was imported", page.Find("[data-testid=import-errors]").TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await EntryCountAsync());
        Assert.Empty(page.FindAll("[data-testid=import-result]"));
    }

    [Fact]
    public async Task Import_NotAZip_SaysSo_AndImportsNothing()
    {
        await SignInAsNewUserAsync("wrongfile@example.com");
        var page = await ImportAsync("just some text"u8.ToArray(), "notes.zip");
        page.WaitForAssertion(() => Assert.Equal(["The file is not a readable zip archive."], page.FindAll("[data-testid=import-error]").Select(li => li.TextContent)));
        Assert.Equal(0, await EntryCountAsync());
    }

    [Fact]
    public async Task Import_OnlyEverAddsToTheSignedInUsersJournal()
    {
        var other = await CreateUserAsync("other@example.com");
        await SignInAsNewUserAsync("me@example.com");
        var page = await ImportAsync(Zip(("x.md", "---\ndate: 2026-11-20\nkind: note\n---\nMine now")));
        page.WaitForElement("[data-testid=import-result]");
        Assert.Equal(0, await WithDbAsync(db => db.JournalEntries.CountAsync(e => e.UserId == other)));
        Assert.Equal(1, await EntryCountAsync());
    }
}
