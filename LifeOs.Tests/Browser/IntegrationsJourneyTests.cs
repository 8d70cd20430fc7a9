using System.Text.RegularExpressions;
using LifeOs.Core.Connections;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>Connecting in a real browser: the fake provider's consent page, back to /integrations, connected. Screenshots at desktop and phone widths.</summary>
public sealed class IntegrationsJourneyTests
{
    [Fact]
    public async Task ClickConnect_ConsentOnTheProvider_LandBackConnected()
    {
        var providerClock = ConnectionsHarness.NewClock();
        await using var oura = await FakeOura.StartAsync(providerClock);
        await using var withings = await FakeWithings.StartAsync(providerClock);
        var settings = oura.Settings().Concat(withings.Settings()).ToDictionary();
        await using var app = await BrowserApp.StartAsync(settings);

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await BrowserApp.RegisterAsync(page, "ada@example.com");
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("ada@example.com");

            await page.GetByRole(AriaRole.Link, new() { Name = "Integrations", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrations", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("integration-oura-status")).ToHaveTextAsync("Not connected");
            await BrowserApp.ScreenshotAsync(page, "integrations-not-connected-desktop");

            // Oura: consent on the provider's own page, then straight back.
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Oura" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(oura.BaseUrl) + "/oauth/authorize"));
            await Assertions.Expect(page.Locator("#account")).ToHaveTextAsync(oura.Account);
            await BrowserApp.ScreenshotAsync(page, "integrations-oura-consent");
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/integrations$"));
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Oura is connected.");
            await Assertions.Expect(page.GetByTestId("integration-oura-status")).ToHaveTextAsync("Connected");
            await Assertions.Expect(page.GetByTestId("integration-oura-account")).ToHaveTextAsync(oura.Account);

            // Withings, then a dead refresh token, to show every state a person can meet.
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Withings" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("integration-withings-status")).ToHaveTextAsync("Connected");
            await BrowserApp.ScreenshotAsync(page, "integrations-connected-desktop");

            foreach (var grant in withings.Grants)
            {
                grant.Revoked = true;
            }

            app.Factory.Time.Advance(TimeSpan.FromHours(3));
            var userId = await app.Factory.WithDbAsync(db => db.Users.Select(u => u.Id).SingleAsync());
            await using (var scope = app.Factory.Services.CreateAsyncScope())
            {
                await Assert.ThrowsAsync<ConnectionUnavailableException>(() => scope.ServiceProvider.GetRequiredService<ConnectionTokenService>()
                    .GetAccessTokenAsync(userId, ProviderKind.Withings, TestContext.Current.CancellationToken));
            }

            await page.ReloadAsync();
            await Assertions.Expect(page.GetByTestId("integration-withings-status")).ToHaveTextAsync("Needs reconnect");
            await BrowserApp.ScreenshotAsync(page, "integrations-needs-reconnect-desktop");

            await page.GetByRole(AriaRole.Button, new() { Name = "Reconnect Withings" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Withings is connected again.");
            await Assertions.Expect(page.GetByTestId("integration-withings-status")).ToHaveTextAsync("Connected");
            Assert.Empty(errors);
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(phone, "ada@example.com");
            await Assertions.Expect(phone.GetByTestId("user-name")).ToBeAttachedAsync();
            await phone.GotoAsync("/integrations");
            await Assertions.Expect(phone.GetByTestId("integration-oura-status")).ToHaveTextAsync("Connected");
            await BrowserApp.ScreenshotAsync(phone, "integrations-connected-phone-dark");

            // Disconnect Oura, deleting its data, through the confirm dialog.
            phone.Dialog += (_, dialog) => dialog.AcceptAsync();
            await phone.GetByTestId("integration-oura").GetByText("Disconnect…").ClickAsync();
            await phone.GetByLabel("Also delete the data synced from Oura").CheckAsync();
            await BrowserApp.ScreenshotAsync(phone, "integrations-disconnect-phone-dark");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Disconnect Oura" }).ClickAsync();
            await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("Oura is disconnected");
            await Assertions.Expect(phone.GetByTestId("integration-oura-status")).ToHaveTextAsync("Not connected");
            Assert.Equal(1, oura.Revocations);
            Assert.Empty(phoneErrors);
        }
    }

    [Fact]
    public async Task NotConfigured_ShowsWhatTheAdministratorSets_AtDesktopAndPhoneWidths()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:PublicBaseUrl"] = "https://life.example.org" });
        var (context, page, errors) = await app.NewPageAsync(1280, 900);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "admin@example.com");
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("admin@example.com");
            await page.GotoAsync("/integrations");
            await Assertions.Expect(page.GetByTestId("integration-oura-redirect")).ToHaveTextAsync("https://life.example.org/integrations/oura/callback");
            await BrowserApp.ScreenshotAsync(page, "integrations-not-configured-desktop");
            Assert.Empty(errors);
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(phone, "admin@example.com");
            await Assertions.Expect(phone.GetByTestId("user-name")).ToBeAttachedAsync();
            await phone.GotoAsync("/integrations");
            await Assertions.Expect(phone.GetByTestId("integration-withings-status")).ToHaveTextAsync("Not configured");
            await BrowserApp.ScreenshotAsync(phone, "integrations-not-configured-phone-dark");
            Assert.Empty(phoneErrors);
        }
    }
}
