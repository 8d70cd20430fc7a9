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

    private static string Hours(double h)
    {
        var minutes = (int)Math.Round(h * 60);
        return $"{minutes / 60} h {minutes % 60:00}";
    }

    private static string Number(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture);

    private static readonly Variable[] Variables =
    [
        new(MetricCatalogue.SleepDuration, t => $"you sleep over {t}", (a, b) => $"you sleep {a} on average vs {b}", Hours),
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
        var values = Variables
            .Where(v => series.ContainsKey(v.Code))
            .ToDictionary(v => v.Code, v => series[v.Code].Points.ToDictionary(p => p.Day, p => p.Value));
        var found = new List<Insight>();
        for (var i = 0; i < Variables.Length; i++)
        {
            for (var j = 0; j < Variables.Length; j++)
            {
                if (i == j || !values.TryGetValue(Variables[i].Code, out var xs) || !values.TryGetValue(Variables[j].Code, out var ys))
                {
                    continue;
                }

                var pair = (Variables[Math.Min(i, j)].Code, Variables[Math.Max(i, j)].Code);
                if (Trivial.Contains(pair))
                {
                    continue;
                }

                // Same day once per pair (earlier variable first); the next day in both directions.
                foreach (var lag in i < j ? new[] { 0, 1 } : [1])
                {
                    if (Describe(Variables[i], Variables[j], xs, ys, lag, minDays) is { } insight)
                    {
                        found.Add(insight);
                    }
                }
            }
        }

        // Strongest first, and one sentence per pair of measures.
        return found
            .OrderByDescending(f => Math.Abs(f.R))
            .DistinctBy(f => string.CompareOrdinal(f.X, f.Y) < 0 ? (f.X, f.Y) : (f.Y, f.X));
    }

    private static Insight? Describe(Variable x, Variable y, Dictionary<DateOnly, double> xs, Dictionary<DateOnly, double> ys, int lag, int minDays)
    {
        var pairs = xs
            .Where(p => ys.ContainsKey(p.Key.AddDays(lag)))
            .Select(p => (X: p.Value, Y: ys[p.Key.AddDays(lag)]))
            .ToList();
        if (pairs.Count < minDays || Statistics.Pearson(pairs.Select(p => p.X).ToList(), pairs.Select(p => p.Y).ToList()) is not { } correlation
            || correlation.P >= 0.05)
        {
            return null;
        }

        var sorted = pairs.Select(p => p.X).Order().ToList();
        var median = sorted[sorted.Count / 2];
        var high = pairs.Where(p => p.X > median).ToList();
        var low = pairs.Where(p => p.X <= median).ToList();
        if (high.Count < 3 || low.Count < 3)
        {
            return null;
        }

        var when = lag == 0 ? "On days when" : "On days after";
        var sentence = $"{when} {x.Condition(x.Format(median))}, {y.Outcome(y.Format(high.Average(p => p.Y)), y.Format(low.Average(p => p.Y)))} otherwise.";
        return new Insight(sentence, x.Code, y.Code, lag, correlation.R, correlation.P, correlation.N);
    }
}
