using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Goals;

public sealed class GoalEvaluatorTests
{
    // Wednesday; the ISO week began on Monday 23 November.
    private static readonly DateOnly Today = new(2026, 11, 25);
    private static readonly HashSet<DateOnly> NoEntries = [];

    private static Goal Steps(GoalKind kind = GoalKind.DailyTarget, int? days = null, DateOnly? start = null) => new()
    {
        UserId = "u",
        Name = "Steps",
        Kind = kind,
        MetricCode = MetricCatalogue.Steps,
        Comparison = Comparison.AtLeast,
        Target = 10_000,
        DaysPerWeek = days,
        StartDate = start ?? Today.AddDays(-60),
    };

    private static Dictionary<DateOnly, double> Days(params (int DaysAgo, double Value)[] values) =>
        values.ToDictionary(v => Today.AddDays(-v.DaysAgo), v => v.Value);

    [Fact]
    public void DailyTarget_DistinguishesHitMissedNoDataAndTodayNotOver()
    {
        var status = GoalEvaluator.Evaluate(Steps(), Today, Days((1, 12_000), (2, 9_000), (4, 10_000)), NoEntries, grace: false);

        Assert.Equal(DayResult.Pending, status.Today);
        var last = status.Last30Days.TakeLast(5).Select(d => d.Result).ToList();
        Assert.Equal([DayResult.Hit, DayResult.NoData, DayResult.Missed, DayResult.Hit, DayResult.Pending], last);
        Assert.Equal((1, 1), (status.CurrentStreak, status.BestStreak));
        Assert.Null(status.TodayValue);
    }

    [Fact]
    public void GraceRule_OneMissPerSevenDaysBridgesTheStreak_ASecondBreaksIt()
    {
        // Hits on days 10..1 ago, except a miss 5 days ago.
        var values = Enumerable.Range(1, 10).ToDictionary(i => Today.AddDays(-i), i => i == 5 ? 4000.0 : 11_000);
        Assert.Equal(4, GoalEvaluator.Evaluate(Steps(), Today, values, NoEntries, grace: false).CurrentStreak);
        Assert.Equal(9, GoalEvaluator.Evaluate(Steps(), Today, values, NoEntries, grace: true).CurrentStreak);

        // A second miss within 7 days of the first is not forgiven.
        values[Today.AddDays(-3)] = 100;
        Assert.Equal(2, GoalEvaluator.Evaluate(Steps(), Today, values, NoEntries, grace: true).CurrentStreak);
    }

    [Fact]
    public void WeeklyCount_CountsMondayToToday_AndWeeksMakeTheStreak()
    {
        // This week (Mon 23, Tue 24): two days on target, four needed.
        var values = Days((2, 10_500), (1, 12_000));
        // The two weeks before: four hits each.
        foreach (var start in new[] { 9, 16 })
        {
            for (var i = 0; i < 4; i++)
            {
                values[Today.AddDays(-start + i)] = 10_000;
            }
        }

        var status = GoalEvaluator.Evaluate(Steps(GoalKind.WeeklyCount, days: 4, start: Today.AddDays(-16)), Today, values, NoEntries, grace: false);

        Assert.Equal((2.0, 4.0, false), (status.Week!.Achieved, status.Week.Needed, status.Week.Hit));
        Assert.True(status.StreakInWeeks);
        Assert.Equal(2, status.CurrentStreak); // the week in progress can still be won, so it does not break it
    }

    [Fact]
    public void WeeklyAverage_UsesOnlyDaysWithData()
    {
        var goal = Steps(GoalKind.WeeklyAverage);
        goal.MetricCode = MetricCatalogue.SleepDuration;
        goal.Target = 7 * 3600;
        var status = GoalEvaluator.Evaluate(goal, Today, Days((2, 6.5 * 3600), (1, 8 * 3600)), NoEntries, grace: false);
        Assert.Equal(7.25 * 3600, status.Week!.Achieved);
        Assert.True(status.Week.Hit);
    }

    [Fact]
    public void JournalHabit_EveryDay_HitsOnDaysWithAnEntry()
    {
        var goal = new Goal { UserId = "u", Name = "Reflect", Kind = GoalKind.JournalHabit, DaysPerWeek = 7, StartDate = Today.AddDays(-3) };
        var status = GoalEvaluator.Evaluate(goal, Today, new Dictionary<DateOnly, double>(), new HashSet<DateOnly> { Today.AddDays(-2), Today.AddDays(-1), Today }, grace: false);

        Assert.Equal(DayResult.Hit, status.Today);
        Assert.Equal(3, status.CurrentStreak);
        Assert.Equal(DayResult.Missed, status.Last30Days[^4].Result);
        Assert.Equal(DayResult.Outside, status.Last30Days[^5].Result);
    }

    [Fact]
    public void BodyTarget_ProjectsTheDate_FromTheTrend_AndSaysWhatRateIsNeeded()
    {
        // 80 kg losing 0.1 kg a day (0.7 kg a week); 75 kg by 1 March 2027 (14 weeks away).
        var values = Enumerable.Range(0, 21).ToDictionary(i => Today.AddDays(-20 + i), i => 82.0 - (0.1 * i));
        var goal = new Goal { UserId = "u", Name = "75 kg", Kind = GoalKind.BodyTarget, MetricCode = MetricCatalogue.Weight, Comparison = Comparison.AtMost, Target = 75, StartDate = Today.AddDays(-20), EndDate = new DateOnly(2027, 3, 3) };

        var body = GoalEvaluator.Evaluate(goal, Today, values, NoEntries, grace: false).Body!;

        Assert.Equal(80.0, body.Current!.Value, 6);
        Assert.Equal(-0.7, body.ActualPerWeek!.Value, 6);
        Assert.Equal(-5.0 / 14, body.RequiredPerWeek!.Value, 6);
        Assert.Equal(Today.AddDays(50), body.ProjectedDate); // 5 kg at 0.1 kg a day
        Assert.True(body.OnTrack);
        Assert.False(body.Reached);
    }

    [Fact]
    public void Today_BelowAnAtLeastTarget_IsNotOverYet_ButAtTheTargetIsAHit()
    {
        Assert.Equal(DayResult.Pending, GoalEvaluator.Evaluate(Steps(), Today, Days((0, 7_000)), NoEntries, grace: false).Today);
        Assert.Equal(DayResult.Hit, GoalEvaluator.Evaluate(Steps(), Today, Days((0, 10_000)), NoEntries, grace: false).Today);

        // Last night's sleep is final: short of the target is a miss, not "not over yet".
        var sleep = Steps();
        sleep.MetricCode = MetricCatalogue.SleepDuration;
        sleep.Target = 7.5 * 3600;
        Assert.Equal(DayResult.Missed, GoalEvaluator.Evaluate(sleep, Today, Days((0, 7 * 3600)), NoEntries, grace: false).Today);
    }

    [Fact]
    public void BodyTarget_DaysAreHitWhenOnTheLineFromStartToTarget()
    {
        // From 80 kg on the start day to 70 kg in 10 days: day 5 should be 75 or less.
        var start = Today.AddDays(-5);
        var goal = new Goal { UserId = "u", Name = "70 kg", Kind = GoalKind.BodyTarget, MetricCode = MetricCatalogue.Weight, Comparison = Comparison.AtMost, Target = 70, StartDate = start, EndDate = start.AddDays(10) };
        var values = new Dictionary<DateOnly, double> { [start] = 80, [start.AddDays(2)] = 79, [start.AddDays(4)] = 75.5 };
        var strip = GoalEvaluator.Evaluate(goal, Today, values, NoEntries, grace: false).Last30Days.ToDictionary(d => d.Day, d => d.Result);

        Assert.Equal(DayResult.Hit, strip[start]);              // 80 on the line's start
        Assert.Equal(DayResult.Missed, strip[start.AddDays(2)]); // 79 > 78 expected
        Assert.Equal(DayResult.Hit, strip[start.AddDays(4)]);    // 75.5 <= 76 expected
        Assert.Equal(DayResult.NoData, strip[start.AddDays(3)]);
    }

    [Fact]
    public void EndedGoal_HasNoCurrentStreak_ButKeepsItsBest()
    {
        var goal = Steps(start: Today.AddDays(-10));
        goal.EndDate = Today.AddDays(-5);
        var values = Enumerable.Range(5, 6).ToDictionary(i => Today.AddDays(-i), _ => 20_000.0);
        var status = GoalEvaluator.Evaluate(goal, Today, values, NoEntries, grace: false);
        Assert.Equal((0, 6), (status.CurrentStreak, status.BestStreak));
        Assert.Equal(DayResult.Outside, status.Today);
    }
}

/// <summary>Goals evaluated from samples written through the store: local days across DST and far from UTC.</summary>
public sealed class GoalDayBoundaryTests : IDisposable
{
    private readonly SqliteConnection connection = TestDatabase.OpenInMemory();
    private readonly LifeOsDbContext db;

    public GoalDayBoundaryTests()
    {
        db = new LifeOsDbContext(TestDatabase.Options(connection));
        db.Database.Migrate();
    }

    public void Dispose()
    {
        db.Dispose();
        connection.Dispose();
    }

    private async Task<GoalStatus> EvaluateAsync(string zone, DateTimeOffset now, params (DateTime Utc, double Steps)[] samples)
    {
        db.Users.Add(new ApplicationUser { Id = "u", UserName = "u", Email = "u@example.com", TimeZoneId = zone, CreatedAt = DateTime.UtcNow });
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        var time = new FakeTimeProvider(now);
        var store = new HealthStore(db, time, new SourcePriorityService(db));
        await store.UpsertSamplesAsync("u", samples.Select((s, i) => new SampleInput(MetricCatalogue.Steps, SampleSource.Oura, $"s{i}", s.Utc, s.Steps)).ToList(), TestContext.Current.CancellationToken);
        var goals = new GoalService(db, time, store, new NoJournal());
        var created = await goals.CreateAsync("u", new GoalInput { Name = "Steps", Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.Steps, Comparison = Comparison.AtLeast, Target = 10_000, StartDate = new DateOnly(2026, 3, 1) }, TestContext.Current.CancellationToken);
        Assert.True(created.Succeeded);
        return (await goals.EvaluateAllAsync("u", TestContext.Current.CancellationToken)).Single();
    }

    [Fact]
    public async Task AcrossTheSpringDstChange_StepsCountForTheLocalDay()
    {
        // Paris, 29 March 2026: 22:30 UTC on the 28th is 23:30 CET (the 28th); 22:30 UTC on the 29th is 00:30 CEST (the 30th).
        var status = await EvaluateAsync("Europe/Paris", new DateTimeOffset(2026, 3, 31, 10, 0, 0, TimeSpan.Zero),
            (new DateTime(2026, 3, 28, 22, 30, 0, DateTimeKind.Utc), 10_000),
            (new DateTime(2026, 3, 29, 22, 30, 0, DateTimeKind.Utc), 10_000));

        var byDay = status.Last30Days.ToDictionary(d => d.Day, d => d.Result);
        Assert.Equal(DayResult.Hit, byDay[new DateOnly(2026, 3, 28)]);
        Assert.Equal(DayResult.NoData, byDay[new DateOnly(2026, 3, 29)]);
        Assert.Equal(DayResult.Hit, byDay[new DateOnly(2026, 3, 30)]);
    }

    [Fact]
    public async Task FarFromUtc_TodayIsTheUsersToday()
    {
        // 11:00 UTC on 24 November is 00:00 on the 25th in Auckland (UTC+13): today there is already the 25th.
        var status = await EvaluateAsync("Pacific/Auckland", new DateTimeOffset(2026, 11, 24, 11, 30, 0, TimeSpan.Zero),
            (new DateTime(2026, 11, 24, 11, 10, 0, DateTimeKind.Utc), 12_000));

        Assert.Equal(new DateOnly(2026, 11, 25), status.Last30Days[^1].Day);
        Assert.Equal(DayResult.Hit, status.Today);
        Assert.Equal(12_000, status.TodayValue);
    }
}
