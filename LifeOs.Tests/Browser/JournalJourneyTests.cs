using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>
/// Writing in the journal in a real browser: write with the live preview and word count, come back to a draft after
/// closing the tab, find the entry by search, read it. Long words never widen a phone's page. Screenshots at 1280
/// and 390 px, light and dark.
/// </summary>
public sealed class JournalJourneyTests
{
    private const string Email = "mira@example.com";
    private static readonly string LongWord = string.Concat(Enumerable.Repeat("Supercalifragilistic", 10));

    [Fact]
    public async Task WriteAnEntry_SeeThePreview_KeepADraft_FindItBySearch_AtDesktopAndPhoneWidths()
    {
        await using var app = await BrowserApp.StartAsync();
        // The app's clock is a fake one (25 November 2026); let it run, so the editor's pauses (preview, draft,
        // search as you type) pass as they do for a person.
        using var clock = new RunningClock(app.Factory.Time);

        var (desktopContext, page, errors) = await app.NewPageAsync(1280, 900);
        await using (desktopContext)
        {
            // Straight to the journal (the landing page has journeys of its own).
            await page.GotoAsync("/Account/Register?ReturnUrl=%2Fjournal");
            await page.GetByLabel("Email").FillAsync(Email);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync(TestClient.Password);
            await page.GetByLabel("Confirm password").FillAsync(TestClient.Password);
            await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await page.WaitForURLAsync("**/journal");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Your account ({Email})" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("journal-empty")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "journal-empty-desktop");

            // Write morning pages, as a person would: the count and the preview follow the typing.
            await page.GetByRole(AriaRole.Link, new() { Name = "Write morning pages" }).ClickAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
            await page.GetByLabel("Title (optional)").FillAsync("Fog over the harbour");
            await page.Locator("#journal-body").FillAsync(
                "Woke before the alarm. The harbour was under a thick **fog** and the ferries sounded like cellos.\n\n" +
                "## On my mind\n\n- Finish the *lighthouse* sketch\n- Call Jonas about the weekend\n\nThe coffee was too strong, which is to say perfect.");
            await Assertions.Expect(page.GetByTestId("editor-bar").GetByTestId("word-progress")).ToContainTextAsync("39 / 750 words");
            await Assertions.Expect(page.GetByTestId("preview-body").Locator("strong")).ToHaveTextAsync("fog");
            await Assertions.Expect(page.GetByTestId("preview-body").Locator("h2")).ToHaveTextAsync("On my mind");
            await page.GetByTestId("mood").GetByText("4", new() { Exact = true }).ClickAsync();
            await page.GetByTestId("energy").GetByText("3", new() { Exact = true }).ClickAsync();
            await page.GetByLabel("Tags").FillAsync("harbour, drawing");
            await Assertions.Expect(page.GetByTestId("draft-status")).ToContainTextAsync("Draft saved");
            await BrowserApp.ScreenshotAsync(page, "journal-editor-desktop");
            await page.GetByRole(AriaRole.Button, new() { Name = "Save entry" }).ClickAsync();
            await Assertions.Expect(page.GetByText("Entry saved.")).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("entry-title")).ToHaveTextAsync("Fog over the harbour");
            await Assertions.Expect(page.GetByTestId("entry-body").Locator("strong")).ToHaveTextAsync("fog");
            await Assertions.Expect(page.GetByTestId("word-progress")).ToContainTextAsync("39 / 750 words");
            Assert.Matches(@"/journal/\d+$", page.Url);

            // Nothing is lost when the tab closes: the next visit to that screen has the words back.
            var draftTab = await desktopContext.NewPageAsync();
            draftTab.PageError += (_, error) => errors.Add(error);
            await draftTab.GotoAsync("/journal/new?kind=note");
            await BrowserApp.WaitForInteractiveAsync(draftTab);
            await draftTab.Locator("#journal-body").FillAsync("A thought to finish later");
            await Assertions.Expect(draftTab.GetByTestId("draft-status")).ToContainTextAsync("Draft saved");
            await draftTab.CloseAsync();
            await page.GotoAsync("/journal/new?kind=note");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#journal-body")).ToHaveValueAsync("A thought to finish later");
            await Assertions.Expect(page.GetByTestId("draft-restored")).ToBeVisibleAsync();
            await page.GetByTestId("discard-draft").ClickAsync();
            await page.GetByTestId("confirm-ok").ClickAsync();
            await Assertions.Expect(page.Locator("#journal-body")).ToHaveValueAsync("");

            await SeedAsync(app);

            // Find it again by searching.
            await page.Locator(".side-nav").GetByRole(AriaRole.Link, new() { Name = "Journal", Exact = true }).ClickAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("entry")).ToHaveCountAsync(10);
            await BrowserApp.ScreenshotAsync(page, "journal-list-desktop");
            await page.GetByLabel("Search your journal").FillAsync("ferries cello");
            await page.GetByLabel("Search your journal").PressAsync("Enter");
            await Assertions.Expect(page.GetByTestId("entry")).ToHaveCountAsync(1);
            await Assertions.Expect(page.GetByTestId("snippet").Locator("mark").First).ToHaveTextAsync("ferries");
            Assert.Contains("q=ferries%20cello", page.Url, StringComparison.Ordinal);
            await BrowserApp.ScreenshotAsync(page, "journal-search-desktop");
            await page.GetByRole(AriaRole.Heading, new() { Name = "Fog over the harbour" }).ClickAsync();
            await Assertions.Expect(page.GetByTestId("entry-title")).ToHaveTextAsync("Fog over the harbour");
            await BrowserApp.ScreenshotAsync(page, "journal-entry-desktop");

            await page.GotoAsync("/journal/new?kind=weekly-review");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#journal-body")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("The week in numbers"));
            await Assertions.Expect(page.GetByTestId("week-warning")).ToBeVisibleAsync(); // the seeded review of last week
            await BrowserApp.ScreenshotAsync(page, "journal-weekly-review-desktop");
            Assert.True(errors.Count == 0, string.Join("\n", errors));
        }

        var (phoneContext, phone, phoneErrors) = await app.NewPageAsync(390, 844, ColorScheme.Dark);
        await using (phoneContext)
        {
            await LogInToJournalAsync(phone);
            await Assertions.Expect(phone.GetByTestId("entry").First).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(phone, "journal-list-phone-dark");
            await phone.GetByLabel("Search your journal").FillAsync("harbour");
            await Assertions.Expect(phone.GetByTestId("entry").First).ToContainTextAsync("Fog over the harbour"); // after the typing pause
            await BrowserApp.ScreenshotAsync(phone, "journal-search-phone-dark");
            await phone.GetByTestId("entry").First.Locator("a.entry-card-link").ClickAsync();
            await Assertions.Expect(phone.GetByTestId("entry-title")).ToHaveTextAsync("Fog over the harbour");
            await BrowserApp.ScreenshotAsync(phone, "journal-entry-phone-dark");

            // On a phone, writing and preview are tabs.
            await phone.GotoAsync("/journal/new?kind=morning-pages");
            await BrowserApp.WaitForInteractiveAsync(phone);
            await phone.Locator("#journal-body").FillAsync("Short **bold** note from the bus.");
            await Assertions.Expect(phone.GetByTestId("preview")).ToBeHiddenAsync();
            await phone.GetByTestId("tab-preview").ClickAsync();
            await Assertions.Expect(phone.GetByTestId("preview-body").Locator("strong")).ToHaveTextAsync("bold");
            await Assertions.Expect(phone.Locator("#journal-body")).ToBeHiddenAsync();
            await BrowserApp.ScreenshotAsync(phone, "journal-editor-preview-phone-dark");
            await phone.GetByTestId("tab-write").ClickAsync();
            await BrowserApp.ScreenshotAsync(phone, "journal-editor-phone-dark");
            Assert.True(phoneErrors.Count == 0, string.Join("\n", phoneErrors));
        }

        // A 200-character word wraps everywhere: nothing may widen a phone's page. Every page, light and dark.
        var longId = await LongWordEntryAsync(app);
        foreach (var (width, scheme) in new[] { (390, ColorScheme.Light), (390, ColorScheme.Dark), (1280, ColorScheme.Dark) })
        {
            var (context, tab, tabErrors) = await app.NewPageAsync(width, 844, scheme);
            await using (context)
            {
                await LogInToJournalAsync(tab);
                foreach (var (path, name) in new[]
                {
                    ("/journal", "list"), ($"/journal/{longId}", "long-entry"), ($"/journal/{longId}/edit", "long-editor"),
                    ("/journal?q=" + LongWord[..30], "long-search"), ("/journal?tag=averyveryveryverylongtagnameforwrapping1", "long-tag"),
                    ("/journal/new?kind=weekly-review", "weekly-review"), ("/journal/import", "import"), ("/journal/new?kind=nonsense", "unknown-kind"),
                })
                {
                    await tab.GotoAsync(path);
                    await BrowserApp.WaitForInteractiveAsync(tab);
                    await tab.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    var scrollWidth = await tab.EvaluateAsync<int>("document.documentElement.scrollWidth");
                    Assert.True(scrollWidth <= width, $"{path} at {width} px is {scrollWidth} px wide");
                    await BrowserApp.ScreenshotAsync(tab, $"journal-{name}-{width}-{scheme.ToString().ToLowerInvariant()}");
                }

                Assert.True(tabErrors.Count == 0, string.Join("\n", tabErrors));
            }
        }
    }

    /// <summary>Signs in and lands on the journal (the landing page has journeys of its own).</summary>
    private static async Task LogInToJournalAsync(IPage page)
    {
        await page.GotoAsync("/Account/Login?ReturnUrl=%2Fjournal");
        await page.GetByLabel("Email").FillAsync(Email);
        await page.GetByLabel("Password").FillAsync(TestClient.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/journal");
        await BrowserApp.WaitForInteractiveAsync(page);
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Your account ({Email})" })).ToBeVisibleAsync();
    }

    private static async Task<long> LongWordEntryAsync(BrowserApp app)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>()
            .JournalEntries.Where(e => e.Title == LongWord).Select(e => e.Id).SingleAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Moves a fake clock forward with real time, so the timers the app sets on it fire.</summary>
    private sealed class RunningClock : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task loop;

        public RunningClock(Microsoft.Extensions.Time.Testing.FakeTimeProvider time)
        {
            loop = Task.Run(async () =>
            {
                var step = TimeSpan.FromMilliseconds(50);
                while (!stop.IsCancellationRequested)
                {
                    await Task.Delay(step);
                    time.Advance(step);
                }
            });
        }

        public void Dispose()
        {
            stop.Cancel();
            loop.Wait(TimeSpan.FromSeconds(1));
            stop.Dispose();
        }
    }

    /// <summary>Real-looking entries written straight through the Core service: a week of kinds, tags and moods, and a 200-character word.</summary>
    private static async Task SeedAsync(BrowserApp app)
    {
        await using var scope = app.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>();
        var journal = scope.ServiceProvider.GetRequiredService<JournalService>();
        var userId = await db.Users.Where(u => u.Email == Email).Select(u => u.Id).SingleAsync();
        var today = await journal.TodayAsync(userId);
        var lastWeek = IsoWeek.Format(IsoWeek.Monday(today).AddDays(today.DayOfWeek is DayOfWeek.Monday or DayOfWeek.Tuesday or DayOfWeek.Wednesday ? -7 : 0));
        var entries = new (int DaysAgo, JournalKind Kind, string? Title, string Body, int? Mood, int? Energy, string Tags, string? Week)[]
        {
            (0, JournalKind.DailyReflection, "A good, quiet Wednesday", "## What went well\n\nLong lunch walk along the canal. Finished the quarterly report a day early.\n\n## What I learned\n\nBlocking the morning for deep work actually works.\n\n## What I will do tomorrow\n\nStart the slides for Friday.", 4, 4, "work, walks", null),
            (1, JournalKind.MorningPages, null, string.Join(" ", Enumerable.Repeat("Slept badly, but the light through the kitchen window was lovely and the bread rose overnight.", 40)), 3, 2, "sleep, baking", null),
            (1, JournalKind.Note, "Book list from Ana", "- *The Overstory*\n- *Piranesi*\n- *A Psalm for the Wild-Built*", null, null, "books", null),
            (2, JournalKind.MorningPages, "Rain again", "Rain on the skylight all morning. I wrote about the move, and about why I keep postponing the call to Dad.", 2, 2, "family", null),
            (3, JournalKind.DailyReflection, null, "## What went well\n\nClimbing session: finally sent the blue overhang.\n\n## What I learned\n\nRest days matter.", 5, 4, "climbing", null),
            (5, JournalKind.WeeklyReview, "Week in review", "## Wins\n\nShipped the export feature.\n\n## Challenges\n\nToo many meetings.", 4, 3, "work", lastWeek),
            (30, JournalKind.MorningPages, "A month ago", "First snow of the year in the hills.", 4, 3, "seasons", null),
            (365, JournalKind.Note, "Last year", "Moved into the new flat today. Boxes everywhere.", 5, 2, "home", null),
            (4, JournalKind.Note, LongWord, $"A very long word: {LongWord} and a link https://example.com/{LongWord}\n\n| word | note |\n|---|---|\n| {LongWord} | wraps |", 3, 3, "averyveryveryverylongtagnameforwrapping1", null),
        };
        foreach (var e in entries)
        {
            var date = e.DaysAgo == 30 ? today.AddMonths(-1) : e.DaysAgo == 365 ? today.AddYears(-1) : today.AddDays(-e.DaysAgo);
            var result = await journal.CreateAsync(userId, new JournalEntryInput(e.Kind, date, e.Week, e.Title, e.Body, e.Mood, e.Energy, e.Tags));
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        }
    }
}
