using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>The dashboard in a real browser: an empty account, then four months of ring, scale and cuff data.</summary>
public sealed class DashboardBrowserTests
{
    [Fact]
    public async Task Dashboard_EmptyThenWithData_ChartsRender_WithoutConsoleErrors_AtDesktopAndPhoneWidths()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await BrowserApp.RegisterAsync(page, "dana@example.com");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Get started" })).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "dashboard-empty-desktop");

            var userId = await app.Factory.WithDbAsync(db => db.Users.Select(u => u.Id).SingleAsync());
            await using (var scope = app.Factory.Services.CreateAsyncScope())
            {
                var today = new DateOnly(2026, 11, 25);
                var samples = DemoData.Days(today.AddDays(-119), today, minuteHeartRateDays: 2).ToList();
                await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(userId, samples, TestContext.Current.CancellationToken);
            }

            // Goals from the templates, scored from the data just written.
            foreach (var template in new[] { "10,000 steps a day", "4 days a week with 10,000 steps", "Sleep 7 h 30 a night", "Reach a weight by a date" })
            {
                await page.GotoAsync("/goals");
                await page.GetByRole(AriaRole.Link, new() { Name = "New goal" }).ClickAsync();
                await page.GotoAsync("/goals/new?template=" + template switch
                {
                    "10,000 steps a day" => "steps",
                    "4 days a week with 10,000 steps" => "active-days",
                    "Sleep 7 h 30 a night" => "sleep",
                    _ => "weight",
                });
                await page.GetByLabel("Starts").FillAsync("2026-09-01");
                await page.GetByRole(AriaRole.Button, new() { Name = "Create goal" }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("created");
            }

            await Assertions.Expect(page.Locator(".goal-card")).ToHaveCountAsync(4);
            await BrowserApp.ScreenshotAsync(page, "goals-desktop");
            await page.GotoAsync("/goals/new");
            await page.GetByLabel("Kind", new() { Exact = true }).SelectOptionAsync("JournalHabit");
            await Assertions.Expect(page.GetByLabel("Metric")).ToBeHiddenAsync();
            await BrowserApp.ScreenshotAsync(page, "goals-new-desktop");

            await page.GotoAsync("/?range=90d");
            await Assertions.Expect(page.Locator(".goal-mini")).ToHaveCountAsync(4);
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("data-charts-rendered", "7");
            await Assertions.Expect(page.GetByTestId("chart-sleep").Locator("svg").First).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("empty-mood")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "dashboard-desktop");
            Assert.Empty(errors);
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(phone, "dana@example.com");
            await Assertions.Expect(phone.Locator("html")).ToHaveAttributeAsync("data-charts-rendered", "7");
            await BrowserApp.ScreenshotAsync(phone, "dashboard-phone");
            await phone.GotoAsync("/goals");
            await BrowserApp.ScreenshotAsync(phone, "goals-phone");
            await phone.GotoAsync("/");
            await phone.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDirectory, "dashboard-phone-first-screen.png"), Animations = ScreenshotAnimations.Disabled });
            await phone.GetByTestId("chart-sleep").ScrollIntoViewIfNeededAsync();
            await phone.GetByTestId("chart-sleep").ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDirectory, "dashboard-phone-sleep-chart.png"), Animations = ScreenshotAnimations.Disabled });
            Assert.Empty(phoneErrors);
        }
    }
}
