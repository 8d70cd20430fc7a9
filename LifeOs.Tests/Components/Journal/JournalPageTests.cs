using System.Text.Json;
using Bunit;
using LifeOs.Core.Journal;
using LifeOs.Web.Components.Pages.Journal;
using MudBlazor;

namespace LifeOs.Tests.Components.Journal;

public sealed class JournalPageTests : JournalTestContext
{
    private static IReadOnlyList<string> Titles(IRenderedComponent<JournalPage> page) =>
        page.FindAll("[data-testid=entry] [data-testid=entry-title]").Select(e => e.TextContent).ToList();

    private IRenderedComponent<JournalPage> List(string url = "/journal")
    {
        var page = RenderAt<JournalPage>(url);
        page.WaitForElement("[data-testid=entry-list], [data-testid=journal-empty], [data-testid=journal-no-results]");
        return page;
    }

    [Fact]
    public async Task List_NewestFirstGroupedByDay_WithTagsAndCalendar()
    {
        var user = await SignInAsNewUserAsync("lister@example.com");
        await WriteAsync(user, JournalKind.MorningPages, "Alpha", new DateOnly(2026, 11, 23), title: "Alpha", mood: 2, tags: "work");
        await WriteAsync(user, JournalKind.DailyReflection, "Beta", new DateOnly(2026, 11, 24), title: "Beta", mood: 4, tags: "family");
        await WriteAsync(user, JournalKind.Note, "Gamma", new DateOnly(2026, 11, 24), title: "Gamma", mood: 4, tags: "work, family");

        var page = List();

        Assert.Equal(["Gamma", "Beta", "Alpha"], Titles(page));
        Assert.Equal(["Tuesday 24 November 2026", "Monday 23 November 2026"], page.FindAll("[data-testid=day-heading]").Select(e => e.TextContent));
        Assert.Equal(["#work", "#family"], page.FindAll("[data-testid=entry]")[0].QuerySelectorAll("[data-testid=tag]").Select(a => a.TextContent));
        Assert.Equal("journal?tag=work", page.FindAll("[data-testid=tag]")[0].GetAttribute("href"));
        Assert.Equal(["2026-11-23", "2026-11-24"], page.FindAll("[data-testid=calendar] .has-entry").Select(a => a.GetAttribute("data-date")));
        Assert.Equal(["Any tag", "#family", "#work"], page.FindComponents<MudSelect<string>>()[1].FindComponents<MudSelectItem<string>>().Select(i => i.Instance.Value == "" ? "Any tag" : "#" + i.Instance.Value));
        Assert.Empty(page.FindAll("[data-testid=result-summary]"));
    }

    [Theory]
    [InlineData("/journal?kind=reflection", new[] { "Beta" })]
    [InlineData("/journal?kind=DailyReflection", new[] { "Beta" })]
    [InlineData("/journal?tag=work", new[] { "Gamma", "Alpha" })]
    [InlineData("/journal?tag=%23work", new[] { "Gamma", "Alpha" })]
    [InlineData("/journal?mood=4", new[] { "Gamma", "Beta" })]
    [InlineData("/journal?mood=4&tag=work&kind=note", new[] { "Gamma" })]
    [InlineData("/journal?date=2026-11-23", new[] { "Alpha" })]
    public async Task List_FiltersByKindTagMoodAndDay(string url, string[] titles)
    {
        var user = await SignInAsNewUserAsync("filterer@example.com");
        await WriteAsync(user, JournalKind.MorningPages, "Alpha", new DateOnly(2026, 11, 23), title: "Alpha", mood: 2, tags: "work");
        await WriteAsync(user, JournalKind.DailyReflection, "Beta", new DateOnly(2026, 11, 24), title: "Beta", mood: 4, tags: "family");
        await WriteAsync(user, JournalKind.Note, "Gamma", new DateOnly(2026, 11, 24), title: "Gamma", mood: 4, tags: "work, family");

        var page = List(url);

        Assert.Equal(titles, Titles(page));
        Assert.StartsWith($"{titles.Length} {(titles.Length == 1 ? "entry" : "entries")}", page.Find("[data-testid=result-summary]").TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("journal", page.Find("[data-testid=clear-filters]").GetAttribute("href"));
    }

    [Fact]
    public async Task Filters_ShowWhatIsChosen()
    {
        await SignInAsNewUserAsync("chooser@example.com");
        var page = List("/journal?mood=4&kind=reflection&tag=work");
        string Shown(string testId) => page.Find($"[data-testid={testId}]").TextContent.Trim();
        Assert.Equal(("Daily reflection", "#work", "4 · good"), (Shown("filter-kind"), Shown("filter-tag"), Shown("filter-mood")));
    }

    [Fact]
    public async Task List_NothingMatches_SaysSo_AndAnEmptyJournalSaysWhatToDo()
    {
        var user = await SignInAsNewUserAsync("empty@example.com");
        var empty = List();
        Assert.Contains("Your journal is waiting", empty.Find("[data-testid=journal-empty]").TextContent, StringComparison.Ordinal);
        Assert.Contains(empty.FindAll("[data-testid=journal-empty] a"), a => a.GetAttribute("href") == "journal/new?kind=morning-pages");

        await WriteAsync(user, JournalKind.Note, "Something");
        var none = List("/journal?tag=nothing");
        Assert.Contains("No entry fits these filters.", none.Find("[data-testid=journal-no-results]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_ChangeTheAddress_SoLinksAndBackWork()
    {
        await SignInAsNewUserAsync("clicker@example.com");
        var page = List("/journal?page=2&tag=work");
        var selects = page.FindComponents<MudSelect<string>>();

        await page.InvokeAsync(() => selects[0].Instance.ValueChanged.InvokeAsync("reflection"));
        Assert.Equal("journal?tag=work&kind=reflection", Location);

        await page.InvokeAsync(() => selects[2].Instance.ValueChanged.InvokeAsync("4"));
        Assert.Equal("journal?tag=work&kind=reflection&mood=4", Location);

        await page.InvokeAsync(() => selects[1].Instance.ValueChanged.InvokeAsync(""));
        Assert.Equal("journal?kind=reflection&mood=4", Location);
    }

    [Fact]
    public async Task Search_AsYouType_GoesToTheAddressAfterAPause_OrAtOnceOnEnter()
    {
        await SignInAsNewUserAsync("typist@example.com");
        var page = List("/journal?kind=note&page=3");

        page.Find("#journal-search").Input("tom");
        Assert.Equal("journal?kind=note&page=3", Location);
        Time.Advance(TimeSpan.FromMilliseconds(450));
        page.WaitForAssertion(() => Assert.Equal("journal?kind=note&q=tom", Location));

        page.Find("#journal-search").Input("basil");
        await page.Find("#journal-search").KeyDownAsync(new Microsoft.AspNetCore.Components.Web.KeyboardEventArgs { Key = "Enter" });
        Assert.Equal("journal?kind=note&q=basil", Location);
    }

    [Fact]
    public async Task List_Pages_TwentyAtATime_AndAPageBeyondTheEndShowsTheLast()
    {
        var user = await SignInAsNewUserAsync("pager@example.com");
        for (var i = 0; i < 23; i++)
        {
            await WriteAsync(user, JournalKind.Note, $"Filler {i}", new DateOnly(2026, 11, 1).AddDays(i), title: $"Filler {i:00}");
        }

        var first = List();
        Assert.Equal(20, first.FindAll("[data-testid=entry]").Count);
        Assert.Equal("Filler 22", Titles(first)[0]);
        Assert.Contains("Page 1 of 2 · 23 entries", first.Find("[data-testid=pager-label]").TextContent, StringComparison.Ordinal);
        await first.InvokeAsync(() => first.FindComponent<MudPagination>().Instance.SelectedChanged.InvokeAsync(2));
        Assert.Equal("journal?page=2", Location);

        var second = List("/journal?page=2");
        Assert.Equal(["Filler 02", "Filler 01", "Filler 00"], Titles(second));
        Assert.Contains("Page 2 of 2", second.Find("[data-testid=pager-label]").TextContent, StringComparison.Ordinal);

        var beyond = List("/journal?page=99999999999");
        Assert.Equal(["Filler 02", "Filler 01", "Filler 00"], Titles(beyond));
    }

    [Theory]
    [InlineData("/journal?page=abc", "“abc” is not a page number")]
    [InlineData("/journal?page=-3", "“-3” is not a page number")]
    [InlineData("/journal?mood=9", "Mood is from 1 to 5, not “9”")]
    [InlineData("/journal?kind=%3Cscript%3E", "“<script>” is not a kind of entry")]
    [InlineData("/journal?date=2099-13-45", "“2099-13-45” is not a date")]
    [InlineData("/journal?date=1850-01-01", "“1850-01-01” is not a date")]
    public async Task List_QueryValueThatMakesNoSense_IsDroppedWithANotice_AndTheRestStillWorks(string url, string notice)
    {
        var user = await SignInAsNewUserAsync("junk@example.com");
        await WriteAsync(user, JournalKind.Note, "Still here", title: "Still here");

        var page = List(url);

        Assert.Contains(page.FindAll("[data-testid=query-notice]"), n => n.TextContent.Contains(notice, StringComparison.Ordinal));
        Assert.Equal(["Still here"], Titles(page));
        Assert.Empty(page.FindAll("script"));
    }

    [Fact]
    public async Task Search_RanksTitleMatchesFirst_HighlightsMatches_AndEscapesEverythingElse()
    {
        var user = await SignInAsNewUserAsync("searcher@example.com");
        await WriteAsync(user, JournalKind.Note, "<script>alert('x')</script> I planted a tomato & basil <b>today</b>.", title: "Garden");
        await WriteAsync(user, JournalKind.Note, "Something else entirely, with gardening in passing.", title: "Tomatoes everywhere");
        await WriteAsync(user, JournalKind.Note, "Nothing relevant.", title: "Other");

        var page = List("/journal?q=tomato");

        Assert.Equal(["Tomatoes everywhere", "Garden"], Titles(page));
        Assert.Contains("2 entries, best matches first", page.Find("[data-testid=result-summary]").TextContent, StringComparison.Ordinal);
        Assert.Contains("“tomato”", page.Find("[data-testid=chip-search]").TextContent, StringComparison.Ordinal);
        var snippet = page.FindAll("[data-testid=snippet]")[1];
        Assert.Equal(["tomato"], snippet.QuerySelectorAll("mark").Select(m => m.TextContent));
        Assert.Empty(snippet.QuerySelectorAll("script, b"));
        Assert.Contains("<script>alert('x')</script>", snippet.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("script"));
        Assert.Equal("tomato", page.Find("#journal-search").GetAttribute("value"));

        // Operators and quotes are just words; a prefix finds longer words; filters still apply.
        var operators = List("/journal?q=" + Uri.EscapeDataString("\"tom* OR NEAR( -basil:"));
        Assert.NotNull(operators.Find("[data-testid=result-summary]"));
        Assert.Equal(2, List("/journal?q=garde").FindAll("[data-testid=entry]").Count);
        Assert.NotNull(List("/journal?q=tomato&kind=morning-pages").Find("[data-testid=journal-no-results]"));
    }

    [Fact]
    public async Task AnotherUsersEntries_AreNeverListedSearchedOrOfferedAsTags()
    {
        var owner = await CreateUserAsync("owner@example.com");
        await WriteAsync(owner, JournalKind.Note, "Secret marmalade recipe", title: "Private title", tags: "secret-tag");
        var intruder = await SignInAsNewUserAsync("intruder@example.com");
        await WriteAsync(intruder, JournalKind.Note, "My own words", title: "Mine", tags: "mine");

        foreach (var url in new[] { "/journal", "/journal?q=marmalade", "/journal?tag=secret-tag", "/journal?date=2026-11-25", "/journal?kind=note" })
        {
            var page = List(url);
            Assert.DoesNotContain("Secret marmalade", page.Markup, StringComparison.Ordinal);
            Assert.DoesNotContain("Private title", page.Markup, StringComparison.Ordinal);
            Assert.DoesNotContain("<mark>", page.Markup, StringComparison.Ordinal);
            if (!url.Contains("tag=", StringComparison.Ordinal))
            {
                Assert.DoesNotContain(page.FindComponents<MudSelectItem<string>>(), i => i.Instance.Value == "secret-tag");
            }

            Assert.DoesNotContain(page.FindAll("[data-testid=tag]"), t => t.TextContent == "#secret-tag");
        }

        Assert.Equal(["Mine"], Titles(List()));
        Assert.Single(List("/journal?date=2026-11-25").FindAll("[data-testid=calendar] .has-entry"));
    }

    [Fact]
    public async Task UnsavedDrafts_AreListed_WithALinkBackToTheirScreen()
    {
        var user = await SignInAsNewUserAsync("unfinished@example.com");
        var id = await WriteAsync(user, JournalKind.Note, "Saved", title: "Saved note");
        await WithAsync<JournalDraftService, JournalDraftSaveResult>(d => d.SaveAsync(user, JournalDraftTarget.New(JournalKind.MorningPages), new JournalEntryInput(JournalKind.MorningPages, Today, null, null, "Three words here", null, null, null)));
        await WithAsync<JournalDraftService, JournalDraftSaveResult>(d => d.SaveAsync(user, JournalDraftTarget.Edit(JournalKind.Note, id), new JournalEntryInput(JournalKind.Note, Today, null, "Saved note, edited", "Saved and more", null, null, null)));

        var page = List();

        Assert.Equal([$"journal/{id}/edit", "journal/new?kind=morning-pages"], page.FindAll("[data-testid=draft-link]").Select(a => a.GetAttribute("href")).Order());
        Assert.Contains("Draft waiting · 3 words", page.Find("[data-testid=write-morning-pages]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ListState_SurvivesTheTripFromPrerenderingToTheBrowserAsJson()
    {
        // [PersistentState] hands this over as JSON; every part must come back as it went.
        var item = new JournalListItem(3, JournalKind.WeeklyReview, Today, "2026-W47", "Title", "Excerpt", "<mark>x</mark>", 4, 2, ["a", "b"], 120, new DateTime(2026, 11, 25, 8, 0, 0, DateTimeKind.Utc));
        var streaks = new JournalStreaks(Today, true, new Streak(2, 5, Today, StreakUnit.Day), new Dictionary<JournalKind, Streak> { [JournalKind.Note] = new(1, 1, Today, StreakUnit.Day) });
        var state = new JournalPage.JournalListState("key", Today, "Europe/Paris", new JournalListPage([item], 41, 3, 20), streaks, new DateOnly(2026, 11, 1),
            [new JournalPage.CalendarDay(Today, 2)], [new OnThisDayItem(1, JournalKind.Note, Today.AddMonths(-1), null, "x", 1)], ["a"],
            [new JournalDraftSummary(JournalKind.Note, 7, "T", "E", 3, DateTime.UnixEpoch)]);

        var back = JsonSerializer.Deserialize<JournalPage.JournalListState>(JsonSerializer.Serialize(state, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

        Assert.Equal(JsonSerializer.Serialize(state, JsonSerializerOptions.Web), JsonSerializer.Serialize(back, JsonSerializerOptions.Web));
        Assert.Equal((3, 41), (back.List.Page, back.List.Total));
        Assert.Equal(["a", "b"], back.List.Items[0].Tags);
        Assert.Equal(1, back.Streaks!.ByKind[JournalKind.Note].Current);
    }
}
