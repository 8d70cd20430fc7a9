using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Home;

/// <summary>One chart: its ECharts options as JSON, a one-line summary, and the same numbers as a table.</summary>
public sealed record ChartModel(
    string Id,
    string Title,
    string Summary,
    string? OptionsJson,
    string? EmptyMessage,
    IReadOnlyList<string> Columns,
    IReadOnlyList<IReadOnlyList<string>> Rows,
    string TableCaption,
    int Height = 280);

/// <summary>Turns the dashboard's series into chart options and accessible tables. Long ranges are summarised weekly or monthly in tables and downsampled in charts.</summary>
public static class DashboardCharts
{
    public const double DefaultStepGoal = 10_000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static IReadOnlyList<ChartModel> Build(DashboardData data) =>
    [
        Sleep(data),
        Recovery(data),
        Steps(data),
        Weight(data),
        BloodPressure(data),
        HeartRate(data),
        MoodAndEnergy(data),
        Calendar(data),
    ];

    private static ChartModel Sleep(DashboardData data)
    {
        var total = data.Get(MetricCatalogue.SleepDuration);
        var stages = new[] { MetricCatalogue.SleepDeep, MetricCatalogue.SleepLight, MetricCatalogue.SleepRem, MetricCatalogue.SleepAwake }
            .Select(data.Get).ToList();
        var score = data.Get(MetricCatalogue.SleepScore);
        if (total.Points.Count == 0 && score.Points.Count == 0)
        {
            return Empty("sleep", "Sleep", "No sleep in this period. Connect an Oura ring or a Withings sleep analyser, or log sleep at Measurements.");
        }

        var weekly = data.Range.Days > 120;
        // Without stages (a source that reports only the total), the night's total is the bar.
        var bars = stages.Any(s => s.Points.Count > 0) ? stages : [total];
        var stageSeries = bars.Select(s => (object)new
        {
            type = "bar",
            name = s.Name,
            stack = "stages",
            barMaxWidth = 18,
            data = Pairs(weekly ? Bucket(s.Points, 7) : s.Points, v => s.Unit == "min" ? Math.Round(v / 60, 2) : v), // stages in minutes → hours
        });
        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = new { top = 0, type = "scroll" },
            grid = Grid(legend: true),
            xAxis = new { type = "time" },
            yAxis = new object[] { new { type = "value", name = "h", unitFormat = "hours" }, new { type = "value", name = "score", min = 0, max = 100, splitLine = new { show = false } } },
            series = stageSeries.Append(new { type = "line", name = score.Name, yAxisIndex = 1, showSymbol = false, smooth = true, data = Pairs(Reduce(score.Points), v => v) }).ToArray(),
        };
        var average = total.Points.Count > 0 ? total.Points.Average(p => p.Value) : (double?)null;
        var summary = average is { } avg
            ? $"You slept {DisplayUnit.HoursAndMinutes(avg)} a night on average over {total.Points.Count} nights{(score.Points.Count > 0 ? $"; sleep score averaged {score.Points.Average(p => p.Value):0}" : "")}."
            : $"Sleep score averaged {score.Points.Average(p => p.Value):0} over {score.Points.Count} nights.";
        return Chart("sleep", "Sleep stages and score", summary, options, data.Range, [total, .. stages, score], DisplayUnit.HoursAndMinutes);
    }

    private static ChartModel Recovery(DashboardData data)
    {
        var readiness = data.Get(MetricCatalogue.ReadinessScore);
        var hrv = data.Get(MetricCatalogue.HrvRmssd);
        var rhr = data.Get(MetricCatalogue.RestingHeartRate);
        if (readiness.Points.Count + hrv.Points.Count + rhr.Points.Count == 0)
        {
            return Empty("recovery", "Readiness, HRV and resting heart rate", "No readiness or heart data in this period. An Oura ring fills this in every morning.");
        }

        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = new { top = 0, type = "scroll" },
            grid = Grid(legend: true),
            xAxis = new { type = "time" },
            yAxis = new object[] { new { type = "value", name = "score", min = 0, max = 100 }, new { type = "value", name = "ms · bpm", splitLine = new { show = false } } },
            series = new object[]
            {
                new { type = "line", name = readiness.Name, showSymbol = false, smooth = true, areaStyle = new { opacity = 0.08 }, data = Pairs(Reduce(readiness.Points), v => v) },
                new { type = "line", name = "HRV (ms)", yAxisIndex = 1, showSymbol = false, smooth = true, data = Pairs(Reduce(hrv.Points), v => v) },
                new { type = "line", name = "Resting HR (bpm)", yAxisIndex = 1, showSymbol = false, smooth = true, data = Pairs(Reduce(rhr.Points), v => v) },
            },
        };
        var parts = new List<string>();
        if (readiness.Points.Count > 0)
        {
            parts.Add($"readiness averaged {readiness.Points.Average(p => p.Value):0}");
        }

        if (hrv.Points.Count > 0)
        {
            parts.Add($"HRV {hrv.Points.Average(p => p.Value):0} ms");
        }

        if (rhr.Points.Count > 0)
        {
            parts.Add($"resting heart rate {rhr.Points.Average(p => p.Value):0.#} bpm");
        }

        return Chart("recovery", "Readiness, HRV and resting heart rate", Capitalise(string.Join(", ", parts)) + ".", options, data.Range, [readiness, hrv, rhr], v => v.ToString("0.#", CultureInfo.InvariantCulture));
    }

    private static ChartModel Steps(DashboardData data)
    {
        var steps = data.Get(MetricCatalogue.Steps);
        if (steps.Points.Count == 0)
        {
            return Empty("steps", "Steps", "No steps in this period. Oura and Withings count them once connected.");
        }

        var weekly = data.Range.Days > 120;
        var goalDays = steps.Points.Count(p => p.Value >= DefaultStepGoal);
        var options = new
        {
            tooltip = new { trigger = "axis" },
            grid = Grid(),
            xAxis = new { type = "time" },
            yAxis = new { type = "value" },
            series = new object[]
            {
                new
                {
                    type = "bar",
                    name = weekly ? "Steps (weekly average)" : "Steps",
                    barMaxWidth = 18,
                    itemStyle = new { color = "var(--brand)", borderRadius = 3 },
                    data = Pairs(weekly ? Bucket(steps.Points, 7) : steps.Points, v => Math.Round(v)),
                    markLine = new { symbol = "none", label = new { formatter = "Goal" }, lineStyle = new { type = "dashed" }, data = new[] { new { yAxis = DefaultStepGoal } } },
                },
            },
        };
        var summary = $"{steps.Points.Average(p => p.Value).ToString("#,0", CultureInfo.InvariantCulture)} steps a day on average; the {DefaultStepGoal.ToString("#,0", CultureInfo.InvariantCulture)}-step goal was met on {goalDays} of {steps.Points.Count} days.";
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
        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = new { top = 0, type = "scroll" },
            grid = Grid(legend: true),
            xAxis = new { type = "time" },
            yAxis = new { type = "value", scale = true, name = weight.Unit },
            series = new object[]
            {
                new { type = "scatter", name = "Weigh-in", symbolSize = 5, data = Pairs(Reduce(weight.Points), v => v) },
                new { type = "line", name = "7-day average", showSymbol = false, smooth = true, lineStyle = new { width = 2.5 }, data = Pairs(Reduce(average), v => v) },
                new { type = "line", name = "Trend", showSymbol = false, lineStyle = new { type = "dashed", width = 1.5 }, data = trend },
            },
        };
        var perWeek = slope is { } rate ? (rate * 7).ToString("+0.00;-0.00;0.00", CultureInfo.InvariantCulture) : null;
        var summary = $"Latest {weight.Points[^1].Value:0.0} {weight.Unit} on {weight.Points[^1].Day:d MMM}; {weight.Points.Count} weigh-ins" +
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

        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = new { top = 0, type = "scroll" },
            grid = Grid(legend: true),
            xAxis = new { type = "time" },
            yAxis = new { type = "value", scale = true, name = "mmHg" },
            series = new object[]
            {
                new { type = "line", name = "Systolic", symbolSize = 5, data = Pairs(Reduce(systolic.Points), v => v), markLine = new { symbol = "none", silent = true, lineStyle = new { type = "dotted" }, data = new[] { new { yAxis = 120 } } } },
                new { type = "line", name = "Diastolic", symbolSize = 5, data = Pairs(Reduce(diastolic.Points), v => v), markLine = new { symbol = "none", silent = true, lineStyle = new { type = "dotted" }, data = new[] { new { yAxis = 80 } } } },
            },
        };
        var summary = systolic.Points.Count > 0 && diastolic.Points.Count > 0
            ? $"Average {systolic.Points.Average(p => p.Value):0}/{diastolic.Points.Average(p => p.Value):0} mmHg over {systolic.Points.Count} days with readings; dotted lines mark 120/80."
            : $"{systolic.Points.Count + diastolic.Points.Count} readings.";
        return Chart("blood-pressure", "Blood pressure", summary, options, data.Range, [systolic, diastolic], v => v.ToString("0", CultureInfo.InvariantCulture));
    }

    private static ChartModel HeartRate(DashboardData data)
    {
        if (data.HeartRate is not { SampleCount: > 0 } day)
        {
            var when = data.HeartRate is { } asked ? $" on {asked.Day:d MMMM yyyy}" : " in this period";
            return Empty("heart-rate", "Heart rate through the day", $"No heart-rate samples{when}. Oura records them through the day and night.");
        }

        var options = new
        {
            tooltip = new { trigger = "axis" },
            grid = Grid(),
            xAxis = new { type = "time" },
            yAxis = new { type = "value", scale = true, name = "bpm" },
            series = new object[]
            {
                new { type = "line", name = "Heart rate", showSymbol = false, lineStyle = new { width = 1.2 }, areaStyle = new { opacity = 0.08 }, data = day.Points.Select(p => new object[] { p.LocalTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture), Round(p.Bpm) }).ToArray() },
            },
        };
        var rows = day.Points
            .GroupBy(p => p.LocalTime.Hour)
            .Select(g => (IReadOnlyList<string>)[$"{g.Key:00}:00", g.Min(p => p.Bpm).ToString("0"), g.Average(p => p.Bpm).ToString("0"), g.Max(p => p.Bpm).ToString("0")])
            .ToList();
        return new ChartModel("heart-rate", $"Heart rate on {day.Day:dddd d MMMM}",
            $"{day.SampleCount} samples: from {day.Min:0} to {day.Max:0} bpm, {day.Mean:0} on average.",
            JsonSerializer.Serialize(options, Json), null, ["Hour", "Min bpm", "Mean bpm", "Max bpm"], rows, "Heart rate per hour");
    }

    private static ChartModel MoodAndEnergy(DashboardData data)
    {
        var mood = data.Get(DashboardService.Mood);
        var energy = data.Get(DashboardService.Energy);
        if (mood.Points.Count + energy.Points.Count == 0)
        {
            return Empty("mood", "Mood and energy", "No mood or energy in this period. Rate them when you write in your journal.");
        }

        var options = new
        {
            tooltip = new { trigger = "axis" },
            legend = new { top = 0, type = "scroll" },
            grid = Grid(legend: true),
            xAxis = new { type = "time" },
            yAxis = new { type = "value", min = 1, max = 5, interval = 1 },
            series = new object[]
            {
                new { type = "line", name = "Mood", smooth = true, symbolSize = 6, data = Pairs(Reduce(mood.Points), v => v) },
                new { type = "line", name = "Energy", smooth = true, symbolSize = 6, data = Pairs(Reduce(energy.Points), v => v) },
            },
        };
        var summary = $"Mood averaged {(mood.Points.Count > 0 ? mood.Points.Average(p => p.Value).ToString("0.0", CultureInfo.InvariantCulture) : "–")} and energy {(energy.Points.Count > 0 ? energy.Points.Average(p => p.Value).ToString("0.0", CultureInfo.InvariantCulture) : "–")} out of 5.";
        return Chart("mood", "Mood and energy", summary, options, data.Range, [mood, energy], v => v.ToString("0.0", CultureInfo.InvariantCulture));
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

        var calendars = new List<object>();
        var series = new List<object>();
        var maxSteps = stepDays.Count > 0 ? stepDays.Max(p => p.Value) : DefaultStepGoal;
        if (stepDays.Count > 0)
        {
            calendars.Add(CalendarBox(from, to, 30));
            series.Add(new { type = "heatmap", name = "Steps", coordinateSystem = "calendar", calendarIndex = calendars.Count - 1, data = Pairs(stepDays, Math.Round) });
        }

        if (journalDays.Count > 0)
        {
            calendars.Add(CalendarBox(from, to, stepDays.Count > 0 ? 200 : 30));
            series.Add(new { type = "heatmap", name = "Journal entries", coordinateSystem = "calendar", calendarIndex = calendars.Count - 1, data = Pairs(journalDays, v => v) });
        }

        var options = new
        {
            tooltip = new { },
            visualMap = new object[]
            {
                new { show = false, seriesIndex = 0, min = 0, max = Math.Max(maxSteps, 1), inRange = new { color = new[] { "var(--surface-2)", "var(--brand)" } } },
                new { show = false, seriesIndex = series.Count > 1 ? 1 : 0, min = 0, max = 3, inRange = new { color = new[] { "var(--surface-2)", "#2bb3a3" } } },
            }.Take(series.Count).ToArray(),
            calendar = calendars.ToArray(),
            series = series.ToArray(),
        };
        var summary = string.Join(" ", new[]
        {
            stepDays.Count > 0 ? $"{stepDays.Count(p => p.Value >= DefaultStepGoal)} days of {stepDays.Count} reached {DefaultStepGoal.ToString("#,0", CultureInfo.InvariantCulture)} steps." : null,
            journalDays.Count > 0 ? $"You wrote in your journal on {journalDays.Count} days." : null,
        }.OfType<string>());
        var months = Bucket(stepDays, 31, monthly: true).Select(p => p.Day).ToList();
        var rows = months.Select(month => (IReadOnlyList<string>)
        [
            month.ToString("MMM yyyy", CultureInfo.InvariantCulture),
            stepDays.Count(p => p.Day.Year == month.Year && p.Day.Month == month.Month && p.Value >= DefaultStepGoal).ToString(CultureInfo.InvariantCulture),
            journalDays.Count(p => p.Day.Year == month.Year && p.Day.Month == month.Month).ToString(CultureInfo.InvariantCulture),
        ]).ToList();
        return new ChartModel("calendar", "Calendar", summary, JsonSerializer.Serialize(options, Json), null,
            ["Month", "Days at step goal", "Journaling days"], rows, "Per month", Height: calendars.Count * 170);
    }

    private static object CalendarBox(DateOnly from, DateOnly to, int top) => new
    {
        top,
        left = 40,
        right = 10,
        cellSize = new object[] { "auto", 13 },
        range = new[] { Date(from), Date(to) },
        itemStyle = new { borderWidth = 2, borderColor = "var(--surface)" },
        splitLine = new { show = false },
        yearLabel = new { show = false },
        dayLabel = new { color = "var(--text-muted)", nameMap = "en", firstDay = 1 },
        monthLabel = new { color = "var(--text-muted)" },
    };

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
        return new ChartModel(id, title, summary, JsonSerializer.Serialize(options, Json), null, columns, rows, caption);
    }

    private static ChartModel Empty(string id, string title, string message) => new(id, title, message, null, message, [], [], "");

    /// <summary>Means per bucket: weeks start on Monday, months on the 1st; each keyed by its first day.</summary>
    private static IReadOnlyList<DayValue> Bucket(IReadOnlyList<DayValue> points, int days, bool monthly = false) => points
        .GroupBy(p => monthly ? new DateOnly(p.Day.Year, p.Day.Month, 1) : p.Day.AddDays(-(((int)p.Day.DayOfWeek + 6) % 7)))
        .Select(g => new DayValue(g.Key, g.Average(p => p.Value)))
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
    /// A chart is at most ~600 px wide on the page, so 600 points per series (LTTB, extremes kept) draw
    /// the same line as 1,825 do, for a third of the bytes; well inside <see cref="DashboardService.MaxPoints"/>.
    /// </summary>
    private const int ChartPoints = 600;

    private static IReadOnlyList<DayValue> Reduce(IReadOnlyList<DayValue> points) =>
        points.Count <= ChartPoints
            ? points
            : Downsampling.Lttb(points.Select(p => new Point(p.Day.DayNumber, p.Value)).ToList(), ChartPoints)
                .Select(p => new DayValue(DateOnly.FromDayNumber((int)p.X), p.Y)).ToList();

    private static object[][] Pairs(IReadOnlyList<DayValue> points, Func<double, double> map) =>
        points.Select(p => new object[] { Date(p.Day), Round(map(p.Value)) }).ToArray();

    private static string Date(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 2);

    private static object Grid(bool legend = false) => new { left = 8, right = 8, top = legend ? 64 : 36, bottom = 8, containLabel = true };

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
