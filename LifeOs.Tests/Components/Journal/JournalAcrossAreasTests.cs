using Bunit;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Web.Components.Pages.Journal;
using MudBlazor;

namespace LifeOs.Tests.Components.Journal;

/// <summary>Where the journal meets the other areas: health and goals in the weekly review; entries in a journal habit.</summary>
public sealed class JournalAcrossAreasTests() : JournalTestContext(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" })
{
    private Task<GoalSaveResult> GoalAsync(string user, GoalInput input) =>
        WithAsync<GoalService, GoalSaveResult>(goals => goals.CreateAsync(user, input, CancellationToken.None));

    [Fact]
    public async Task WeeklyReview_StartsWithTheWeeksHealthFiguresAndGoalResults()
    {
        var user = await SignInAsNewUserAsync("review@example.com");
        // Week 47 (16–22 November): 12,000 steps on five days, 4,000 on two.
        var days = new[] { ("2026-11-16", 12_000), ("2026-11-17", 12_000), ("2026-11-18", 4_000), ("2026-11-19", 12_000), ("2026-11-20", 12_000), ("2026-11-21", 4_000), ("2026-11-22", 12_000) };
        await WithAsync<HealthStore, UpsertResult>(store => store.UpsertSamplesAsync(user,
            days.Select(d => new SampleInput(MetricCatalogue.Steps, SampleSource.Oura, "s-" + d.Item1, DateTime.Parse(d.Item1 + "T12:00:00Z", null, System.Globalization.DateTimeStyles.AdjustToUniversal), d.Item2)).ToList()));
        Assert.True((await GoalAsync(user, new GoalInput { Name = "10k steps", Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.Steps, Target = 10_000, StartDate = new DateOnly(2026, 11, 1) })).Succeeded);
        Assert.True((await GoalAsync(user, new GoalInput { Name = "Four active days", Kind = GoalKind.WeeklyCount, MetricCode = MetricCatalogue.Steps, Target = 10_000, DaysPerWeek = 4, StartDate = new DateOnly(2026, 11, 1) })).Succeeded);

        var page = RenderAt<JournalEditorPage>("/journal/new?kind=weekly-review&week=2026-W47");
        var body = page.WaitForElement("#journal-body").TextContent;

        Assert.Contains("**Health**", body, StringComparison.Ordinal);
        Assert.Contains("- Steps: 9,714 a day (7 days)", body, StringComparison.Ordinal); // 68,000 / 7
        Assert.Contains("**Goals**", body, StringComparison.Ordinal);
        Assert.Contains("- 10k steps: not achieved (5 of 7 days)", body, StringComparison.Ordinal);
        Assert.Contains("- Four active days: achieved (5 of 4 days)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JournalHabitGoal_CountsDaysWithAnEntryOfItsKind_WrittenInTheEditor()
    {
        var user = await SignInAsNewUserAsync("habit@example.com");
        foreach (var (kind, day) in new[] { ("reflection", 23), ("reflection", 24), ("note", 25) }) // a note is not a reflection
        {
            await WriteInEditorAsync(kind, new DateOnly(2026, 11, day));
        }

        Assert.True((await GoalAsync(user, new GoalInput { Name = "Reflect daily", Kind = GoalKind.JournalHabit, DaysPerWeek = 7, JournalKind = "DailyReflection", StartDate = new DateOnly(2026, 11, 23) })).Succeeded);
        var status = await HabitAsync(user);
        Assert.Equal((DayResult.Pending, 2, 2d), (status.Today, status.CurrentStreak, status.Week!.Achieved));

        await WriteInEditorAsync("reflection", Today);
        status = await HabitAsync(user);
        Assert.Equal((DayResult.Hit, 3, 3d), (status.Today, status.CurrentStreak, status.Week!.Achieved));
    }

    private Task<GoalStatus> HabitAsync(string user) =>
        WithAsync<GoalService, GoalStatus>(async goals => (await goals.EvaluateAllAsync(user, CancellationToken.None)).Single());

    private async Task WriteInEditorAsync(string kind, DateOnly day)
    {
        var page = RenderAt<JournalEditorPage>($"/journal/new?kind={kind}");
        page.WaitForElement("#journal-body").Input("Wrote a little today.");
        await page.InvokeAsync(() => page.FindComponent<MudDatePicker>().Instance.DateChanged.InvokeAsync(day.ToDateTime(TimeOnly.MinValue)));
        await page.Find("[data-testid=save-entry]").ClickAsync(new());
        Assert.StartsWith("journal/", Location, StringComparison.Ordinal);
        Assert.DoesNotContain("new", Location, StringComparison.Ordinal);
    }
}
