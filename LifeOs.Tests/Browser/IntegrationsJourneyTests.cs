using System.Text.RegularExpressions;
using LifeOs.Core.Connections;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// Connecting in a real browser on the interactive page: the fake provider's consent page, back to /integrations with
/// the result shown, reconnecting, disconnecting through the dialog; what members and administrators see of a provider
/// that is not set up. Screenshots at desktop and phone widths, light and dark.
/// </summary>
public sealed class IntegrationsJourneyTests
{
    /// <summary>Registers through the form and lands straight on /integrations (these journeys answer for that page only).</summary>
    internal static async Task RegisterOntoIntegrationsAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Register?ReturnUrl=%2Fintegrations");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestClient.Password);
        await page.GetByLabel("Confirm password").FillAsync(TestClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/integrations$"));
        await BrowserApp.WaitForInteractiveAsync(page);
    }

    /// <summary>Signs in through the form and lands straight on /integrations.</summary>
    internal static async Task LogInOntoIntegrationsAsync(IPage page, string email)
    {
        await page.GotoAsync("/Account/Login?ReturnUrl=%2Fintegrations");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(TestClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/integrations$"));
        await BrowserApp.WaitForInteractiveAsync(page);
    }

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
            await RegisterOntoIntegrationsAsync(page, "ada@example.com");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Integrations", Level = 1 })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("integration-oura-status")).ToHaveTextAsync("Not connected");
            await BrowserApp.ScreenshotAsync(page, "integrations-not-connected-desktop");

            // Oura: a form post sends the browser to the provider's own consent page, and the callback brings it back.
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Oura" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(oura.BaseUrl) + "/oauth/authorize"));
            await Assertions.Expect(page.Locator("#account")).ToHaveTextAsync(oura.Account);
            await BrowserApp.ScreenshotAsync(page, "integrations-oura-consent");
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/integrations$"));
            await BrowserApp.WaitForInteractiveAsync(page);
            // The callback's message, read while prerendering, is still there on the live page.
            await Assertions.Expect(page.GetByTestId("integrations-message")).ToContainTextAsync("Oura is connected.");
            await Assertions.Expect(page.GetByTestId("integration-oura-status")).ToHaveTextAsync("Connected");
            await Assertions.Expect(page.GetByTestId("integration-oura-account")).ToHaveTextAsync(oura.Account);
            await Assertions.Expect(page.GetByTestId("integration-oura-sync-active")).ToContainTextAsync("Sync queued");

            // Withings, then a dead refresh token, to show every state a person can meet.
            await page.GetByRole(AriaRole.Button, new() { Name = "Connect Withings" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
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
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("integration-withings-status")).ToHaveTextAsync("Needs reconnect");
            await Assertions.Expect(page.GetByTestId("integration-withings-detail")).ToContainTextAsync("Syncing is paused.");
            await Assertions.Expect(page.GetByTestId("integrations-message")).ToHaveCountAsync(0);
            await BrowserApp.ScreenshotAsync(page, "integrations-needs-reconnect-desktop");

            await page.GetByRole(AriaRole.Button, new() { Name = "Reconnect Withings" }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Allow" }).ClickAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("integrations-message")).ToContainTextAsync("Withings is connected again.");
            await Assertions.Expect(page.GetByTestId("integration-withings-status")).ToHaveTextAsync("Connected");
            Assert.Empty(errors);
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await LogInOntoIntegrationsAsync(phone, "ada@example.com");
            await Assertions.Expect(phone.GetByTestId("integration-oura-status")).ToHaveTextAsync("Connected");
            await BrowserApp.ScreenshotAsync(phone, "integrations-connected-phone-dark");

            // Disconnect Oura, deleting its data, through the dialog, over the circuit.
            await phone.GetByTestId("integration-oura-disconnect").ClickAsync();
            var dialog = phone.GetByTestId("disconnect-dialog");
            await Assertions.Expect(dialog).ToBeVisibleAsync();
            await dialog.GetByLabel("Also delete the data synced from Oura").CheckAsync();
            await Assertions.Expect(phone.GetByTestId("disconnect-consequence")).ToContainTextAsync("cannot be undone");
            await BrowserApp.ScreenshotAsync(phone, "integrations-disconnect-phone-dark");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Disconnect and delete data" }).ClickAsync();
            await Assertions.Expect(phone.GetByText("Oura is disconnected and its")).ToBeVisibleAsync();
            await Assertions.Expect(phone.GetByTestId("integration-oura-status")).ToHaveTextAsync("Not connected");
            Assert.Equal(1, oura.Revocations);
            Assert.Empty(phoneErrors);
        }
    }

    [Fact]
    public async Task NotConfigured_TheAdministratorSeesWhatToSet_AMemberIsAskedToContactThem()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:PublicBaseUrl"] = "https://life.example.org" });
        var (context, page, errors) = await app.NewPageAsync(1280, 900);
        await using (context)
        {
            await RegisterOntoIntegrationsAsync(page, "admin@example.com"); // the first account administers the server
            await Assertions.Expect(page.GetByTestId("integration-oura-redirect")).ToHaveTextAsync("https://life.example.org/integrations/oura/callback");
            await Assertions.Expect(page.GetByTestId("integration-withings-setup")).ToContainTextAsync("Providers__Withings__ClientSecret");
            await BrowserApp.ScreenshotAsync(page, "integrations-not-configured-admin-desktop");
            Assert.Empty(errors);
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await RegisterOntoIntegrationsAsync(phone, "member@example.com");
            await Assertions.Expect(phone.GetByTestId("integration-withings-status")).ToHaveTextAsync("Not configured");
            await Assertions.Expect(phone.GetByTestId("integration-oura-ask-admin")).ToContainTextAsync("Ask your LifeOs administrator");
            await Assertions.Expect(phone.GetByText("Providers:")).ToHaveCountAsync(0);
            await Assertions.Expect(phone.GetByTestId("integration-oura-redirect")).ToHaveCountAsync(0);
            await BrowserApp.ScreenshotAsync(phone, "integrations-not-configured-member-phone-dark");
            Assert.Empty(phoneErrors);
        }
    }
}
