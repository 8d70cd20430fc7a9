using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health;

/// <summary>
/// A reading far from the user's own usual values of a metric. <paramref name="Median"/>, <paramref name="UsualLow"/> and
/// <paramref name="UsualHigh"/> are in the user's display unit; <paramref name="Score"/> is how many robust standard
/// deviations (1.4826 × the median absolute deviation) it lies from the median: the reason it is listed.
/// </summary>
public sealed record Outlier(MeasurementRow Row, double Median, double UsualLow, double UsualHigh, double Score)
{
    public bool Above => Row.DisplayValue > Median;
}

/// <summary>One metric's outliers, and how many readings its usual range was read from.</summary>
public sealed record MetricOutliers(string MetricCode, string MetricName, string Unit, int ReadingsChecked, IReadOnlyList<Outlier> Outliers);

/// <summary>
/// Finds readings far outside the user's own usual range, per metric: the median and the median absolute deviation
/// (MAD) of their own readings, which one wrong value (a guest on the scale) cannot drag along the way a mean and
/// a standard deviation would.
/// </summary>
public sealed class OutlierService(LifeOsDbContext db, TimeProvider time)
{
    /// <summary>A reading this many robust standard deviations from the median is listed.</summary>
    public const double Threshold = 5;

    /// <summary>The usual range shown beside each outlier: the median ± this many robust standard deviations.</summary>
    public const double UsualWidth = 2;

    /// <summary>Each metric is judged on its latest readings, so minute-level heart rate costs a bounded read.</summary>
    public const int ReadingsPerMetric = 20_000;

    /// <summary>Fewer readings than this say nothing about what is usual.</summary>
    public const int MinReadings = 8;

    public const int MaxPerMetric = 50;

    private const double MadToSigma = 1.4826;

    /// <summary>The user's outliers, metric by metric in catalogue order (metrics with none are left out); excluded readings are listed too, to take back in.</summary>
    public async Task<IReadOnlyList<MetricOutliers>> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await db.FindClockAsync(userId, time, cancellationToken);
        if (user is null)
        {
            return [];
        }

        var metrics = await db.DailyValues.AsNoTracking().Where(d => d.UserId == userId).Select(d => d.MetricCode).Distinct().ToListAsync(cancellationToken);
        var excludedOnly = await db.SamplesOf(userId).AsNoTracking().Where(s => s.Excluded).Select(s => s.MetricCode).Distinct().ToListAsync(cancellationToken);
        var result = new List<MetricOutliers>();
        foreach (var metric in MetricCatalogue.All.Where(m => metrics.Contains(m.Code) || excludedOnly.Contains(m.Code)))
        {
            var samples = await db.SamplesOf(userId).AsNoTracking()
                .Where(s => s.MetricCode == metric.Code)
                .OrderByDescending(s => s.StartUtc)
                .Take(ReadingsPerMetric)
                .ToListAsync(cancellationToken);
            var usual = samples.Where(s => !s.Excluded).Select(s => s.Value).ToArray();
            if (usual.Length < MinReadings || Spread(usual) is not { } spread)
            {
                continue;
            }

            var (median, sigma) = spread;
            var unit = metric.DisplayFor(user.UnitSystem);
            var outliers = samples
                .Select(s => (Sample: s, Score: Math.Abs(s.Value - median) / sigma))
                .Where(x => x.Score > Threshold)
                .OrderByDescending(x => x.Score)
                .Take(MaxPerMetric)
                .Select(x =>
                {
                    var (low, high) = Ordered(unit.FromCanonical(median - (UsualWidth * sigma)), unit.FromCanonical(median + (UsualWidth * sigma)));
                    return new Outlier(MeasurementService.ToRow(x.Sample, user.UnitSystem, user.Zone),
                        Math.Round(unit.FromCanonical(median), 2), Math.Round(low, 2), Math.Round(high, 2), Math.Round(x.Score, 1));
                })
                .ToList();
            if (outliers.Count > 0)
            {
                result.Add(new MetricOutliers(metric.Code, metric.DisplayName, unit.Label, samples.Count, outliers));
            }
        }

        return result;
    }

    /// <summary>The median and the robust standard deviation; null when the values do not vary (nothing stands out from a flat line by this measure).</summary>
    public static (double Median, double Sigma)? Spread(IReadOnlyCollection<double> values)
    {
        var median = Median(values);
        var mad = Median(values.Select(v => Math.Abs(v - median)).ToArray());
        // Over half the values equal (a step count of 0 on most days): the MAD is 0, so fall back to the mean absolute deviation.
        var sigma = mad > 0 ? MadToSigma * mad : 1.2533 * values.Average(v => Math.Abs(v - median));
        return sigma > 0 ? (median, sigma) : null;
    }

    private static double Median(IReadOnlyCollection<double> values)
    {
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static (double Low, double High) Ordered(double a, double b) => a <= b ? (a, b) : (b, a);
}
