using LifeOs.Tests.TestSupport;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// The app works under its own Content-Security-Policy: every page, interactive and static, with its charts and
/// dialogs, without a single blocked resource (BrowserApp fails any journey on a violation); and the policy
/// really blocks what it should, so that check can fail.
/// </summary>
public sealed class ContentSecurityPolicyTests
{
    [Fact]
    public async Task EveryPage_RunsUnderThePolicy_AndAnInjectedScriptIsBlocked()
    {
        // Registration as a fresh install has it: invite-only once this first account exists.
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:Registration"] = null });
        var (context, page, errors) = await app.NewPageAsync(1280, 860);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "csp@example.com");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));
            foreach (var path in new[] { "/", "/journal", "/journal/new?kind=reflection", "/metrics", "/metrics/weight", "/metrics/import", "/goals", "/goals/new", "/integrations", "/settings", "/admin" })
            {
                await page.GotoAsync(path);
                await BrowserApp.WaitForInteractiveAsync(page);
            }

            // The administrator adds a person (the first account is the administrator): a dialog-free form and the one-time link.
            await page.GotoAsync("/admin");
            await BrowserApp.WaitForInteractiveAsync(page);
            await page.Locator("input[data-testid=create-user-email]").FillAsync("grandma@example.com");
            await page.GetByTestId("create-user").ClickAsync();
            await Assertions.Expect(page.GetByTestId("one-time-link")).ToContainTextAsync("Created an account for grandma@example.com");
            await BrowserApp.ScreenshotAsync(page, "admin-created-desktop");
            await page.GetByLabel("Actions for grandma@example.com").ClickAsync();
            await Assertions.Expect(page.GetByTestId("action-disable")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "admin-menu-desktop");
            await page.Keyboard.PressAsync("Escape");
            await page.SetViewportSizeAsync(390, 844);
            await BrowserApp.ScreenshotAsync(page, "admin-phone");
            await page.SetViewportSizeAsync(1280, 860);

            // An invitation: the link shown once, the list, and the register page it opens (in a browser with no session).
            await page.Locator("input[data-testid=invitation-email]").FillAsync("friend@example.com");
            await page.GetByTestId("create-invitation").ClickAsync();
            await Assertions.Expect(page.GetByTestId("invitation-link")).ToContainTextAsync("Send this link to friend@example.com");
            await page.GetByTestId("admin-invitations").ScrollIntoViewIfNeededAsync();
            await BrowserApp.ScreenshotAsync(page, "admin-invitation-desktop");
            var invitationUrl = await page.Locator("input[data-testid=invitation-link-url]").InputValueAsync();
            var (guestContext, guest, guestErrors) = await app.NewPageAsync(390, 844);
            await using (guestContext)
            {
                await guest.GotoAsync(invitationUrl);
                await Assertions.Expect(guest.Locator("input[name='Input.Email']")).ToHaveValueAsync("friend@example.com");
                await BrowserApp.ScreenshotAsync(guest, "register-invited-phone");
                await guest.GotoAsync("/Account/Register");
                await Assertions.Expect(guest.GetByTestId("registration-closed")).ToBeVisibleAsync();
                await BrowserApp.ScreenshotAsync(guest, "register-invite-only-phone");
                Assert.Empty(guestErrors);
            }

            // A static account page with its QR code. (Charts are drawn under the policy in DashboardBrowserTests.)
            await page.GotoAsync("/Account/Manage/EnableAuthenticator");
            await Assertions.Expect(page.Locator("[data-testid=authenticator-qr] svg")).ToBeVisibleAsync();
            Assert.True(app.CspViolations.IsEmpty, string.Join("\n", app.CspViolations));
            Assert.Empty(errors);

            // An injected inline script does not run, and the violation is reported.
            await page.GotoAsync("/settings");
            await BrowserApp.WaitForInteractiveAsync(page);
            var reported = page.WaitForConsoleMessageAsync(new() { Predicate = m => m.Text.Contains("CSP violation", StringComparison.Ordinal) });
            var ran = await page.EvaluateAsync<bool>("""
                () => new Promise(resolve => {
                    document.addEventListener('securitypolicyviolation', () => setTimeout(() => resolve(window.injected === true), 0), { once: true });
                    const script = document.createElement('script');
                    script.textContent = 'window.injected = true';
                    document.body.appendChild(script);
                })
                """);
            Assert.False(ran);
            await reported;
            Assert.Contains(app.CspViolations, v => v.Contains("script-src", StringComparison.Ordinal));
            app.CspViolations.Clear();
        }
    }
}
