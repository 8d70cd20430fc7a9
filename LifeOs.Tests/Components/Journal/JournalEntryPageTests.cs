using Bunit;
using LifeOs.Core.Journal;
using LifeOs.Web.Components.Pages.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Components.Journal;

public sealed class JournalEntryPageTests : JournalTestContext
{
    private IRenderedComponent<JournalEntryPage> Entry(long id) =>
        RenderAt<JournalEntryPage>($"/journal/{id}", p => p.Add(e => e.Id, id));

    [Fact]
    public async Task Entry_ShowsTheBodyAsSafeMarkdown_AndItsFacts()
    {
        var user = await SignInAsNewUserAsync("reader@example.com");
        var id = await WriteAsync(user, JournalKind.WeeklyReview, "## Wins\n\n<img src=x onerror=alert(1)> [link](javascript:alert(1)) and **more**", new DateOnly(2026, 11, 23),
            title: "Week 47", mood: 4, energy: 2, tags: "work, long-weeks", week: "2026-W47");

        var page = Entry(id);

        page.WaitForAssertion(() => Assert.Equal("Week 47", page.Find("[data-testid=entry-title]").TextContent));
        var body = page.Find("[data-testid=entry-body]");
        Assert.Equal("Wins", body.QuerySelector("h2")?.TextContent);
        Assert.Empty(body.QuerySelectorAll("img, script"));
        Assert.Contains("<img src=x onerror=alert(1)>", body.TextContent, StringComparison.Ordinal);
        Assert.Equal("#", body.QuerySelector("a")?.GetAttribute("href"));
        Assert.Contains("review of 2026-W47", page.Markup, StringComparison.Ordinal);
        Assert.Equal("4 of 5", page.Find("[data-testid=mood]").GetAttribute("aria-label"));
        Assert.Equal("2 of 5", page.Find("[data-testid=energy]").GetAttribute("aria-label"));
        Assert.Equal(["journal?tag=work", "journal?tag=long-weeks"], page.FindAll("[data-testid=tags] a").Select(a => a.GetAttribute("href")));
        Assert.Equal($"journal/{id}/edit", page.Find("[data-testid=edit]").GetAttribute("href"));
        Assert.Equal($"journal/{id}/export", page.Find("[data-testid=export-one]").GetAttribute("href"));
    }

    [Fact]
    public async Task Delete_AsksFirst_ThenRemovesTheEntry_AndGoesBackToTheListWithAMessage()
    {
        var user = await SignInAsNewUserAsync("deleter@example.com");
        var id = await WriteAsync(user, JournalKind.Note, "Temporary thought", title: "Temp", tags: "temp");
        var page = Entry(id);
        page.WaitForElement("[data-testid=delete]");

        await ClickAndConfirmAsync(page, "[data-testid=delete]", confirm: false);
        Assert.Equal(1, await EntryCountAsync());
        Assert.Equal($"journal/{id}", Location);

        var deleting = page.Find("[data-testid=delete]").ClickAsync(new());
        var dialog = Dialogs.WaitForElement("[data-testid=confirm-dialog]");
        Assert.Contains("Delete “Temp” from 25 November 2026?", Dialogs.Markup, StringComparison.Ordinal);
        Dialogs.Find("[data-testid=confirm-ok]").Click();
        await deleting;

        Assert.Equal(0, await EntryCountAsync());
        Assert.Equal(0, await WithDbAsync(db => db.JournalTags.CountAsync()));
        Assert.Equal("journal", Location);
        Snackbars.WaitForAssertion(() => Assert.Contains("Entry deleted.", SnackbarMessages()));
        Assert.NotNull(dialog);
    }

    [Fact]
    public async Task AnotherUsersEntry_IsNotFound_AndOffersNothingToDelete()
    {
        var owner = await CreateUserAsync("owner@example.com");
        var id = await WriteAsync(owner, JournalKind.Note, "Secret marmalade recipe", title: "Private title");
        await SignInAsNewUserAsync("intruder@example.com");

        var page = Entry(id);

        page.WaitForAssertion(() => Assert.True(NotFound));
        Assert.DoesNotContain("marmalade", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Private title", page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=delete], [data-testid=edit]"));
        Assert.Equal(1, await EntryCountAsync());
    }

    [Fact]
    public async Task MissingEntry_IsNotFound()
    {
        await SignInAsNewUserAsync("lost@example.com");
        var page = Entry(999_999);
        page.WaitForAssertion(() => Assert.True(NotFound));
    }
}
