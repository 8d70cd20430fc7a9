using System.IO.Compression;
using Bunit;
using LifeOs.Core.Export;
using LifeOs.Core.Health;
using LifeOs.Tests.Components.Journal;
using LifeOs.Web.Components.Pages.Data;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Extensions;

namespace LifeOs.Tests.Components.Data;

public sealed class RestorePageTests : JournalTestContext
{
    private static readonly DateTime Day = new(2026, 11, 20, 7, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ChoosingAnExport_PreviewsItsCounts_ThenRestoreAddsOnlyWhatIsMissing_AndKeepsTheSettingsOfAnAccountInUse()
    {
        var user = await SignInAsNewUserAsync("restorer@example.com");
        await WithAsync<HealthStore, UpsertResult>(h => h.UpsertSamplesAsync(user, [
            new SampleInput("steps", SampleSource.Oura, "a", Day, 1000), new SampleInput("steps", SampleSource.Oura, "b", Day.AddDays(1), 2000)]));
        var zip = await ExportAsync(user);
        await WithAsync<HealthStore, int>(h => h.DeleteSamplesAsync(user, SampleSource.Oura, ["a"]));

        var page = RenderAt<RestorePage>("/data/restore");
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(zip, "lifeos-export.zip", contentType: "application/zip"));
        page.WaitForAssertion(() => Assert.Equal("2", page.Find("[data-testid=restore-preview] tr[data-part=Measurements] td").TextContent));
        Assert.False(page.FindComponent<MudCheckBox<bool>>().Instance.GetState(x => x.Value));
        Assert.Contains("keeps its own settings", page.Find("[data-testid=restore-settings]").TextContent, StringComparison.Ordinal);
        await page.Find("[data-testid=restore-button]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Equal(["1", "1", "0"],
            page.FindAll("[data-testid=restore-result] tr[data-part=Measurements] td").Select(td => td.TextContent)));
        Assert.Contains("this account's settings were kept", page.Find("[data-testid=restore-result]").TextContent, StringComparison.Ordinal);
        Assert.Equal(2, await WithDbAsync(db => db.SamplesOf(user).CountAsync()));
    }

    [Fact]
    public async Task AnEmptyAccount_TakesTheExportsSettingsUnlessUnticked()
    {
        var source = await SignInAsNewUserAsync("source@example.com");
        await WithAsync<LifeOs.Core.Accounts.UserSettingsService, LifeOs.Core.Accounts.SettingsUpdateResult>(s =>
            s.UpdateAsync(source, new LifeOs.Core.Accounts.UserSettings("Asia/Tokyo", LifeOs.Core.Accounts.UnitSystem.Imperial, 3)));
        await WithAsync<HealthStore, UpsertResult>(h => h.UpsertSamplesAsync(source, [new SampleInput("steps", SampleSource.Oura, "a", Day, 1000)]));
        var zip = await ExportAsync(source);
        var fresh = await SignInAsNewUserAsync("fresh@example.com");

        var page = RenderAt<RestorePage>("/data/restore");
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(zip, "lifeos-export.zip", contentType: "application/zip"));
        page.WaitForAssertion(() => Assert.Contains("time zone Asia/Tokyo", page.Find("[data-testid=restore-settings]").TextContent, StringComparison.Ordinal));
        Assert.True(page.FindComponent<MudCheckBox<bool>>().Instance.GetState(x => x.Value));
        await page.Find("[data-testid=restore-button]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("data and settings are in this account", page.Find("[data-testid=restore-result]").TextContent, StringComparison.Ordinal));
        Assert.Equal("Asia/Tokyo", await WithDbAsync(db => db.Users.Where(u => u.Id == fresh).Select(u => u.TimeZoneId).SingleAsync()));
    }

    [Theory]
    [InlineData("not a zip", "This file is not a zip.")]
    [InlineData("not an export", "This zip is not a LifeOs export")]
    [InlineData("newer format", "This export was made by a newer LifeOs (export format 2)")]
    public async Task BadInput_IsRefusedOnThePreview_WithNothingToRestore(string kind, string expected)
    {
        var user = await SignInAsNewUserAsync("wrong@example.com");
        var bytes = kind switch
        {
            "not a zip" => "not a zip"u8.ToArray(),
            "not an export" => Zip(("notes.md", "# just notes")),
            _ => Zip(("README.txt", "LifeOs export, made later."), ("account.json", "{\"formatVersion\": 2}")),
        };

        var page = RenderAt<RestorePage>("/data/restore");
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(bytes, "export.zip", contentType: "application/zip"));

        page.WaitForAssertion(() => Assert.Contains(expected, page.Find("[data-testid=restore-errors]").TextContent, StringComparison.Ordinal));
        Assert.Contains("Nothing was restored", page.Find("[data-testid=restore-errors]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=restore-button]"));
        Assert.Equal(0, await WithDbAsync(db => db.SamplesOf(user).CountAsync()));
    }

    [Fact]
    public async Task AnEmptyFile_IsRefusedBeforeItIsRead()
    {
        await SignInAsNewUserAsync("empty@example.com");

        var page = RenderAt<RestorePage>("/data/restore");
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary([], "export.zip", contentType: "application/zip"));

        page.WaitForAssertion(() => Assert.Equal("export.zip is empty. Download the export again from Your data, and choose the zip it gives.",
            page.Find("[data-testid=restore-problem]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=restore-button]"));
    }

    [Fact]
    public async Task AFileOverTheLimit_IsRefusedWithoutReadingIt()
    {
        await SignInAsNewUserAsync("huge@example.com");

        var page = RenderAt<RestorePage>("/data/restore");
        var upload = page.FindComponent<MudFileUpload<IBrowserFile>>();
        await page.InvokeAsync(() => upload.Instance.FilesChanged.InvokeAsync(new UnreadableFile("everything.zip", RestorePage.MaxZipBytes + 1)));

        page.WaitForAssertion(() => Assert.Equal("everything.zip is 1.0 GB; LifeOs restores exports up to 1 GB.", page.Find("[data-testid=restore-problem]").TextContent));
        Assert.Empty(page.FindAll("[data-testid=chosen-file]"));
    }

    private Task<byte[]> ExportAsync(string userId) => WithAsync<UserDataExportService, byte[]>(async export =>
    {
        using var buffer = new MemoryStream();
        await export.WriteZipAsync(userId, buffer, Xunit.TestContext.Current.CancellationToken);
        return buffer.ToArray();
    });

    private static byte[] Zip(params (string Path, string Text)[] files)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, text) in files)
            {
                using var writer = new StreamWriter(archive.CreateEntry(path).Open());
                writer.Write(text);
            }
        }

        return buffer.ToArray();
    }

    /// <summary>A file the browser announces but the page must refuse by its size, never reading it.</summary>
    private sealed class UnreadableFile(string name, long size) : IBrowserFile
    {
        public string Name => name;
        public DateTimeOffset LastModified => DateTimeOffset.UnixEpoch;
        public long Size => size;
        public string ContentType => "application/zip";

        public Stream OpenReadStream(long maxAllowedSize = 512000, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("A file over the limit was read.");
    }
}
