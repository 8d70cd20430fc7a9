using Bunit;
using LifeOs.Core.Export;
using LifeOs.Core.Health;
using LifeOs.Tests.Components.Journal;
using LifeOs.Web.Components.Pages.Data;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Components.Data;

public sealed class RestorePageTests : JournalTestContext
{
    [Fact]
    public async Task ChoosingAnExport_PreviewsItsCounts_ThenRestoreAddsOnlyWhatIsMissing()
    {
        var user = await SignInAsNewUserAsync("restorer@example.com");
        var day = new DateTime(2026, 11, 20, 7, 0, 0, DateTimeKind.Utc);
        await WithAsync<HealthStore, UpsertResult>(h => h.UpsertSamplesAsync(user, [
            new SampleInput("steps", SampleSource.Oura, "a", day, 1000), new SampleInput("steps", SampleSource.Oura, "b", day.AddDays(1), 2000)]));
        var zip = await WithAsync<UserDataExportService, byte[]>(async export =>
        {
            using var buffer = new MemoryStream();
            await export.WriteZipAsync(user, buffer, Xunit.TestContext.Current.CancellationToken);
            return buffer.ToArray();
        });
        await WithAsync<HealthStore, int>(h => h.DeleteSamplesAsync(user, SampleSource.Oura, ["a"]));

        var page = RenderAt<RestorePage>("/data/restore");
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(zip, "lifeos-export.zip", contentType: "application/zip"));
        page.WaitForAssertion(() => Assert.Contains("Measurements: 2", page.Find("[data-testid=restore-preview]").TextContent, StringComparison.Ordinal));
        await page.Find("[data-testid=restore-button]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Measurements: 1 added · 1 already here · 0 refused", page.Find("[data-testid=restore-result]").TextContent, StringComparison.Ordinal));
        Assert.Equal(2, await WithDbAsync(db => db.Samples.CountAsync(s => s.UserId == user)));
    }

    [Fact]
    public async Task AZipThatIsNotAnExport_IsRefusedOnThePreview()
    {
        await SignInAsNewUserAsync("wrong@example.com");

        var page = RenderAt<RestorePage>("/data/restore");
        page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary("not a zip"u8.ToArray(), "notes.zip", contentType: "application/zip"));

        page.WaitForAssertion(() => Assert.Contains("not a zip", page.Find("[data-testid=restore-errors]").TextContent, StringComparison.Ordinal));
        Assert.Empty(page.FindAll("[data-testid=restore-button]"));
    }
}
