using System.Text.Json;
using Bunit;
using LifeOs.Core.Accounts;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Components.Pages.Goals;

namespace LifeOs.Tests.Components.Goals;

/// <summary>
/// The card's words never contradict its strip: the cases a new user met ("on track" above a red strip,
/// "0 of 1 days"), each kind's wording, and a sweep of random goals checking the chip against this week's cells.
/// </summary>
public sealed class GoalCardTests : PageTestContext
{
    // Wednesday; the week began on Monday 23 November.
    private static readonly DateOnly Today = new(2026, 11, 25);
    private static readonly HashSet<DateOnly> NoEntries = [];

    private IRenderedComponent<GoalCard> Card(GoalStatus status) =>
        Render<GoalCard>(p => p.Add(x => x.Status, status).Add(x => x.Units, UnitSystem.Metric).Add(x => x.Actions, false));

    private static string Text(IRenderedComponent<GoalCard> card, string testId) => card.Find($"[data-testid={testId}]").TextContent.Trim();

    private static Goal Steps(GoalKind kind = GoalKind.DailyTarget, int? days = null, DateOnly? start = null) => new()
    {
        Id = 1, UserId = "u", Name = "Steps", Kind = kind, MetricCode = MetricCatalogue.Steps, Comparison = Comparison.AtLeast, Target = 10_000,
        DaysPerWeek = days, StartDate = start ?? Today.AddDays(-60),
    };

    private static Goal Weight(DateOnly start, DateOnly by) => new()
    {
        Id = 2, UserId = "u", Name = "75 kg", Kind = GoalKind.BodyTarget, MetricCode = MetricCatalogue.Weight, Comparison = Comparison.AtMost, Target = 75, StartDate = start, EndDate = by,
    };

    private static Dictionary<DateOnly, double> Days(params (int DaysAgo, double Value)[] values) =>
        values.ToDictionary(v => Today.AddDays(-v.DaysAgo), v => v.Value);

    /// <summary>What a person sees of a card: its text, its state and its strip.</summary>
    private static string Seen(IRenderedComponent<GoalCard> card) =>
        $"{card.Find("article").TextContent} | {card.Find("[data-testid=goal-state]").GetAttribute("data-state")} | {string.Join(",", Cells(card))}";

    private static List<string> Cells(IRenderedComponent<GoalCard> card) =>
        card.FindAll(".day-cell[data-result]").Select(c => c.GetAttribute("data-result")!).ToList();

    [Fact]
    public void NewGoal_OnItsFirstMorning_IsNotScoredYet_NotZeroOfOneDays()
    {
        var monday = new DateOnly(2026, 11, 23);
        var card = Card(GoalEvaluator.Evaluate(Steps(start: monday), monday, new Dictionary<DateOnly, double>(), NoEntries, grace: false));

        Assert.Equal("Not scored yet", Text(card, "goal-state-label"));
        Assert.Equal("–", Text(card, "goal-week"));
        Assert.DoesNotContain("0 of 1", card.Markup, StringComparison.Ordinal);
        Assert.Equal("pending", Cells(card)[^1]);
        Assert.DoesNotContain("missed", Cells(card));
    }

    [Fact]
    public void BodyTarget_FirstWeighInAfterTheStart_IsOnTrack_AndEveryWeighInIsMet()
    {
        // It used to say "on track" above a strip of red days: the line started a day before the first weigh-in.
        var start = Today.AddDays(-20);
        var values = Enumerable.Range(1, 20).ToDictionary(d => start.AddDays(d), d => 80 - (0.1 * (d - 1)));
        var card = Card(GoalEvaluator.Evaluate(Weight(start, start.AddDays(51)), Today, values, NoEntries, grace: false));

        Assert.Equal("On track", Text(card, "goal-state-label"));
        Assert.Equal("78.1 kg is on the line to your target (plan: 78.1 kg by now).", Text(card, "goal-state-detail"));
        Assert.Equal(20, Cells(card).Count(c => c == "hit"));
        Assert.DoesNotContain("missed", Cells(card));
        Assert.Equal("Last 30 days: 20 met, 0 missed, 1 no data", Text(card, "goal-strip-summary"));
    }

    [Fact]
    public void BodyTarget_BehindTheLine_SaysBehind_AndShowsTheLine_WithTheTrendBesideIt()
    {
        var start = Today.AddDays(-20);
        var values = Enumerable.Range(0, 20).ToDictionary(d => start.AddDays(d), d => 80 - (0.1 * d));
        values[Today] = 79.0;
        var card = Card(GoalEvaluator.Evaluate(Weight(start, start.AddDays(80)), Today, values, NoEntries, grace: false));

        Assert.Equal("Behind", Text(card, "goal-state-label"));
        Assert.Equal("79 kg is behind the line to your target (plan: 78.8 kg by now).", Text(card, "goal-state-detail"));
        Assert.Equal("missed", Cells(card)[^1]);
        Assert.Equal("78.8 kg", Text(card, "goal-line"));
        Assert.Equal("reaches it 10 Jan 2027", Text(card, "goal-projected")); // the trend, beside the state: it does not decide it
        Assert.Equal("−0.61 kg/wk", Text(card, "goal-trend"));
        Assert.Equal("needs −0.47 kg/wk", Text(card, "goal-needed"));
    }

    [Fact]
    public void EveryDay_ADayWithoutData_IsNotAMiss()
    {
        // Sunday and Monday met, Tuesday no data, today not over.
        var card = Card(GoalEvaluator.Evaluate(Steps(), Today, Days((3, 12_000), (2, 11_000)), NoEntries, grace: false));

        Assert.Equal("On track", Text(card, "goal-state-label"));
        Assert.Equal("Every day with data met this week (1 day without data).", Text(card, "goal-state-detail"));
        Assert.Equal("1 of 2 days", Text(card, "goal-week"));
        Assert.Equal("1 without data", Text(card, "goal-week-note"));
        Assert.Equal("2 days", Text(card, "goal-streak"));
        Assert.Equal(["hit", "hit", "nodata", "pending"], Cells(card).TakeLast(4));
        Assert.Equal("this week", Text(card, "goal-strip-this-week"));
    }

    [Fact]
    public void EveryDay_AMissThisWeek_IsBehind_AndSaysSo()
    {
        var card = Card(GoalEvaluator.Evaluate(Steps(), Today, Days((2, 12_000), (1, 3_000), (0, 10_500)), NoEntries, grace: false));

        Assert.Equal("Behind", Text(card, "goal-state-label"));
        Assert.Equal("1 day missed this week.", Text(card, "goal-state-detail"));
        Assert.Equal("2 of 3 days", Text(card, "goal-week"));
        Assert.Equal("1 missed", Text(card, "goal-week-note"));
    }

    [Fact]
    public void DaysAWeek_SaysHowManyMoreAreNeeded_ThenThatTheWeekCannotBeMet()
    {
        var inProgress = Card(GoalEvaluator.Evaluate(Steps(GoalKind.WeeklyCount, days: 4), Today, Days((2, 12_000), (1, 3_000)), NoEntries, grace: false));
        Assert.Equal("In progress", Text(inProgress, "goal-state-label"));
        Assert.Equal("3 days more needed this week, 5 days left.", Text(inProgress, "goal-state-detail"));
        Assert.Equal("1 of 4 days", Text(inProgress, "goal-week"));
        Assert.Contains("not met", inProgress.Find("[data-testid=goal-strip]").TextContent, StringComparison.Ordinal); // a day off is not "missed"

        var lost = Card(GoalEvaluator.Evaluate(Steps(GoalKind.WeeklyCount, days: 7), Today, Days((2, 12_000), (1, 3_000)), NoEntries, grace: false));
        Assert.Equal("Behind", Text(lost, "goal-state-label"));
        Assert.Equal("Can't be met this week: 6 days more needed, 5 days left.", Text(lost, "goal-state-detail"));
    }

    [Fact]
    public void WeeklyAverage_QuotesTheAverageItJudges()
    {
        var goal = Steps(GoalKind.WeeklyAverage);
        goal.MetricCode = MetricCatalogue.SleepDuration;
        goal.Target = 7 * 3600;
        var card = Card(GoalEvaluator.Evaluate(goal, Today, Days((2, 6.5 * 3600), (1, 8 * 3600)), NoEntries, grace: false));

        Assert.Equal("On track", Text(card, "goal-state-label"));
        Assert.Equal("This week's average, 7 h 15, meets the target so far.", Text(card, "goal-state-detail"));
        Assert.Equal("avg 7 h 15", Text(card, "goal-week"));
    }

    [Fact]
    public void Archived_ShowsItsHistory_ButKeepsNoScore()
    {
        var goal = Steps();
        goal.ArchivedAt = new DateTime(2026, 11, 20, 8, 0, 0, DateTimeKind.Utc);
        var card = Card(GoalEvaluator.Evaluate(goal, Today, Days((10, 12_000), (9, 3_000)), NoEntries, grace: false));

        Assert.Equal("archived", card.Find("[data-testid=goal-state]").GetAttribute("data-state"));
        Assert.Contains("Archived on 20 Nov 2026", card.Markup, StringComparison.Ordinal);
        Assert.Empty(card.FindAll(".goal-stats"));
        Assert.Empty(card.FindAll("[data-testid=goal-strip-this-week]"));
        Assert.Equal(30, Cells(card).Count);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public async Task Chip_AgreesWithThisWeeksCells_ForRandomEveryDayGoals(int seed)
    {
        var random = new Random(seed);
        for (var run = 0; run < 60; run++)
        {
            var today = new DateOnly(2026, 11, 23).AddDays(random.Next(7));
            var journal = random.Next(2) == 0;
            var goal = journal
                ? new Goal { Id = run, UserId = "u", Name = "Write", Kind = GoalKind.JournalHabit, DaysPerWeek = 7, StartDate = today.AddDays(-random.Next(0, 40)) }
                : Steps(start: today.AddDays(-random.Next(0, 40)));
            var days = Enumerable.Range(0, 41).Select(i => today.AddDays(-i)).Where(_ => random.NextDouble() < 0.7).ToList();
            var values = days.ToDictionary(d => d, _ => random.Next(4_000, 16_000) * 1.0);
            var status = GoalEvaluator.Evaluate(goal, today, values, days.ToHashSet(), grace: false);
            var card = Card(status);

            var label = Text(card, "goal-state-label");
            var monday = GoalEvaluator.WeekStart(today);
            var week = Cells(card).Where((_, i) => status.Last30Days[i].Day >= monday).ToList();
            var context = $"seed {seed} run {run}: {label} over [{string.Join(",", week)}]";
            Assert.True(label is not ("On track" or "Met") || (!week.Contains("missed") && week.Contains("hit")), context);
            Assert.True(label != "Behind" || week.Contains("missed"), context);
            Assert.True(label != "Not scored yet" || !week.Contains("hit") && !week.Contains("missed"), context);
            await DisposeComponentsAsync();
        }
    }

    [Fact]
    public async Task Statuses_SurviveThePrerenderHandOver_Unchanged()
    {
        // [PersistentState] hands the page's statuses to the interactive render as JSON: every kind must come back whole.
        var start = Today.AddDays(-20);
        var weekly = Steps(GoalKind.WeeklyAverage);
        var statuses = new List<GoalStatus>
        {
            GoalEvaluator.Evaluate(Steps(), Today, Days((3, 12_000), (2, 11_000)), NoEntries, grace: false),
            GoalEvaluator.Evaluate(Steps(GoalKind.WeeklyCount, days: 4), Today, Days((2, 12_000), (1, 3_000)), NoEntries, grace: false),
            GoalEvaluator.Evaluate(weekly, Today, new Dictionary<DateOnly, double>(), NoEntries, grace: false), // no data: no NaN
            GoalEvaluator.Evaluate(Weight(start, start.AddDays(80)), Today, Enumerable.Range(0, 20).ToDictionary(d => start.AddDays(d), d => 80 - (0.1 * d)), NoEntries, grace: false),
        };
        var view = new GoalsPage.GoalsView(UnitSystem.Metric, statuses);

        var json = JsonSerializer.Serialize(view, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var back = JsonSerializer.Deserialize<GoalsPage.GoalsView>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        for (var i = 0; i < statuses.Count; i++)
        {
            var before = Seen(Card(statuses[i]));
            await DisposeComponentsAsync();
            Assert.Equal(before, Seen(Card(back.Goals[i])));
            await DisposeComponentsAsync();
        }
    }
}
