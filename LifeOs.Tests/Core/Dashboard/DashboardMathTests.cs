using LifeOs.Core.Dashboard;
using LifeOs.Core.Health;

namespace LifeOs.Tests.Core.Dashboard;

public sealed class StatisticsTests
{
    [Fact]
    public void Pearson_MatchesAHandComputedExample()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        double[] y = [2, 4, 5, 4, 5, 7, 8, 9, 10, 12];
        var result = Statistics.Pearson(x, y)!;
        Assert.Equal(0.9719076165935991, result.R, 12);
        Assert.Equal(2.634e-6, result.P, 8);
        Assert.Equal(10, result.N);
    }

    // Reference p-values from numerically integrating Student's t density (independent of the beta function).
    [Theory]
    [InlineData(0.5, 20, 0.0247695588)]
    [InlineData(0.3, 50, 0.0342861800)]
    [InlineData(-0.8, 10, 0.0054560000)]
    public void PValue_FromR_AndN_MatchesStudentsT(double r, int n, double expected)
    {
        var t = r * Math.Sqrt((n - 2) / (1 - (r * r)));
        var df = n - 2.0;
        var p = Statistics.RegularizedIncompleteBeta(df / 2, 0.5, df / (df + (t * t)));
        Assert.Equal(expected, p, 7);
    }

    [Fact]
    public void Pearson_ConstantSeries_HasNoCorrelation()
    {
        Assert.Null(Statistics.Pearson([1, 1, 1, 1], [1, 2, 3, 4]));
        Assert.Null(Statistics.Pearson([1, 2], [1, 2]));
    }

    [Fact]
    public void Slope_OfAStraightLine_IsItsGradient() =>
        Assert.Equal(-0.05, Statistics.Slope([(0, 80), (10, 79.5), (20, 79)])!.Value, 10);
}

public sealed class DownsamplingTests
{
    private static List<Point> Noisy(int count)
    {
        var random = new Random(3);
        return Enumerable.Range(0, count).Select(i => new Point(i, Math.Sin(i / 50.0) * 20 + random.NextDouble() * 5)).ToList();
    }

    [Fact]
    public void Lttb_StaysWithinBudget_KeepsEnds_AndBothExtremes()
    {
        var data = Noisy(5000);
        data[1234] = new Point(1234, 500); // a spike LTTB's triangles might smooth away
        data[4321] = new Point(4321, -400);
        var reduced = Downsampling.Lttb(data, 1000);

        Assert.True(reduced.Count <= 1000, $"{reduced.Count} points");
        Assert.Equal(data[0], reduced[0]);
        Assert.Equal(data[^1], reduced[^1]);
        Assert.Contains(new Point(1234, 500), reduced);
        Assert.Contains(new Point(4321, -400), reduced);
        Assert.Equal(reduced.OrderBy(p => p.X), reduced);
    }

    [Fact]
    public void Lttb_ShortSeries_IsReturnedUnchanged() =>
        Assert.Equal(10, Downsampling.Lttb(Noisy(10), 1000).Count);

    [Fact]
    public void MinMaxBuckets_KeepsEveryBucketsExtremes_InOrder()
    {
        var data = Noisy(1440); // a day of minutes
        var reduced = Downsampling.MinMaxBuckets(data, 100);

        Assert.True(reduced.Count <= 200);
        Assert.Equal(data.Max(p => p.Y), reduced.Max(p => p.Y));
        Assert.Equal(data.Min(p => p.Y), reduced.Min(p => p.Y));
        Assert.Equal(reduced.OrderBy(p => p.X), reduced);
    }
}

public sealed class DashboardRangeTests
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    [Theory]
    [InlineData(null, 30)]
    [InlineData("7d", 7)]
    [InlineData("90d", 90)]
    [InlineData("1y", 365)]
    public void Presets_EndToday(string? key, int days)
    {
        var (range, error) = DashboardRange.Parse(key, null, null, Today, null);
        Assert.Null(error);
        Assert.Equal((Today, days), (range.To, range.Days));
    }

    [Fact]
    public void All_StartsAtTheFirstDayWithData()
    {
        var (range, _) = DashboardRange.Parse("all", null, null, Today, new DateOnly(2021, 3, 1));
        Assert.Equal(new DateOnly(2021, 3, 1), range.From);
    }

    [Theory]
    [InlineData("2026-11-10", "2026-11-01", "on or before")]
    [InlineData("2026-13-01", "2026-11-01", "year-month-day")]
    [InlineData("1800-01-01", "2026-11-01", "between 1900 and 2100")]
    [InlineData("2026-11-01", "2026-11-26", "after today")]
    public void Custom_BadDates_FallBackToThirtyDays_WithAMessage(string from, string to, string message)
    {
        var (range, error) = DashboardRange.Parse("custom", from, to, Today, null);
        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Equal("30d", range.Key);
    }

    [Fact]
    public void UnknownPeriod_IsNamedInTheMessage_CutShort()
    {
        var (range, error) = DashboardRange.Parse(new string('x', 5000), null, null, Today, null);
        Assert.Equal("30d", range.Key);
        Assert.Equal($"'{new string('x', 24)}…' is not a period LifeOs knows; showing the last 30 days.", error);
    }

    [Fact]
    public void Custom_GoodDates_AreKept()
    {
        var (range, error) = DashboardRange.Parse("custom", "2026-01-01", "2026-01-31", Today, null);
        Assert.Null(error);
        Assert.Equal((new DateOnly(2026, 1, 1), new DateOnly(2026, 1, 31), 31), (range.From, range.To, range.Days));
    }
}

public sealed class InsightFinderTests
{
    private static DailySeries Series(string code, IEnumerable<double> values, DateOnly start) =>
        new(code, code, "", values.Select((v, i) => new DayValue(start.AddDays(i), v)).ToList());

    [Fact]
    public void NextDayRelationship_IsFound_AndPhrasedWithTheSplitAverages()
    {
        var start = new DateOnly(2026, 9, 1);
        var random = new Random(11);
        var steps = Enumerable.Range(0, 40).Select(_ => 6000 + random.NextDouble() * 8000).ToList();
        // Sleep score follows the previous day's steps; mood is unrelated noise.
        var score = new List<double> { 70 };
        score.AddRange(steps.Take(39).Select(s => 50 + s / 500 + random.NextDouble() * 3));
        var mood = Enumerable.Range(0, 40).Select(_ => 1 + random.NextDouble() * 4).ToList();
        var series = new Dictionary<string, DailySeries>
        {
            [MetricCatalogue.Steps] = Series(MetricCatalogue.Steps, steps, start),
            [MetricCatalogue.SleepScore] = Series(MetricCatalogue.SleepScore, score, start),
            [DashboardService.Mood] = Series(DashboardService.Mood, mood, start),
        };

        var insights = InsightFinder.Find(series, 14).ToList();

        var top = insights[0];
        Assert.Equal((MetricCatalogue.Steps, MetricCatalogue.SleepScore, 1), (top.X, top.Y, top.LagDays));
        Assert.True(top.R > 0.9 && top.P < 0.001 && top.N == 39, $"{top.R} {top.P} {top.N}");
        Assert.StartsWith("On days after you walk over ", top.Sentence, StringComparison.Ordinal);
        Assert.Contains("your sleep score averages ", top.Sentence, StringComparison.Ordinal);
        Assert.DoesNotContain(insights, i => i.X == DashboardService.Mood || i.Y == DashboardService.Mood);
    }

    [Fact]
    public void FewerDaysThanTheMinimum_GiveNoInsight()
    {
        var start = new DateOnly(2026, 9, 1);
        var series = new Dictionary<string, DailySeries>
        {
            [MetricCatalogue.Steps] = Series(MetricCatalogue.Steps, Enumerable.Range(0, 10).Select(i => 5000.0 + i * 1000), start),
            [MetricCatalogue.SleepScore] = Series(MetricCatalogue.SleepScore, Enumerable.Range(0, 10).Select(i => 60.0 + i), start),
        };
        Assert.Empty(InsightFinder.Find(series, 14));
    }
}
