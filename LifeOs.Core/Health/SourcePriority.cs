namespace LifeOs.Core.Health;

/// <summary>
/// Which source wins when several report the same metric on the same day (never a sum across sources).
/// Devices come before manual entry and imports; for body measurements the scale (Withings) comes first; a phone's
/// steps passed through Withings come right after the devices (a tracker counts better than a pocket). What
/// came through the API is last by default (a user who pushes their phone's data moves it up in settings); a
/// stored order from before it existed gets it appended at the end, as every unlisted source.
/// </summary>
public static class SourcePriority
{
    private static readonly SampleSource[] RingFirst = [SampleSource.Oura, SampleSource.Withings, SampleSource.WithingsPhone, SampleSource.Manual, SampleSource.Import, SampleSource.Api, SampleSource.AppleHealth];
    private static readonly SampleSource[] ScaleFirst = [SampleSource.Withings, SampleSource.Oura, SampleSource.WithingsPhone, SampleSource.Manual, SampleSource.Import, SampleSource.Api, SampleSource.AppleHealth];

    public static IReadOnlyList<SampleSource> Default(MetricDefinition metric) =>
        metric.Code == MetricCatalogue.BodyTemperatureDeviation ? RingFirst : Default(metric.Group);

    public static IReadOnlyList<SampleSource> Default(MetricGroup group) =>
        group is MetricGroup.Body or MetricGroup.BloodPressure ? ScaleFirst : RingFirst;

    /// <summary>Parses a stored order; unknown names are dropped and missing sources appended in default order.</summary>
    public static IReadOnlyList<SampleSource> Parse(string stored, MetricGroup group)
    {
        var listed = stored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => Enum.TryParse<SampleSource>(name, out var source) ? source : (SampleSource?)null)
            .OfType<SampleSource>();
        return listed.Concat(Default(group)).Distinct().ToList();
    }

    public static string Format(IEnumerable<SampleSource> order) => string.Join(',', order);
}

/// <summary>A user's own order of sources for one group of metrics, when they changed the default.</summary>
public class UserSourcePriority
{
    public required string UserId { get; set; }
    public MetricGroup Group { get; set; }

    /// <summary>Source names, highest priority first, comma-separated.</summary>
    public required string Sources { get; set; }
}

public sealed record GroupPriority(MetricGroup Group, IReadOnlyList<SampleSource> Order, bool IsDefault);
