using Bunit;
using LifeOs.Core.Journal;
using LifeOs.Web.Components.Pages.Journal;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Extensions;

namespace LifeOs.Tests.Components.Journal;

public sealed class JournalEditorPageTests : JournalTestContext
{
    private static void Type(IRenderedComponent<JournalEditorPage> page, string inputId, string text) =>
        page.WaitForElement($"#{inputId}").Input(text);

    private static Task PickAsync(IRenderedComponent<JournalEditorPage> page, int group, int? value) =>
        page.InvokeAsync(() => page.FindComponents<MudToggleGroup<int?>>()[group].Instance.ValueChanged.InvokeAsync(value));

    private static Task DateAsync(IRenderedComponent<JournalEditorPage> page, DateOnly date) =>
        page.InvokeAsync(() => page.FindComponent<MudDatePicker>().Instance.DateChanged.InvokeAsync(date.ToDateTime(TimeOnly.MinValue)));

    private static Task SaveAsync(IRenderedComponent<JournalEditorPage> page) =>
        page.Find("[data-testid=save-entry]").ClickAsync(new());

    private static string Body(IRenderedComponent<JournalEditorPage> page) => page.Find("#journal-body").TextContent;

    /// <summary>The message shown under a MudBlazor field (by its input id), or under a 1–5 scale (by its test id).</summary>
    private static string FieldError(IRenderedComponent<JournalEditorPage> page, string field) =>
        field.StartsWith('#')
            ? page.Find(field).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error, .mud-input-error .mud-input-helper-text, .mud-input-helper-text")?.TextContent ?? ""
            : page.Find($"[data-testid={field}]").Closest(".scale-field")?.QuerySelector(".field-error, .validation-message")?.TextContent ?? "";

    private string WordProgress(IRenderedComponent<JournalEditorPage> page) =>
        page.Find("[data-testid=editor-bar] [data-testid=word-progress]").TextContent;

    [Fact]
    public async Task Create_MorningPages_CountsWordsAsYouType_AndOpensTheRenderedEntry()
    {
        await SignInAsNewUserAsync("writer@example.com");
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=morning-pages");
        Assert.Equal("25 Nov 2026", page.WaitForElement("#journal-date").GetAttribute("value"));
        Assert.Contains("0 / 750 words", WordProgress(page), StringComparison.Ordinal);

        Type(page, "journal-title", "First pages");
        Type(page, "journal-body", "## Up early\n\nThe **kettle** sang.");
        page.WaitForAssertion(() => Assert.Contains("5 / 750 words", WordProgress(page), StringComparison.Ordinal));
        await PickAsync(page, 0, 4);
        await PickAsync(page, 1, 3);
        Type(page, "journal-tags", " coffee , Coffee, #mornings ");
        await SaveAsync(page);

        var saved = await WithDbAsync(db => db.JournalEntries.SingleAsync());
        Assert.Equal((JournalKind.MorningPages, Today, "First pages", 4, 3, 5, "coffee\nmornings"), (saved.Kind, saved.LocalDate, saved.Title, saved.Mood!.Value, saved.Energy!.Value, saved.WordCount, saved.Tags));
        Assert.Equal($"journal/{saved.Id}", Location);
        Snackbars.WaitForAssertion(() => Assert.Contains("Entry saved.", SnackbarMessages()));

        var entry = RenderAt<JournalEntryPage>(Location, p => p.Add(e => e.Id, saved.Id));
        entry.WaitForAssertion(() => Assert.Equal("First pages", entry.Find("[data-testid=entry-title]").TextContent));
        Assert.Equal("kettle", entry.Find("[data-testid=entry-body] h2 + p strong").TextContent);
        Assert.Contains("5 / 750 words", entry.Find("[data-testid=word-progress]").TextContent, StringComparison.Ordinal);
        Assert.Equal(["#coffee", "#mornings"], entry.FindAll("[data-testid=tags] [data-testid=tag]").Select(a => a.TextContent));
        Assert.Contains("25 Nov 2026, 09:30", entry.Find("[data-testid=created]").TextContent, StringComparison.Ordinal);
        Assert.Empty(entry.FindAll("[data-testid=updated]"));
    }

    [Fact]
    public async Task Preview_RendersTheMarkdownAMomentAfterTyping_WithRawHtmlAsText()
    {
        await SignInAsNewUserAsync("previewer@example.com");
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=note");
        Assert.Contains("Nothing to preview yet", page.WaitForElement("[data-testid=preview]").TextContent, StringComparison.Ordinal);

        Type(page, "journal-body", "## Plan\n\n- **bread**\n- [site](javascript:alert(1))\n\n<script>alert('x')</script>");
        Assert.DoesNotContain("bread", page.Find("[data-testid=preview]").TextContent, StringComparison.Ordinal); // not on every keystroke
        Time.Advance(TimeSpan.FromMilliseconds(300));

        page.WaitForAssertion(() => Assert.Equal("bread", page.Find("[data-testid=preview-body] li strong").TextContent));
        var preview = page.Find("[data-testid=preview-body]");
        Assert.Equal("Plan", preview.QuerySelector("h2")?.TextContent);
        Assert.Equal("#", preview.QuerySelector("a")?.GetAttribute("href"));
        Assert.Empty(preview.QuerySelectorAll("script"));
        Assert.Contains("<script>alert('x')</script>", preview.TextContent, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { "body", "   ", "Write something first" },
        { "body", new string('a', 100_001), "up to 100,000 characters" },
        { "tags", string.Join(",", Enumerable.Range(1, 21).Select(i => $"t{i}")), "at most 20 tags" },
        { "tags", "fine, " + new string('x', 41), "up to 40 characters" },
        { "title", new string('T', 201), "under 200 characters" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Create_BadInput_ShowsTheMessageBesideTheField_AndSavesNothing(string field, string value, string message)
    {
        await SignInAsNewUserAsync("typo@example.com");
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=note");
        if (field != "body")
        {
            Type(page, "journal-body", "Fine words.");
        }

        Type(page, $"journal-{field}", value);
        await SaveAsync(page);

        page.WaitForAssertion(() => Assert.Contains(message, FieldError(page, $"#journal-{field}"), StringComparison.Ordinal));
        Assert.Equal(0, await EntryCountAsync());
        Assert.Equal("journal/new?kind=note", Location);
        Assert.DoesNotContain("Entry saved.", SnackbarMessages());
    }

    [Fact]
    public async Task Create_DateBefore1900_ShowsTheMessageBesideTheDate_AndSavesNothing()
    {
        await SignInAsNewUserAsync("old@example.com");
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=note");
        Type(page, "journal-body", "From long ago.");
        await DateAsync(page, new DateOnly(1899, 12, 31));
        await SaveAsync(page);

        page.WaitForAssertion(() => Assert.Contains("Choose a date in 1900 or later.", FieldError(page, "#journal-date"), StringComparison.Ordinal));
        Assert.Equal(0, await EntryCountAsync());
    }

    [Fact]
    public async Task New_WithoutKind_OffersTheFourKinds_AndAnUnknownKindSaysSo()
    {
        await SignInAsNewUserAsync("kinds@example.com");
        var choice = RenderAt<JournalEditorPage>("/journal/new");
        choice.WaitForAssertion(() => Assert.Equal(4, choice.FindAll("[data-testid=kind-choice] a").Count));
        Assert.Empty(choice.FindAll("[data-testid=unknown-kind]"));

        var unknown = RenderAt<JournalEditorPage>("/journal/new?kind=%3Cscript%3Ediary");
        unknown.WaitForAssertion(() => Assert.Contains("“<script>diary” is not a kind of entry", unknown.Find("[data-testid=unknown-kind]").TextContent, StringComparison.Ordinal));
        Assert.Equal(["journal/new?kind=morning-pages", "journal/new?kind=reflection", "journal/new?kind=weekly-review", "journal/new?kind=note"],
            unknown.FindAll("[data-testid=kind-choice] a").Select(a => a.GetAttribute("href")));
        Assert.Empty(unknown.FindAll("textarea, [data-testid=save-entry]"));
        Assert.False(NotFound);
    }

    [Fact]
    public async Task Edit_KeepsTheUrlPattern_ChangesTheEntry_AndShowsWhenItWasEdited()
    {
        var user = await SignInAsNewUserAsync("editor@example.com");
        var id = await WriteAsync(user, JournalKind.DailyReflection, "Went well: a walk.", tags: "walks");
        var page = RenderAt<JournalEditorPage>($"/journal/{id}/edit", p => p.Add(e => e.Id, id));
        Assert.Equal("Went well: a walk.", page.WaitForElement("#journal-body").TextContent);
        Assert.Equal("walks", page.Find("#journal-tags").GetAttribute("value"));
        Assert.Contains("Save changes", page.Find("[data-testid=save-entry]").TextContent, StringComparison.Ordinal);

        Time.Advance(TimeSpan.FromHours(2));
        Type(page, "journal-body", "Went well: a long walk.");
        Type(page, "journal-title", "Edited");
        Type(page, "journal-tags", "walks, outside");
        await DateAsync(page, new DateOnly(2026, 11, 24));
        await SaveAsync(page);

        Assert.Equal($"journal/{id}", Location);
        Snackbars.WaitForAssertion(() => Assert.Contains("Changes saved.", SnackbarMessages()));
        var entry = await WithDbAsync(db => db.JournalEntries.SingleAsync());
        Assert.Equal((JournalKind.DailyReflection, new DateOnly(2026, 11, 24), "Edited", "Went well: a long walk."), (entry.Kind, entry.LocalDate, entry.Title, entry.Body));
        Assert.Equal(["outside", "walks"], await WithDbAsync(db => db.JournalTags.Select(t => t.Name).OrderBy(t => t).ToListAsync()));

        var view = RenderAt<JournalEntryPage>(Location, p => p.Add(e => e.Id, id));
        view.WaitForAssertion(() => Assert.Contains("25 Nov 2026, 11:30", view.Find("[data-testid=updated]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Edit_AnotherUsersEntry_IsNotFound_AndCannotBeChanged()
    {
        var owner = await CreateUserAsync("owner@example.com");
        var id = await WriteAsync(owner, JournalKind.Note, "Secret marmalade recipe", title: "Private title");
        await SignInAsNewUserAsync("intruder@example.com");

        var page = RenderAt<JournalEditorPage>($"/journal/{id}/edit", p => p.Add(e => e.Id, id));

        page.WaitForAssertion(() => Assert.True(NotFound));
        Assert.DoesNotContain("marmalade", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Private title", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("textarea"));
        Assert.Equal("Secret marmalade recipe", await WithDbAsync(db => db.JournalEntries.Select(e => e.Body).SingleAsync()));
    }

    [Fact]
    public async Task Draft_IsKeptAsYouType_RestoredWhenYouComeBack_AndGoneOnceSaved()
    {
        await SignInAsNewUserAsync("drafter@example.com");
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=morning-pages");
        Type(page, "journal-title", "Sea");
        Type(page, "journal-body", "Half a thought about the sea");
        await PickAsync(page, 0, 2);
        Assert.Equal(0, await DraftCountAsync());

        Time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => await DraftCountAsync() == 1, "1 draft(s)");
        page.WaitForAssertion(() => Assert.Equal("Draft saved 09:30", page.Find("[data-testid=draft-status]").TextContent));

        // The tab closes. Another kind's screen has nothing to restore; the same screen has the words back.
        await CloseAllAsync();
        var note = RenderAt<JournalEditorPage>("/journal/new?kind=note");
        note.WaitForElement("#journal-body");
        Assert.Empty(note.FindAll("[data-testid=draft-restored]"));
        await CloseAllAsync();

        var again = RenderAt<JournalEditorPage>("/journal/new?kind=morning-pages");
        again.WaitForAssertion(() => Assert.Equal("Half a thought about the sea", again.Find("#journal-body").TextContent));
        Assert.Equal("Sea", again.Find("#journal-title").GetAttribute("value"));
        Assert.Contains("Restored your unsaved draft from 09:30", again.Find("[data-testid=draft-restored]").TextContent, StringComparison.Ordinal);
        Assert.Contains("6 / 750 words", again.Find("[data-testid=editor-bar] [data-testid=word-progress]").TextContent, StringComparison.Ordinal);

        await again.Find("[data-testid=save-entry]").ClickAsync(new());
        Assert.Equal(("Half a thought about the sea", 2), await WithDbAsync(db => db.JournalEntries.Select(e => new ValueTuple<string, int>(e.Body, e.Mood!.Value)).SingleAsync()));
        Assert.Equal(0, await DraftCountAsync());
    }

    [Fact]
    public async Task Draft_IsWrittenWhenThePageCloses_BeforeTheTypingPauses()
    {
        await SignInAsNewUserAsync("hasty@example.com");
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=reflection");
        Type(page, "journal-body", "Typed, then the phone died");

        await CloseAllAsync();

        Assert.Equal("Typed, then the phone died", await WithDbAsync(db => db.JournalDrafts.Select(d => d.Body).SingleAsync()));
    }

    [Fact]
    public async Task Draft_Discard_AsksFirst_ThenStartsAgainFromThePrompt()
    {
        var user = await SignInAsNewUserAsync("discarder@example.com");
        await WithAsync<JournalSettingsService, IReadOnlyDictionary<string, string>>(s => s.UpdateAsync(user, new JournalSettings(false, new Dictionary<JournalKind, string> { [JournalKind.Note] = "## Notes\n" })));
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=note");
        Assert.Equal("## Notes\n", page.WaitForElement("#journal-body").TextContent);
        Type(page, "journal-body", "## Notes\n\nA thought I will not keep");
        Time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => await DraftCountAsync() == 1, "1 draft(s)");
        page.WaitForElement("[data-testid=discard-draft]"); // the page says so once the write has finished

        await ClickAndConfirmAsync(page, "[data-testid=discard-draft]", confirm: false);
        Assert.Equal(1, await DraftCountAsync());

        await ClickAndConfirmAsync(page, "[data-testid=discard-draft]", confirm: true);
        Assert.Equal(0, await DraftCountAsync());
        page.WaitForAssertion(() => Assert.Equal("## Notes\n", Body(page)));
        Assert.Empty(page.FindAll("[data-testid=discard-draft]"));
        Snackbars.WaitForAssertion(() => Assert.Contains("Draft discarded.", SnackbarMessages()));
        Assert.Equal(0, await EntryCountAsync());
    }

    [Fact]
    public async Task Draft_OfAnEdit_IsRestoredOnTheEditScreen_AndTypingBackToTheSavedTextDropsIt()
    {
        var user = await SignInAsNewUserAsync("reviser@example.com");
        var id = await WriteAsync(user, JournalKind.Note, "Saved words");
        var page = RenderAt<JournalEditorPage>($"/journal/{id}/edit", p => p.Add(e => e.Id, id));
        Type(page, "journal-body", "Saved words, and more");
        Time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => await DraftCountAsync() == 1, "1 draft(s)");
        Assert.Equal(id, await WithDbAsync(db => db.JournalDrafts.Select(d => d.EntryId).SingleAsync()));

        await CloseAllAsync();
        var again = RenderAt<JournalEditorPage>($"/journal/{id}/edit", p => p.Add(e => e.Id, id));
        again.WaitForAssertion(() => Assert.Equal("Saved words, and more", Body(again)));
        Assert.Equal("Saved words", await WithDbAsync(db => db.JournalEntries.Select(e => e.Body).SingleAsync()));

        Type(again, "journal-body", "Saved words");
        Time.Advance(TimeSpan.FromSeconds(1));
        await EventuallyAsync(async () => await DraftCountAsync() == 0, "0 draft(s)");
    }

    [Fact]
    public async Task WeeklyReview_StartsWithTheWeeksFacts_AndTheUsersTemplate()
    {
        var user = await SignInAsNewUserAsync("reviewer@example.com");
        await WithAsync<JournalSettingsService, IReadOnlyDictionary<string, string>>(s => s.UpdateAsync(user, new JournalSettings(true, new Dictionary<JournalKind, string>
        {
            [JournalKind.DailyReflection] = "## Three good things\n",
            [JournalKind.WeeklyReview] = "## My wins\n",
        })));
        var reflection = RenderAt<JournalEditorPage>("/journal/new?kind=reflection");
        Assert.Contains("Three good things", reflection.WaitForElement("#journal-body").TextContent, StringComparison.Ordinal);

        // 25 Nov 2026 is a Wednesday in week 48; early in the week the review defaults to the week before.
        await WriteAsync(user, JournalKind.MorningPages, "one two three", new DateOnly(2026, 11, 17), mood: 3, energy: 2);
        await WriteAsync(user, JournalKind.DailyReflection, "four five", new DateOnly(2026, 11, 18), mood: 4);
        await WriteAsync(user, JournalKind.Note, "not this week", new DateOnly(2026, 11, 23), mood: 1);
        var review = RenderAt<JournalEditorPage>("/journal/new?kind=weekly-review");
        var body = review.WaitForElement("#journal-body").TextContent;
        Assert.Equal("2026-W47", review.FindComponent<MudSelect<string>>().Instance.GetState(x => x.Value));
        Assert.Contains("## The week in numbers (2026-W47, 16 Nov – 22 Nov 2026)", body, StringComparison.Ordinal);
        Assert.Contains("- Entries: 2 on 2 of 7 days (1 morning pages, 1 daily reflection)", body, StringComparison.Ordinal);
        Assert.Contains("- Words: 5", body, StringComparison.Ordinal);
        Assert.Contains("- Average mood: 3.5 / 5 (2 rated)", body, StringComparison.Ordinal);
        Assert.Contains("- Average energy: 2.0 / 5 (1 rated)", body, StringComparison.Ordinal);
        Assert.EndsWith("## My wins\n", body, StringComparison.Ordinal);

        // Choosing another week before writing anything brings that week's numbers.
        await review.InvokeAsync(() => review.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("2026-W48"));
        review.WaitForAssertion(() => Assert.Contains("- Entries: 1 on 1 of 7 days (1 note)", Body(review), StringComparison.Ordinal));
        var thisWeek = RenderAt<JournalEditorPage>("/journal/new?kind=weekly-review&week=2026-W48");
        Assert.Contains("- Entries: 1 on 1 of 7 days (1 note)", thisWeek.WaitForElement("#journal-body").TextContent, StringComparison.Ordinal);

        await review.InvokeAsync(() => review.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("2026-W47"));
        await SaveAsync(review);
        Assert.Equal("2026-W47", await WithDbAsync(db => db.JournalEntries.Where(e => e.Kind == JournalKind.WeeklyReview).Select(e => e.Week).SingleAsync()));
    }

    [Theory]
    [InlineData("2026-W60")]
    [InlineData("2099-W01")]
    [InlineData("0001-W01")]
    [InlineData("<script>")]
    public async Task WeeklyReview_WeekParameterThatIsNoWeekToReview_StartsWithTheUsualWeek(string week)
    {
        await SignInAsNewUserAsync("weeks@example.com");
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=weekly-review&week=" + Uri.EscapeDataString(week));
        Assert.Contains("(2026-W47,", page.WaitForElement("#journal-body").TextContent, StringComparison.Ordinal);
        Assert.Equal("2026-W47", page.FindComponent<MudSelect<string>>().Instance.GetState(x => x.Value));
    }

    [Fact]
    public async Task WeeklyReview_OfAWeekThatHasOne_WarnsWithALink_AndSavesASecondOnlyWhenConfirmed()
    {
        var user = await SignInAsNewUserAsync("twice@example.com");
        var first = await WriteAsync(user, JournalKind.WeeklyReview, "Already reviewed.", new DateOnly(2026, 11, 23), title: "Week 47, done", week: "2026-W47");
        var page = RenderAt<JournalEditorPage>("/journal/new?kind=weekly-review&week=2026-W47");

        var warning = page.WaitForElement("[data-testid=week-warning]");
        Assert.Contains("2026-W47 already has a review", warning.TextContent, StringComparison.Ordinal);
        Assert.Equal($"journal/{first}", page.Find("[data-testid=week-warning-link]").GetAttribute("href"));
        Assert.Equal("Week 47, done", page.Find("[data-testid=week-warning-link]").TextContent);

        await ClickAndConfirmAsync(page, "[data-testid=save-entry]", confirm: false);
        Assert.Equal(1, await EntryCountAsync());

        await ClickAndConfirmAsync(page, "[data-testid=save-entry]", confirm: true);
        Assert.Equal(2, await WithDbAsync(db => db.JournalEntries.CountAsync(e => e.Week == "2026-W47")));

        // Another week has none: no warning.
        var other = RenderAt<JournalEditorPage>("/journal/new?kind=weekly-review&week=2026-W46");
        other.WaitForElement("#journal-body");
        Assert.Empty(other.FindAll("[data-testid=week-warning]"));
    }

    [Fact]
    public async Task WeeklyReview_MovedIntoAWeekThatHasOne_Warns()
    {
        var user = await SignInAsNewUserAsync("mover@example.com");
        await WriteAsync(user, JournalKind.WeeklyReview, "The first.", new DateOnly(2026, 11, 23), week: "2026-W47");
        var second = await WriteAsync(user, JournalKind.WeeklyReview, "The second.", new DateOnly(2026, 11, 16), week: "2026-W46");
        var page = RenderAt<JournalEditorPage>($"/journal/{second}/edit", p => p.Add(e => e.Id, second));
        page.WaitForElement("#journal-body");
        Assert.Empty(page.FindAll("[data-testid=week-warning]")); // its own week is not "another review"

        await page.InvokeAsync(() => page.FindComponent<MudSelect<string>>().Instance.ValueChanged.InvokeAsync("2026-W47"));

        page.WaitForAssertion(() => Assert.Contains("2026-W47 already has a review", page.Find("[data-testid=week-warning]").TextContent, StringComparison.Ordinal));
    }
}
