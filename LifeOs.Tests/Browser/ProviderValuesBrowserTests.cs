using LifeOs.Core.Sync;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// What issue 14's new provider values look like to a person: Oura workouts on /metrics/workouts (and its empty
/// state), the values a sync refused in the integrations history. Screenshots at 1280 and 390 px.
/// </summary>
public sealed class ProviderValuesBrowserTests
{
    [Fact]
    public async Task Workouts_AndRefusedValues_ShowAfterASync_OnDesktopAndPhone()
    {
        var providerClock = ConnectionsHarness.NewClock();
        await using var oura = await FakeOura.StartAsync(providerClock, SyncHarness.AdaOura);
        await using var withings = await FakeWithings.StartAsync(providerClock, SyncHarness.AdaWithings);
        SyncFixtures.Seed(oura, withings);
        string[] activities = ["cycling", "running", "walking", "strength_training", "yoga", "hiking"];
        for (var i = 0; i < 9; i++)
        {
            var day = SyncFixtures.Today.AddDays(-1 - (i * 2));
            var start = new DateTimeOffset(day.ToDateTime(new TimeOnly(17, 30)), TimeSpan.FromHours(1)).AddMinutes(i * 7);
            var activity = activities[i % activities.Length];
            oura.Data.Add("workout", new(SyncHarness.AdaOura, day, null, new
            {
                id = $"wo-{i}", activity, calories = 180.0 + (i * 37), distance = activity is "strength_training" or "yoga" ? (double?)null : 3200.0 + (i * 1850),
                day = day.ToString("yyyy-MM-dd"), start_datetime = start, end_datetime = start.AddMinutes(35 + (i * 9)), intensity = "moderate", source = "autodetected",
            }));
        }

        // A scale reading no person weighs: refused, and said so.
        var bad = new DateTimeOffset(2026, 11, 23, 6, 0, 0, TimeSpan.Zero);
        withings.Data.Add("measures", new(SyncHarness.AdaWithings, null, bad, new
        {
            grpid = 7300000001L, attrib = 0, date = bad.ToUnixTimeSeconds(), created = bad.ToUnixTimeSeconds(), modified = bad.ToUnixTimeSeconds(), category = 1,
            deviceid = "3e2f9c7a1b", model = "Body Comp", modelid = 18, measures = new[] { new { value = 912000, type = 1, unit = -3, algo = 0, fm = 3 } },
        }));
        var settings = oura.Settings().Concat(withings.Settings()).ToDictionary();
        settings["Sync:BackfillDays"] = "40";
        await using var app = await BrowserApp.StartAsync(settings);

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await IntegrationsJourneyTests.RegisterOntoIntegrationsAsync(page, "ada@example.com");
            // Before any sync: the empty state says what to do.
            await page.GotoAsync("/metrics/workouts");
            await Assertions.Expect(page.GetByTestId("workouts-empty")).ToContainTextAsync("Connect an Oura ring");
            await BrowserApp.ScreenshotAsync(page, "workouts-empty-desktop");

            await page.GotoAsync("/integrations");
            await app.Factory.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZoneId, "Europe/Berlin")));
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Oura" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Withings" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            var ids = await app.Factory.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Status == SyncRunStatus.Queued).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
            foreach (var id in ids)
            {
                await using var scope = app.Factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SyncService>().RunAsync(id, TestContext.Current.CancellationToken);
            }

            await page.GotoAsync("/integrations");
            await Assertions.Expect(page.GetByTestId("integration-withings-history").GetByTestId("sync-run-rejected"))
                .ToContainTextAsync("Refused (outside the range LifeOs accepts): Body and blood pressure 1");
            await Assertions.Expect(page.GetByTestId("integration-oura-history")).ToContainTextAsync("Workouts 9");
            await BrowserApp.ScreenshotAsync(page, "integrations-refused-desktop");

            await page.GotoAsync("/metrics");
            await page.GetByTestId("workouts-link").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/metrics/workouts$"));
            // The page's first content after the link: CI on 2 busy cores once took longer than Playwright's 5 s for it.
            await Assertions.Expect(page.GetByTestId("workout-activity")).ToHaveCountAsync(9, new() { Timeout = 20_000 });
            await Assertions.Expect(page.GetByTestId("workout-activity").First).ToHaveTextAsync("Cycling");
            await BrowserApp.ScreenshotAsync(page, "workouts-desktop");
            Assert.Empty(errors);
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(phone, "ada@example.com");
            await phone.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal));
            await phone.GotoAsync("/metrics/workouts");
            await Assertions.Expect(phone.GetByTestId("workout-activity")).ToHaveCountAsync(9, new() { Timeout = 20_000 });
            // Nothing wider than the phone.
            Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"));
            await BrowserApp.ScreenshotAsync(phone, "workouts-phone");
            await phone.GotoAsync("/integrations");
            await Assertions.Expect(phone.GetByTestId("integration-withings-history").GetByTestId("sync-run-rejected")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(phone, "integrations-refused-phone");
            await phone.GotoAsync("/metrics");
            await Assertions.Expect(phone.GetByTestId("workouts-link")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(phone, "metrics-phone");
            Assert.Empty(phoneErrors);
        }
    }
}
