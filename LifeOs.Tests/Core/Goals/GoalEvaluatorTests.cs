using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
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

    // The status never contradicts the strip. A new user saw "on track" above an almost all-red strip and
    // "0 of 1 days": body targets said "on track" from a 30-day projection while each day was judged against
    // a line that started on the wrong day or from one noisy weigh-in, and the week counted today before it was over.

    [Fact]
    public void BodyTarget_FirstWeighInAfterTheStart_StartsTheLine_SoKeepingThePaceIsOnTrackAndGreen()
    {
        // Started 20 days ago without a weigh-in; the first came the next day (80 kg), then 0.1 kg a day, exactly
        // the pace to 75 kg by day 51. The line used to start on the start day from that first value, so every
        // weigh-in was a day behind it (red) while the projection said "on track".
        var start = Today.AddDays(-20);
        var values = Enumerable.Range(1, 20).ToDictionary(d => start.AddDays(d), d => 80 - (0.1 * (d - 1)));
        var goal = Weight(start, start.AddDays(51));

        var status = GoalEvaluator.Evaluate(goal, Today, values, NoEntries, grace: false);

        var scored = status.Last30Days.Where(d => d.Result is DayResult.Hit or DayResult.Missed).ToList();
        Assert.Equal(20, scored.Count);
        Assert.All(scored, d => Assert.Equal(DayResult.Hit, d.Result));
        Assert.Equal(GoalState.OnTrack, status.State);
        Assert.True(status.Body!.OnTrack);
    }

    [Fact]
    public void BodyTarget_OneLowWeighInOnTheStartDay_DoesNotTiltTheLine()
    {
        // A week around 80.4 kg with a low 79.6 on the start day, then 0.08 kg a day down; 75 kg in 90 days.
        // From 79.6 alone, 20 of 21 days were red under an "on track" badge; from the week's average they are green.
        var start = Today.AddDays(-20);
        var values = new Dictionary<DateOnly, double>
        {
            [start.AddDays(-6)] = 80.6, [start.AddDays(-5)] = 80.4, [start.AddDays(-4)] = 80.5, [start.AddDays(-3)] = 80.3,
            [start.AddDays(-2)] = 80.5, [start.AddDays(-1)] = 80.4, [start] = 79.6,
        };
        for (var d = 1; d <= 20; d++)
        {
            values[start.AddDays(d)] = 80.4 - (0.08 * d);
        }

        var status = GoalEvaluator.Evaluate(Weight(start, start.AddDays(90)), Today, values, NoEntries, grace: false);

        Assert.Equal(GoalState.OnTrack, status.State);
        Assert.Equal(DayResult.Hit, status.Last30Days[^1].Result);
        Assert.True(status.Last30Days.Count(d => d.Result == DayResult.Hit) >= 18);
    }

    [Fact]
    public void BodyTarget_BehindTheLine_IsBehind_EvenWhenTheTrendWouldReachItInTime()
    {
        // 0.1 kg a day down from 80 kg, then 79.0 this morning; 75 kg in 80 days. The trend still reaches 75 kg by
        // day 66, but this morning's weigh-in is above the line (78.75 expected): the strip's last day is red, so
        // the status says behind and shows the line's value, instead of "on track" beside a red day.
        var start = Today.AddDays(-20);
        var values = Enumerable.Range(0, 20).ToDictionary(d => start.AddDays(d), d => 80 - (0.1 * d));
        values[Today] = 79.0;

        var status = GoalEvaluator.Evaluate(Weight(start, start.AddDays(80)), Today, values, NoEntries, grace: false);

        Assert.Equal(start.AddDays(66), status.Body!.ProjectedDate);
        Assert.Equal(DayResult.Missed, status.Last30Days[^1].Result);
        Assert.Equal(GoalState.Behind, status.State);
        Assert.False(status.Body.OnTrack);
        Assert.Equal(78.75, status.Body.Expected!.Value, 6);
    }

    [Fact]
    public void EveryDay_StartedToday_IsNotScoredYet_NotZeroOfOneDays()
    {
        var monday = new DateOnly(2026, 11, 23);
        var status = GoalEvaluator.Evaluate(Steps(start: monday), monday, Days(), NoEntries, grace: false);

        Assert.Equal(GoalState.NotScoredYet, status.State);
        Assert.Equal((0.0, 0, 0), (status.Week!.Achieved, status.Week.DaysWithData, status.Week.Missed));
        Assert.Equal((7.0, 7), (status.Week.Needed, status.Week.DaysLeft)); // today is not over: it is still to play for
        Assert.Equal(DayResult.Pending, status.Today);
    }

    [Fact]
    public void EveryDay_ADayWithoutData_IsNotAMiss_NeitherThisWeekNorForTheStreak()
    {
        // Sunday and Monday met, Tuesday no data (ring off), today not over.
        var status = GoalEvaluator.Evaluate(Steps(), Today, Days((3, 12_000), (2, 11_000)), NoEntries, grace: false);

        Assert.Equal(GoalState.OnTrack, status.State);
        Assert.Equal((1.0, 0, 1), (status.Week!.Achieved, status.Week.Missed, status.Week.NoData));
        Assert.Equal(2, status.CurrentStreak);
    }

    [Fact]
    public void EveryDay_AMissedDayThisWeek_IsBehind_ThoughTodayIsMet()
    {
        var status = GoalEvaluator.Evaluate(Steps(), Today, Days((2, 12_000), (1, 3_000), (0, 10_500)), NoEntries, grace: false);

        Assert.Equal(GoalState.Behind, status.State);
        Assert.Equal((2.0, 1), (status.Week!.Achieved, status.Week.Missed));
    }

    [Fact]
    public void DaysAWeek_StartedOnAFriday_NeedsNoMoreDaysThanTheWeekHolds()
    {
        var friday = new DateOnly(2026, 11, 27);
        var goal = Steps(GoalKind.WeeklyCount, days: 4, start: friday);

        var first = GoalEvaluator.Evaluate(goal, friday, Days(), NoEntries, grace: false);
        Assert.Equal((3.0, GoalState.InProgress), (first.Week!.Needed, first.State));

        var sunday = friday.AddDays(2);
        var values = new Dictionary<DateOnly, double> { [friday] = 11_000, [friday.AddDays(1)] = 12_000, [sunday] = 10_000 };
        var last = GoalEvaluator.Evaluate(goal, sunday, values, NoEntries, grace: false);
        Assert.Equal((GoalState.Met, 1), (last.State, last.CurrentStreak));
    }

    [Fact]
    public void DaysAWeek_TooFewDaysLeft_IsBehind()
    {
        // Wednesday: nothing met on Monday or Tuesday, today not over: 5 days left. Six needed is behind; five is not yet.
        var goal = Steps(GoalKind.WeeklyCount, days: 6);
        Assert.Equal(GoalState.Behind, GoalEvaluator.Evaluate(goal, Today, Days((2, 100), (1, 100)), NoEntries, grace: false).State);
        goal.DaysPerWeek = 5;
        Assert.Equal(GoalState.InProgress, GoalEvaluator.Evaluate(goal, Today, Days((2, 100), (1, 100)), NoEntries, grace: false).State);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void State_AndTheWeeksNumbers_NeverContradictTheStrip(int seed)
    {
        var random = new Random(seed);
        for (var run = 0; run < 400; run++)
        {
            var today = new DateOnly(2026, 11, 23).AddDays(random.Next(7));
            var goal = RandomGoal(random, today);
            var values = new Dictionary<DateOnly, double>();
            var entries = new HashSet<DateOnly>();
            for (var day = today.AddDays(-70); day <= today; day = day.AddDays(1))
            {
                if (random.NextDouble() < 0.75)
                {
                    values[day] = goal.Kind == GoalKind.BodyTarget ? 80 - (0.05 * (day.DayNumber - today.AddDays(-70).DayNumber)) + (random.NextDouble() - 0.5) : goal.Target * (0.6 + (random.NextDouble() * 0.8));
                    entries.Add(day);
                }
            }

            var status = GoalEvaluator.Evaluate(goal, today, values, entries, grace: false);
            var context = $"seed {seed} run {run}: {goal.Kind} {goal.DaysPerWeek} from {goal.StartDate} to {goal.EndDate} on {today}: {status.State}";
            var week = status.Last30Days.Where(d => d.Day >= GoalEvaluator.WeekStart(today)).ToList();
            int Count(DayResult r) => week.Count(d => d.Result == r);

            if (status.Body is { } body)
            {
                var latest = status.Last30Days.LastOrDefault(d => d.Result is DayResult.Hit or DayResult.Missed);
                if (latest.Day == body.CurrentDay && body.TargetDate >= today)
                {
                    Assert.True(status.State != GoalState.OnTrack || latest.Result == DayResult.Hit, context);
                    Assert.True(status.State != GoalState.Behind || latest.Result == DayResult.Missed, context);
                }

                continue;
            }

            var w = status.Week!;
            Assert.True(Count(DayResult.Missed) == w.Missed && Count(DayResult.NoData) == w.NoData, context);
            if (goal.Kind == GoalKind.WeeklyAverage)
            {
                var scored = week.Where(d => d.Result is DayResult.Hit or DayResult.Missed).Select(d => values[d.Day]).ToList();
                Assert.True(status.State != GoalState.OnTrack || GoalEvaluator.Meets(goal, scored.Average()), context);
                Assert.True(status.State != GoalState.Behind || !GoalEvaluator.Meets(goal, scored.Average()), context);
                continue;
            }

            Assert.Equal(Count(DayResult.Hit), (int)w.Achieved);
            if (status.State is GoalState.OnTrack or GoalState.Met && !GoalEvaluator.IsDaysAWeek(goal))
            {
                Assert.True(Count(DayResult.Missed) == 0 && Count(DayResult.Hit) > 0, context);
            }

            if (status.State == GoalState.Behind)
            {
                Assert.True(GoalEvaluator.IsDaysAWeek(goal) ? w.Achieved + w.DaysLeft < w.Needed : Count(DayResult.Missed) > 0, context);
            }

            // Without grace, a daily streak is the met days since the strip's last miss.
            if (!status.StreakInWeeks && goal.StartDate >= today.AddDays(-29) && goal.EndDate is null)
            {
                var sinceMiss = status.Last30Days.Reverse().TakeWhile(d => d.Result != DayResult.Missed).Count(d => d.Result == DayResult.Hit);
                Assert.True(sinceMiss == status.CurrentStreak, context);
            }
        }
    }

    private static Goal RandomGoal(Random random, DateOnly today)
    {
        var start = today.AddDays(random.Next(-60, 2));
        DateOnly? end = random.Next(5) == 0 ? start.AddDays(random.Next(0, 60)) : null;
        return random.Next(6) switch
        {
            0 => new Goal { UserId = "u", Name = "Steps", Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.Steps, Comparison = Comparison.AtLeast, Target = 10_000, StartDate = start, EndDate = end },
            1 => new Goal { UserId = "u", Name = "Resting", Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.RestingHeartRate, Comparison = Comparison.AtMost, Target = 60, StartDate = start, EndDate = end },
            2 => new Goal { UserId = "u", Name = "Active", Kind = GoalKind.WeeklyCount, MetricCode = MetricCatalogue.Steps, Comparison = Comparison.AtLeast, Target = 10_000, DaysPerWeek = random.Next(1, 8), StartDate = start, EndDate = end },
            3 => new Goal { UserId = "u", Name = "Sleep", Kind = GoalKind.WeeklyAverage, MetricCode = MetricCatalogue.SleepDuration, Comparison = Comparison.AtLeast, Target = 7 * 3600, StartDate = start, EndDate = end },
            4 => new Goal { UserId = "u", Name = "Write", Kind = GoalKind.JournalHabit, DaysPerWeek = random.Next(1, 8), StartDate = start, EndDate = end },
            _ => Weight(start, start.AddDays(random.Next(20, 120))),
        };
    }

    private static Goal Weight(DateOnly start, DateOnly by) => new()
    {
        UserId = "u", Name = "75 kg", Kind = GoalKind.BodyTarget, MetricCode = MetricCatalogue.Weight, Comparison = Comparison.AtMost, Target = 75, StartDate = start, EndDate = by,
    };
}

/// <summary>Goals evaluated from samples written through the store: local days across DST and far from UTC.</summary>
public sealed class GoalDayBoundaryTests : IDisposable
{
    private EngineDatabase database = null!;
    private LifeOsDbContext db = null!;

    /// <summary>Each test starts here, on a migrated database of its own on the engine.</summary>
    private void On(Engine engine)
    {
        database = EngineDatabase.Create(engine);
        db = database.NewContext();
    }

    public void Dispose()
    {
        db?.Dispose();
        database?.Dispose();
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

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task AcrossTheSpringDstChange_StepsCountForTheLocalDay(Engine engine)
    {
        On(engine);
        // Paris, 29 March 2026: 22:30 UTC on the 28th is 23:30 CET (the 28th); 22:30 UTC on the 29th is 00:30 CEST (the 30th).
        var status = await EvaluateAsync("Europe/Paris", new DateTimeOffset(2026, 3, 31, 10, 0, 0, TimeSpan.Zero),
            (new DateTime(2026, 3, 28, 22, 30, 0, DateTimeKind.Utc), 10_000),
            (new DateTime(2026, 3, 29, 22, 30, 0, DateTimeKind.Utc), 10_000));

        var byDay = status.Last30Days.ToDictionary(d => d.Day, d => d.Result);
        Assert.Equal(DayResult.Hit, byDay[new DateOnly(2026, 3, 28)]);
        Assert.Equal(DayResult.NoData, byDay[new DateOnly(2026, 3, 29)]);
        Assert.Equal(DayResult.Hit, byDay[new DateOnly(2026, 3, 30)]);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task FarFromUtc_TodayIsTheUsersToday(Engine engine)
    {
        On(engine);
        // 11:00 UTC on 24 November is 00:00 on the 25th in Auckland (UTC+13): today there is already the 25th.
        var status = await EvaluateAsync("Pacific/Auckland", new DateTimeOffset(2026, 11, 24, 11, 30, 0, TimeSpan.Zero),
            (new DateTime(2026, 11, 24, 11, 10, 0, DateTimeKind.Utc), 12_000));

        Assert.Equal(new DateOnly(2026, 11, 25), status.Last30Days[^1].Day);
        Assert.Equal(DayResult.Hit, status.Today);
        Assert.Equal(12_000, status.TodayValue);
    }
}
