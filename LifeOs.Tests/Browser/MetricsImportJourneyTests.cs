using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// Measurements in a real browser on a live circuit: import a spreadsheet (upload, preview, confirm) and find it on
/// /metrics and on the metric's own page; type readings in, correct one, delete one; screenshots at 1280 and 390 px,
/// light and dark. The app's clock is 25 Nov 2026 (LifeOsAppFactory).
/// </summary>
public sealed partial class MetricsImportJourneyTests
{
    private const string Email = "grace@example.com";

    /// <summary>How long the first answer to an upload may take (see the first upload below).</summary>
    private const float UploadTimeout = 20_000;

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

    /// <summary>Chooses a file in the drop zone's input (the page uploads it over the circuit as soon as it is chosen).</summary>
    private static Task ChooseFileAsync(IPage page, string name, byte[] content) =>
        BrowserApp.ChooseFileAsync(page.GetByLabel("CSV file"), new FilePayload { Name = name, MimeType = "text/csv", Buffer = content });

    /// <summary>Signs in straight to <paramref name="path"/> and waits for the live circuit.</summary>
    private static async Task OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path);
        await BrowserApp.WaitForInteractiveAsync(page);
    }

    /// <summary>A snackbar saying <paramref name="text"/> (earlier ones may still be showing).</summary>
    private static ILocator Snackbar(IPage page, string text) => page.Locator(".mud-snackbar").Filter(new() { HasText = text });

    /// <summary>
    /// A fresh tab in the signed-in context, with its own console error list: signing in lands on Today, another
    /// area's page, whose errors are not this journey's.
    /// </summary>
    private static async Task<(IPage Page, List<string> Errors)> NewTabAsync(IPage signedIn)
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
        return (page, errors);
    }

    [Fact]
    public async Task Upload_Preview_Confirm_AndSeeTheDataOnMetrics_AndOnTheMetricsPage()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });

        var (desktopContext, signingUp, _) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await BrowserApp.RegisterAsync(signingUp, Email);
            await Assertions.Expect(signingUp).Not.ToHaveURLAsync(new Regex("/Account/"));
            var (page, errors) = await NewTabAsync(signingUp);

            // From /metrics to the import page, which explains both layouts.
            await OpenAsync(page, "/metrics");
            await Assertions.Expect(page.GetByTestId("grid-empty")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "metrics-empty-desktop");
            await page.GetByTestId("import-link").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import measurements" })).ToBeVisibleAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("example-wide")).ToContainTextAsync("date,Weight (kg)");
            await BrowserApp.ScreenshotAsync(page, "metrics-import-upload-desktop");

            // A file with mistakes: every problem with its line and column, and no way to import it.
            // An upload streams the file over the circuit, then stages and parses it: on a loaded 2-core CI machine that has
            // taken longer than Playwright's default 5 s, so the first answer to each upload gets longer.
            await ChooseFileAsync(page, "mistakes.csv", Mistakes);
            await Assertions.Expect(page.GetByTestId("import-errors")).ToContainTextAsync("720 is out of range", new() { Timeout = UploadTimeout });
            await Assertions.Expect(page.GetByTestId("import-errors")).ToContainTextAsync("\"eight thousand\" is not a number.");
            // A column LifeOs has no metric for is ignored, not an error.
            await Assertions.Expect(page.GetByTestId("import-errors")).Not.ToContainTextAsync("mood");
            await Assertions.Expect(page.GetByTestId("import-confirm")).ToHaveCountAsync(0);
            await BrowserApp.ScreenshotAsync(page, "metrics-import-errors-desktop");

            await page.GetByRole(AriaRole.Button, new() { Name = "Upload a corrected file" }).ClickAsync();
            await ChooseFileAsync(page, "my-health-log.csv", Spreadsheet());
            await Assertions.Expect(page.GetByTestId("import-count")).ToHaveTextAsync("52 measurements ready to import", new() { Timeout = UploadTimeout });
            await Assertions.Expect(page.GetByTestId("import-metrics")).ToContainTextAsync("Resting heart rate");
            await Assertions.Expect(page.GetByTestId("import-first-rows")).ToContainTextAsync("10 Nov 2026, 12:00");
            await Assertions.Expect(page).ToHaveURLAsync(UploadAddress());
            await BrowserApp.ScreenshotAsync(page, "metrics-import-preview-desktop");

            await page.GetByRole(AriaRole.Button, new() { NameRegex = ImportButton() }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/metrics/import$"));
            await Assertions.Expect(Snackbar(page, "Imported 52 measurements from my-health-log.csv.")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("batch-file")).ToHaveTextAsync("my-health-log.csv");
            await OpenAsync(page, "/metrics");
            await Assertions.Expect(page.GetByTestId("measurements-table")).ToContainTextAsync("CSV import");
            await Assertions.Expect(page.GetByTestId("measurements-table")).ToContainTextAsync("23 Nov 2026, 12:00");
            await Assertions.Expect(page.GetByTestId("list-count")).ToHaveTextAsync("1–25 of 52 measurements");
            await BrowserApp.ScreenshotAsync(page, "metrics-after-import-desktop");

            // The metric's own page, from the list of the user's metrics.
            await page.GetByTestId("my-metrics").GetByRole(AriaRole.Link, new() { Name = "Weight", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/metrics/weight$"));
            await Assertions.Expect(page.GetByTestId("stat-days")).ToHaveTextAsync("10");
            await Assertions.Expect(page.GetByTestId("stat-max")).ToHaveTextAsync("73.4 kg");
            await Assertions.Expect(page.GetByTestId("metric-chart")).ToHaveAttributeAsync("data-chart-rendered", "true");
            await Assertions.Expect(page.GetByTestId("metric-days").Locator("tbody tr").First).ToContainTextAsync("Mon 23 Nov 2026");
            await BrowserApp.ScreenshotAsync(page, "metric-weight-desktop");
            await page.GetByTestId("range-7d").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/metrics/weight\\?range=7d$"));
            await Assertions.Expect(page.GetByTestId("range-dates")).ToHaveTextAsync("19 Nov 2026 – 25 Nov 2026");
            await Assertions.Expect(page.GetByTestId("stat-days")).ToHaveTextAsync("4");
            Assert.Empty(errors);
        }

        Assert.Equal(52, await app.Factory.WithDbAsync(db => db.Samples.CountAsync(s => s.Source == SampleSource.Import)));

        // The same pages in dark mode, at desktop and phone widths.
        foreach (var (width, height, scheme, suffix) in new[] { (1280, 900, ColorScheme.Dark, "desktop-dark"), (390, 844, ColorScheme.Light, "phone"), (390, 844, ColorScheme.Dark, "phone-dark") })
        {
            var (context, loggingIn, _) = await app.NewPageAsync(width, height, scheme);
            await using (context)
            {
                await BrowserApp.LogInAsync(loggingIn, Email);
                await Assertions.Expect(loggingIn).Not.ToHaveURLAsync(new Regex("/Account/"));
                var (other, otherErrors) = await NewTabAsync(loggingIn);

                await OpenAsync(other, "/metrics/import");
                await ChooseFileAsync(other, "mistakes.csv", Mistakes);
                await Assertions.Expect(other.GetByTestId("import-errors")).ToContainTextAsync("\"eight thousand\" is not a number.", new() { Timeout = UploadTimeout });
                await BrowserApp.ScreenshotAsync(other, $"metrics-import-errors-{suffix}");
                await other.GetByRole(AriaRole.Button, new() { Name = "Upload a corrected file" }).ClickAsync();
                await ChooseFileAsync(other, "my-health-log.csv", Spreadsheet());
                await Assertions.Expect(other.GetByTestId("import-nothing-new")).ToHaveTextAsync("All 52 measurements are already in LifeOs", new() { Timeout = UploadTimeout });
                await Assertions.Expect(other.GetByTestId("import-confirm")).ToHaveCountAsync(0);
                await BrowserApp.ScreenshotAsync(other, $"metrics-import-preview-{suffix}");

                await OpenAsync(other, "/metrics");
                await Assertions.Expect(other.GetByTestId("measurements-table")).ToContainTextAsync("Resting heart rate");
                await BrowserApp.ScreenshotAsync(other, $"metrics-{suffix}");
                await OpenAsync(other, "/metrics/steps?range=30d");
                await Assertions.Expect(other.GetByTestId("metric-chart")).ToHaveAttributeAsync("data-chart-rendered", "true");
                await BrowserApp.ScreenshotAsync(other, $"metric-steps-{suffix}");
                Assert.Empty(otherErrors);
            }
        }
    }

    [Fact]
    public async Task TypeIn_Correct_AndDelete_Measurements()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });
        var (context, signingUp, _) = await app.NewPageAsync(1280, 900);
        await using (context)
        {
            await BrowserApp.RegisterAsync(signingUp, Email);
            await Assertions.Expect(signingUp).Not.ToHaveURLAsync(new Regex("/Account/"));
            var (page, errors) = await NewTabAsync(signingUp);
            await OpenAsync(page, "/metrics");

            foreach (var (search, option, unit, value, time) in new[] { ("weig", "Weight", "kg", "81.2", "07:05"), ("systolic", "Systolic blood pressure", "mmHg", "121", "07:10") })
            {
                await page.Locator("#add-metric").FillAsync(search);
                await page.Locator(".metric-option-name", new() { HasTextString = option }).First.ClickAsync();
                // The chosen metric puts its unit in the value field, which redraws it: type the value after that, as a
                // person does, or a slow round trip redraws the field over what was typed.
                await Assertions.Expect(page.Locator(".mud-input-adornment-text", new() { HasTextString = unit })).ToBeVisibleAsync();
                await page.Locator("#add-value").FillAsync(value);
                await page.Locator("#add-date").FillAsync("2026-11-24");
                await page.Locator("#add-date").PressAsync("Tab");
                await page.Locator("#add-time").FillAsync(time);
                await page.Locator("#add-time").PressAsync("Tab");
                await page.GetByRole(AriaRole.Button, new() { Name = "Add measurement" }).ClickAsync();
                await Assertions.Expect(Snackbar(page, $"on 24 Nov 2026, {time}.")).ToBeVisibleAsync();
            }

            await Assertions.Expect(page.GetByTestId("measurements-table").Locator("tbody tr")).ToHaveCountAsync(2);

            // A date after the user's today is refused beside the date, and nothing is saved.
            await page.Locator("#add-value").FillAsync("80");
            await page.Locator("#add-date").FillAsync("2026-11-30");
            await page.Locator("#add-date").PressAsync("Tab");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add measurement" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Choose a date no later than today, 2026-11-25.")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "metrics-add-error-desktop");

            // Correct the weigh-in in the edit dialog.
            await page.GetByRole(AriaRole.Button, new() { Name = "Edit Weight, 24 Nov 2026, 07:05" }).ClickAsync();
            var dialog = page.GetByTestId("edit-measurement-dialog");
            await Assertions.Expect(dialog.Locator("#edit-value")).ToHaveValueAsync("81.2");
            await BrowserApp.ScreenshotAsync(page, "metrics-edit-dialog-desktop");
            await dialog.Locator("#edit-value").FillAsync("80.9");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
            await Assertions.Expect(Snackbar(page, "Measurement updated.")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("measurements-table")).ToContainTextAsync("80.9 kg");

            // Delete the blood pressure reading, after confirming.
            await page.GetByRole(AriaRole.Button, new() { Name = "Delete Systolic blood pressure, 24 Nov 2026, 07:10" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("confirm-dialog")).ToContainTextAsync("Systolic blood pressure: 121 mmHg on 24 Nov 2026, 07:10.");
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Assertions.Expect(Snackbar(page, "Measurement deleted.")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("measurements-table").Locator("tbody tr")).ToHaveCountAsync(1);
            await BrowserApp.ScreenshotAsync(page, "metrics-typed-in-desktop");

            // The edit page still answers at its own address.
            var id = await app.Factory.WithDbAsync(db => db.Samples.Select(s => s.Id).SingleAsync());
            await OpenAsync(page, $"/metrics/{id}/edit");
            await Assertions.Expect(page.Locator("#edit-value")).ToHaveValueAsync("80.9");
            Assert.Empty(errors);
        }

        var sample = await app.Factory.WithDbAsync(db => db.Samples.SingleAsync());
        Assert.Equal((MetricCatalogue.Weight, 80.9, SampleSource.Manual), (sample.MetricCode, sample.Value, sample.Source));
    }

    [Fact]
    public async Task FileOver20MB_IsRefusedInTheBrowser_BeforeItIsSent()
    {
        await using var app = await BrowserApp.StartAsync();
        var (context, signingUp, _) = await app.NewPageAsync(1280, 900);
        await using (context)
        {
            await BrowserApp.RegisterAsync(signingUp, Email);
            await Assertions.Expect(signingUp).Not.ToHaveURLAsync(new Regex("/Account/"));
            var (page, errors) = await NewTabAsync(signingUp);

            // From disk: handing Playwright a 21 MB buffer is far slower than letting Chromium read a file.
            var directory = TempDirectory.Create("lifeos-upload");
            try
            {
                var huge = Path.Combine(directory, "huge.csv");
                var bytes = new byte[21 * 1024 * 1024];
                Array.Fill(bytes, (byte)'1');
                await File.WriteAllBytesAsync(huge, bytes, TestContext.Current.CancellationToken);
                await OpenAsync(page, "/metrics/import");
                await BrowserApp.ChooseFileAsync(page.GetByLabel("CSV file"), huge);
                await Assertions.Expect(page.GetByTestId("import-refused")).ToContainTextAsync("huge.csv is 21 MB, larger than 20 MB");
                await BrowserApp.ScreenshotAsync(page, "metrics-import-too-large-desktop");
            }
            finally
            {
                TempDirectory.Delete(directory);
            }

            Assert.False(Directory.Exists(Path.Combine(app.Factory.DataDirectory, "imports")));
            Assert.Empty(errors);
        }
    }

    /// <summary>Chooses <paramref name="option"/> in the MudSelect with the given test id.</summary>
    private static async Task SelectAsync(IPage page, string testId, string option)
    {
        await page.GetByTestId(testId).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item").Filter(new() { HasTextString = option }).First.ClickAsync();
        await Assertions.Expect(page.Locator(".mud-popover-open")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Upload_MapColumns_ChooseDateFormat_Import_SeeTheBatch_AndUndoIt()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "America/New_York" });
        // A US log: dates m/d/Y where no day passes 12, a "Mass" column LifeOs cannot guess, sleep in hours and free notes.
        var csv = new StringBuilder("Day,Mass,Sleep Hours,Notes\n");
        for (var day = 1; day <= 12; day++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"11/{day:00}/2026,{(165.2 - (day * 0.3)).ToString("0.0", CultureInfo.InvariantCulture)},{(6.5 + (day % 4 * 0.4)).ToString("0.0", CultureInfo.InvariantCulture)},\"ran, then stretched\"\n");
        }

        foreach (var (width, height, suffix) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
        {
            var email = $"mapper-{suffix}@example.com";
            var (context, signingUp, _) = await app.NewPageAsync(width, height);
            await using (context)
            {
                await BrowserApp.RegisterAsync(signingUp, email);
                await Assertions.Expect(signingUp).Not.ToHaveURLAsync(new Regex("/Account/"));
                var (page, errors) = await NewTabAsync(signingUp);
                await OpenAsync(page, "/metrics/import");
                await Assertions.Expect(page.GetByTestId("import-batches-empty")).ToBeVisibleAsync();

                await ChooseFileAsync(page, "us-log.csv", Encoding.UTF8.GetBytes(csv.ToString()));
                // Guessed: the day, sleep in hours, notes ignored; the date format is asked, since no day passes 12.
                await Assertions.Expect(page.GetByTestId("import-mapping")).ToBeVisibleAsync(new() { Timeout = UploadTimeout });
                await Assertions.Expect(page.GetByTestId("import-errors")).ToContainTextAsync("could be month/day/year or day/month/year");
                await Assertions.Expect(page.GetByTestId("import-confirm")).ToHaveCountAsync(0);
                await BrowserApp.ScreenshotAsync(page, $"metrics-import-mapping-{suffix}");

                await SelectAsync(page, "mapping-role-1", "Weight");
                await SelectAsync(page, "mapping-unit-1", "lb");
                await SelectAsync(page, "mapping-date-order", "Month/day/year");
                await page.GetByTestId("mapping-apply").ClickAsync();
                await Assertions.Expect(page.GetByTestId("import-count")).ToHaveTextAsync("24 measurements ready to import");
                await Assertions.Expect(page.GetByTestId("import-first-rows")).ToContainTextAsync("1 Nov 2026, 12:00");
                await Assertions.Expect(page.GetByTestId("import-metrics")).ToContainTextAsync("74.8 kg");
                await BrowserApp.ScreenshotAsync(page, $"metrics-import-mapped-{suffix}");

                await page.GetByRole(AriaRole.Button, new() { NameRegex = ImportButton() }).ClickAsync();
                await Assertions.Expect(page).ToHaveURLAsync(new Regex("/metrics/import$"));
                await Assertions.Expect(page.GetByTestId("batch-file")).ToHaveTextAsync("us-log.csv");
                await Assertions.Expect(page.GetByTestId("import-batches")).ToContainTextAsync("Sleep, Weight");
                await BrowserApp.ScreenshotAsync(page, $"metrics-import-batches-{suffix}");

                await page.GetByTestId("batch-undo").ClickAsync();
                await page.GetByTestId("confirm-ok").ClickAsync();
                await Assertions.Expect(Snackbar(page, "Import of us-log.csv undone: 24 measurements deleted.")).ToBeVisibleAsync();
                await Assertions.Expect(page.GetByTestId("batch-status")).ToContainTextAsync("Undone");
                await BrowserApp.ScreenshotAsync(page, $"metrics-import-undone-{suffix}");
                Assert.Empty(errors);
            }
        }

        Assert.Equal(0, await app.Factory.WithDbAsync(db => db.Samples.CountAsync()));
        Assert.Equal(0, await app.Factory.WithDbAsync(db => db.DailyValues.CountAsync()));
    }

    [GeneratedRegex("^Import \\d+ measurements?$")]
    private static partial Regex ImportButton();

    [GeneratedRegex("/metrics/import\\?upload=[0-9a-f]{32}$")]
    private static partial Regex UploadAddress();
}
