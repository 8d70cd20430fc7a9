using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// The Today page in a real browser: an empty account, then a year of ring, scale and cuff data with a journal and
/// goals; charts draw, the period changes in place (the URL follows), in light and dark, at desktop and phone widths.
/// </summary>
public sealed class DashboardBrowserTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private const int Charts = 9;

    private static async Task SeedAsync(BrowserApp app, string email)
    {
        var userId = await app.Factory.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var cancellation = TestContext.Current.CancellationToken;
        await services.GetRequiredService<HealthStore>().UpsertSamplesAsync(userId, DemoData.Days(Today.AddDays(-400), Today, minuteHeartRateDays: 2).ToList(), cancellation);
        var journal = services.GetRequiredService<JournalService>();
        var random = new Random(3);
        for (var i = 0; i < 120; i += 1 + (i % 3 == 0 ? 1 : 0))
        {
            var mood = random.Next(2, 6);
            await journal.CreateAsync(userId, new JournalEntryInput(JournalKind.DailyReflection, Today.AddDays(-i), null, null, "A walk, a book, an early night.", mood, Math.Clamp(mood + random.Next(-1, 2), 1, 5), null), cancellation);
        }

        var goals = services.GetRequiredService<GoalService>();
        foreach (var (name, kind, metric, target, days) in new (string, GoalKind, string?, double?, int?)[]
        {
            ("10,000 steps a day", GoalKind.DailyTarget, MetricCatalogue.Steps, 10_000, null),
            ("4 active days a week", GoalKind.WeeklyCount, MetricCatalogue.Steps, 10_000, 4),
            ("Sleep 7 h 30", GoalKind.DailyTarget, MetricCatalogue.SleepDuration, 7.5, null),
            ("Write every day", GoalKind.JournalHabit, null, null, 7),
        })
        {
            var result = await goals.CreateAsync(userId, new GoalInput { Name = name, Kind = kind, MetricCode = metric, Comparison = Comparison.AtLeast, Target = target, DaysPerWeek = days, StartDate = Today.AddDays(-60) }, cancellation);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        }
    }

    private static async Task ExpectChartsDrawnAsync(IPage page, int count = Charts)
    {
        await BrowserApp.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.Locator("[data-chart-rendered=true]")).ToHaveCountAsync(count, new() { Timeout = 20_000 });
        await Assertions.Expect(page.GetByTestId("chart-sleep").Locator("svg").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Dashboard_EmptyThenWithData_ChartsDraw_PeriodChangesInPlace_LightAndDark_DesktopAndPhone()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await BrowserApp.RegisterAsync(page, "dana@example.com");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Get started" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("start-connect-button")).ToHaveAttributeAsync("href", "integrations");
            await BrowserApp.ScreenshotAsync(page, "dashboard-empty-desktop");

            await SeedAsync(app, "dana@example.com");
            long received = 0;
            page.WebSocket += (_, socket) => socket.FrameReceived += (_, frame) =>
                Interlocked.Add(ref received, frame.Binary?.Length ?? System.Text.Encoding.UTF8.GetByteCount(frame.Text ?? ""));
            await page.GotoAsync("/");
            await ExpectChartsDrawnAsync(page);
            await Assertions.Expect(page.Locator(".goal-mini")).ToHaveCountAsync(4);
            var thirtyDays = await page.GetByTestId("summary-steps").TextContentAsync();

            // 30 days → 1 year over the circuit: no page load, the URL follows, the charts redraw.
            // What the server sends for the switch (render batches and chart options), as the browser receives it.
            var loads = 0;
            page.Load += (_, _) => loads++;
            await page.WaitForTimeoutAsync(500);
            Interlocked.Exchange(ref received, 0);
            await page.GetByTestId("range-1y").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?range=1y$"));
            await Assertions.Expect(page.Locator(".page-subtitle")).ToContainTextAsync("the last year");
            await Assertions.Expect(page.GetByTestId("summary-steps")).Not.ToHaveTextAsync(thirtyDays!);
            await Assertions.Expect(page.GetByTestId("chart-steps")).ToContainTextAsync("weekly averages");
            Assert.Equal(0, loads);
            await ExpectChartsDrawnAsync(page);
            await page.WaitForTimeoutAsync(500);
            var switchBytes = Interlocked.Read(ref received);
            TestContext.Current.TestOutputHelper?.WriteLine($"30 days → 1 year: {switchBytes:N0} bytes received over the circuit");
            Assert.InRange(switchBytes, 1_000, 100_000);
            await BrowserApp.ScreenshotAsync(page, "dashboard-desktop");

            // The numbers behind a chart, on request.
            await page.GetByTestId("show-table-weight").ClickAsync();
            await Assertions.Expect(page.GetByTestId("table-weight").Locator("caption")).ToHaveTextAsync("Weekly averages");

            // A bookmark of the new URL opens the same period.
            await page.ReloadAsync();
            await ExpectChartsDrawnAsync(page);
            await Assertions.Expect(page.Locator(".page-subtitle")).ToContainTextAsync("the last year");
            Assert.Empty(errors);
        }

        foreach (var (width, scheme, name) in new[] { (1280, ColorScheme.Dark, "dashboard-desktop-dark"), (390, ColorScheme.Light, "dashboard-phone"), (390, ColorScheme.Dark, "dashboard-phone-dark") })
        {
            var (context, other, otherErrors) = await app.NewPageAsync(width, 844, scheme);
            await using (context)
            {
                await BrowserApp.LogInAsync(other, "dana@example.com");
                await other.GotoAsync("/?range=90d");
                await ExpectChartsDrawnAsync(other);
                await BrowserApp.ScreenshotAsync(other, name);
                if (width == 390)
                {
                    // No sideways scrolling of the page itself (only the calendar scrolls, inside its card).
                    Assert.True(await other.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"), "the page is wider than the phone");
                    await other.GetByTestId("range-30d").ClickAsync();
                    await Assertions.Expect(other).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"/\?range=30d$"));
                    await Assertions.Expect(other.Locator(".page-subtitle")).ToContainTextAsync("the last 30 days");
                    await other.ScreenshotAsync(new() { Path = Path.Combine(BrowserApp.ScreenshotDirectory, name + "-first-screen.png"), Animations = ScreenshotAnimations.Disabled });
                }

                Assert.Empty(otherErrors);
            }
        }
    }
}
