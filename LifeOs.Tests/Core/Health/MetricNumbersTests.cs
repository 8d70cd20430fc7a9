using LifeOs.Core.Data.Migrations;
using LifeOs.Core.Health;

namespace LifeOs.Tests.Core.Health;

/// <summary>
/// Samples store the metric and the source as numbers: every metric must have one, no two the same, and the numbers the
/// CompactSamples migration wrote into existing databases must still mean the same metrics and sources.
/// </summary>
public sealed class MetricNumbersTests
{
    [Fact]
    public void EveryMetric_HasItsOwnStoredNumber_ThatReadsBackAsIt()
    {
        var numbers = MetricCatalogue.All.Select(m => MetricCatalogue.StoredNumber(m.Code)).ToList();

        Assert.DoesNotContain(-1, numbers);
        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(MetricCatalogue.All, m => Assert.Equal(m.Code, MetricCatalogue.StoredCode(MetricCatalogue.StoredNumber(m.Code))));
        Assert.Equal(-1, MetricCatalogue.StoredNumber("not_a_metric"));
    }

    [Fact]
    public void TheMigrationsFrozenNumbers_StillMeanTheSameMetricsAndSources()
    {
        Assert.All(CompactSamplesSql.Metrics, m => Assert.Equal(m.Number, MetricCatalogue.StoredNumber(m.Code)));
        Assert.All(CompactSamplesSql.Sources, s => Assert.Equal(s.Number, (int)Enum.Parse<SampleSource>(s.Name)));
        Assert.Equal(Enum.GetValues<SampleSource>().Length, CompactSamplesSql.Sources.Length);
    }

    [Fact]
    public void AStoredNumberThisVersionDoesNotKnow_IsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => MetricCatalogue.StoredCode(10_000));
        Assert.Contains("10000", error.Message, StringComparison.Ordinal);
    }
}
