using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>Writing in the journal in a real browser: write, find it by search, read it. Screenshots at 1280 px light and 390 px dark.</summary>
public sealed class JournalJourneyTests
{
    [Fact]
    public async Task WriteAnEntry_FindItBySearch_AtDesktopAndPhoneWidths()
    {
        await using var app = await BrowserApp.StartAsync();

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            await BrowserApp.RegisterAsync(page, "mira@example.com");
            await Assertions.Expect(page.GetByTestId("user-name")).ToHaveTextAsync("mira@example.com");

            await page.Locator(".side-nav").GetByRole(AriaRole.Link, new() { Name = "Journal", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("journal-empty")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "journal-empty-desktop");

            // Write morning pages through the form, as a person would.
            await page.GetByRole(AriaRole.Link, new() { Name = "Write morning pages" }).ClickAsync();
            await page.GetByLabel("Title").FillAsync("Fog over the harbour");
            await page.GetByLabel("Entry", new() { Exact = true }).FillAsync(
                "Woke before the alarm. The harbour was under a thick **fog** and the ferries sounded like cellos.\n\n" +
                "## On my mind\n\n- Finish the *lighthouse* sketch\n- Call Jonas about the weekend\n\nThe coffee was too strong, which is to say perfect.");
            // The live count (a small module) agrees with the server's count after saving.
            await Assertions.Expect(page.GetByTestId("word-progress")).ToContainTextAsync("39 / 750 words");
            await page.Locator("label.scale-option:has(input[name='Input.Mood'][value='4'])").ClickAsync();
            await page.Locator("label.scale-option:has(input[name='Input.Energy'][value='3'])").ClickAsync();
            await page.GetByLabel("Tags").FillAsync("harbour, drawing");
            await BrowserApp.ScreenshotAsync(page, "journal-editor-desktop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Entry saved.");
            await Assertions.Expect(page.GetByTestId("entry-title")).ToHaveTextAsync("Fog over the harbour");
            await Assertions.Expect(page.GetByTestId("entry-body").Locator("strong")).ToHaveTextAsync("fog");
            await Assertions.Expect(page.GetByTestId("word-progress")).ToContainTextAsync("39 / 750 words");

            await SeedAsync(app, "mira@example.com");
            await BrowserApp.ScreenshotAsync(page, "journal-entry-desktop");

            // Find it again by searching.
            await page.Locator(".side-nav").GetByRole(AriaRole.Link, new() { Name = "Journal", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("entry")).ToHaveCountAsync(9);
            await BrowserApp.ScreenshotAsync(page, "journal-list-desktop");
            await page.GetByLabel("Search your journal").FillAsync("ferries cello");
            await page.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("entry")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("snippet").Locator("mark").First).ToHaveTextAsync("ferries");
            await BrowserApp.ScreenshotAsync(page, "journal-search-desktop");
            await page.GetByRole(AriaRole.Link, new() { Name = "Fog over the harbour" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("entry-title")).ToHaveTextAsync("Fog over the harbour");

            await page.GotoAsync("/journal/new?kind=weekly-review");
            await Assertions.Expect(page.GetByLabel("Entry", new() { Exact = true })).ToContainTextAsync("The week in numbers");
            await BrowserApp.ScreenshotAsync(page, "journal-weekly-review-desktop");
            Assert.Empty(errors);
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await BrowserApp.LogInAsync(phone, "mira@example.com");
            await Assertions.Expect(phone.GetByTestId("user-name")).ToBeAttachedAsync();
            await phone.GotoAsync("/journal");
            await Assertions.Expect(phone.GetByTestId("entry").First).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(phone, "journal-list-phone");
            await phone.GetByLabel("Search your journal").FillAsync("harbour");
            await phone.GetByRole(AriaRole.Button, new() { Name = "Search", Exact = true }).ClickAsync();
            await Assertions.Expect(phone.GetByTestId("entry").First).ToContainTextAsync("Fog over the harbour");
            await BrowserApp.ScreenshotAsync(phone, "journal-search-phone");
            await phone.GetByTestId("entry").First.Locator("a.entry-card-link").ClickAsync();
            await BrowserApp.ScreenshotAsync(phone, "journal-entry-phone");
            await phone.GotoAsync("/journal/new?kind=morning-pages");
            await BrowserApp.ScreenshotAsync(phone, "journal-editor-phone");
            Assert.Empty(phoneErrors);
        }
    }

    /// <summary>A week of real-looking entries, written straight through the Core service.</summary>
    private static async Task SeedAsync(BrowserApp app, string email)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>();
        var journal = scope.ServiceProvider.GetRequiredService<JournalService>();
        var userId = await db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync();
        var entries = new (int DaysAgo, JournalKind Kind, string? Title, string Body, int? Mood, int? Energy, string Tags)[]
        {
            (0, JournalKind.DailyReflection, "A good, quiet Wednesday", "## What went well\n\nLong lunch walk along the canal. Finished the quarterly report a day early.\n\n## What I learned\n\nBlocking the morning for deep work actually works.\n\n## What I will do tomorrow\n\nStart the slides for Friday.", 4, 4, "work, walks"),
            (1, JournalKind.MorningPages, null, string.Join(" ", Enumerable.Repeat("Slept badly, but the light through the kitchen window was lovely and the bread rose overnight.", 40)), 3, 2, "sleep, baking"),
            (1, JournalKind.Note, "Book list from Ana", "- *The Overstory*\n- *Piranesi*\n- *A Psalm for the Wild-Built*", null, null, "books"),
            (2, JournalKind.MorningPages, "Rain again", "Rain on the skylight all morning. I wrote about the move, and about why I keep postponing the call to Dad.", 2, 2, "family"),
            (3, JournalKind.DailyReflection, null, "## What went well\n\nClimbing session: finally sent the blue overhang.\n\n## What I learned\n\nRest days matter.", 5, 4, "climbing"),
            (5, JournalKind.WeeklyReview, "Week 47", "## Wins\n\nShipped the export feature.\n\n## Challenges\n\nToo many meetings.", 4, 3, "work"),
            (30, JournalKind.MorningPages, "A month ago", "First snow of the year in the hills.", 4, 3, "seasons"),
            (365, JournalKind.Note, "Last year", "Moved into the new flat today. Boxes everywhere.", 5, 2, "home"),
        };
        var today = await journal.TodayAsync(userId);
        foreach (var e in entries)
        {
            var date = e.DaysAgo == 30 ? today.AddMonths(-1) : e.DaysAgo == 365 ? today.AddYears(-1) : today.AddDays(-e.DaysAgo);
            var result = await journal.CreateAsync(userId, new JournalEntryInput(e.Kind, date, null, e.Title, e.Body, e.Mood, e.Energy, e.Tags));
            Assert.True(result.Succeeded);
        }
    }
}
