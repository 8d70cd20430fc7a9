using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// Goals in a real browser: start from a template, see the goal on /goals with its strip, archive it through
/// the menu and the confirmation. Then goals of every kind over four months of data, at 1280 and 390 px,
/// light and dark. Today is Wednesday 25 November 2026 in London.
/// </summary>
public sealed class GoalsJourneyTests
{
    private const string Email = "gita@example.com";

    /// <summary>Registers or signs in straight to /goals (the account pages honour ReturnUrl).</summary>
    private static async Task SignInToGoalsAsync(IPage page, bool register)
    {
        await page.GotoAsync((register ? "/Account/Register" : "/Account/Login") + "?ReturnUrl=%2Fgoals");
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestClient.Password);
        if (register)
        {
            await page.GetByLabel("Confirm password").FillAsync(TestClient.Password);
        }

        await page.GetByRole(AriaRole.Button, new() { Name = register ? "Create account" : "Log in", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Goals", Level = 1 })).ToBeVisibleAsync();
        await BrowserApp.WaitForInteractiveAsync(page);
    }

    [Fact]
    public async Task StartFromATemplate_SeeItsStrip_ArchiveItThroughTheMenu()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });
        var today = new DateOnly(2026, 11, 25);

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await SignInToGoalsAsync(page, register: true);
            await Assertions.Expect(page.GetByTestId("no-goals")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "goals-empty-desktop");

            var userId = await app.Factory.WithDbAsync(db => db.Users.Select(u => u.Id).SingleAsync());
            await using (var scope = app.Factory.Services.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(userId,
                    DemoData.Days(today.AddDays(-119), today.AddDays(-1)).Where(s => (s.LocalDate ?? DateOnly.FromDateTime(s.StartUtc)).Day % 11 != 3).ToList(),
                    TestContext.Current.CancellationToken);
            }

            // From the empty state's template: the kind is chosen and the form filled; only the start changes.
            await page.GetByTestId("template-steps").ClickAsync();
            await Assertions.Expect(page.GetByTestId("kind-DailyTarget")).ToHaveAttributeAsync("aria-checked", "true");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByLabel("Name")).ToHaveValueAsync("10,000 steps");
            var start = page.GetByLabel("Starts");
            await start.FillAsync("2026-09-01");
            await start.PressAsync("Tab");
            await BrowserApp.ScreenshotAsync(page, "goals-new-desktop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create goal" }).ClickAsync();

            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Goal “10,000 steps” created.");
            var goal = await app.Factory.WithDbAsync(db => db.Set<Goal>().SingleAsync());
            Assert.Equal(new DateOnly(2026, 9, 1), goal.StartDate);
            var card = page.GetByTestId($"goal-{goal.Id}");
            await Assertions.Expect(card.Locator(".day-cell[data-result]")).ToHaveCountAsync(30);
            await Assertions.Expect(card.GetByTestId("goal-state-label")).ToBeVisibleAsync();
            await Assertions.Expect(card.GetByTestId("goal-strip-this-week")).ToHaveTextAsync("this week");
            await Assertions.Expect(card.GetByTestId("goal-strip-summary")).ToContainTextAsync("Last 30 days:");
            await BrowserApp.ScreenshotAsync(page, "goals-one-desktop");

            // Archive: the menu, then the confirmation.
            await card.GetByRole(AriaRole.Button, new() { Name = "Actions for 10,000 steps" }).ClickAsync();
            await page.GetByRole(AriaRole.Menuitem, new() { Name = "Archive" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Assertions.Expect(dialog).ToContainTextAsync("Archive “10,000 steps”?");
            await BrowserApp.ScreenshotAsync(page, "goals-archive-confirm-desktop");
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "Goal archived." })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("archived-goals").GetByTestId($"goal-{goal.Id}")).ToBeVisibleAsync();
            Assert.NotNull(await app.Factory.WithDbAsync(db => db.Set<Goal>().Select(g => g.ArchivedAt).SingleAsync()));
            Assert.Empty(errors);

            await SeedEveryKindAsync(app, userId, today);
        }

        foreach (var (width, height, scheme, name) in new[] { (1280, 900, ColorScheme.Light, "desktop"), (1280, 900, ColorScheme.Dark, "desktop-dark"), (390, 844, ColorScheme.Light, "phone"), (390, 844, ColorScheme.Dark, "phone-dark") })
        {
            var (context, view, viewErrors) = await app.NewPageAsync(width, height, scheme);
            await using (context)
            {
                await SignInToGoalsAsync(view, register: false);
                await Assertions.Expect(view.GetByTestId("goal-list").Locator("article")).ToHaveCountAsync(7);
                await BrowserApp.ScreenshotAsync(view, $"goals-{name}");

                var body = await view.EvaluateAsync<int>("document.documentElement.scrollWidth");
                Assert.True(body <= width, $"{name}: the page is {body} px wide");

                await view.GotoAsync("/goals/new");
                await BrowserApp.WaitForInteractiveAsync(view);
                await view.GetByTestId("kind-WeeklyCount").ClickAsync();
                await Assertions.Expect(view.GetByLabel("Days a week")).ToBeVisibleAsync();
                await BrowserApp.ScreenshotAsync(view, $"goals-form-{name}");
                Assert.Empty(viewErrors);
            }
        }
    }

    /// <summary>Goals of every kind (met, missed, no data, behind, not started), and journal days for the habits.</summary>
    private static async Task SeedEveryKindAsync(BrowserApp app, string userId, DateOnly today)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var journal = scope.ServiceProvider.GetRequiredService<JournalService>();
        for (var d = 40; d >= 1; d--)
        {
            if (d % 5 != 2)
            {
                await journal.CreateAsync(userId, new JournalEntryInput(JournalKind.DailyReflection, today.AddDays(-d), null, null, "A quiet day.", 3, 3, null), TestContext.Current.CancellationToken);
            }
        }

        var goals = scope.ServiceProvider.GetRequiredService<GoalService>();
        GoalInput[] inputs =
        [
            new() { Name = "Sleep 7 h 30", Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.SleepDuration, Comparison = Comparison.AtLeast, Target = 7.5, StartDate = today.AddDays(-45) },
            new() { Name = "Resting heart rate at most 60", Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.RestingHeartRate, Comparison = Comparison.AtMost, Target = 60, StartDate = today.AddDays(-90) },
            new() { Name = "Average 7 h of sleep", Kind = GoalKind.WeeklyAverage, MetricCode = MetricCatalogue.SleepDuration, Comparison = Comparison.AtLeast, Target = 7, StartDate = today.AddDays(-90) },
            new() { Name = "4 active days a week", Kind = GoalKind.WeeklyCount, MetricCode = MetricCatalogue.Steps, Comparison = Comparison.AtLeast, Target = 10_000, DaysPerWeek = 4, StartDate = today.AddDays(-70) },
            new() { Name = "Reach 75 kg", Kind = GoalKind.BodyTarget, MetricCode = MetricCatalogue.Weight, Comparison = Comparison.AtMost, Target = 75, StartDate = today.AddDays(-40), EndDate = today.AddDays(60) },
            new() { Name = "Daily reflection", Kind = GoalKind.JournalHabit, JournalKind = "DailyReflection", DaysPerWeek = 7, StartDate = today.AddDays(-30) },
            new() { Name = "Anextraordinarilylongnamewithoutanyspacesthatmustwrapinsteadofwideningthepage", Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.SleepScore, Comparison = Comparison.AtLeast, Target = 75, StartDate = today.AddDays(5) },
        ];
        foreach (var input in inputs)
        {
            Assert.True((await goals.CreateAsync(userId, input, TestContext.Current.CancellationToken)).Succeeded, input.Name);
        }
    }
}
