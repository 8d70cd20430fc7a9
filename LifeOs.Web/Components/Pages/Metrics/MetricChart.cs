using System.Globalization;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Metrics;

/// <summary>
/// The ECharts options for one metric's days: bars for what adds up over a day (steps, sleep), a line for
/// readings (weight, heart rate), with the range's average as a dashed line. Colours are the theme's CSS
/// variables, so light and dark both read well.
/// </summary>
public static class MetricChart
{
    private const int SymbolsUpTo = 45;
    private const string Primary = "var(--mud-palette-primary)";
    private const string Muted = "var(--mud-palette-text-secondary)";

    /// <summary>Bars for daily totals over up to four months; past that they fuse into a block, and a line reads better.</summary>
    public static bool UsesBars(MetricHistory history) => history.Aggregation == Aggregation.Sum && history.Range.Days <= 120;

    public static object Options(MetricHistory history)
    {
        var bars = UsesBars(history);
        var hours = history.Unit == "h";
        var data = history.Days.Select(d => new object[] { Date(d.Day), d.Value }).ToList();
        // A bar sits on its day's midnight: half a day either side keeps the first and last whole.
        var (min, max) = bars
            ? ($"{Date(history.Range.From.AddDays(-1))}T12:00:00", $"{Date(history.Range.To)}T12:00:00")
            : (Date(history.Range.From), Date(history.Range.To));

        return new
        {
            grid = new { left = 8, right = 60, top = 32, bottom = 8, containLabel = true },
            tooltip = new { trigger = "axis" },
            tooltipFormat = hours ? "hours" : null,
            xAxis = new { type = "time", min, max },
            yAxis = new
            {
                type = "value",
                scale = !bars,
                splitNumber = 4,
                name = hours || history.Unit.Length == 0 ? null : history.Unit,
                unitFormat = hours ? "hours" : null,
            },
            series = new object[]
            {
                new
                {
                    type = bars ? "bar" : "line",
                    name = SeriesName(history),
                    data,
                    showSymbol = history.Days.Count <= SymbolsUpTo,
                    symbolSize = 6,
                    sampling = bars ? null : "lttb",
                    barMaxWidth = 22,
                    itemStyle = new { color = Primary, borderRadius = bars ? new[] { 4, 4, 0, 0 } : null },
                    lineStyle = bars ? null : new { width = 2.5, color = Primary },
                    areaStyle = bars ? null : new { color = Primary, opacity = 0.08 },
                    markLine = history.Days.Count < 2 ? null : new
                    {
                        silent = true,
                        symbol = "none",
                        label = new { formatter = "average", position = "end", color = Muted },
                        lineStyle = new { type = "dashed", width = 1, color = Muted },
                        data = new[] { new { type = "average", name = "Average" } },
                    },
                },
            },
        };
    }

    /// <summary>The tooltip's name for the values, with the unit (the tooltip cannot append it itself).</summary>
    public static string SeriesName(MetricHistory history) =>
        history.Unit.Length == 0 || history.Unit == "h" ? history.Name : $"{history.Name} ({history.Unit})";

    /// <summary>What the chart shows, for screen readers.</summary>
    public static string Description(MetricHistory history) =>
        history.Stats is not { } stats
            ? $"{history.Name}: no values in {MetricText.RangeLabel(history.Range)}."
            : $"{history.Name} per day, {MetricText.RangeLabel(history.Range)}: average {MetricText.Value(stats.Average, history.Unit)}, "
              + $"lowest {MetricText.Value(stats.Min, history.Unit)}, highest {MetricText.Value(stats.Max, history.Unit)}.";

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
