using System.Text.Json;
using LifeOs.Core.Notifications;
using LifeOs.Tests.Core.Notifications;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// The Notifications page as a person uses it (an ntfy topic added, a test sent and received by a fake ntfy server,
/// reminders saved), screenshotted at desktop and phone widths; and the installable app: the manifest, the service
/// worker registering and controlling the page, the offline page when the server is down, and a cache that holds
/// only the app shell.
/// </summary>
public sealed class NotificationsJourneyTests
{
    private static readonly string[] Shell = ["/offline.html", "/manifest.webmanifest", "/favicon.svg", "/icons/icon-192.png", "/icons/icon-512.png", "/icons/maskable-512.png"];

    [Fact]
    public async Task NotificationsPage_AddsAnNtfyTopic_SendsATest_AndSavesReminders()
    {
        await using var ntfy = new FakeChannelServer();
        await ntfy.StartAsync();
        await using var app = await BrowserApp.StartAsync();
        var (context, page, errors) = await app.NewPageAsync(1280, 900);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "notify@example.com");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));
            await page.GotoAsync("/settings/notifications");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("no-channels")).ToBeVisibleAsync();

            await page.Locator("input[data-testid=ntfy-url], [data-testid=ntfy-url] input").First.FillAsync($"{ntfy.BaseUrl}/lifeos-notify");
            await page.GetByTestId("add-ntfy-button").ClickAsync();
            await Assertions.Expect(page.GetByTestId("channel-row")).ToContainTextAsync("ntfy");
            await page.GetByTestId("send-test").ClickAsync();
            await Assertions.Expect(page.GetByText("Test sent to")).ToBeVisibleAsync();
            var received = Assert.Single(ntfy.Received);
            Assert.Equal("LifeOs test", received.Headers["Title"]);
            Assert.Equal($"{app.BaseUrl}/settings/notifications", received.Headers["Click"]);

            await page.GetByTestId("reminder-MorningPages").Locator("input[data-testid=reminder-enabled], [data-testid=reminder-enabled] input").First.CheckAsync(new() { Force = true });
            await page.Locator("input[data-testid=quiet-enabled], [data-testid=quiet-enabled] input").First.CheckAsync(new() { Force = true });
            await page.GetByTestId("save-reminders").ClickAsync();
            await Assertions.Expect(page.GetByText("Reminders saved.")).ToBeVisibleAsync();
            var userId = await app.Factory.WithDbAsync(db => db.Users.Where(u => u.Email == "notify@example.com").Select(u => u.Id).SingleAsync());
            Assert.True(await app.Factory.WithDbAsync(db => db.ReminderSettings.AnyAsync(r => r.UserId == userId && r.Kind == ReminderKind.MorningPages && r.Enabled)));
            Assert.Equal(new TimeOnly(22, 0), await app.Factory.WithDbAsync(db => db.NotificationPreferences.Where(p => p.UserId == userId).Select(p => p.QuietFrom).SingleAsync()));

            // A week of reminders in the log, as the scheduler leaves them.
            await SeedLogAsync(app, userId);
            await page.ReloadAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("log-row")).ToHaveCountAsync(6);
            await BrowserApp.ScreenshotAsync(page, "notifications-desktop");
            await page.SetViewportSizeAsync(390, 844);
            await BrowserApp.ScreenshotAsync(page, "notifications-phone");
            var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > window.innerWidth");
            Assert.False(overflow, "The page is wider than a phone's screen.");
            Assert.Empty(errors);
        }
    }

    private static Task<int> SeedLogAsync(BrowserApp app, string userId) => app.Factory.WithDbAsync(async db =>
    {
        var channel = await db.NotificationChannels.Where(c => c.UserId == userId).SingleAsync();
        var now = app.Factory.Time.GetUtcNow().UtcDateTime;
        (ReminderKind Kind, string Title, OccurrenceStatus Status, string? Reason, DeliveryStatus? Delivery, string? Error)[] rows =
        [
            (ReminderKind.MorningPages, "Time for your morning pages", OccurrenceStatus.Sent, null, DeliveryStatus.Sent, null),
            (ReminderKind.DailyReflection, "Daily reflection", OccurrenceStatus.Skipped, "Daily reflection already written today", null, null),
            (ReminderKind.GoalAtRisk, "A goal is at risk today", OccurrenceStatus.Sent, null, DeliveryStatus.Sent, null),
            (ReminderKind.ConnectionTrouble, "A connection needs attention", OccurrenceStatus.Failed, null, DeliveryStatus.Failed, "The ntfy server answered HTTP 502."),
            (ReminderKind.MorningPages, "Morning pages", OccurrenceStatus.Skipped, "Quiet hours", null, null),
            (ReminderKind.WeeklyDigest, "Your week 48 in numbers", OccurrenceStatus.Sent, null, DeliveryStatus.Sent, null),
        ];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            var occurrence = new NotificationOccurrence
            {
                UserId = userId, Kind = row.Kind, Occurrence = DateOnly.FromDateTime(now.AddDays(-i - 1)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                DueAt = now.AddDays(-i - 1), CreatedAt = now.AddDays(-i - 1), Status = row.Status, Reason = row.Reason, Title = row.Title, Body = "", Url = "/",
            };
            if (row.Delivery is { } status)
            {
                occurrence.Deliveries.Add(new NotificationDelivery { UserId = userId, ChannelId = channel.Id, ChannelKind = channel.Kind, Status = status, Attempts = status == DeliveryStatus.Failed ? 4 : 1, UpdatedAt = now, SentAt = status == DeliveryStatus.Sent ? now : null, LastError = row.Error });
            }

            db.NotificationOccurrences.Add(occurrence);
        }

        return await db.SaveChangesAsync();
    });

    [Fact]
    public async Task InstallableApp_HasAManifest_AServiceWorkerThatCachesOnlyTheShell_AndAnOfflinePage()
    {
        await using var app = await BrowserApp.StartAsync();
        var (context, page, errors) = await app.NewPageAsync(390, 844);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "pwa@example.com");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));

            var manifestHref = await page.Locator("link[rel=manifest]").GetAttributeAsync("href");
            var manifestResponse = await page.APIRequest.GetAsync(manifestHref!);
            Assert.Equal(200, manifestResponse.Status);
            using (var manifest = JsonDocument.Parse(await manifestResponse.TextAsync()))
            {
                Assert.Equal("LifeOs", manifest.RootElement.GetProperty("name").GetString());
                Assert.Equal("standalone", manifest.RootElement.GetProperty("display").GetString());
                var sizes = manifest.RootElement.GetProperty("icons").EnumerateArray().Select(i => i.GetProperty("sizes").GetString()).ToList();
                Assert.Contains("192x192", sizes);
                Assert.Contains("512x512", sizes);
                foreach (var icon in manifest.RootElement.GetProperty("icons").EnumerateArray())
                {
                    Assert.Equal(200, (await page.APIRequest.GetAsync(icon.GetProperty("src").GetString()!)).Status);
                }
            }

            // The worker registers, takes control, and Blazor's circuit still starts under it.
            var script = await page.EvaluateAsync<string>("navigator.serviceWorker.ready.then(r => r.active.scriptURL)");
            Assert.EndsWith("/sw.js", script, StringComparison.Ordinal);
            await page.GotoAsync("/journal");
            await BrowserApp.WaitForInteractiveAsync(page);
            Assert.True(await page.EvaluateAsync<bool>("navigator.serviceWorker.controller !== null"));
            await page.GotoAsync("/settings/notifications");
            await BrowserApp.WaitForInteractiveAsync(page);

            // What the worker keeps: the shell only, never a page, an API answer or Blazor's traffic.
            var cached = await page.EvaluateAsync<string[]>(
                "(async () => { const urls = []; for (const name of await caches.keys()) { const cache = await caches.open(name); for (const r of await cache.keys()) urls.push(new URL(r.url).pathname); } return urls; })()");
            Assert.NotEmpty(cached);
            Assert.All(cached, path => Assert.Contains(path, Shell));

            // The server goes away: a page asked for now is the offline page, from the worker's cache.
            await app.Factory.DisposeAsync();
            await page.GotoAsync("/journal");
            await Assertions.Expect(page.GetByTestId("offline-page")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByText("LifeOs is out of reach")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "offline-phone");
            await app.RestartServerAsync();
            Assert.DoesNotContain(errors, e => e.Contains("CSP", StringComparison.Ordinal));
        }
    }
}
