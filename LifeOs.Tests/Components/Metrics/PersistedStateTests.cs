using LifeOs.Core.Accounts;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Health;
using LifeOs.Web.Components.Pages.Metrics;

namespace LifeOs.Tests.Components.Metrics;

public sealed class PersistedStateTests
{
    private static readonly DateOnly From = new(2025, 11, 26);

    private static MetricHistory History(int days) => new(
        MetricCatalogue.Steps, "Steps", MetricGroup.Activity, Aggregation.Sum, "steps", UnitSystem.Metric,
        new DashboardRange("1y", From, From.AddDays(364)), null, From.AddDays(364),
        [.. Enumerable.Range(0, days).Select(i => new MetricDay(From.AddDays(i * 2), 5000 + i + 0.5, (SampleSource)(i % 4), 1 + (i % 3)))],
        new MetricStats(5000.5, From, 5000.5 + days, From, 6000, days), From, From.AddDays((days - 1) * 2));

    [Fact]
    public void PackedDays_RoundTrip_ToTheSameDays()
    {
        var history = History(180);

        var packed = MetricPage.MetricPageData.Pack("steps", "1y", history);
        var restored = packed.Unpack();

        Assert.Empty(packed.History.Days);
        Assert.Equal(history.Days, restored.Days);
        Assert.Equal(history with { Days = [] }, restored with { Days = [] });
    }

    [Fact]
    public void AYearOfDays_FitsTheBudget_FiveYearsDoNot()
    {
        Assert.NotNull(PersistedState.IfSmall(MetricPage.MetricPageData.Pack("steps", "1y", History(366))));
        Assert.Null(PersistedState.IfSmall(MetricPage.MetricPageData.Pack("steps", "all", History(5 * 366))));
    }
}
