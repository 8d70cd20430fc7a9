using LifeOs.Core.Sync;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// Sync on /integrations in a real browser: Sync now over the circuit, then queued → running with progress → result
/// and history, all without a reload (the page re-reads the state every two seconds of the app's clock while a run
/// is active). Screenshots at 1280 and 390 px, light and dark.
/// </summary>
public sealed class SyncBrowserTests
{
    [Fact]
    public async Task Integrations_ShowSyncProgressAndHistory_LiveWithoutAReload()
    {
        var providerClock = ConnectionsHarness.NewClock();
        await using var oura = await FakeOura.StartAsync(providerClock, SyncHarness.AdaOura);
        await using var withings = await FakeWithings.StartAsync(providerClock, SyncHarness.AdaWithings);
        SyncFixtures.Seed(oura, withings);
        var settings = oura.Settings().Concat(withings.Settings()).ToDictionary();
        settings["Sync:BackfillDays"] = "40";
        await using var app = await BrowserApp.StartAsync(settings);

        async Task RunQueuedAsync()
        {
            var ids = await app.Factory.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Status == SyncRunStatus.Queued).OrderBy(r => r.Id).Select(r => r.Id).ToListAsync());
            foreach (var id in ids)
            {
                await using var scope = app.Factory.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SyncService>().RunAsync(id, TestContext.Current.CancellationToken);
            }
        }

        // Two seconds on the app's clock: the page's refresh timer fires.
        void Tick() => app.Factory.Time.Advance(TimeSpan.FromSeconds(2));

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await IntegrationsJourneyTests.RegisterOntoIntegrationsAsync(page, "ada@example.com");
            await app.Factory.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZoneId, "Europe/Berlin")));
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Oura" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Withings" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToContainTextAsync("Sync queued");
            await BrowserApp.ScreenshotAsync(page, "integrations-sync-queued-desktop");

            // From here on the page is never reloaded: a marker on the window would not survive a reload.
            await page.EvaluateAsync("() => window.__sameDocument = true");

            // The backfills run (Withings' sleep answer is unreadable once, so its run is partial); the page follows.
            withings.Data.Fault("sleep_summary", FakeProviderData.Malformed());
            await RunQueuedAsync();
            Tick();
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("integration-withings-history").Locator("li").First).ToHaveAttributeAsync("data-status", "Partial");
            await Assertions.Expect(page.GetByText("Withings sync finished with gaps")).ToBeVisibleAsync();

            app.Factory.Time.Advance(TimeSpan.FromMinutes(90));
            await page.GetByTestId("integration-oura-sync-now").ClickAsync();
            await Assertions.Expect(page.GetByText("Oura sync queued. Its progress shows on the card.")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToContainTextAsync("Sync queued");
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-now")).ToBeDisabledAsync();
            await RunQueuedAsync();
            Tick();
            await Assertions.Expect(page.GetByTestId("integration-oura-history").Locator("li")).ToHaveCountAsync(2);

            // A run under way: queued, then running with its progress, as the scheduler moves it.
            app.Factory.Time.Advance(TimeSpan.FromMinutes(30));
            await page.GetByTestId("integration-oura-sync-now").ClickAsync();
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToHaveAttributeAsync("data-status", "Queued");
            var running = await app.Factory.WithDbAsync(db => db.Set<SyncRun>().SingleAsync(r => r.Status == SyncRunStatus.Queued));
            await app.Factory.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Id == running.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SyncRunStatus.Running).SetProperty(r => r.StartedAt, r => r.QueuedAt)
                .SetProperty(r => r.Progress, 42).SetProperty(r => r.SamplesWritten, 1234)));
            Tick();
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToContainTextAsync("Syncing… 42%");
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToContainTextAsync("1,234 values so far");
            await BrowserApp.ScreenshotAsync(page, "integrations-sync-running-desktop");

            // It finishes: the result and the history appear by themselves.
            await app.Factory.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Id == running.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SyncRunStatus.Succeeded).SetProperty(r => r.Progress, 100).SetProperty(r => r.FinishedAt, r => r.QueuedAt.AddSeconds(8))
                .SetProperty(r => r.SamplesWritten, 0)));
            Tick();
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("integration-oura-history").Locator("li")).ToHaveCountAsync(3);
            await Assertions.Expect(page.GetByTestId("integration-oura-history").Locator("li").First).ToHaveAttributeAsync("data-status", "Succeeded");
            await Assertions.Expect(page.GetByText("Oura sync finished: nothing new since the last one.")).ToBeVisibleAsync();
            Assert.True(await page.EvaluateAsync<bool>("() => window.__sameDocument === true"), "The page reloaded.");
            await BrowserApp.ScreenshotAsync(page, "integrations-sync-history-desktop");

            // The same page in dark mode (the device switches; the theme follows).
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            await page.WaitForTimeoutAsync(500);
            await BrowserApp.ScreenshotAsync(page, "integrations-sync-history-desktop-dark");
            Assert.Empty(errors);
        }

        foreach (var (scheme, name) in new[] { (ColorScheme.Dark, "dark"), (ColorScheme.Light, "light") })
        {
            var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, scheme);
            await using (phoneContext)
            {
                await IntegrationsJourneyTests.LogInOntoIntegrationsAsync(phone, "ada@example.com");
                await Assertions.Expect(phone.GetByTestId("integration-oura-history").Locator("li")).ToHaveCountAsync(3);
                await BrowserApp.ScreenshotAsync(phone, $"integrations-sync-history-phone-{name}");
                Assert.Empty(phoneErrors);
            }
        }
    }
}
