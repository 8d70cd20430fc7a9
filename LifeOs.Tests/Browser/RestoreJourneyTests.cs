using System.Text.RegularExpressions;
using LifeOs.Core.Accounts;
using LifeOs.Core.Export;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// Restoring an export in a real browser: a bad file refused, an export previewed with its counts and settings, restored into a new
/// account and summarised. Screenshots at 1280 and 390 px, light and dark.
/// </summary>
public sealed class RestoreJourneyTests
{
    private static readonly DateTime Day = new(2026, 11, 20, 7, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task AnExport_IsPreviewed_Restored_AndSummarised_OnDesktopAndPhone()
    {
        await using var app = await BrowserApp.StartAsync(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" });
        var export = await SeededExportAsync(app.Factory);

        var (desktop, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktop)
        {
            await BrowserApp.RegisterAsync(page, "copy@example.com");
            await Assertions.Expect(page).Not.ToHaveURLAsync(new Regex("/Account/"));
            await page.GotoAsync("/data/restore");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Restore from an export" })).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "restore-empty-desktop");

            await BrowserApp.ChooseFileAsync(page.Locator("input[type=file]").Last, new FilePayload { Name = "notes.zip", MimeType = "application/zip", Buffer = "not a zip"u8.ToArray() });
            await Assertions.Expect(page.GetByTestId("restore-errors")).ToContainTextAsync("This file is not a zip.");
            await BrowserApp.ScreenshotAsync(page, "restore-refused-desktop");

            await BrowserApp.ChooseFileAsync(page.Locator("input[type=file]").Last, new FilePayload { Name = "lifeos-export.zip", MimeType = "application/zip", Buffer = export });
            await Assertions.Expect(page.GetByTestId("restore-preview").Locator("tr[data-part=Measurements] td")).ToHaveTextAsync("30");
            await Assertions.Expect(page.GetByTestId("restore-settings")).ToContainTextAsync("time zone America/New_York");
            await Assertions.Expect(page.GetByLabel("Use these settings instead of this account's")).ToBeCheckedAsync();
            await BrowserApp.ScreenshotAsync(page, "restore-preview-desktop");

            await page.GetByTestId("restore-button").ClickAsync();
            await Assertions.Expect(page.GetByTestId("restore-result").Locator("tr[data-part=Measurements] td").First).ToHaveTextAsync("30");
            await Assertions.Expect(page.GetByTestId("restore-result")).ToContainTextAsync("data and settings are in this account");
            await BrowserApp.ScreenshotAsync(page, "restore-done-desktop");
            Assert.Equal(30, await app.Factory.WithDbAsync(db => db.Samples.CountAsync(s => db.UserNumbers.Any(n => n.Number == s.UserNumber && db.Users.Any(u => u.Id == n.UserId && u.Email == "copy@example.com")))));
            Assert.Empty(errors);
        }

        foreach (var (width, height, scheme, name) in new[] { (1280, 900, ColorScheme.Dark, "desktop-dark"), (390, 844, ColorScheme.Light, "phone"), (390, 844, ColorScheme.Dark, "phone-dark") })
        {
            var (context, signingIn, pageErrors) = await app.NewPageAsync(width, height, scheme);
            await using (context)
            {
                await BrowserApp.LogInAsync(signingIn, "copy@example.com");
                await Assertions.Expect(signingIn).Not.ToHaveURLAsync(new Regex("/Account/"));
                await signingIn.GotoAsync("/data/restore");
                await BrowserApp.WaitForInteractiveAsync(signingIn);
                await BrowserApp.ChooseFileAsync(signingIn.Locator("input[type=file]").Last, new FilePayload { Name = "lifeos-export.zip", MimeType = "application/zip", Buffer = export });
                // The account is in use now: it keeps its settings unless asked. (The preview reads the whole zip first: on two
                // busy cores, with the rest of the suite running, it once took longer than Playwright's 5 s.)
                await Assertions.Expect(signingIn.GetByLabel("Use these settings instead of this account's")).Not.ToBeCheckedAsync(new() { Timeout = 20_000 });
                await BrowserApp.ScreenshotAsync(signingIn, $"restore-preview-{name}");
                await signingIn.GetByTestId("restore-button").ClickAsync();
                await Assertions.Expect(signingIn.GetByTestId("restore-result").Locator("tr[data-part=Measurements] td").Nth(1)).ToHaveTextAsync("30");
                await BrowserApp.ScreenshotAsync(signingIn, $"restore-done-{name}");
                Assert.Empty(pageErrors);
            }
        }
    }

    /// <summary>An account with a month of weights and steps, a workout, a goal, a journal entry and a draft, its own settings; its export.</summary>
    private static async Task<byte[]> SeededExportAsync(LifeOsAppFactory factory)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = factory.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var user = new ApplicationUser { UserName = "ada@example.com", Email = "ada@example.com" };
        Assert.True((await services.GetRequiredService<UserManager<ApplicationUser>>().CreateAsync(user, "Correct-Horse-42")).Succeeded);
        await services.GetRequiredService<UserSettingsService>().UpdateAsync(user.Id, new UserSettings("America/New_York", UnitSystem.Imperial, 4), ct);
        await services.GetRequiredService<HealthStore>().UpsertSamplesAsync(user.Id, [.. Enumerable.Range(0, 15).SelectMany(i => new[]
        {
            new SampleInput("weight", SampleSource.Withings, $"w{i}", Day.AddDays(-i), 70 + i % 3 * 0.4),
            new SampleInput("steps", SampleSource.Oura, $"s{i}", Day.AddDays(-i), 6000 + i * 300),
        })], ct);
        await services.GetRequiredService<WorkoutStore>().UpsertAsync(user.Id,
            [new WorkoutInput(SampleSource.Oura, "ride", "cycling", Day, Day.AddHours(1), DateOnly.FromDateTime(Day), 420, 21_000)], ct);
        var db = services.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>();
        db.Add(new Goal { UserId = user.Id, Name = "Walk", Kind = GoalKind.DailyTarget, MetricCode = "steps", Comparison = Comparison.AtLeast, Target = 8000, StartDate = new DateOnly(2026, 11, 1), CreatedAt = Day });
        await db.SaveChangesAsync(ct);
        await services.GetRequiredService<JournalService>().CreateAsync(user.Id,
            new JournalEntryInput(JournalKind.DailyReflection, DateOnly.FromDateTime(Day), null, "A day", "A long walk by the river.", 4, null, "walk"), ct);
        await services.GetRequiredService<JournalDraftService>().SaveAsync(user.Id, JournalDraftTarget.New(JournalKind.Note),
            new JournalEntryInput(JournalKind.Note, null, null, null, "Half a thought", null, null, null), ct);
        using var zip = new MemoryStream();
        await services.GetRequiredService<UserDataExportService>().WriteZipAsync(user.Id, zip, ct);
        return zip.ToArray();
    }
}
