using System.Globalization;
using LifeOs.Core.Health;

namespace LifeOs.Core.Dashboard;

/// <summary>
/// Exist.io-style insights: Pearson correlations between pairs of daily measures, on the same day and
/// with a one-day lag, kept when p &lt; 0.05 and n ≥ the minimum, told as plain sentences by splitting the
/// first measure at its median and comparing the second's averages on either side.
/// </summary>
internal static class InsightFinder
{
    private sealed record Variable(string Code, Func<string, string> Condition, Func<string, string, string> Outcome, Func<double, string> Format);

    private static string Number(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static readonly Variable[] Variables =
    [
        new(MetricCatalogue.SleepDuration, t => $"you sleep over {t}", (a, b) => $"you sleep {a} on average vs {b}", DisplayUnit.HoursAndMinutes),
        new(MetricCatalogue.SleepScore, t => $"your sleep score is over {t}", (a, b) => $"your sleep score averages {a} vs {b}", v => Number(v, "0")),
        new(MetricCatalogue.ReadinessScore, t => $"your readiness is over {t}", (a, b) => $"your readiness averages {a} vs {b}", v => Number(v, "0")),
        new(MetricCatalogue.HrvRmssd, t => $"your HRV is over {t} ms", (a, b) => $"your HRV averages {a} vs {b} ms", v => Number(v, "0")),
        new(MetricCatalogue.RestingHeartRate, t => $"your resting heart rate is over {t} bpm", (a, b) => $"your resting heart rate averages {a} vs {b} bpm", v => Number(v, "0.#")),
        new(MetricCatalogue.Steps, t => $"you walk over {t} steps", (a, b) => $"your steps average {a} vs {b}", v => Number(v, "#,0")),
        new(DashboardService.Mood, t => $"your mood is over {t}", (a, b) => $"your mood averages {a} vs {b}", v => Number(v, "0.0")),
        new(DashboardService.Energy, t => $"your energy is over {t}", (a, b) => $"your energy averages {a} vs {b}", v => Number(v, "0.0")),
        new(DashboardService.WeightChange, t => $"your weight changes by over {t}", (a, b) => $"your weight changes by {a} vs {b} a day", v => Number(v, "+0.00;-0.00;0.00")),
    ];

    // Pairs where one is computed from the other: a correlation would only restate the formula.
    private static readonly HashSet<(string, string)> Trivial =
    [
        (MetricCatalogue.SleepDuration, MetricCatalogue.SleepScore),
        (MetricCatalogue.ReadinessScore, MetricCatalogue.HrvRmssd),
        (MetricCatalogue.ReadinessScore, MetricCatalogue.RestingHeartRate),
    ];

    public static IEnumerable<Insight> Find(IReadOnlyDictionary<string, DailySeries> series, int minDays)
    {
        // Dense arrays by day (NaN where a day has no value): pairing two measures is then one pass.
        var present = Variables.Where(v => series.TryGetValue(v.Code, out var s) && s.Points.Count >= minDays).ToList();
        if (present.Count < 2)
        {
            return [];
        }

        var first = present.Min(v => series[v.Code].Points[0].Day.DayNumber);
        var last = present.Max(v => series[v.Code].Points[^1].Day.DayNumber);
        var dense = present.ToDictionary(v => v.Code, v =>
        {
            var values = new double[last - first + 1];
            Array.Fill(values, double.NaN);
            foreach (var point in series[v.Code].Points)
            {
                values[point.Day.DayNumber - first] = point.Value;
            }

            return values;
        });

        var found = new List<Insight>();
        var xs = new List<double>(dense.First().Value.Length);
        var ys = new List<double>(xs.Capacity);
        foreach (var x in present)
        {
            foreach (var y in present)
            {
                var i = Array.IndexOf(Variables, x);
                var j = Array.IndexOf(Variables, y);
                if (i == j || Trivial.Contains((Variables[Math.Min(i, j)].Code, Variables[Math.Max(i, j)].Code)))
                {
                    continue;
                }

                // Same day once per pair (earlier variable first); the next day in both directions.
                foreach (var lag in i < j ? new[] { 0, 1 } : [1])
                {
                    xs.Clear();
                    ys.Clear();
                    var xValues = dense[x.Code];
                    var yValues = dense[y.Code];
                    for (var d = 0; d + lag < xValues.Length; d++)
                    {
                        if (!double.IsNaN(xValues[d]) && !double.IsNaN(yValues[d + lag]))
                        {
                            xs.Add(xValues[d]);
                            ys.Add(yValues[d + lag]);
                        }
                    }

                    if (Describe(x, y, xs, ys, lag, minDays) is { } insight)
                    {
                        found.Add(insight);
                    }
                }
            }
        }

        // Strongest first, and one sentence per pair of measures.
        return found
            .OrderByDescending(f => Math.Abs(f.R))
            .DistinctBy(f => string.CompareOrdinal(f.X, f.Y) < 0 ? (f.X, f.Y) : (f.Y, f.X))
            .ToList();
    }

    private static Insight? Describe(Variable x, Variable y, List<double> xs, List<double> ys, int lag, int minDays)
    {
        if (xs.Count < minDays || Statistics.Pearson(xs, ys) is not { } correlation || correlation.P >= 0.05)
        {
            return null;
        }

        var sorted = xs.Order().ToList();
        var median = sorted[sorted.Count / 2];
        double highSum = 0, lowSum = 0;
        int highCount = 0, lowCount = 0;
        for (var k = 0; k < xs.Count; k++)
        {
            if (xs[k] > median)
            {
                highSum += ys[k];
                highCount++;
            }
            else
            {
                lowSum += ys[k];
                lowCount++;
            }
        }

        if (highCount < 3 || lowCount < 3)
        {
            return null;
        }

        var when = lag == 0 ? "On days when" : "On days after";
        var sentence = $"{when} {x.Condition(x.Format(median))}, {y.Outcome(y.Format(highSum / highCount), y.Format(lowSum / lowCount))} otherwise.";
        return new Insight(sentence, x.Code, y.Code, lag, correlation.R, correlation.P, correlation.N);
    }
}
