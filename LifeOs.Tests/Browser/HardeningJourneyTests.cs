using LifeOs.Core.Work;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>What a person sees of the hardening work: their security activity, the administrator's log, and long work followed on the page.</summary>
public sealed class HardeningJourneyTests
{
    [Fact]
    public async Task SecurityActivity_AdminActivity_AndWorkInProgress_ReadWellOnDesktopAndPhone()
    {
        await using var app = await BrowserApp.StartAsync();
        var (context, page, errors) = await app.NewPageAsync(1280, 860);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "admin@example.com");
            await page.GotoAsync("/admin");
            await BrowserApp.WaitForInteractiveAsync(page);
            await page.Locator("input[data-testid=create-user-email]").FillAsync("grandma@example.com");
            await page.GetByTestId("create-user").ClickAsync();
            await Assertions.Expect(page.GetByTestId("admin-activity-row")).ToHaveCountAsync(1);
            await page.GetByTestId("admin-activity").ScrollIntoViewIfNeededAsync();
            await BrowserApp.ScreenshotAsync(page, "admin-activity-desktop");

            // A mistyped password, then the right one: both show on the person's own page.
            await page.GotoAsync("/Account/Manage/PersonalData");
            await page.Context.ClearCookiesAsync();
            await page.GotoAsync("/Account/Login");
            await page.Locator("input[name='Input.Email']").FillAsync("admin@example.com");
            await page.Locator("input[name='Input.Password']").FillAsync("Wrong-Horse-1");
            await page.Locator("button[type=submit]").ClickAsync();
            await BrowserApp.LogInAsync(page, "admin@example.com");
            await page.GotoAsync("/Account/Manage/Activity");
            await Assertions.Expect(page.GetByTestId("activity")).ToHaveCountAsync(2);
            await Assertions.Expect(page.GetByTestId("activity").Nth(1)).ToContainTextAsync("Sign-in failed");
            await BrowserApp.ScreenshotAsync(page, "security-activity-desktop");
            await page.SetViewportSizeAsync(390, 844);
            await BrowserApp.ScreenshotAsync(page, "security-activity-phone");

            // A time zone change over years of data, half done: the settings page follows it.
            var userId = await app.Factory.WithDbAsync(db => db.Users.Where(u => u.Email == "admin@example.com").Select(u => u.Id).SingleAsync());
            await app.Factory.WithDbAsync(async db =>
            {
                db.BackgroundWork.Add(new BackgroundWork { UserId = userId, Kind = WorkKind.Redate, Status = WorkStatus.Running, Done = 1_184_400, Total = 2_630_880, CreatedAt = DateTime.UtcNow });
                return await db.SaveChangesAsync();
            });
            await page.GotoAsync("/settings");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("work-progress")).ToContainTextAsync("45%");
            await BrowserApp.ScreenshotAsync(page, "settings-work-progress-phone");
            await page.SetViewportSizeAsync(1280, 860);
            await BrowserApp.ScreenshotAsync(page, "settings-work-progress-desktop");
            Assert.True(app.CspViolations.IsEmpty, string.Join("\n", app.CspViolations));
            Assert.Empty(errors);
        }
    }
}
