using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web;

public sealed partial class JournalPageTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static Dictionary<string, string> Entry(string body, string date = "2026-11-25", string title = "", string mood = "", string energy = "", string tags = "", string? week = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.LocalDate"] = date,
            ["Input.Title"] = title,
            ["Input.Body"] = body,
            ["Input.Mood"] = mood,
            ["Input.Energy"] = energy,
            ["Input.Tags"] = tags,
        };
        if (week is not null)
        {
            fields["Input.Week"] = week;
        }

        return fields;
    }

    private static async Task<long> CreateAsync(TestClient client, string kind, Dictionary<string, string> fields)
    {
        var response = await client.PostFormAsync($"/journal/new?kind={kind}", "journal-entry", fields);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{response.StatusCode}: {Errors(await TestClient.BodyAsync(response))}");
        var match = EntryUrl().Match(response.Headers.Location!.ToString());
        Assert.True(match.Success, response.Headers.Location!.ToString());
        return long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static string Errors(string html) =>
        string.Join(" | ", new HtmlParser().ParseDocument(html).QuerySelectorAll(".field-error, .validation-errors li").Select(e => e.TextContent));

    private static string FieldError(IHtmlDocument document, string field) =>
        document.GetElementById(field)?.ParentElement?.QuerySelector(".field-error")?.TextContent
        ?? document.QuerySelectorAll(".field-error").FirstOrDefault(e => e.ParentElement!.QuerySelector($"[name='{field}']") is not null)?.TextContent
        ?? "";

    private async Task<TestClient> SignedInAsync(string email)
    {
        var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        return client;
    }

    [Fact]
    public async Task Create_MorningPages_RedirectsToTheRenderedEntry_WithWordCountProgressAndStatus()
    {
        using var client = await SignedInAsync("writer@example.com");
        var (_, blank) = await client.GetPageAsync("/journal/new?kind=morning-pages");
        Assert.Equal("2026-11-25", blank.GetElementById("Input.LocalDate")!.GetAttribute("value"));

        var id = await CreateAsync(client, "morning-pages", Entry("## Up early\n\nThe **kettle** sang.", title: "First pages", mood: "4", energy: "3", tags: " coffee , Coffee, #mornings "));

        var (response, page) = await client.GetPageAsync($"/journal/{id}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Entry saved.", page.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("First pages", page.QuerySelector("[data-testid=entry-title]")?.TextContent);
        Assert.Equal("kettle", page.QuerySelector("[data-testid=entry-body] h2 + p strong")?.TextContent);
        Assert.Contains("5 / 750 words", page.QuerySelector("[data-testid=word-progress]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(["#coffee", "#mornings"], page.QuerySelectorAll(".tag-list .tag-chip").Select(a => a.TextContent));
        Assert.Contains("25 Nov 2026, 09:30", page.QuerySelector("[data-testid=created]")?.TextContent, StringComparison.Ordinal);

        var saved = await app.WithDbAsync(db => db.JournalEntries.SingleAsync());
        Assert.Equal((JournalKind.MorningPages, new DateOnly(2026, 11, 25), 4, 3, 5), (saved.Kind, saved.LocalDate, saved.Mood, saved.Energy, saved.WordCount));
    }

    [Fact]
    public async Task New_UnknownKind_Is400_AndNoKindShowsTheChoice()
    {
        using var client = await SignedInAsync("kinds@example.com");
        var (bad, badPage) = await client.GetPageAsync("/journal/new?kind=diary");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.NotNull(badPage.QuerySelector("[data-testid=unknown-kind]"));
        Assert.Null(badPage.QuerySelector("form[data-enhance], textarea"));

        var post = await client.PostFormAsync("/journal/new?kind=note", "journal-entry", Entry("x"), postUrl: "/journal/new?kind=diary");
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.JournalEntries.CountAsync()));

        var (ok, choice) = await client.GetPageAsync("/journal/new");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(4, choice.QuerySelectorAll(".write-card").Length);
    }

    public static TheoryData<string, Dictionary<string, string>, string, string> BadInputs => new()
    {
        { "note", Entry("   "), "Input.Body", "Write something first" },
        { "note", Entry(new string('a', 100_001)), "Input.Body", "up to 100,000 characters" },
        { "note", Entry("ok", date: "1899-12-31"), "Input.LocalDate", "between 1900 and 2100" },
        { "note", Entry("ok", date: "2101-01-01"), "Input.LocalDate", "between 1900 and 2100" },
        { "note", Entry("ok", tags: string.Join(",", Enumerable.Range(1, 21).Select(i => $"t{i}"))), "Input.Tags", "at most 20 tags" },
        { "note", Entry("ok", tags: "fine, " + new string('x', 41)), "Input.Tags", "up to 40 characters" },
        { "note", Entry("ok", mood: "6"), "Input.Mood", "Mood is from 1 to 5" },
        { "note", Entry("ok", title: new string('T', 201)), "Input.Title", "under 200 characters" },
        { "weekly-review", Entry("ok", week: "2026-W60"), "Input.Week", "Enter a week" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Create_BadInput_ShowsTheFieldError_AndSavesNothing(string kind, Dictionary<string, string> fields, string field, string message)
    {
        using var client = await SignedInAsync("typo@example.com");
        var response = await client.PostFormAsync($"/journal/new?kind={kind}", "journal-entry", fields);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await TestClient.BodyAsync(response));
        Assert.Contains(message, FieldError(document, field), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.JournalEntries.CountAsync()));
    }

    [Fact]
    public async Task Edit_KeepsTheUrlPattern_ChangesTheEntry_AndShowsWhenItWasEdited()
    {
        using var client = await SignedInAsync("editor@example.com");
        var id = await CreateAsync(client, "reflection", Entry("Went well: a walk.", tags: "walks"));
        var (_, form) = await client.GetPageAsync($"/journal/{id}/edit");
        Assert.Equal("Went well: a walk.", form.GetElementById("Input.Body")?.TextContent);
        Assert.Equal("walks", form.GetElementById("Input.Tags")?.GetAttribute("value"));

        app.Time.Advance(TimeSpan.FromHours(2));
        var response = await client.PostFormAsync($"/journal/{id}/edit", "journal-entry", Entry("Went well: a long walk.", date: "2026-11-24", title: "Edited", tags: "walks, outside"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.EndsWith($"/journal/{id}", response.Headers.Location!.ToString(), StringComparison.Ordinal);

        var (_, page) = await client.GetPageAsync($"/journal/{id}");
        Assert.Equal("Edited", page.QuerySelector("[data-testid=entry-title]")?.TextContent);
        Assert.Contains("25 Nov 2026, 11:30", page.QuerySelector("[data-testid=updated]")?.TextContent, StringComparison.Ordinal);
        var tags = await app.WithDbAsync(db => db.JournalTags.Select(t => t.Name).OrderBy(t => t).ToListAsync());
        Assert.Equal(["outside", "walks"], tags);
        Assert.Equal(JournalKind.DailyReflection, await app.WithDbAsync(db => db.JournalEntries.Select(e => e.Kind).SingleAsync()));
    }

    [Fact]
    public async Task Delete_IsAConfirmedPost_AndTheEntryIsGone()
    {
        using var client = await SignedInAsync("deleter@example.com");
        var id = await CreateAsync(client, "note", Entry("Temporary thought", tags: "temp"));
        var (_, page) = await client.GetPageAsync($"/journal/{id}");
        var form = page.QuerySelector("[data-testid=delete-form]")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.NotNull(form.Closest("details"));

        var response = await client.PostFormAsync($"/journal/{id}", "delete-entry", new Dictionary<string, string> { ["ConfirmId"] = id.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/journal/{id}")).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.JournalTags.CountAsync()));
        var (_, list) = await client.GetPageAsync("/journal");
        Assert.Contains("Entry deleted.", list.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(list.QuerySelector("[data-testid=journal-empty]"));
    }

    [Fact]
    public async Task List_NewestFirstGroupedByDay_FiltersByKindTagAndMood_AndPages()
    {
        using var client = await SignedInAsync("lister@example.com");
        await CreateAsync(client, "morning-pages", Entry("Alpha", date: "2026-11-23", title: "Alpha", mood: "2", tags: "work"));
        await CreateAsync(client, "reflection", Entry("Beta", date: "2026-11-24", title: "Beta", mood: "4", tags: "family"));
        await CreateAsync(client, "note", Entry("Gamma", date: "2026-11-24", title: "Gamma", mood: "4", tags: "work, family"));

        static IEnumerable<string> Titles(IHtmlDocument d) => d.QuerySelectorAll("[data-testid=entry] .entry-title").Select(e => e.TextContent);

        var (_, all) = await client.GetPageAsync("/journal");
        Assert.Equal(["Gamma", "Beta", "Alpha"], Titles(all));
        Assert.Equal(2, all.QuerySelectorAll(".day-group").Length);
        Assert.Equal(["Tuesday 24 November 2026", "Monday 23 November 2026"], all.QuerySelectorAll(".day-heading span:first-child").Select(e => e.TextContent));
        Assert.Equal(["family", "work"], all.QuerySelectorAll("#journal-tags option").Select(o => o.GetAttribute("value")));
        Assert.Equal(["2026-11-23", "2026-11-24"], all.QuerySelectorAll("[data-testid=calendar] .has-entry").Select(a => a.GetAttribute("data-date")));

        Assert.Equal(["Beta"], Titles((await client.GetPageAsync("/journal?kind=reflection")).Document));
        Assert.Equal(["Gamma", "Alpha"], Titles((await client.GetPageAsync("/journal?tag=work")).Document));
        Assert.Equal(["Gamma", "Beta"], Titles((await client.GetPageAsync("/journal?mood=4")).Document));
        Assert.Equal(["Gamma"], Titles((await client.GetPageAsync("/journal?mood=4&tag=work&kind=note")).Document));
        Assert.Equal(["Alpha"], Titles((await client.GetPageAsync("/journal?date=2026-11-23")).Document));
        var (_, none) = await client.GetPageAsync("/journal?tag=nothing");
        Assert.NotNull(none.QuerySelector("[data-testid=journal-no-results]"));

        for (var i = 0; i < 20; i++)
        {
            await CreateAsync(client, "note", Entry($"Filler {i}", date: "2026-11-01", title: $"Filler {i:00}"));
        }

        var (_, first) = await client.GetPageAsync("/journal");
        Assert.Equal(20, first.QuerySelectorAll("[data-testid=entry]").Length);
        var older = first.QuerySelector("[data-testid=older]")!.GetAttribute("href")!;
        Assert.Equal("journal?page=2", older);
        var (_, second) = await client.GetPageAsync("/" + older);
        Assert.Equal(3, second.QuerySelectorAll("[data-testid=entry]").Length);
        Assert.Contains("Page 2 of 2", second.QuerySelector(".pager")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_RanksTitleMatchesFirst_HighlightsMatches_AndEscapesEverythingElse()
    {
        using var client = await SignedInAsync("searcher@example.com");
        await CreateAsync(client, "note", Entry("<script>alert('x')</script> I planted a tomato & basil <b>today</b>.", title: "Garden"));
        await CreateAsync(client, "note", Entry("Something else entirely, with gardening in passing.", title: "Tomatoes everywhere"));
        await CreateAsync(client, "note", Entry("Nothing relevant.", title: "Other"));

        var (response, page) = await client.GetPageAsync("/journal?q=" + Uri.EscapeDataString("tomato"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var titles = page.QuerySelectorAll("[data-testid=entry] .entry-title").Select(e => e.TextContent).ToList();
        Assert.Equal(["Tomatoes everywhere", "Garden"], titles);
        Assert.Contains("2 entries matching", page.QuerySelector("[data-testid=result-summary]")?.TextContent, StringComparison.Ordinal);

        var snippet = page.QuerySelectorAll("[data-testid=snippet]")[1];
        Assert.Equal(["tomato"], snippet.QuerySelectorAll("mark").Select(m => m.TextContent));
        Assert.Empty(snippet.QuerySelectorAll("script, b"));
        Assert.Contains("<script>alert('x')</script>", snippet.TextContent, StringComparison.Ordinal);
        var html = await TestClient.BodyAsync(response);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);

        // Operators and quotes are just words; a prefix finds longer words.
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/journal?q=" + Uri.EscapeDataString("\"tom* OR NEAR( -basil:"))).StatusCode);
        var (_, prefix) = await client.GetPageAsync("/journal?q=garde");
        Assert.Equal(2, prefix.QuerySelectorAll("[data-testid=entry]").Length);
        var (_, filtered) = await client.GetPageAsync("/journal?q=tomato&kind=morning-pages");
        Assert.NotNull(filtered.QuerySelector("[data-testid=journal-no-results]"));
    }

    [Fact]
    public async Task WeeklyReview_StartsWithTheWeeksFacts_AndTheUsersTemplate_AndGraceIsSaved()
    {
        using var client = await SignedInAsync("reviewer@example.com");
        var saved = await client.PostFormAsync("/settings", "journal-settings", new Dictionary<string, string>
        {
            ["Input.StreakGraceRule"] = "true",
            ["Input.MorningPagesTemplate"] = "",
            ["Input.DailyReflectionTemplate"] = "## Three good things\n",
            ["Input.WeeklyReviewTemplate"] = "## My wins\n",
            ["Input.NoteTemplate"] = "",
        });
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, await TestClient.BodyAsync(saved));
        Assert.True(await app.WithDbAsync(db => db.JournalPreferences.Select(p => p.StreakGraceRule).SingleAsync()));
        var (_, settings) = await client.GetPageAsync("/settings");
        Assert.Equal("## Three good things\n", settings.GetElementById("Input.DailyReflectionTemplate")?.TextContent);
        Assert.True(settings.GetElementById("Input.StreakGraceRule")?.HasAttribute("checked"));

        Assert.Contains("Three good things", (await client.GetPageAsync("/journal/new?kind=reflection")).Document.GetElementById("Input.Body")?.TextContent, StringComparison.Ordinal);

        // 25 Nov 2026 is a Wednesday in week 48; early in the week the review defaults to the week before.
        await CreateAsync(client, "morning-pages", Entry("one two three", date: "2026-11-17", mood: "3", energy: "2"));
        await CreateAsync(client, "reflection", Entry("four five", date: "2026-11-18", mood: "4"));
        await CreateAsync(client, "note", Entry("not this week", date: "2026-11-23", mood: "1"));
        var (_, review) = await client.GetPageAsync("/journal/new?kind=weekly-review");
        Assert.Equal("2026-W47", review.GetElementById("Input.Week")?.GetAttribute("value"));
        var body = review.GetElementById("Input.Body")!.TextContent;
        Assert.Contains("## The week in numbers (2026-W47, 16 Nov – 22 Nov 2026)", body, StringComparison.Ordinal);
        Assert.Contains("- Entries: 2 on 2 of 7 days (1 morning pages, 1 daily reflection)", body, StringComparison.Ordinal);
        Assert.Contains("- Words: 5", body, StringComparison.Ordinal);
        Assert.Contains("- Average mood: 3.5 / 5 (2 rated)", body, StringComparison.Ordinal);
        Assert.Contains("- Average energy: 2.0 / 5 (1 rated)", body, StringComparison.Ordinal);
        Assert.EndsWith("## My wins\n", body, StringComparison.Ordinal);

        var (_, thisWeek) = await client.GetPageAsync("/journal/new?kind=weekly-review&week=2026-W48");
        Assert.Contains("- Entries: 1 on 1 of 7 days (1 note)", thisWeek.GetElementById("Input.Body")!.TextContent, StringComparison.Ordinal);

        var id = await CreateAsync(client, "weekly-review", Entry(body, week: "2026-W47"));
        Assert.Equal("2026-W47", await app.WithDbAsync(db => db.JournalEntries.Where(e => e.Id == id).Select(e => e.Week).SingleAsync()));
    }

    [Fact]
    public async Task AnotherUsersEntry_IsNotFound_ForViewEditDeleteAndExport_AndNeverListedOrSearched()
    {
        using var owner = await SignedInAsync("owner@example.com");
        var id = await CreateAsync(owner, "note", Entry("Secret marmalade recipe", title: "Private title", tags: "secret-tag"));

        using var intruder = await SignedInAsync("intruder@example.com");
        await CreateAsync(intruder, "note", Entry("My own words"));
        var ownId = await app.WithDbAsync(db => db.JournalEntries.Where(e => e.Id != id).Select(e => e.Id).SingleAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync($"/journal/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync($"/journal/{id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync($"/journal/{id}/export")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync("/journal/999999")).StatusCode);

        var edit = await intruder.PostFormAsync($"/journal/{ownId}/edit", "journal-entry", Entry("Overwritten"), postUrl: $"/journal/{id}/edit");
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        var delete = await intruder.PostFormAsync($"/journal/{ownId}", "delete-entry", new Dictionary<string, string> { ["ConfirmId"] = id.ToString(CultureInfo.InvariantCulture) }, postUrl: $"/journal/{id}");
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Equal("Secret marmalade recipe", await app.WithDbAsync(db => db.JournalEntries.Where(e => e.Id == id).Select(e => e.Body).SingleAsync()));

        foreach (var url in new[] { "/journal", "/journal?q=marmalade", "/journal?tag=secret-tag", "/journal/new?kind=note", "/journal?date=2026-11-25" })
        {
            var html = await TestClient.BodyAsync(await intruder.GetAsync(url));
            Assert.DoesNotContain("Secret marmalade", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<mark>", html, StringComparison.Ordinal);
            Assert.DoesNotContain("Private title", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<option value=\"secret-tag\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("#secret-tag", html, StringComparison.Ordinal);
        }

        using var zip = new ZipArchive(await (await intruder.GetAsync("/journal/export")).Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var file = Assert.Single(zip.Entries);
        using var reader = new StreamReader(file.Open());
        Assert.Contains("My own words", await reader.ReadToEndAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportThenImport_OverHttp_RestoresDeletedEntries_WithoutDuplicates()
    {
        using var client = await SignedInAsync("archivist@example.com");
        var first = await CreateAsync(client, "morning-pages", Entry("Pages about rain.", title: "Rain", mood: "3", tags: "weather"));
        await CreateAsync(client, "reflection", Entry("Learned: patience.", date: "2026-11-24"));

        var export = await client.GetAsync("/journal/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/zip", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("lifeos-journal-2026-11-25.zip", export.Content.Headers.ContentDisposition?.FileNameStar ?? export.Content.Headers.ContentDisposition?.FileName);
        var zipBytes = await export.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

        var one = await client.GetAsync($"/journal/{first}/export");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Contains("title: \"Rain\"", await TestClient.BodyAsync(one), StringComparison.Ordinal);

        await client.PostFormAsync($"/journal/{first}", "delete-entry", new Dictionary<string, string> { ["ConfirmId"] = first.ToString(CultureInfo.InvariantCulture) });
        Assert.Equal(1, await app.WithDbAsync(db => db.JournalEntries.CountAsync()));

        var imported = await ImportAsync(client, zipBytes);
        Assert.Equal(HttpStatusCode.Redirect, imported.StatusCode);
        var (_, page) = await client.GetPageAsync("/journal/import");
        Assert.Contains("Imported 1 entry; 1 already in your journal.", page.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(2, await app.WithDbAsync(db => db.JournalEntries.CountAsync()));
        Assert.Single((await client.GetPageAsync("/journal?q=rain")).Document.QuerySelectorAll("[data-testid=entry]"));

        await ImportAsync(client, zipBytes);
        Assert.Equal(2, await app.WithDbAsync(db => db.JournalEntries.CountAsync()));
    }

    [Fact]
    public async Task Import_BadFile_ListsTheProblemWithFileAndLine_AndImportsNothing()
    {
        using var client = await SignedInAsync("importer@example.com");
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in new[] { ("a.md", "---\ndate: 2026-11-20\nkind: note\n---\nFine"), ("b.md", "---\ndate: 2026-11-20\nkind: note\nenergy: lots\n---\nText") })
            {
                using var writer = new StreamWriter(archive.CreateEntry(name).Open());
                await writer.WriteAsync(text);
            }
        }

        var response = await ImportAsync(client, zip.ToArray());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new HtmlParser().ParseDocument(await TestClient.BodyAsync(response));
        Assert.Equal(["b.md, line 4: energy must be a whole number from 1 to 5, not \"lots\"."], document.QuerySelectorAll("[data-testid=import-errors] li").Select(li => li.TextContent));
        Assert.Equal(0, await app.WithDbAsync(db => db.JournalEntries.CountAsync()));
    }

    private static async Task<HttpResponseMessage> ImportAsync(TestClient client, byte[] zip)
    {
        var html = await TestClient.BodyAsync(await client.GetAsync("/journal/import"));
        var token = TokenRegex().Match(html).Groups[1].Value;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(WebUtility.HtmlDecode(token)), "__RequestVerificationToken" },
            { new StringContent("journal-import"), "_handler" },
            { new ByteArrayContent(zip), "Upload", "journal.zip" },
        };
        return await client.Http.PostAsync("/journal/import", content, TestContext.Current.CancellationToken);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();

    [GeneratedRegex(@"journal/(\d+)$")]
    private static partial Regex EntryUrl();
}
