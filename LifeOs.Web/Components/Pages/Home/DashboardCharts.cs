using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Home;

/// <summary>
/// One chart: its ECharts options as JSON (what the EChart component sends to the browser), a one-line summary,
/// and the same numbers as a table. <paramref name="MinWidth"/>: the width below which the chart scrolls sideways
/// instead of shrinking (the calendar's days stay square). The options are handed from the prerender to the circuit
/// as JSON inside the page's state, not as an escaped string (which would nearly double them).
/// </summary>
public sealed record ChartModel(
    string Id,
    string Title,
    string Summary,
    [property: JsonConverter(typeof(RawJsonConverter))] string? OptionsJson,
    string? EmptyMessage,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    string TableCaption,
    int Height = 280,
    int? MinWidth = null,
    IReadOnlyList<LegendEntry>? Legend = null);

/// <summary>A colour key shown above a chart, outside it (the calendar's stays in view while the chart scrolls).</summary>
/// <param name="Color">A CSS colour (a palette variable), shown at <paramref name="Percent"/> strength, as in the chart.</param>
public sealed record LegendEntry(string Group, string Label, string Color, int Percent);

/// <summary>
/// Turns the dashboard's series into chart options and accessible tables. Long ranges are summarised weekly or
/// monthly in tables and downsampled in charts. Every daily chart spans exactly the chosen period (so one reading
/// shows on a day axis, not an hourly one), y axes are fitted to the values (one weigh-in does not get a 30–110 kg
/// scale), and scores, durations and heart figures never share an axis.
/// </summary>
public static class DashboardCharts
{
    public const double DefaultStepGoal = 10_000;

    /// <summary>
    /// A chart is at most ~600 px wide on the page, so 600 points per series (LTTB, extremes kept) draw
    /// the same line as 1,825 do, for a third of the bytes.
    /// </summary>
    public const int ChartPoints = DashboardService.MaxPoints;

    private const string Primary = "var(--mud-palette-primary)";
    private const string Secondary = "var(--mud-palette-secondary)";
    private const string Tertiary = "var(--mud-palette-tertiary)";
    private const string Error = "var(--mud-palette-error)";
    private const string Info = "var(--mud-palette-info)";
    private const string TextPrimary = "var(--mud-palette-text-primary)";
    private const string TextSecondary = "var(--mud-palette-text-secondary)";
    private const string Surface = "var(--mud-palette-surface)";
    private const string EmptyDay = "var(--mud-palette-lines-default)";
    private const string LightSleep = "#a3aaf0";

    private static readonly string[] StageNames = ["Deep", "Light", "REM", "Awake"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IReadOnlyList<ChartModel> Build(DashboardData data) =>
    [
        Sleep(data),
        Scores(data),
        Heart(data),
        Steps(data),
        Weight(data),
        BloodPressure(data),
        MoodAndEnergy(data),
        HeartRate(data),
        Calendar(data),
    ];

    /// <summary>Charts that take the whole row: the calendar (eight others fill four rows of two).</summary>
    public static bool IsWide(string id) => id is "calendar";

    private static bool Weekly(DashboardRange range) => range.Days > 120;

    private static ChartModel Sleep(DashboardData data)
    {
        var total = data.Get(MetricCatalogue.SleepDuration);
        var stages = new[] { MetricCatalogue.SleepDeep, MetricCatalogue.SleepLight, MetricCatalogue.SleepRem, MetricCatalogue.SleepAwake }
            .Select(data.Get).ToList();
        if (total.Points.Count == 0 && stages.All(s => s.Points.Count == 0))
        {
            return Empty("sleep", "Sleep", "No sleep in this period. Connect an Oura ring or a Withings sleep analyser, or log sleep at Measurements.");
        }

        var weekly = Weekly(data.Range);
        // Without stages (a source that reports only the total), the night's total is the bar.
        var colours = new[] { Primary, LightSleep, Secondary, Tertiary };
        var bars = stages.Any(s => s.Points.Count > 0) ? stages : [total];
        var series = bars.Select((s, i) => (object)new
        {
            type = "bar",
            name = bars.Count == 1 ? s.Name : StageNames[i], // short, so the legend fits a phone
            stack = "stages",
            barMaxWidth = 18,
            itemStyle = new { color = bars.Count == 1 ? Primary : colours[i] },
            data = Pairs(Plot(s.Points, weekly), v => s.Unit == "min" ? v / 60 : v), // stages in minutes → hours
        }).ToArray();
        var options = new
        {
            tooltip = new { trigger = "axis" },
            tooltipFormat = "hours",
            legend = Legend(),
            grid = Grid(legend: true),
            xAxis = TimeAxis(data.Range, weekly),
            yAxis = new { type = "value", name = "h", min = 0, unitFormat = "hours" },
            series,
        };
        var nights = total.Points;
        var summary = nights.Count > 0
            ? $"You slept {DisplayUnit.HoursAndMinutes(nights.Average(p => p.Value))} a night on average over {Count(nights.Count, "night")}" +
              (weekly ? "; bars are weekly averages." : ".")
            : "Sleep stages without a nightly total.";
        return Chart("sleep", weekly ? "Sleep stages (weekly averages)" : "Sleep stages", summary, options, data.Range, [total, .. stages], DisplayUnit.HoursAndMinutes);
    }

    private static ChartModel Scores(DashboardData data)
    {
        var readiness = data.Get(MetricCatalogue.ReadinessScore);
        var sleepScore = data.Get(MetricCatalogue.SleepScore);
        if (readiness.Points.Count + sleepScore.Points.Count == 0)
        {
            return Empty("scores", "Readiness and sleep score", "No readiness or sleep scores in this period. An Oura ring scores every night and morning.");
        }

        var weekly = Weekly(data.Range);
        var (readinessLine, sleepScoreLine) = (Plot(readiness.Points, weekly), Plot(sleepScore.Points, weekly));
        var (min, _, _) = Bounds(readinessLine.Concat(sleepScoreLine).Select(p => p.Value), minSpan: 20);
        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = Legend(),
            grid = Grid(legend: true),
            xAxis = TimeAxis(data.Range, weekly),
            yAxis = new { type = "value", name = "score", min = Math.Max(0, Math.Floor(min / 10) * 10), max = 100, interval = 10 },
            // Scores are bounded: straight segments, so a line never bends past 100.
            series = new object[]
            {
                Line(readiness.Name, Primary, readinessLine, area: true),
                Line(sleepScore.Name, Secondary, sleepScoreLine),
            },
        };
        var parts = new List<string>();
        if (readiness.Points.Count > 0)
        {
            parts.Add($"readiness averaged {readiness.Points.Average(p => p.Value):0}");
        }

        if (sleepScore.Points.Count > 0)
        {
            parts.Add($"sleep score {sleepScore.Points.Average(p => p.Value):0}");
        }

        return Chart("scores", "Readiness and sleep score", Capitalise(string.Join("; ", parts)) + " (out of 100)" + (weekly ? "; lines are weekly averages." : "."), options, data.Range, [readiness, sleepScore], v => v.ToString("0", CultureInfo.InvariantCulture));
    }

    private static ChartModel Heart(DashboardData data)
    {
        var hrv = data.Get(MetricCatalogue.HrvRmssd);
        var rhr = data.Get(MetricCatalogue.RestingHeartRate);
        if (hrv.Points.Count + rhr.Points.Count == 0)
        {
            return Empty("heart", "HRV and resting heart rate", "No HRV or resting heart rate in this period. An Oura ring measures both every night.");
        }

        // Two units, two axes: HRV in ms on the left, resting heart rate in bpm on the right, each fitted to its values
        // and labelled in its series' colour.
        var weekly = Weekly(data.Range);
        var axes = new List<object>();
        var series = new List<object>();
        if (hrv.Points.Count > 0)
        {
            var line = Plot(hrv.Points, weekly);
            var (min, max, interval) = Bounds(line.Select(p => p.Value), minSpan: 10);
            axes.Add(new { type = "value", name = "HRV ms", position = "left", min, max, interval, nameTextStyle = new { color = Secondary, align = "left" }, axisLabel = new { color = Secondary } });
            series.Add(Line("HRV", Secondary, line, yAxisIndex: axes.Count - 1, unit: "ms"));
        }

        if (rhr.Points.Count > 0)
        {
            var line = Plot(rhr.Points, weekly);
            var (min, max, interval) = Bounds(line.Select(p => p.Value), minSpan: 6);
            var left = axes.Count == 0;
            axes.Add(new { type = "value", name = "Resting bpm", position = left ? "left" : "right", min, max, interval, splitLine = new { show = left }, nameTextStyle = new { color = Error, align = left ? "left" : "right" }, axisLabel = new { color = Error } });
            series.Add(Line("Resting heart rate", Error, line, yAxisIndex: axes.Count - 1, unit: "bpm"));
        }

        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = Legend(),
            grid = Grid(legend: true),
            xAxis = TimeAxis(data.Range, weekly),
            yAxis = axes,
            series,
        };
        var parts = new List<string>();
        if (hrv.Points.Count > 0)
        {
            parts.Add($"HRV averaged {hrv.Points.Average(p => p.Value):0} ms");
        }

        if (rhr.Points.Count > 0)
        {
            parts.Add($"resting heart rate {rhr.Points.Average(p => p.Value):0.#} bpm");
        }

        return Chart("heart", "HRV and resting heart rate", Capitalise(string.Join("; ", parts)) + (weekly ? "; lines are weekly averages." : "."), options, data.Range, [hrv, rhr], v => v.ToString("0.#", CultureInfo.InvariantCulture));
    }

    private static ChartModel Steps(DashboardData data)
    {
        var steps = data.Get(MetricCatalogue.Steps);
        if (steps.Points.Count == 0)
        {
            return Empty("steps", "Steps", "No steps in this period. Oura and Withings count them once connected.");
        }

        var weekly = Weekly(data.Range);
        var points = Plot(steps.Points, weekly);
        var goalDays = steps.Points.Count(p => p.Value >= DefaultStepGoal);
        // The goal line stays on the chart (and its label inside it) even when every day is below it.
        double? max = points.Max(p => p.Value) < DefaultStepGoal * 1.1 ? Nice(DefaultStepGoal * 1.2) : null;
        var options = new
        {
            tooltip = new { trigger = "axis" },
            grid = Grid(),
            xAxis = TimeAxis(data.Range, weekly),
            yAxis = new { type = "value", min = 0, max },
            series = new object[]
            {
                new
                {
                    type = "bar",
                    name = weekly ? "Steps (weekly average)" : "Steps",
                    barMaxWidth = 18,
                    itemStyle = new { color = Primary, borderRadius = 3 },
                    data = Pairs(points, Math.Round),
                    markLine = new
                    {
                        symbol = "none",
                        silent = true,
                        lineStyle = new { type = "dashed", color = TextSecondary },
                        label = new { position = "insideEndTop", formatter = "Goal " + DefaultStepGoal.ToString("#,0", CultureInfo.InvariantCulture), color = TextPrimary, backgroundColor = Surface, padding = new[] { 2, 6 }, borderRadius = 4 },
                        data = new[] { new { yAxis = DefaultStepGoal } },
                    },
                },
            },
        };
        var summary = $"{steps.Points.Average(p => p.Value).ToString("#,0", CultureInfo.InvariantCulture)} steps a day on average; the {DefaultStepGoal.ToString("#,0", CultureInfo.InvariantCulture)}-step goal was met on {goalDays} of {Count(steps.Points.Count, "day")}" +
            (weekly ? "; bars are weekly averages." : ".");
        return Chart("steps", "Steps", summary, options, data.Range, [steps], v => v.ToString("#,0", CultureInfo.InvariantCulture));
    }

    private static ChartModel Weight(DashboardData data)
    {
        var weight = data.Get(MetricCatalogue.Weight);
        if (weight.Points.Count == 0)
        {
            return Empty("weight", "Weight", "No weigh-ins in this period. Step on a Withings scale or add one at Measurements.");
        }

        var average = MovingAverage(weight.Points, 7);
        var slope = Statistics.Slope(weight.Points.Select(p => ((double)p.Day.DayNumber, p.Value)).ToList());
        var first = weight.Points[0].Day.DayNumber;
        var last = weight.Points[^1].Day.DayNumber;
        var mean = weight.Points.Average(p => p.Value);
        var meanDay = weight.Points.Average(p => (double)p.Day.DayNumber);
        object[] trend = slope is { } s && last > first
            ? [new object[] { Date(DateOnly.FromDayNumber(first)), Round(mean + (s * (first - meanDay))) }, new object[] { Date(DateOnly.FromDayNumber(last)), Round(mean + (s * (last - meanDay))) }]
            : [];
        // A kilo (two pounds) either side at least: one weigh-in sits mid-chart on a tight scale.
        var (min, max, interval) = Bounds(weight.Points.Select(p => p.Value), minSpan: weight.Unit == "lb" ? 4 : 2);
        var series = new List<object>
        {
            new { type = "scatter", name = "Weigh-in", symbolSize = 6, itemStyle = new { color = Primary, opacity = weight.Points.Count > 1 ? 0.45 : 1 }, data = Pairs(Reduce(weight.Points), v => v) },
        };
        if (weight.Points.Count > 1)
        {
            series.Add(new { type = "line", name = "7-day average", showSymbol = false, smooth = true, itemStyle = new { color = Primary }, lineStyle = new { width = 2.5 }, data = Pairs(Reduce(average), v => v) });
        }

        if (trend.Length > 0)
        {
            series.Add(new { type = "line", name = "Trend", showSymbol = false, itemStyle = new { color = Tertiary }, lineStyle = new { type = "dashed", width = 1.5 }, data = trend });
        }

        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = weight.Points.Count > 1 ? Legend() : null,
            grid = Grid(legend: weight.Points.Count > 1),
            xAxis = TimeAxis(data.Range),
            yAxis = new { type = "value", name = weight.Unit, min, max, interval },
            series,
        };
        var perWeek = slope is { } rate ? (rate * 7).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : null;
        var summary = $"Latest {weight.Points[^1].Value:0.0} {weight.Unit} on {weight.Points[^1].Day:d MMM}; {Count(weight.Points.Count, "weigh-in")}" +
            (perWeek is null ? "." : $", trending {perWeek} {weight.Unit} a week.");
        return Chart("weight", "Weight", summary, options, data.Range, [weight], v => v.ToString("0.0", CultureInfo.InvariantCulture));
    }

    private static ChartModel BloodPressure(DashboardData data)
    {
        var systolic = data.Get(MetricCatalogue.Systolic);
        var diastolic = data.Get(MetricCatalogue.Diastolic);
        if (systolic.Points.Count + diastolic.Points.Count == 0)
        {
            return Empty("blood-pressure", "Blood pressure", "No blood pressure readings in this period. A Withings cuff syncs them, or add one at Measurements.");
        }

        // 120/80 always on the chart, with their labels inside it; a dot per reading while there are few.
        var symbols = Math.Max(systolic.Points.Count, diastolic.Points.Count) <= 60;
        var (min, max, interval) = Bounds(systolic.Points.Concat(diastolic.Points).Select(p => p.Value).Append(80).Append(120), minSpan: 40);
        object Reference(double value, string colour) => new
        {
            symbol = "none",
            silent = true,
            lineStyle = new { type = "dotted", color = colour },
            label = new { position = "insideEndTop", formatter = value.ToString("0", CultureInfo.InvariantCulture), color = colour, backgroundColor = Surface, padding = new[] { 1, 4 }, borderRadius = 3 },
            data = new[] { new { yAxis = value } },
        };
        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = Legend(),
            grid = Grid(legend: true),
            xAxis = TimeAxis(data.Range),
            yAxis = new { type = "value", name = "mmHg", min, max, interval },
            series = new object[]
            {
                new { type = "line", name = "Systolic", showSymbol = symbols, symbolSize = 5, itemStyle = new { color = Error }, data = Pairs(Reduce(systolic.Points), v => v), markLine = Reference(120, Error) },
                new { type = "line", name = "Diastolic", showSymbol = symbols, symbolSize = 5, itemStyle = new { color = Info }, data = Pairs(Reduce(diastolic.Points), v => v), markLine = Reference(80, Info) },
            },
        };
        var summary = systolic.Points.Count > 0 && diastolic.Points.Count > 0
            ? $"Average {systolic.Points.Average(p => p.Value):0}/{diastolic.Points.Average(p => p.Value):0} mmHg over {Count(systolic.Points.Count, "day")} with readings; dotted lines mark 120/80."
            : $"{Count(systolic.Points.Count + diastolic.Points.Count, "reading")}.";
        return Chart("blood-pressure", "Blood pressure", summary, options, data.Range, [systolic, diastolic], v => v.ToString("0", CultureInfo.InvariantCulture));
    }

    private static ChartModel MoodAndEnergy(DashboardData data)
    {
        var mood = data.Get(DashboardService.Mood);
        var energy = data.Get(DashboardService.Energy);
        if (mood.Points.Count + energy.Points.Count == 0)
        {
            return Empty("mood", "Mood and energy", "No mood or energy in this period. Rate them when you write in your journal.");
        }

        var weekly = Weekly(data.Range);
        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = Legend(),
            grid = Grid(legend: true),
            xAxis = TimeAxis(data.Range, weekly),
            yAxis = new { type = "value", min = 1, max = 5, interval = 1 },
            // Ratings from 1 to 5: straight segments between days, never a curve past the scale.
            series = new object[]
            {
                Line("Mood", Tertiary, Plot(mood.Points, weekly), symbols: true),
                Line("Energy", Secondary, Plot(energy.Points, weekly), symbols: true),
            },
        };
        var summary = $"Mood averaged {(mood.Points.Count > 0 ? mood.Points.Average(p => p.Value).ToString("0.0", CultureInfo.InvariantCulture) : "–")} and energy {(energy.Points.Count > 0 ? energy.Points.Average(p => p.Value).ToString("0.0", CultureInfo.InvariantCulture) : "–")} out of 5" +
            (weekly ? "; lines are weekly averages." : ".");
        return Chart("mood", "Mood and energy", summary, options, data.Range, [mood, energy], v => v.ToString("0.0", CultureInfo.InvariantCulture));
    }

    private static ChartModel HeartRate(DashboardData data)
    {
        if (data.HeartRate is not { SampleCount: > 0 } day)
        {
            var when = data.HeartRate is { } asked ? $" on {asked.Day:d MMMM yyyy}" : " in this period";
            return Empty("heart-rate", "Heart rate through the day", $"No heart-rate samples{when}. Oura records them through the day and night.");
        }

        var (min, max, interval) = Bounds(day.Points.Select(p => p.Bpm), minSpan: 20);
        var options = new
        {
            tooltip = new { trigger = "axis" },
            grid = Grid(),
            xAxis = new { type = "time", min = Date(day.Day) + "T00:00", max = Date(day.Day.AddDays(1)) + "T00:00" },
            yAxis = new { type = "value", name = "bpm", min, max, interval },
            series = new object[]
            {
                new { type = "line", name = "Heart rate", showSymbol = false, itemStyle = new { color = Error }, lineStyle = new { width = 1.2 }, areaStyle = new { opacity = 0.08 }, data = day.Points.Select(p => new object[] { p.LocalTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), Round(p.Bpm) }).ToArray() },
            },
        };
        var rows = day.Points
            .GroupBy(p => p.LocalTime.Hour)
            .Select(g => (IReadOnlyList<string>)[$"{g.Key:00}:00", g.Min(p => p.Bpm).ToString("0", CultureInfo.InvariantCulture), g.Average(p => p.Bpm).ToString("0", CultureInfo.InvariantCulture), g.Max(p => p.Bpm).ToString("0", CultureInfo.InvariantCulture)])
            .ToList();
        return new ChartModel("heart-rate", $"Heart rate on {day.Day.ToString("dddd d MMMM", CultureInfo.InvariantCulture)}",
            $"{day.SampleCount:#,0} samples: from {day.Min:0} to {day.Max:0} bpm, {day.Mean:0} on average.",
            Serialize(options), null, ["Hour", "Min bpm", "Mean bpm", "Max bpm"], rows, "Heart rate per hour");
    }

    private static ChartModel Calendar(DashboardData data)
    {
        var steps = data.Get(MetricCatalogue.Steps);
        var journal = data.Get(DashboardService.JournalEntries);
        var to = data.Range.To;
        var from = data.Range.From > to.AddDays(-364) ? data.Range.From : to.AddDays(-364);
        var stepDays = steps.Points.Where(p => p.Day >= from).ToList();
        var journalDays = journal.Points.Where(p => p.Day >= from && p.Value > 0).ToList();
        if (stepDays.Count + journalDays.Count == 0)
        {
            return Empty("calendar", "Calendar", "Nothing to colour in yet: steps and journaling days appear here.");
        }

        // Square days: a fixed cell size (bigger for short periods), and the chart scrolls sideways on a phone
        // rather than squashing a year into 350 px. Up to half a year, the two calendars sit side by side.
        var start = from.AddDays(-(((int)from.DayOfWeek + 6) % 7));
        var weeks = ((to.DayNumber - start.DayNumber) / 7) + 1;
        var cell = Math.Clamp(820 / weeks, 14, 26);
        const int left = 36, headline = 24, monthLabels = 22, gap = 18;
        var sideBySide = weeks <= 26 && stepDays.Count > 0 && journalDays.Count > 0;
        var blockWidth = Math.Max(left + (weeks * cell), 140) + 48;
        var blockHeight = headline + monthLabels + (7 * cell) + gap;
        var titles = new List<object>();
        var visualMaps = new List<object>();
        var calendars = new List<object>();
        var series = new List<object>();
        var legend = new List<LegendEntry>();
        void Add(string title, string seriesName, IReadOnlyList<DayValue> days, Piece[] pieces)
        {
            var top = sideBySide ? 0 : calendars.Count * blockHeight;
            var x = sideBySide ? calendars.Count * blockWidth : 0;
            titles.Add(new { text = title, left = x, top, textStyle = new { color = TextPrimary, fontSize = 13, fontWeight = 600 } });
            // The key is drawn above the chart in HTML (it stays in view while a phone scrolls the calendar).
            visualMaps.Add(new { type = "piecewise", show = false, seriesIndex = series.Count, pieces });
            legend.AddRange(pieces.Select(p => new LegendEntry(title, p.Label, p.Color, (int)Math.Round(p.ColorAlpha * 100))));
            calendars.Add(new
            {
                top = top + headline + monthLabels,
                left = x + left,
                cellSize = new[] { cell, cell },
                range = new[] { Date(from), Date(to) },
                itemStyle = new { color = EmptyDay, borderWidth = 3, borderColor = Surface },
                splitLine = new { show = false },
                yearLabel = new { show = false },
                dayLabel = new { color = TextSecondary, firstDay = 1, nameMap = new[] { "S", "M", "T", "W", "T", "F", "S" }, fontSize = 10 },
                // A week or two has no room for month names (and the period says which days they are).
                monthLabel = new { show = weeks >= 6, color = TextSecondary, fontSize = 11 },
            });
            series.Add(new { type = "heatmap", name = seriesName, coordinateSystem = "calendar", calendarIndex = calendars.Count - 1, data = Pairs(days, Math.Round) });
        }

        // Shades of one colour (its alpha), dark on a dark page and light on a light one.
        if (stepDays.Count > 0)
        {
            Add("Steps", "Steps", stepDays,
            [
                new(null, 4999.5, "< 5k", Primary, 0.3),
                new(4999.5, 9999.5, "5k–10k", Primary, 0.6),
                new(9999.5, null, "10k+ (goal)", Primary, 1.0),
            ]);
        }

        if (journalDays.Count > 0)
        {
            Add("Journal", "Journal entries", journalDays,
            [
                new(0.5, 1.5, "1 entry", Secondary, 0.55),
                new(1.5, null, "2 or more", Secondary, 1.0),
            ]);
        }

        var options = new
        {
            tooltip = new { },
            title = titles,
            visualMap = visualMaps,
            calendar = calendars,
            series,
        };
        var summary = string.Join(" ", new[]
        {
            stepDays.Count > 0 ? $"{stepDays.Count(p => p.Value >= DefaultStepGoal)} days of {stepDays.Count} reached {DefaultStepGoal.ToString("#,0", CultureInfo.InvariantCulture)} steps." : null,
            journalDays.Count > 0 ? $"You wrote in your journal on {Count(journalDays.Count, "day")}." : null,
        }.OfType<string>());
        var months = stepDays.Concat(journalDays).Select(p => new DateOnly(p.Day.Year, p.Day.Month, 1)).Distinct().OrderDescending().ToList();
        var rows = months.Select(month => (IReadOnlyList<string>)
        [
            month.ToString("MMM yyyy", CultureInfo.InvariantCulture),
            stepDays.Count(p => p.Day.Year == month.Year && p.Day.Month == month.Month && p.Value >= DefaultStepGoal).ToString(CultureInfo.InvariantCulture),
            journalDays.Count(p => p.Day.Year == month.Year && p.Day.Month == month.Month).ToString(CultureInfo.InvariantCulture),
        ]).ToList();
        return new ChartModel("calendar", "Calendar", summary, Serialize(options), null,
            ["Month", "Days at step goal", "Journaling days"], rows, "Per month",
            Height: ((sideBySide ? 1 : calendars.Count) * blockHeight) - gap + 4,
            MinWidth: sideBySide ? (2 * blockWidth) - 48 : left + (weeks * cell) + 12,
            Legend: legend);
    }

    /// <summary>One colour band of the calendar's key (an ECharts visualMap piece).</summary>
    private sealed record Piece(
        [property: JsonPropertyName("min")] double? Min,
        [property: JsonPropertyName("max")] double? Max,
        [property: JsonPropertyName("label")] string Label,
        [property: JsonPropertyName("color")] string Color,
        [property: JsonPropertyName("colorAlpha")] double ColorAlpha);

    private static ChartModel Chart(string id, string title, string summary, object options, DashboardRange range, IReadOnlyList<DailySeries> series, Func<double, string> format)
    {
        var (caption, buckets) = range.Days switch
        {
            > 400 => ("Monthly averages", 31),
            > 92 => ("Weekly averages", 7),
            _ => ("Daily values", 1),
        };
        var perSeries = series.Select(s => (buckets == 1 ? s.Points : Bucket(s.Points, buckets, monthly: buckets == 31)).ToDictionary(p => p.Day, p => p.Value)).ToList();
        var days = perSeries.SelectMany(d => d.Keys).Distinct().OrderDescending().ToList();
        var label = buckets switch
        {
            31 => "MMM yyyy",
            7 => "'Week of' d MMM yyyy",
            _ => "ddd d MMM yyyy",
        };
        var formats = series.Select(s => s.Unit switch
        {
            "h" => DisplayUnit.HoursAndMinutes,
            "min" => v => v.ToString("0", CultureInfo.InvariantCulture),
            _ => format,
        }).ToList();
        var rows = days.Select(day => (IReadOnlyList<string>)[day.ToString(label, CultureInfo.InvariantCulture), .. perSeries.Select((d, i) => d.TryGetValue(day, out var v) ? formats[i](v) : "–")]).ToList();
        var columns = new List<string> { buckets == 1 ? "Day" : buckets == 7 ? "Week" : "Month" };
        columns.AddRange(series.Select(s => s.Unit is "" or "score" ? s.Name : $"{s.Name} ({s.Unit})"));
        return new ChartModel(id, title, summary, Serialize(options), null, columns, rows, caption);
    }

    private static ChartModel Empty(string id, string title, string message) => new(id, title, message, null, message, [], [], "");

    private static string Serialize(object options) => JsonSerializer.Serialize(options, options.GetType(), Json);

    private static object Line(string name, string colour, IReadOnlyList<DayValue> points, int? yAxisIndex = null, bool area = false, bool symbols = false, string? unit = null) => new
    {
        type = "line",
        name = unit is null ? name : $"{name} ({unit})",
        yAxisIndex,
        showSymbol = symbols || points.Count == 1,
        symbolSize = 6,
        itemStyle = new { color = colour },
        areaStyle = area ? new { opacity = 0.08 } : null,
        data = Pairs(points, v => v),
    };

    private static object Legend() => new { top = 0, left = 0, type = "scroll", itemWidth = 14, itemHeight = 9 };

    /// <summary>
    /// A day axis over exactly the chosen period, half a day either side so the first and last bars are whole
    /// (a week either side for weekly bars). Without bounds, one reading made ECharts pick an hourly axis.
    /// </summary>
    private static object TimeAxis(DashboardRange range, bool weekly = false) => new
    {
        type = "time",
        min = Date(range.From.AddDays(weekly ? -4 : -1)) + "T12:00",
        max = Date(range.To.AddDays(weekly ? 3 : 0)) + "T12:00",
    };

    /// <summary>
    /// A y range fitted to the values: at least <paramref name="minSpan"/> wide, a little room above and below, on round
    /// numbers, with the tick interval that divides it (so the bottom label does not crowd the next one).
    /// </summary>
    internal static (double Min, double Max, double Interval) Bounds(IEnumerable<double> values, double minSpan)
    {
        var list = values as IReadOnlyCollection<double> ?? values.ToList();
        double low = list.Min(), high = list.Max();
        if (high - low < minSpan)
        {
            var middle = (low + high) / 2;
            (low, high) = (middle - (minSpan / 2), middle + (minSpan / 2));
        }

        var step = NiceStep((high - low) / 4);
        var pad = (high - low) * 0.08;
        return (Math.Floor((low - pad) / step) * step, Math.Ceiling((high + pad) / step) * step, step);
    }

    private static double NiceStep(double rough)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / magnitude;
        return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude;
    }

    private static double Nice(double value) => Math.Ceiling(value / NiceStep(value / 5)) * NiceStep(value / 5);

    /// <summary>Means per bucket: weeks start on Monday, months on the 1st; each keyed by its first day (or, for a chart, mid-week).</summary>
    private static IReadOnlyList<DayValue> Bucket(IReadOnlyList<DayValue> points, int days, bool monthly = false, bool midWeek = false) => points
        .GroupBy(p => monthly ? new DateOnly(p.Day.Year, p.Day.Month, 1) : p.Day.AddDays(-(((int)p.Day.DayOfWeek + 6) % 7)))
        .Select(g => new DayValue(midWeek && !monthly ? g.Key.AddDays(3) : g.Key, g.Average(p => p.Value)))
        .OrderBy(p => p.Day)
        .ToList();

    /// <summary>Trailing mean over the last <paramref name="days"/> calendar days that have a value.</summary>
    private static IReadOnlyList<DayValue> MovingAverage(IReadOnlyList<DayValue> points, int days)
    {
        var result = new List<DayValue>(points.Count);
        double sum = 0;
        var start = 0;
        for (var i = 0; i < points.Count; i++)
        {
            sum += points[i].Value;
            while (points[start].Day <= points[i].Day.AddDays(-days))
            {
                sum -= points[start++].Value;
            }

            result.Add(new DayValue(points[i].Day, sum / (i - start + 1)));
        }

        return result;
    }

    /// <summary>
    /// What a line or bar chart draws: each day, or past four months each week's mean (a year of daily HRV is noise;
    /// its weekly trend reads), and never more than <see cref="ChartPoints"/> points.
    /// </summary>
    private static IReadOnlyList<DayValue> Plot(IReadOnlyList<DayValue> points, bool weekly) =>
        Reduce(weekly ? Bucket(points, 7, midWeek: true) : points);

    private static IReadOnlyList<DayValue> Reduce(IReadOnlyList<DayValue> points) =>
        points.Count <= ChartPoints
            ? points
            : Downsampling.Lttb(points.Select(p => new Point(p.Day.DayNumber, p.Value)).ToList(), ChartPoints)
                .Select(p => new DayValue(DateOnly.FromDayNumber((int)p.X), p.Y)).ToList();

    private static object[][] Pairs(IReadOnlyList<DayValue> points, Func<double, double> map) =>
        points.Select(p => new object[] { Date(p.Day), Round(map(p.Value)) }).ToArray();

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 2);

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n:#,0} {noun}s";

    private static object Grid(bool legend = false) => new { left = 8, right = 8, top = legend ? 56 : 32, bottom = 8, containLabel = true };

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}

/// <summary>A string that holds JSON, written into the surrounding JSON as is and read back as its text.</summary>
public sealed class RawJsonConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(value, skipInputValidation: true);
        }
    }
}
