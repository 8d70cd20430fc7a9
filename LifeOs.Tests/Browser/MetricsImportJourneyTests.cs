using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>Importing a spreadsheet in a real browser: upload, look at the preview (desktop light, phone dark), confirm, see the data.</summary>
public sealed partial class MetricsImportJourneyTests
{
    private const string Email = "grace@example.com";

    /// <summary>Two weeks of a spreadsheet someone keeps by hand: weigh-ins, resting heart rate, steps and sleep.</summary>
    private static byte[] Spreadsheet()
    {
        var csv = new StringBuilder("Date,Weight (kg),Resting heart rate,Steps,Sleep (h)\n");
        for (var day = 0; day < 14; day++)
        {
            var date = new DateOnly(2026, 11, 10).AddDays(day);
            var weight = day % 3 == 2 ? "" : (73.4 - (day * 0.07)).ToString("0.0", CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},{weight},{54 - (day % 4)},{7200 + (day * 431 % 5000)},{(6.5 + (day % 5 * 0.3)).ToString("0.0", CultureInfo.InvariantCulture)}\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    private static readonly byte[] Mistakes = Encoding.UTF8.GetBytes("date,weight,steps,mood\n2026-11-20,72.4,8000,\n20/11/2026,72.1,8100,\n2026-11-22,720,eight thousand,\n2026-11-23,72.0\n");

    private static async Task UploadAsync(IPage page, string name, byte[] content)
    {
        await page.GotoAsync("/metrics/import");
        await page.GetByLabel("CSV file").SetInputFilesAsync(new FilePayload { Name = name, MimeType = "text/csv", Buffer = content });
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview import" }).ClickAsync();
    }

    [Fact]
    public async Task Upload_Preview_Confirm_AndSeeTheDataOnMetrics()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });
        string previewPath;

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await BrowserApp.RegisterAsync(page, Email);
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync(Email);

            // From /metrics to the import page, which explains both layouts.
            await page.GotoAsync("/metrics");
            await page.GetByRole(AriaRole.Link, new() { Name = "Import CSV" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import measurements" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("example-wide")).ToContainTextAsync("date,Weight (kg)");
            await BrowserApp.ScreenshotAsync(page, "metrics-import-upload-desktop");

            // A file with mistakes: every problem with its line and column, and no way to import it.
            await UploadAsync(page, "mistakes.csv", Mistakes);
            await Assertions.Expect(page.GetByTestId("import-errors")).ToContainTextAsync("Unknown metric \"mood\"");
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { NameRegex = ImportButton() })).ToHaveCountAsync(0);
            await BrowserApp.ScreenshotAsync(page, "metrics-import-errors-desktop");

            await UploadAsync(page, "my-health-log.csv", Spreadsheet());
            await Assertions.Expect(page.GetByTestId("import-count")).ToHaveTextAsync("52 measurements ready to import");
            await Assertions.Expect(page.GetByTestId("import-metrics")).ToContainTextAsync("Resting heart rate");
            await Assertions.Expect(page.GetByTestId("import-first-rows")).ToContainTextAsync("2026-11-10 12:00");
            await BrowserApp.ScreenshotAsync(page, "metrics-import-preview-desktop");
            previewPath = new Uri(page.Url).PathAndQuery;
            Assert.Empty(errors);
        }

        // The same preview on a phone in dark mode, signed in on another device.
        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(phone, Email);
            await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await UploadAsync(phone, "mistakes.csv", Mistakes);
            await Assertions.Expect(phone.GetByTestId("import-errors")).ToContainTextAsync("\"eight thousand\" is not a number.");
            await BrowserApp.ScreenshotAsync(phone, "metrics-import-errors-phone");

            await phone.GotoAsync(previewPath);
            await Assertions.Expect(phone.GetByTestId("import-count")).ToHaveTextAsync("52 measurements ready to import");
            await BrowserApp.ScreenshotAsync(phone, "metrics-import-preview-phone");

            await phone.GetByRole(AriaRole.Button, new() { NameRegex = ImportButton() }).ClickAsync();
            await Assertions.Expect(phone).ToHaveURLAsync(new Regex("/metrics$"));
            await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("Imported 52 measurements from my-health-log.csv.");
            await Assertions.Expect(phone.GetByTestId("measurements-table")).ToContainTextAsync("Imported");
            await Assertions.Expect(phone.GetByTestId("measurements-table")).ToContainTextAsync("2026-11-23 12:00");
            // The first screenful: the list below runs to 50 rows.
            await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDirectory, "metrics-after-import-phone.png") });
            Assert.Empty(phoneErrors);
        }

        Assert.Equal(52, await app.Factory.WithDbAsync(db => db.Samples.CountAsync(s => s.Source == SampleSource.Import)));
    }

    [Fact]
    public async Task FileOver20MB_OnRealKestrel_ShowsTheMessage_NotAConnectionError()
    {
        await using var app = await BrowserApp.StartAsync();
        var (context, page, _) = await app.NewPageAsync(1280, 900);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, Email);
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync(Email);

            // From disk: handing Playwright a 21 MB buffer is far slower than letting Chromium read a file.
            var directory = TempDirectory.Create("lifeos-upload");
            try
            {
                var huge = Path.Combine(directory, "huge.csv");
                var bytes = new byte[21 * 1024 * 1024];
                Array.Fill(bytes, (byte)'1');
                await File.WriteAllBytesAsync(huge, bytes, TestContext.Current.CancellationToken);
                await page.GotoAsync("/metrics/import");
                await page.GetByLabel("CSV file").SetInputFilesAsync(huge);
                await page.GetByRole(AriaRole.Button, new() { Name = "Preview import" }).ClickAsync();
                await Assertions.Expect(page.GetByTestId("import-refused")).ToContainTextAsync("larger than 20 MB");
                await BrowserApp.ScreenshotAsync(page, "metrics-import-too-large-desktop");
            }
            finally
            {
                TempDirectory.Delete(directory);
            }
        }
    }

    [GeneratedRegex("^Import \\d+ measurements?$")]
    private static partial Regex ImportButton();
}
