using LifeOs.Core.Sync;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>Sync on /integrations in a real browser: queued, running with progress (the page refreshes itself), history. Screenshots at 1280 px light and 390 px dark.</summary>
public sealed class SyncBrowserTests
{
    [Fact]
    public async Task Integrations_ShowSyncProgressAndHistory_AndRefreshWhileARunIsActive()
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

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await BrowserApp.RegisterAsync(page, "ada@example.com");
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("ada@example.com");
            await app.Factory.WithDbAsync(db => db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZoneId, "Europe/Berlin")));

            await page.GotoAsync("/integrations");
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Oura" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Withings" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToContainTextAsync("Sync queued");

            // The backfills run (Withings' sleep answer is unreadable once, so its run is partial).
            withings.Data.Fault("sleep_summary", FakeProviderData.Malformed());
            await RunQueuedAsync();
            app.Factory.Time.Advance(TimeSpan.FromMinutes(90));
            await page.ReloadAsync();
            await page.GetByTestId("integration-oura-sync-now").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Oura sync queued");
            await RunQueuedAsync();

            // A run under way, as the page shows it while it works.
            app.Factory.Time.Advance(TimeSpan.FromMinutes(30));
            await page.GetByTestId("integration-oura-sync-now").ClickAsync();
            var running = await app.Factory.WithDbAsync(db => db.Set<SyncRun>().SingleAsync(r => r.Status == SyncRunStatus.Queued));
            await app.Factory.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Id == running.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SyncRunStatus.Running).SetProperty(r => r.StartedAt, r => r.QueuedAt)
                .SetProperty(r => r.Progress, 42).SetProperty(r => r.SamplesWritten, 1234)));
            await page.ReloadAsync();
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToContainTextAsync("Syncing… 42%");
            await BrowserApp.ScreenshotAsync(page, "integrations-sync-running-desktop");

            // It finishes: the page's script notices and reloads by itself.
            await app.Factory.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Id == running.Id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.Status, SyncRunStatus.Succeeded).SetProperty(r => r.Progress, 100).SetProperty(r => r.FinishedAt, r => r.QueuedAt.AddSeconds(8))
                .SetProperty(r => r.SamplesWritten, 0)));
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToHaveCountAsync(0, new() { Timeout = 15_000 });
            await Assertions.Expect(page.GetByTestId("integration-oura-history").Locator("li")).ToHaveCountAsync(3);
            await Assertions.Expect(page.GetByTestId("integration-withings-history").Locator("li").First).ToHaveAttributeAsync("data-status", "Partial");
            await BrowserApp.ScreenshotAsync(page, "integrations-sync-history-desktop");
            Assert.Empty(errors);
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(phone, "ada@example.com");
            await Assertions.Expect(phone.GetByTestId("user-name")).ToBeAttachedAsync();
            await phone.GotoAsync("/integrations");
            await Assertions.Expect(phone.GetByTestId("integration-oura-history").Locator("li")).ToHaveCountAsync(3);
            await BrowserApp.ScreenshotAsync(phone, "integrations-sync-history-phone-dark");
            Assert.Empty(phoneErrors);
        }
    }
}
