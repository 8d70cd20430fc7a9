using System.Text.RegularExpressions;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// Fixing data in a real browser on a live circuit: tick and delete imported rows, edit one, exclude a guest's
/// Withings weigh-in (on /metrics and from the outliers view); screenshots of /metrics, /metrics/weight and
/// /metrics/outliers at 1280 and 390 px. The app's clock is 25 Nov 2026 (LifeOsAppFactory).
/// </summary>
public sealed class MeasurementHistoryJourneyTests
{
    private const string Email = "fixer@example.com";

    /// <summary>Six weeks of Withings weigh-ins (one a guest's), daily Oura steps, a few typed-in and imported weights.</summary>
    private static async Task SeedAsync(BrowserApp app, string userId)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var store = scope.ServiceProvider.GetRequiredService<HealthStore>();
        var start = new DateTime(2026, 10, 14, 6, 40, 0, DateTimeKind.Utc);
        var samples = new List<SampleInput>();
        for (var day = 0; day < 42; day++)
        {
            samples.Add(new(MetricCatalogue.Weight, SampleSource.Withings, $"w{day}", start.AddDays(day), Math.Round(73.6 - (day * 0.03) + (day % 4 * 0.15), 2)));
            samples.Add(new(MetricCatalogue.Steps, SampleSource.Oura, $"s{day}", start.AddDays(day).AddHours(14), 6500 + (day * 937 % 5200)));
        }

        samples.Add(new(MetricCatalogue.Weight, SampleSource.Withings, "guest", new DateTime(2026, 11, 24, 18, 5, 0, DateTimeKind.Utc), 96.4));
        samples.AddRange(Enumerable.Range(0, 3).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Import, $"csv:{i}", new DateTime(2026, 11, 21 + i, 20, 0, 0, DateTimeKind.Utc), 72.9 + (i * 0.1))));
        samples.Add(new(MetricCatalogue.Systolic, SampleSource.Manual, "manual-bp", new DateTime(2026, 11, 24, 21, 0, 0, DateTimeKind.Utc), 122));
        await store.UpsertSamplesAsync(userId, samples);
    }

    private static ILocator Rows(IPage page) => page.GetByTestId("measurements-table").Locator("tbody tr");

    private static ILocator Snackbar(IPage page, string text) => page.Locator(".mud-snackbar").Filter(new() { HasText = text });

    [Fact]
    public async Task Delete_Edit_AndExclude_ThroughTheGrid_AndTheOutliersView()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });
        var (context, page, errors) = await app.NewPageAsync(1280, 900);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, Email);
            await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/Account/"));
            var userId = await app.Factory.WithDbAsync(db => db.Users.Where(u => u.Email == Email).Select(u => u.Id).SingleAsync());
            await SeedAsync(app, userId);
            errors.Clear();

            await page.GotoAsync("/metrics?source=kind:Imported");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(Rows(page)).ToHaveCountAsync(3);
            await Assertions.Expect(page.GetByTestId("list-count")).ToHaveTextAsync("1–3 of 3 measurements");

            // Tick two imported rows and delete them together.
            await Rows(page).Nth(0).Locator("input[type=checkbox]").CheckAsync();
            await Rows(page).Nth(1).Locator("input[type=checkbox]").CheckAsync();
            await Assertions.Expect(page.GetByTestId("selected-count")).ToHaveTextAsync("2 measurements selected");
            await page.GetByTestId("delete-selected").ClickAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Assertions.Expect(Snackbar(page, "Deleted 2 measurements.")).ToBeVisibleAsync();
            await Assertions.Expect(Rows(page)).ToHaveCountAsync(1);

            // Edit the one left.
            await Rows(page).First.GetByTestId("edit-measurement").ClickAsync();
            var dialog = page.GetByTestId("edit-measurement-dialog");
            await dialog.Locator("#edit-value").FillAsync("72.5");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
            await Assertions.Expect(Snackbar(page, "Measurement updated.")).ToBeVisibleAsync();
            await Assertions.Expect(Rows(page).First).ToContainTextAsync("72.5 kg");

            // Every source: the guest's weigh-in from Withings can only be excluded.
            await page.GotoAsync("/metrics");
            await BrowserApp.WaitForInteractiveAsync(page);
            var guest = Rows(page).Filter(new() { HasText = "96.4 kg" });
            await Assertions.Expect(guest.GetByTestId("delete-measurement")).ToHaveCountAsync(0);
            await guest.GetByTestId("exclude-measurement").ClickAsync();
            await Assertions.Expect(Snackbar(page, "Excluded 1 measurement")).ToBeVisibleAsync();
            await Assertions.Expect(guest.GetByTestId("excluded-note")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "metrics-grid-desktop");

            // The outliers view lists it (with its reason) to take back in.
            await page.GotoAsync("/metrics/outliers");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("outliers-weight")).ToContainTextAsync("96.4 kg");
            await Assertions.Expect(page.GetByTestId("outlier-reason").First).ToContainTextAsync("your usual spread above your median");
            await BrowserApp.ScreenshotAsync(page, "metrics-outliers-desktop");

            await page.GotoAsync("/metrics/weight");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("metric-sources")).ToContainTextAsync("Withings");
            await Assertions.Expect(page.GetByTestId("metric-chart")).ToHaveAttributeAsync("data-chart-rendered", "true");
            await BrowserApp.ScreenshotAsync(page, "metric-weight-sources-desktop");
            Assert.Empty(errors);
        }

        var guestRow = await app.Factory.WithDbAsync(db => db.Samples.SingleAsync(s => s.SourceRecordId == "guest"));
        Assert.True(guestRow.Excluded);
        Assert.Equal(1, await app.Factory.WithDbAsync(db => db.Samples.CountAsync(s => s.Source == SampleSource.Import)));
        Assert.False(await app.Factory.WithDbAsync(db => db.DailyValues.AnyAsync(d => d.MetricCode == MetricCatalogue.Weight && d.Value > 90)));

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(phone, Email);
            await Assertions.Expect(phone).Not.ToHaveURLAsync(new Regex("/Account/"));
            phoneErrors.Clear();
            foreach (var (path, name) in new[] { ("/metrics", "metrics-grid-phone"), ("/metrics/weight", "metric-weight-sources-phone"), ("/metrics/outliers", "metrics-outliers-phone") })
            {
                await phone.GotoAsync(path);
                await BrowserApp.WaitForInteractiveAsync(phone);
                await Assertions.Expect(phone.Locator("[data-testid=measurements-table], [data-testid=no-outliers]").First).ToBeVisibleAsync();
                await BrowserApp.ScreenshotAsync(phone, name);
            }

            Assert.Empty(phoneErrors);
        }
    }
}
