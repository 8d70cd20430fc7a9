using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>What a person does in a real browser: register, log in, change settings, log out. Saves screenshots to artifacts/screenshots.</summary>
public sealed class AccountJourneyTests
{
    [Fact]
    public async Task Register_Login_ChangeSettings_Logout_AtDesktopAndPhoneWidths()
    {
        await using var app = await BrowserApp.StartAsync();

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 860);
        await using (desktopContext)
        {
            await page.GotoAsync("/");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
            await BrowserApp.ScreenshotAsync(page, "login-desktop");

            await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your account" })).ToBeVisibleAsync();
            await page.GetByLabel("Email").FillAsync("ada@example.com");
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync("Correct-Horse-9");
            await page.GetByLabel("Confirm password").FillAsync("Correct-Horse-9");
            await BrowserApp.ScreenshotAsync(page, "register-desktop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();

            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("ada@example.com");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true })).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "shell-desktop");

            // Log out, then log in again.
            await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
            await page.GetByLabel("Email").FillAsync("ada@example.com");
            await page.GetByLabel("Password").FillAsync("Correct-Horse-9");
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("ada@example.com");

            // Change settings.
            await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
            await page.GetByLabel("Time zone").SelectOptionAsync("Europe/Amsterdam");
            await page.GetByLabel("My day starts at").SelectOptionAsync("3");
            await page.GetByLabel("Imperial (lb, mi, °F)").CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Settings saved.");
            await Assertions.Expect(page.GetByLabel("Time zone")).ToHaveValueAsync("Europe/Amsterdam");
            await BrowserApp.ScreenshotAsync(page, "settings-desktop");
            var saved = await app.Factory.WithDbAsync(db => db.Users.Select(u => new { u.TimeZoneId, u.DayStartHour, u.UnitSystem }).SingleAsync());
            Assert.Equal(("Europe/Amsterdam", 3, LifeOs.Core.Accounts.UnitSystem.Imperial), (saved.TimeZoneId, saved.DayStartHour, saved.UnitSystem));

            // Log a few measurements (imperial now).
            await page.GetByRole(AriaRole.Link, new() { Name = "Measurements", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("no-measurements")).ToBeVisibleAsync();
            foreach (var (metric, value, when) in new[] { ("weight", "165.4", "2026-11-23T07:05"), ("systolic_bp", "121", "2026-11-23T07:10"), ("diastolic_bp", "79", "2026-11-23T07:10"), ("weight", "164.8", "2026-11-24T07:02") })
            {
                await page.GetByLabel("Metric").SelectOptionAsync(metric);
                await page.GetByLabel("Value").FillAsync(value);
                await page.GetByLabel("Date and time").FillAsync(when);
                await page.GetByRole(AriaRole.Button, new() { Name = "Add measurement" }).ClickAsync();
                await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Measurement added.");
            }

            await Assertions.Expect(page.GetByTestId("measurements-table")).ToContainTextAsync("164.8 lb");
            await BrowserApp.ScreenshotAsync(page, "metrics-desktop");

            // Correct a typo: the first weigh-in was 156.4, not 165.4.
            await page.GetByRole(AriaRole.Link, new() { Name = "Edit Weight of 2026-11-23 07:05" }).ClickAsync();
            await Assertions.Expect(page.GetByLabel("Value")).ToHaveValueAsync("165.4");
            await BrowserApp.ScreenshotAsync(page, "metrics-edit-desktop");
            await page.GetByLabel("Value").FillAsync("156.4");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Measurement updated.");
            await Assertions.Expect(page.GetByTestId("measurements-table")).ToContainTextAsync("156.4 lb");

            // Prefer typed-in body readings over the scale.
            await page.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true }).ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Move Typed in up for Body" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Source order for body saved");
            await page.GetByRole(AriaRole.Button, new() { Name = "Move Typed in up for Body" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("priority-Body").Locator(".priority-name").First).ToHaveTextAsync("Typed in");
            await BrowserApp.ScreenshotAsync(page, "settings-sources-desktop");

            // Moving to Los Angeles puts the 07:00 Amsterdam readings on the evening before; moving back restores them.
            await page.GetByLabel("Time zone").SelectOptionAsync("America/Los_Angeles");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Settings saved. 4 measurements moved to the day they now fall on.");
            await BrowserApp.ScreenshotAsync(page, "settings-timezone-moved-desktop");
            await page.GotoAsync("/metrics");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Edit Weight of 2026-11-23 22:02" })).ToBeVisibleAsync();
            await page.GotoAsync("/settings");
            await page.GetByLabel("Time zone").SelectOptionAsync("Europe/Amsterdam");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("4 measurements moved");

            await page.GetByRole(AriaRole.Link, new() { Name = "Admin", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("users-table")).ToContainTextAsync("ada@example.com");
            await BrowserApp.ScreenshotAsync(page, "admin-desktop");

            await page.GotoAsync("/Account/Manage/EnableAuthenticator");
            await Assertions.Expect(page.GetByTestId("authenticator-qr")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "two-factor-desktop");

            await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
            await page.GotoAsync("/settings");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Login"));
            Assert.Empty(errors);
        }

        // Phone width: the menu opens without any script, and dark mode follows the OS.
        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await phone.GotoAsync("/Account/Login");
            await BrowserApp.ScreenshotAsync(phone, "login-phone");
            await phone.GotoAsync("/Account/Register");
            await BrowserApp.ScreenshotAsync(phone, "register-phone");
            await phone.GotoAsync("/Account/Login");
            await phone.GetByLabel("Email").FillAsync("ada@example.com");
            await phone.GetByLabel("Password").FillAsync("Correct-Horse-9");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
            await Assertions.Expect(phone.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(phone, "shell-phone");

            var settingsLink = phone.GetByRole(AriaRole.Link, new() { Name = "Settings", Exact = true });
            await Assertions.Expect(settingsLink).Not.ToBeInViewportAsync();
            await phone.GetByTitle("Menu").ClickAsync();
            await Assertions.Expect(settingsLink).ToBeInViewportAsync();
            await BrowserApp.ScreenshotAsync(phone, "menu-phone");
            await settingsLink.ClickAsync();
            await Assertions.Expect(phone.GetByLabel("Time zone")).ToHaveValueAsync("Europe/Amsterdam");
            await BrowserApp.ScreenshotAsync(phone, "settings-phone");
            await phone.GotoAsync("/metrics");
            await BrowserApp.ScreenshotAsync(phone, "metrics-phone");
            await phone.GetByRole(AriaRole.Link, new() { Name = "Edit Weight of 2026-11-24 07:02" }).ClickAsync();
            await BrowserApp.ScreenshotAsync(phone, "metrics-edit-phone");
            await phone.GotoAsync("/admin");
            await BrowserApp.ScreenshotAsync(phone, "admin-phone");
            await phone.GotoAsync("/settings");
            await phone.GetByLabel("Time zone").SelectOptionAsync("America/Los_Angeles");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Save settings" }).ClickAsync();
            await Assertions.Expect(phone.GetByRole(AriaRole.Alert)).ToContainTextAsync("4 measurements moved");
            await BrowserApp.ScreenshotAsync(phone, "settings-timezone-moved-phone");
            Assert.Empty(phoneErrors);
        }
    }
}
