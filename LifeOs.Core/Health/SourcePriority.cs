namespace LifeOs.Core.Health;

/// <summary>
/// Which source wins when several report the same metric on the same day (never a sum across sources).
/// Devices come before manual entry and imports; for body measurements the scale (Withings) comes first.
/// </summary>
public static class SourcePriority
{
    private static readonly SampleSource[] RingFirst = [SampleSource.Oura, SampleSource.Withings, SampleSource.Manual, SampleSource.Import];
    private static readonly SampleSource[] ScaleFirst = [SampleSource.Withings, SampleSource.Oura, SampleSource.Manual, SampleSource.Import];

    public static IReadOnlyList<SampleSource> Default(MetricDefinition metric) =>
        metric.Group is MetricGroup.Body or MetricGroup.BloodPressure && metric.Code != MetricCatalogue.BodyTemperatureDeviation
            ? ScaleFirst
            : RingFirst;
}
