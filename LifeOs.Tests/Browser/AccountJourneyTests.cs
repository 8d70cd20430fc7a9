using System.Text.RegularExpressions;
using LifeOs.Core.Accounts;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// What a person does with their account in a real browser: sign up (the time zone proposed from the device), change a
/// setting, turn on two-factor sign-in, log out from the user menu, and sign in again with a code or a recovery code,
/// at desktop and phone widths. Screenshots go to artifacts/screenshots.
/// </summary>
public sealed partial class AccountJourneyTests
{
    [Fact]
    public async Task Register_ChangeSettings_TwoFactor_Logout_SignInAgain_AtDesktopAndPhoneWidths()
    {
        await using var app = await BrowserApp.StartAsync();
        List<string> recoveryCodes;

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 860, timeZone: "America/New_York");
        await using (desktopContext)
        {
            // An anonymous visit goes to log in, and on to sign-up, keeping where the person was going.
            await page.GotoAsync("/settings");
            await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome back" })).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "login-desktop");

            await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your account" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByLabel("Time zone")).ToHaveValueAsync("America/New_York");
            await page.GetByLabel("Email").FillAsync("ada@example.com");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestClient.Password);
            await page.GetByLabel("Confirm password").FillAsync(TestClient.Password);
            await BrowserApp.ScreenshotAsync(page, "register-desktop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/settings$"));
            await BrowserApp.WaitForInteractiveAsync(page);
            var zone = await app.Factory.WithDbAsync(db => db.Users.Select(u => u.TimeZoneId).SingleAsync());
            Assert.Equal("America/New_York", zone);

            // A setting on the interactive settings page.
            await page.GetByText("Imperial (lb, mi, °F)").ClickAsync();
            await page.GetByTestId("save-settings").ClickAsync();
            await Assertions.Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();
            Assert.Equal(UnitSystem.Imperial, await app.Factory.WithDbAsync(db => db.Users.Select(u => u.UnitSystem).SingleAsync()));
            await BrowserApp.ScreenshotAsync(page, "settings-desktop");

            // Two-factor sign-in, from the account pages (static, reached from the user menu).
            await OpenUserMenuAsync(page);
            await page.GetByText("Account and security", new() { Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Account and security" })).ToBeVisibleAsync();
            await page.GetByTestId("manage-nav").GetByRole(AriaRole.Link, new() { Name = "Two-factor authentication" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Add an authenticator app" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("authenticator-qr")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "two-factor-setup-desktop");
            var key = await page.GetByTestId("shared-key").TextContentAsync();
            await page.GetByLabel("Verification code").FillAsync(Totp.Code(key!, DateTimeOffset.UtcNow));
            await page.GetByRole(AriaRole.Button, new() { Name = "Verify and turn on" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("recovery-codes").Locator(".recovery-code")).ToHaveCountAsync(10);
            recoveryCodes = [.. (await page.GetByTestId("recovery-codes").Locator(".recovery-code").AllTextContentsAsync()).Select(c => c.Trim())];
            await BrowserApp.ScreenshotAsync(page, "recovery-codes-desktop");
            await page.GetByRole(AriaRole.Link, new() { Name = "I have saved them" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("two-factor-status")).ToHaveTextAsync("On");

            // Back in the app, log out through the user menu.
            await Assertions.Expect(page.GetByTestId("back-to-app")).ToHaveAttributeAsync("href", "./");
            await page.GotoAsync("/settings");
            await BrowserApp.WaitForInteractiveAsync(page);
            await OpenUserMenuAsync(page);
            await page.GetByTestId("logout").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());
            await page.GotoAsync("/settings");
            await Assertions.Expect(page).ToHaveURLAsync(LoginUrl());

            // Password, then the authenticator's code.
            await page.GetByLabel("Email").FillAsync("ada@example.com");
            await page.GetByLabel("Password").FillAsync(TestClient.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in" })).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "login-2fa-desktop");
            await page.GetByLabel("Authenticator code").FillAsync(Totp.Code(key!, DateTimeOffset.UtcNow));
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("/settings$"));
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("user-menu")).ToBeVisibleAsync();
            Assert.Empty(errors);
        }

        // A phone in dark mode, in another zone: sign-up proposes that zone; the 2FA and recovery pages fit the screen.
        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark, timeZone: "Europe/Berlin");
        await using (phoneContext)
        {
            await phone.GotoAsync("/Account/Register");
            // The device's first page already follows its dark setting (no cookie tells the server yet).
            var background = await phone.EvaluateAsync<int[]>("getComputedStyle(document.body).backgroundColor.match(/\\d+/g).slice(0, 3).map(Number)");
            Assert.True(background.Sum() < 150, $"Body background rgb({string.Join(',', background)}) is not dark.");
            await Assertions.Expect(phone.GetByLabel("Time zone")).ToHaveValueAsync("Europe/Berlin");
            await BrowserApp.ScreenshotAsync(phone, "register-phone");

            await phone.GotoAsync("/Account/Login?ReturnUrl=%2Fsettings");
            await BrowserApp.ScreenshotAsync(phone, "login-phone");
            await phone.GetByLabel("Email").FillAsync("ada@example.com");
            await phone.GetByLabel("Password").FillAsync(TestClient.Password);
            await phone.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

            var heading = phone.GetByRole(AriaRole.Heading, new() { Name = "Two-factor sign-in" });
            await Assertions.Expect(heading).ToBeInViewportAsync(new() { Ratio = 1 });
            await AssertFitsAsync(phone, phone.GetByLabel("Authenticator code"));
            await BrowserApp.ScreenshotAsync(phone, "login-2fa-phone");

            await phone.GetByRole(AriaRole.Link, new() { Name = "Log in with a recovery code" }).ClickAsync();
            await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "Use a recovery code" })).ToBeInViewportAsync(new() { Ratio = 1 });
            await AssertFitsAsync(phone, phone.GetByLabel("Recovery code"));
            await BrowserApp.ScreenshotAsync(phone, "login-recovery-phone");
            await phone.GetByLabel("Recovery code").FillAsync("AAAAA-BBBBB");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Assertions.Expect(phone.GetByText("That recovery code is not right")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(phone, "login-recovery-wrong-phone");
            await phone.GetByLabel("Recovery code").FillAsync(recoveryCodes[0]);
            await phone.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();

            await Assertions.Expect(phone).ToHaveURLAsync(new Regex("/settings$"));
            await BrowserApp.WaitForInteractiveAsync(phone);
            await BrowserApp.ScreenshotAsync(phone, "settings-phone");
            await phone.GotoAsync("/Account/Manage/TwoFactorAuthentication");
            await Assertions.Expect(phone.GetByTestId("recovery-codes-left")).ToHaveTextAsync("9 left");
            await BrowserApp.ScreenshotAsync(phone, "two-factor-phone");
            await phone.GotoAsync("/Account/Manage/EnableAuthenticator");
            await AssertFitsAsync(phone, phone.GetByTestId("authenticator-qr"));
            await BrowserApp.ScreenshotAsync(phone, "two-factor-setup-phone");

            await phone.GotoAsync("/settings");
            await BrowserApp.WaitForInteractiveAsync(phone);
            await OpenUserMenuAsync(phone);
            await phone.GetByTestId("logout").ClickAsync();
            await Assertions.Expect(phone).ToHaveURLAsync(LoginUrl());
            Assert.Empty(phoneErrors);
        }
    }

    private static async Task OpenUserMenuAsync(IPage page)
    {
        await page.GetByTestId("user-menu").GetByRole(AriaRole.Button).First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("logout")).ToBeVisibleAsync();
    }

    /// <summary>Inside the screen and wide enough to read and type in (the old code box was 30 px wide and the page scrolled sideways).</summary>
    private static async Task AssertFitsAsync(IPage page, ILocator element)
    {
        var box = await element.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width >= 200, $"Only {box.Width} px wide.");
        Assert.True(box.X >= 0 && box.X + box.Width <= 390, $"From {box.X} to {box.X + box.Width} px on a 390 px screen.");
        Assert.Equal(390, await page.EvaluateAsync<int>("document.documentElement.scrollWidth"));
    }

    [GeneratedRegex("/Account/Login")]
    private static partial Regex LoginUrl();
}
