using LifeOs.Core.Journal;

using LifeOs.Tests.TestSupport;

namespace LifeOs.Tests.Core.Journal;

public sealed class StreakTests
{
    private static DateOnly Nov(int day) => new(2026, 11, day);

    private static Streak Days(bool grace, int today, params int[] days) =>
        StreakCalculator.Days(days.Select(Nov), Nov(today), grace);

    [Fact]
    public void Days_ConsecutiveUpToToday_AreTheCurrentStreak()
    {
        Assert.Equal(new Streak(3, 3, Nov(10), StreakUnit.Day), Days(false, 10, 8, 9, 10));
    }

    [Fact]
    public void Days_EndingYesterday_StillCurrent_BecauseTodayIsNotOver()
    {
        Assert.Equal(3, Days(false, 11, 8, 9, 10).Current);
    }

    [Fact]
    public void Days_EndingTwoDaysAgo_IsBroken_ButTheLongestIsKept()
    {
        var streak = Days(false, 12, 1, 2, 3, 4, 8, 9, 10);
        Assert.Equal(0, streak.Current);
        Assert.Equal(4, streak.Longest);
    }

    [Fact]
    public void Days_SeveralEntriesOnOneDay_CountOnce_AndFutureDaysAreIgnored()
    {
        Assert.Equal(new Streak(2, 2, Nov(10), StreakUnit.Day), Days(false, 10, 9, 9, 10, 10, 10, 20));
    }

    [Fact]
    public void Days_None_IsZero()
    {
        Assert.Equal(Streak.None(StreakUnit.Day), Days(true, 10));
    }

    [Fact]
    public void Grace_OneMissedDay_DoesNotBreakTheStreak_AndIsNotCounted()
    {
        Assert.Equal((2, 3), (Days(false, 6, 1, 2, 3, 5, 6).Current, Days(false, 6, 1, 2, 3, 5, 6).Longest));
        Assert.Equal((5, 5), (Days(true, 6, 1, 2, 3, 5, 6).Current, Days(true, 6, 1, 2, 3, 5, 6).Longest));
    }

    [Fact]
    public void Grace_TwoMissedDaysWithinSeven_TheSecondBreaks()
    {
        // Missed the 3rd (forgiven) and the 6th, only three days later: not forgiven.
        var streak = Days(true, 8, 1, 2, 4, 5, 7, 8);
        Assert.Equal(2, streak.Current);
        Assert.Equal(4, streak.Longest);
    }

    [Fact]
    public void Grace_MissedDaysSevenOrMoreApart_AreBothForgiven()
    {
        // Missed the 4th and the 11th: seven days apart.
        Assert.Equal(11, Days(true, 13, 1, 2, 3, 5, 6, 7, 8, 9, 10, 12, 13).Current);
    }

    [Fact]
    public void Grace_TwoMissedDaysInARow_AlwaysBreak()
    {
        Assert.Equal(1, Days(true, 5, 1, 2, 5).Current);
    }

    [Fact]
    public void Grace_MissedYesterday_KeepsTheCurrentStreakAlive()
    {
        Assert.Equal(0, Days(false, 5, 1, 2, 3).Current);
        Assert.Equal(3, Days(true, 5, 1, 2, 3).Current);
        // ...unless a day was already forgiven in the last seven.
        Assert.Equal(0, Days(true, 7, 1, 3, 4, 5).Current);
    }

    [Fact]
    public void Weeks_ConsecutiveIsoWeeks_AcrossAYearBoundary()
    {
        var mondays = new[] { new DateOnly(2026, 12, 21), new DateOnly(2026, 12, 28), new DateOnly(2027, 1, 4) };
        Assert.Equal(new Streak(3, 3, new DateOnly(2027, 1, 4), StreakUnit.Week), StreakCalculator.Weeks(mondays, new DateOnly(2027, 1, 10)));
        Assert.Equal(3, StreakCalculator.Weeks(mondays, new DateOnly(2027, 1, 17)).Current);
        Assert.Equal(0, StreakCalculator.Weeks(mondays, new DateOnly(2027, 1, 18)).Current);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Service_AcrossTheSpringDstChange_UsesTheLocalDayWithDayStartHour3(Engine engine)
    {
        // Paris moves from +01:00 to +02:00 at 02:00 on 29 March 2026.
        using var t = new JournalTestDb(new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero), engine);
        t.AddUser("ada", "Europe/Paris", dayStartHour: 3);
        foreach (var day in new[] { 26, 27, 28 })
        {
            await t.AddAsync("ada", new DateOnly(2026, 3, day));
        }

        var ct = TestContext.Current.CancellationToken;
        // 01:30 local on the 29th is still the 28th when the day starts at 03:00.
        Assert.Equal(new DateOnly(2026, 3, 28), await t.Journal.TodayAsync("ada", ct));
        Assert.Equal(3, (await t.Streaks.GetAsync("ada", ct)).Overall.Current);

        // 01:30Z is 03:30 summer time: the 29th has begun, and the 28th was yesterday.
        t.Time.SetUtcNow(new DateTimeOffset(2026, 3, 29, 1, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 3, 29), await t.Journal.TodayAsync("ada", ct));
        Assert.Equal(3, (await t.Streaks.GetAsync("ada", ct)).Overall.Current);

        // 00:30Z on the 31st is 02:30 summer time: before 03:00, so still the 30th; the 29th was missed.
        t.Time.SetUtcNow(new DateTimeOffset(2026, 3, 31, 0, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 3, 30), await t.Journal.TodayAsync("ada", ct));
        Assert.Equal(0, (await t.Streaks.GetAsync("ada", ct)).Overall.Current);
        Assert.Equal(3, (await t.Streaks.GetAsync("ada", ct)).Overall.Longest);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Service_AcrossTheAutumnDstChange_TheLongDayCountsOnce(Engine engine)
    {
        // New York falls back from -04:00 to -05:00 at 02:00 on 1 November 2026 (a 25-hour day).
        using var t = new JournalTestDb(new DateTimeOffset(2026, 11, 2, 4, 59, 0, TimeSpan.Zero), engine);
        t.AddUser("bob", "America/New_York");
        foreach (var day in new[] { 30, 31 })
        {
            await t.AddAsync("bob", new DateOnly(2026, 10, day));
        }

        await t.AddAsync("bob", new DateOnly(2026, 11, 1));
        var ct = TestContext.Current.CancellationToken;
        // 04:59Z on 2 Nov is 23:59 on 1 Nov in New York (EST): still the long day.
        Assert.Equal(new DateOnly(2026, 11, 1), await t.Journal.TodayAsync("bob", ct));
        Assert.Equal(3, (await t.Streaks.GetAsync("bob", ct)).Overall.Current);
        t.Time.SetUtcNow(new DateTimeOffset(2026, 11, 3, 5, 0, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 3), await t.Journal.TodayAsync("bob", ct));
        Assert.Equal(0, (await t.Streaks.GetAsync("bob", ct)).Overall.Current);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Service_TwoTimeZones_SameInstant_DifferentToday(Engine engine)
    {
        // 12:00Z on 25 Nov: 01:00 on the 26th in Auckland, 04:00 on the 25th in Los Angeles.
        using var t = new JournalTestDb(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero), engine);
        t.AddUser("kiwi", "Pacific/Auckland");
        t.AddUser("angeleno", "America/Los_Angeles");
        foreach (var user in new[] { "kiwi", "angeleno" })
        {
            await t.AddAsync(user, Nov(23));
            await t.AddAsync(user, Nov(24));
        }

        var ct = TestContext.Current.CancellationToken;
        var kiwi = await t.Streaks.GetAsync("kiwi", ct);
        var angeleno = await t.Streaks.GetAsync("angeleno", ct);
        Assert.Equal((Nov(26), 0, 2), (kiwi.Today, kiwi.Overall.Current, kiwi.Overall.Longest));
        Assert.Equal((Nov(25), 2, 2), (angeleno.Today, angeleno.Overall.Current, angeleno.Overall.Longest));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Service_PerKind_AndGraceRuleFromPreferences(Engine engine)
    {
        using var t = new JournalTestDb(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero), engine);
        t.AddUser("ada", grace: true);
        t.AddUser("bob");
        foreach (var user in new[] { "ada", "bob" })
        {
            foreach (var day in new[] { 20, 21, 22, 24, 25 })
            {
                await t.AddAsync(user, Nov(day), JournalKind.MorningPages);
            }

            await t.AddAsync(user, Nov(25), JournalKind.DailyReflection);
            await t.AddAsync(user, Nov(16), JournalKind.WeeklyReview, week: "2026-W46");
            await t.AddAsync(user, Nov(22), JournalKind.WeeklyReview, week: "2026-W47");
        }

        var ct = TestContext.Current.CancellationToken;
        var ada = await t.Streaks.GetAsync("ada", ct);
        var bob = await t.Streaks.GetAsync("bob", ct);
        Assert.True(ada.GraceRule);
        Assert.Equal(5, ada.Overall.Current);
        Assert.Equal(2, bob.Overall.Current);
        Assert.Equal(3, bob.Overall.Longest);
        Assert.Equal(1, bob.ByKind[JournalKind.DailyReflection].Current);
        Assert.Equal(0, bob.ByKind[JournalKind.Note].Longest);
        Assert.Equal(new Streak(2, 2, new DateOnly(2026, 11, 16), StreakUnit.Week), bob.ByKind[JournalKind.WeeklyReview]);
        Assert.Equal(bob.ByKind[JournalKind.MorningPages], await t.Streaks.GetAsync("bob", JournalKind.MorningPages, ct));
        Assert.Equal(bob.Overall, await t.Streaks.GetAsync("bob", null, ct));
    }

    [Theory]
    [InlineData(1, false, Engine.Sqlite)]
    [InlineData(2, true, Engine.Sqlite)]
    [InlineData(3, true, Engine.Sqlite)]
    [InlineData(2, true, Engine.PostgreSql)]
    public async Task Service_OverARandomJournal_AgreesWithTheCalculatorOverEveryEntry(int seed, bool grace, Engine engine)
    {
        // The service reads days from the index in bulk and merges kinds; the calculator over plain
        // lists is the reference. Repeated days, days after today, inserts out of date order, other
        // users' entries and weekly reviews whose week is not their date's week all occur.
        using var t = new JournalTestDb(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero), engine);
        t.AddUser("ada", grace: grace);
        t.AddUser("bob");
        var random = new Random(seed);
        var today = Nov(25);
        var entries = Enumerable.Range(0, 600).Select(_ =>
        {
            var kind = JournalKinds.All[random.Next(JournalKinds.All.Count)];
            var date = today.AddDays(3 - random.Next(400));
            var week = kind == JournalKind.WeeklyReview ? IsoWeek.Format(date.AddDays(7 * (random.Next(3) - 1))) : null;
            return new JournalEntry
            {
                Uid = Guid.NewGuid().ToString("N"), UserId = random.Next(5) == 0 ? "bob" : "ada", Kind = kind,
                LocalDate = date, Week = week, Body = "Words.", WordCount = 1,
            };
        }).ToList();
        t.Db.JournalEntries.AddRange(entries);
        await t.Db.SaveChangesAsync(TestContext.Current.CancellationToken);

        var ada = entries.Where(e => e.UserId == "ada").ToList();
        var actual = await t.Streaks.GetAsync("ada", TestContext.Current.CancellationToken);
        Assert.Equal(StreakCalculator.Days(ada.Select(e => e.LocalDate), today, grace), actual.Overall);
        foreach (var kind in JournalKinds.All)
        {
            var ofKind = ada.Where(e => e.Kind == kind).ToList();
            var expected = kind == JournalKind.WeeklyReview
                ? StreakCalculator.Weeks(ofKind.Select(e => IsoWeek.TryParse(e.Week, out var monday) ? monday : default), today)
                : StreakCalculator.Days(ofKind.Select(e => e.LocalDate), today, grace);
            Assert.Equal(expected, actual.ByKind[kind]);
        }

        Assert.True(actual.Overall.Longest > 3, "the random journal should hold runs worth comparing");
    }
}
