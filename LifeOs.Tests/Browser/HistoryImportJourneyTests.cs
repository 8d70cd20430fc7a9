using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using LifeOs.Core.Health;
using LifeOs.Tests.Core.Health.AppleHealth;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// Bringing history in, in a real browser: an Apple Health export uploaded, imported in the background and summarised;
/// a Day One export and a folder of Markdown notes previewed and imported into the journal. Screenshots at 1280 and
/// 390 px.
/// </summary>
public sealed class HistoryImportJourneyTests
{
    private const string Email = "hana@example.com";

    private static byte[] Zip(params (string Name, string Text)[] files)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open(), new UTF8Encoding(false));
                writer.Write(text);
            }
        }

        return stream.ToArray();
    }

    private const string DayOne = """
        {"metadata":{"version":"1.0"},"entries":[
          {"uuid":"4F1C2D8E9A0B4C3D8E7F6A5B4C3D2E1F","creationDate":"2024-01-31T23:30:00Z","timeZone":"Asia/Tokyo","starred":true,"tags":["Travel"],
           "text":"Arrived in Kyoto\\!\n\n![](dayone-moment://A1B2C3)\n\nThe temple was quiet.","photos":[{"identifier":"A1B2C3"}]},
          {"uuid":"0A1B2C3D4E5F60718293A4B5C6D7E8F9","creationDate":"2023-06-10T07:00:00Z","timeZone":"Europe/Paris","text":"Morning run by the river."}
        ]}
        """;

    private static async Task<(IPage Page, List<string> Errors)> OpenAsync(IPage signedIn, string path)
    {
        var page = await signedIn.Context.NewPageAsync();
        await signedIn.CloseAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync(path);
        await BrowserApp.WaitForInteractiveAsync(page);
        return (page, errors);
    }

    [Fact]
    public async Task AnAppleHealthExport_AndDayOneAndMarkdownJournals_ComeIn_WithWhatTheyHeldShown()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" });

        var (desktopContext, signingUp, _) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await BrowserApp.RegisterAsync(signingUp, Email);
            await Assertions.Expect(signingUp).Not.ToHaveURLAsync(new Regex("/Account/"));
            var (page, errors) = await OpenAsync(signingUp, "/metrics/import");

            // From the CSV import page to Apple Health's, which says how to get the file.
            await page.GetByTestId("import-apple-link").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import from Apple Health" })).ToBeVisibleAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("apple-upload")).ToContainTextAsync("Export All Health Data");
            await BrowserApp.ScreenshotAsync(page, "apple-import-empty-desktop");

            // A zip that is not an export is refused at once.
            await BrowserApp.ChooseFileAsync(page.GetByLabel("Apple Health export"), new FilePayload { Name = "photos.zip", MimeType = "application/zip", Buffer = Zip(("holiday.txt", "sun")) });
            await Assertions.Expect(page.GetByTestId("apple-refused")).ToContainTextAsync("not an Apple Health export");

            // The real shape: uploaded, imported in the background, summarised per metric.
            await BrowserApp.ChooseFileAsync(page.GetByLabel("Apple Health export"), new FilePayload { Name = "export.zip", MimeType = "application/zip", Buffer = AppleExportFixture.RealShaped().Zip() });
            await Assertions.Expect(page.GetByTestId("apple-import")).ToHaveAttributeAsync("data-status", "Succeeded", new() { Timeout = 60_000 });
            await Assertions.Expect(page.GetByTestId("apple-result")).ToContainTextAsync("records imported from export.zip");
            await Assertions.Expect(page.GetByTestId("apple-summary")).ToContainTextAsync("HRV (SDNN)");
            await Assertions.Expect(page.GetByTestId("apple-summary")).ToContainTextAsync("1 overlaps another device (counted once)");
            await Assertions.Expect(page.GetByTestId("apple-summary")).ToContainTextAsync("DietaryWater");
            await BrowserApp.ScreenshotAsync(page, "apple-import-done-desktop");
            Assert.True(await app.Factory.WithDbAsync(db => db.Samples.AnyAsync(s => s.Source == SampleSource.AppleHealth && s.MetricCode == MetricCatalogue.HrvSdnn)));

            // Day One: previewed (photos listed as not imported), then imported.
            await page.GotoAsync("/journal/import");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("import-sources")).ToContainTextAsync("File › Export › JSON");
            await BrowserApp.ChooseFileAsync(page.Locator("input[type=file]").First, new FilePayload { Name = "Day One.zip", MimeType = "application/zip", Buffer = Zip(("Journal.json", DayOne), ("photos/a1.jpeg", "x")) });
            await Assertions.Expect(page.GetByTestId("import-preview")).ToContainTextAsync("Day One export");
            await Assertions.Expect(page.GetByTestId("import-preview")).ToContainTextAsync("2 entries, 2023-06-10 to 2024-02-01");
            await Assertions.Expect(page.GetByTestId("import-not-imported")).ToContainTextAsync("1 photo");
            await BrowserApp.ScreenshotAsync(page, "journal-import-dayone-preview-desktop");
            await page.GetByTestId("import-button").ClickAsync();
            await Assertions.Expect(page.GetByTestId("import-result")).ToContainTextAsync("Imported 2 entries; 0 already in your journal.");
            await BrowserApp.ScreenshotAsync(page, "journal-import-dayone-done-desktop");
            Assert.Empty(errors);
        }

        // A phone: the last Apple import's summary, and Markdown notes of which one needs a day.
        var (phoneContext, loggingIn, _) = await app.NewPageAsync(390, 844);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(loggingIn, Email);
            await Assertions.Expect(loggingIn).Not.ToHaveURLAsync(new Regex("/Account/"));
            var (page, errors) = await OpenAsync(loggingIn, "/metrics/import/apple-health");
            await Assertions.Expect(page.GetByTestId("apple-last")).ToContainTextAsync("records imported from export.zip");
            await BrowserApp.ScreenshotAsync(page, "apple-import-done-phone");

            await page.GotoAsync("/journal/import");
            await BrowserApp.WaitForInteractiveAsync(page);
            await BrowserApp.ChooseFileAsync(page.Locator("input[type=file]").First, new FilePayload
            {
                Name = "vault.zip",
                MimeType = "application/zip",
                Buffer = Zip(("Daily/2024-01-31.md", "---\ntags: [café]\n---\nÜber den Fluss gelaufen."), ("journals/2024_02_01.md", "- Met Zoë for lunch"), ("Someday.md", "No date here.")),
            });
            await Assertions.Expect(page.GetByTestId("import-preview")).ToContainTextAsync("Markdown notes");
            await Assertions.Expect(page.GetByTestId("import-undated")).ToContainTextAsync("Someday.md");
            await Assertions.Expect(page.GetByTestId("import-button")).ToBeDisabledAsync();
            await BrowserApp.ScreenshotAsync(page, "journal-import-markdown-preview-phone");
            Assert.Empty(errors);
        }
    }
}
