using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Core.Journal;

public sealed class JournalDraftServiceTests : IDisposable
{
    private readonly JournalTestDb t = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
    private readonly JournalDraftService drafts;

    public JournalDraftServiceTests()
    {
        drafts = new JournalDraftService(t.Db, t.Time);
        t.AddUser("ada");
        t.AddUser("bob");
    }

    public void Dispose() => t.Dispose();

    private static JournalEntryInput Input(string body, string? title = null, JournalKind kind = JournalKind.MorningPages) =>
        new(kind, new DateOnly(2026, 11, 25), null, title, body, 4, null, "rain, #tea");

    [Fact]
    public async Task Save_ThenGet_KeepsEveryFieldAsTyped_PerScreen()
    {
        var ct = TestContext.Current.CancellationToken;
        var morning = JournalDraftTarget.New(JournalKind.MorningPages);
        Assert.Equal(JournalDraftSaveResult.Saved, await drafts.SaveAsync("ada", morning, Input("First words", title: new string('T', 300)), ct));
        t.Time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(JournalDraftSaveResult.Saved, await drafts.SaveAsync("ada", morning, Input("First words and more"), ct));

        var draft = await drafts.GetAsync("ada", morning, ct);
        Assert.NotNull(draft);
        Assert.Equal(("First words and more", (string?)null, 4, "rain, #tea", new DateOnly(2026, 11, 25)), (draft.Input.Body, draft.Input.Title, draft.Input.Mood!.Value, draft.Input.Tags, draft.Input.LocalDate!.Value));
        Assert.Equal(new DateTime(2026, 11, 25, 9, 31, 0, DateTimeKind.Utc), draft.UpdatedAt);
        Assert.Null(await drafts.GetAsync("ada", JournalDraftTarget.New(JournalKind.Note), ct));
        Assert.Null(await drafts.GetAsync("bob", morning, ct));
        Assert.Equal(1, await t.Db.JournalDrafts.CountAsync(ct));
    }

    [Fact]
    public async Task Save_ForAnotherUsersEntry_IsNotFound_AndWritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var bobs = await t.AddAsync("bob", new DateOnly(2026, 11, 24), body: "Bob's words");

        Assert.Equal(JournalDraftSaveResult.NotFound, await drafts.SaveAsync("ada", JournalDraftTarget.Edit(JournalKind.MorningPages, bobs), Input("Overwrite"), ct));
        Assert.Equal(JournalDraftSaveResult.NotFound, await drafts.SaveAsync("ada", JournalDraftTarget.Edit(JournalKind.MorningPages, 999), Input("Nothing"), ct));
        Assert.Equal(0, await t.Db.JournalDrafts.CountAsync(ct));
    }

    [Fact]
    public async Task EditDraft_TakesTheEntrysKind_AndGoesWithTheEntry()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await t.AddAsync("ada", new DateOnly(2026, 11, 24), JournalKind.Note, body: "Saved words");
        var target = JournalDraftTarget.Edit(JournalKind.MorningPages, id);
        Assert.Equal(JournalDraftSaveResult.Saved, await drafts.SaveAsync("ada", target, Input("Changed words"), ct));
        Assert.Equal(JournalKind.Note, (await drafts.GetAsync("ada", target, ct))!.Kind);

        Assert.True(await t.Journal.DeleteAsync("ada", id, ct));
        Assert.Equal(0, await t.Db.JournalDrafts.CountAsync(ct));
    }

    [Fact]
    public async Task Save_TooLong_WritesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(JournalDraftSaveResult.TooLong, await drafts.SaveAsync("ada", JournalDraftTarget.New(JournalKind.Note), Input(new string('a', JournalDraftService.MaxDraftLength + 1)), ct));
        Assert.Equal(0, await t.Db.JournalDrafts.CountAsync(ct));
    }

    [Fact]
    public async Task Discard_RemovesOnlyThatScreensDraft_OfThatUser()
    {
        var ct = TestContext.Current.CancellationToken;
        await drafts.SaveAsync("ada", JournalDraftTarget.New(JournalKind.MorningPages), Input("Ada's morning"), ct);
        await drafts.SaveAsync("ada", JournalDraftTarget.New(JournalKind.Note), Input("Ada's note", kind: JournalKind.Note), ct);
        await drafts.SaveAsync("bob", JournalDraftTarget.New(JournalKind.MorningPages), Input("Bob's morning"), ct);

        Assert.True(await drafts.DiscardAsync("ada", JournalDraftTarget.New(JournalKind.MorningPages), ct));
        Assert.False(await drafts.DiscardAsync("ada", JournalDraftTarget.New(JournalKind.MorningPages), ct));

        Assert.Equal(["Ada's note"], (await drafts.ListAsync("ada", cancellationToken: ct)).Select(d => d.Excerpt));
        Assert.Equal(["Bob's morning"], (await drafts.ListAsync("bob", cancellationToken: ct)).Select(d => d.Excerpt));
    }

    [Fact]
    public async Task WeeklyReviewsOf_FindsTheUsersOtherReviewsOfThatWeek()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await t.AddAsync("ada", new DateOnly(2026, 11, 23), JournalKind.WeeklyReview, title: "W47 review", week: "2026-W47");
        await t.AddAsync("ada", new DateOnly(2026, 11, 23), JournalKind.WeeklyReview, week: "2026-W46");
        await t.AddAsync("ada", new DateOnly(2026, 11, 20), JournalKind.Note);
        await t.AddAsync("bob", new DateOnly(2026, 11, 23), JournalKind.WeeklyReview, week: "2026-W47");

        Assert.Equal([new WeeklyReviewRef(first, "W47 review", new DateOnly(2026, 11, 23))], await t.Journal.WeeklyReviewsOfAsync("ada", "2026-W47", cancellationToken: ct));
        Assert.Empty(await t.Journal.WeeklyReviewsOfAsync("ada", "2026-W47", exceptId: first, cancellationToken: ct));
        Assert.Empty(await t.Journal.WeeklyReviewsOfAsync("ada", "2026-W48", cancellationToken: ct));
    }
}
