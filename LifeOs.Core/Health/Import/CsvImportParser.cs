using System.Globalization;
using System.Text.RegularExpressions;
using LifeOs.Core.Accounts;

namespace LifeOs.Core.Health.Import;

public enum ImportFormat
{
    Unknown,

    /// <summary>timestamp,metric,value,unit: one measurement per row.</summary>
    Long,

    /// <summary>date,&lt;metric&gt;,&lt;metric&gt;…: one day per row, one column per metric.</summary>
    Wide,
}

/// <summary>A problem in an uploaded file, at a 1-based line and column.</summary>
public sealed record ImportError(int Line, int Column, string? ColumnName, string Message)
{
    public override string ToString() =>
        $"Line {Line}, column {Column}{(ColumnName is { Length: > 0 } ? $" ({ColumnName})" : "")}: {Message}";
}

/// <summary>One measurement read from a file: value in the metric's canonical unit, time in the user's zone and in UTC.</summary>
/// <param name="Day">The row's date when it gave no time of day: the day it belongs to whatever the time zone.</param>
public sealed record ImportRow(int Line, string MetricCode, DateTime LocalTime, DateTime StartUtc, double Value, DateOnly? Day = null);

/// <param name="Mapping">The column mapping the file was read with (guessed from the header, or the person's).</param>
/// <param name="DateOrder">How slashed dates were read: detected, chosen, or <see cref="Import.DateOrder.Auto"/> when the file has none.</param>
/// <param name="DateOrderAsked">The file's slashed dates could be either way round and no order was chosen: ask.</param>
public sealed record ImportParseResult(
    ImportFormat Format, IReadOnlyList<ImportRow> Rows, IReadOnlyList<ImportError> Errors, int ErrorCount,
    ImportMapping? Mapping = null, DateOrder DateOrder = DateOrder.Auto, bool DateOrderAsked = false)
{
    public bool Succeeded => ErrorCount == 0;
}

/// <summary>
/// Reads a CSV of health measurements in the long or the wide layout, through a column mapping (guessed from the
/// header unless one is given), converting units into the catalogue's canonical units and local times (the user's
/// zone) into UTC. Columns the mapping ignores are not read. Pure: no database; the user's clock, when given,
/// refuses dates after their today (<see cref="RecordDates"/>).
/// </summary>
public sealed partial class CsvImportParser(TimeZoneInfo zone, UnitSystem unitSystem, UserClock? clock = null)
{
    /// <summary>Errors beyond this many are counted but not listed: a wrong file would otherwise list every row.</summary>
    public const int MaxListedErrors = 1000;

    private static readonly TimeOnly Noon = new(12, 0);
    private static readonly string[] TimestampHeaders =
        ["timestamp", "datetime", "date time", "date/time", "date", "time", "day", "start", "start time", "start date", "recorded", "recorded at", "measured at", "when"];

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["hrv"] = MetricCatalogue.HrvRmssd,
        ["rmssd"] = MetricCatalogue.HrvRmssd,
        ["heart rate variability"] = MetricCatalogue.HrvRmssd,
        ["rhr"] = MetricCatalogue.RestingHeartRate,
        ["resting hr"] = MetricCatalogue.RestingHeartRate,
        ["systolic"] = MetricCatalogue.Systolic,
        ["diastolic"] = MetricCatalogue.Diastolic,
        ["readiness score"] = MetricCatalogue.ReadinessScore,
        ["sleep duration"] = MetricCatalogue.SleepDuration,
        ["body fat ratio"] = MetricCatalogue.FatRatio,
        ["body fat percentage"] = MetricCatalogue.FatRatio,
        ["temperature"] = MetricCatalogue.BodyTemperatureDeviation,
        ["blood oxygen"] = MetricCatalogue.Spo2,
        ["oxygen saturation"] = MetricCatalogue.Spo2,
        ["sleep"] = MetricCatalogue.SleepDuration,
        ["sleep time"] = MetricCatalogue.SleepDuration,
        ["step count"] = MetricCatalogue.Steps,
        ["body weight"] = MetricCatalogue.Weight,
        ["body fat"] = MetricCatalogue.FatRatio,
        ["pulse"] = MetricCatalogue.RestingHeartRate,
    };

    /// <summary>Headers that name a metric and its unit in one word: "Sleep Hours", "Sleep (hrs)".</summary>
    private static readonly Dictionary<string, (string Code, string Unit)> MetricWithUnit = new(StringComparer.Ordinal)
    {
        ["sleep hours"] = (MetricCatalogue.SleepDuration, "h"),
        ["hours slept"] = (MetricCatalogue.SleepDuration, "h"),
        ["sleep minutes"] = (MetricCatalogue.SleepDuration, "min"),
        ["minutes asleep"] = (MetricCatalogue.SleepDuration, "min"),
        ["weight kg"] = (MetricCatalogue.Weight, "kg"),
        ["weight lb"] = (MetricCatalogue.Weight, "lb"),
        ["weight lbs"] = (MetricCatalogue.Weight, "lb"),
        ["sleep hrs"] = (MetricCatalogue.SleepDuration, "h"),
        ["sleep h"] = (MetricCatalogue.SleepDuration, "h"),
    };

    private static readonly Dictionary<string, MetricDefinition> ByName = BuildNames();

    private readonly List<ImportError> errors = [];
    // A file repeats a handful of metric names and units on every row: look each up once.
    private readonly Dictionary<string, MetricDefinition?> metricsByText = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Metric, string Unit), double?> factorsByUnit = [];
    private int errorCount;
    private char delimiter = ',';
    private DateOrder dateOrder;

    /// <summary>The clock the date rule reads; without the user's, a clock far in the future (only "1900 or later" applies).</summary>
    private readonly UserClock rules = clock ?? new UserClock(zone, 0, unitSystem, new DateTimeOffset(9000, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private DateOnly latestDay => latestDayCache ??= RecordDates.Latest(rules);
    private DateOnly? latestDayCache;

    /// <summary>Told the share of the file read so far (0 to 1) while a large file is read.</summary>
    public Action<double>? Progress { get; init; }

    public ImportParseResult Parse(ReadOnlySpan<byte> content) => Parse(content.ToArray(), null);

    public ImportParseResult Parse(byte[] content, ImportMapping? requested)
    {
        errors.Clear();
        errorCount = 0;
        var (records, delimiterUsed, readError) = CsvText.Read(content, Progress);
        delimiter = delimiterUsed;
        if (readError is not null)
        {
            return Result(ImportFormat.Unknown, [], readError);
        }

        if (records.Count == 0)
        {
            return Result(ImportFormat.Unknown, [], new ImportError(1, 1, null,
                "The file is empty. The first row must be a header: timestamp,metric,value,unit or date followed by one column per metric."));
        }

        var header = records[0];
        // Spreadsheets often carry empty columns at the right edge; they are not part of the table.
        var names = header.Fields.Select(f => f.Trim()).ToList();
        while (names.Count > 0 && names[^1].Length == 0)
        {
            names.RemoveAt(names.Count - 1);
        }

        var mapping = Guess(names);
        if (requested is not null && requested.Columns.Count == names.Count
            && requested.Columns.Select((c, i) => c.Index == i && c.Header == names[i]).All(ok => ok))
        {
            mapping = requested;
        }

        var columns = mapping.Columns;
        var time = columns.FirstOrDefault(c => c.Role == ColumnRole.Time);
        if (time is null)
        {
            return Result(ImportFormat.Unknown, [], new ImportError(header.Line, 1, names.FirstOrDefault(),
                "The first row must be a header: either timestamp,metric,value,unit (one measurement per row) or date followed by one column per metric, e.g. date,weight,resting_heart_rate."),
                mapping);
        }

        dateOrder = mapping.DateOrder;
        var asked = false;
        if (dateOrder == DateOrder.Auto)
        {
            (dateOrder, var ambiguousLine) = DetectDateOrder(records, time.Index);
            if (ambiguousLine > 0)
            {
                asked = true;
                Add(new ImportError(ambiguousLine, time.Index + 1, names[time.Index],
                    "Dates such as this one could be month/day/year or day/month/year, and no date in the file settles it. Choose the date format above."));
            }
        }

        var rows = new List<ImportRow>();
        ImportFormat format;
        if (columns.Any(c => c.Role == ColumnRole.MetricName))
        {
            format = ImportFormat.Long;
            ParseLong(records, header.Line, names, columns, time.Index, rows);
        }
        else
        {
            format = ImportFormat.Wide;
            ParseWide(records, header.Line, names, columns, time.Index, rows);
        }

        if (records.Count == 1)
        {
            Add(new ImportError(header.Line + 1, 1, null, "There are no rows below the header."));
        }

        return Result(format, rows, null, mapping, asked);
    }

    /// <summary>The mapping a header suggests: the time column, metric columns by code, name, alias or "Name (unit)"; the rest ignored.</summary>
    public static ImportMapping Guess(IReadOnlyList<string> names)
    {
        var normalized = names.Select(Normalize).ToList();
        var columns = new ColumnMapping[names.Count];
        var isLong = normalized.Contains("metric") && normalized.Contains("value");
        var timeIndex = normalized.FindIndex(n => TimestampHeaders.Contains(n));
        var timeOfDayIndex = timeIndex >= 0 && normalized[timeIndex] != "time" ? normalized.FindIndex(timeIndex + 1, n => n == "time") : -1;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            ColumnMapping column = new(i, names[i], ColumnRole.Ignore);
            if (i == timeIndex)
            {
                column = column with { Role = ColumnRole.Time };
            }
            else if (i == timeOfDayIndex && !isLong)
            {
                column = column with { Role = ColumnRole.TimeOfDay };
            }
            else if (isLong)
            {
                column = normalized[i] switch
                {
                    "metric" => column with { Role = ColumnRole.MetricName },
                    "value" => column with { Role = ColumnRole.Value },
                    "unit" => column with { Role = ColumnRole.Unit },
                    _ => column,
                };
            }
            else if (MetricWithUnit.TryGetValue(WithoutBrackets(normalized[i]), out var known) && seen.Add(known.Code))
            {
                column = column with { Role = ColumnRole.Metric, MetricCode = known.Code, Unit = known.Unit };
            }
            else if (names[i].Length > 0 && FindMetricColumn(names[i]) is ({ } metric, var unit))
            {
                // One column per metric: a second one is read only if the person says so.
                column = seen.Add(metric.Code) ? column with { Role = ColumnRole.Metric, MetricCode = metric.Code, Unit = unit } : column;
            }

            columns[i] = column;
        }

        return new ImportMapping(columns);
    }

    /// <summary>
    /// Which way round the file writes slashed dates: a first number over 12 means day first, a second over 12
    /// month first. Neither (every day of the file is the 12th or earlier): the line of the first such date, to ask.
    /// </summary>
    private static (DateOrder Order, int AmbiguousLine) DetectDateOrder(IReadOnlyList<CsvRecord> records, int column)
    {
        bool dayFirst = false, monthFirst = false;
        var firstAmbiguous = 0;
        for (var r = 1; r < records.Count; r++)
        {
            var fields = records[r].Fields;
            if (column >= fields.Length || !NumericDate.TrySplit(fields[column].AsSpan().Trim(), out var first, out var second, out _, out _))
            {
                continue;
            }

            if (first > 12)
            {
                dayFirst = true;
            }
            else if (second > 12)
            {
                monthFirst = true;
            }
            else if (firstAmbiguous == 0)
            {
                firstAmbiguous = records[r].Line;
            }
        }

        return (dayFirst, monthFirst) switch
        {
            (true, false) => (DateOrder.DayFirst, 0),
            (false, true) => (DateOrder.MonthFirst, 0),
            // Both ways round in one file: each date that cannot be read the chosen way gets its own error; ask.
            (true, true) => (DateOrder.Auto, firstAmbiguous > 0 ? firstAmbiguous : records[1].Line),
            _ => (DateOrder.Auto, firstAmbiguous),
        };
    }

    private ImportParseResult Result(ImportFormat format, List<ImportRow> rows, ImportError? error, ImportMapping? mapping = null, bool asked = false)
    {
        if (error is not null)
        {
            Add(error);
        }

        return new ImportParseResult(format, errorCount == 0 ? rows : [], errors.ToArray(), errorCount, mapping, dateOrder, asked);
    }

    private void Add(ImportError error)
    {
        errorCount++;
        if (errors.Count < MaxListedErrors)
        {
            errors.Add(error);
        }
    }

    private void ParseLong(IReadOnlyList<CsvRecord> records, int headerLine, List<string> names, IReadOnlyList<ColumnMapping> columns, int timeColumn, List<ImportRow> rows)
    {
        int metricColumn = Index(columns, ColumnRole.MetricName), valueColumn = Index(columns, ColumnRole.Value), unitColumn = Index(columns, ColumnRole.Unit);
        if (valueColumn < 0)
        {
            Add(new ImportError(headerLine, names.Count + 1, null, "No column holds the values: choose one as Value."));
            return;
        }

        foreach (var record in records.Skip(1))
        {
            if (!HasColumnCount(record, names.Count))
            {
                continue;
            }

            var when = ParseTime(record, timeColumn, names[timeColumn], null);
            var metricText = record.Fields[metricColumn].Trim();
            if (!metricsByText.TryGetValue(metricText, out var metric))
            {
                metric = metricsByText[metricText] = FindMetric(metricText);
            }
            if (metric is null)
            {
                Add(new ImportError(record.Line, metricColumn + 1, names[metricColumn], metricText.Length == 0
                    ? "The metric is missing."
                    : $"Unknown metric \"{metricText}\". Use a code such as weight or a name such as Resting heart rate (the list is on the import page)."));
            }

            double? factor = null;
            if (metric is not null && unitColumn >= 0)
            {
                factor = UnitFactor(metric, record.Fields[unitColumn], record.Line, unitColumn + 1, names[unitColumn], out var unitKnown);
                if (!unitKnown)
                {
                    continue;
                }
            }

            var valueText = record.Fields[valueColumn].Trim();
            if (valueText.Length == 0)
            {
                Add(new ImportError(record.Line, valueColumn + 1, names[valueColumn], "The value is missing."));
                continue;
            }

            if (metric is not null && ParseValue(metric, valueText, factor, record.Line, valueColumn + 1, names[valueColumn]) is { } value && when is { } time)
            {
                rows.Add(new ImportRow(record.Line, metric.Code, time.Local, time.Utc, value, time.Day));
            }
            else if (metric is null)
            {
                _ = ParseNumber(valueText, out _) || AddNotANumber(record.Line, valueColumn + 1, names[valueColumn], valueText);
            }
        }
    }

    private void ParseWide(IReadOnlyList<CsvRecord> records, int headerLine, List<string> names, IReadOnlyList<ColumnMapping> mapping, int timeColumn, List<ImportRow> rows)
    {
        var timeOfDayColumn = Index(mapping, ColumnRole.TimeOfDay);
        var columns = new List<(int Index, MetricDefinition Metric, double? Factor)>();
        foreach (var column in mapping.Where(c => c.Role == ColumnRole.Metric))
        {
            var i = column.Index;
            if (MetricCatalogue.Find(column.MetricCode ?? "") is not { } metric)
            {
                Add(new ImportError(headerLine, i + 1, names[i], $"Unknown metric \"{column.MetricCode}\". Choose a metric for this column, or ignore it."));
                continue;
            }

            if (columns.Exists(c => c.Metric == metric))
            {
                Add(new ImportError(headerLine, i + 1, names[i], $"{metric.DisplayName} already has a column; keep one column per metric, or ignore this one."));
                continue;
            }

            double? factor = null;
            if (column.Unit is { Length: > 0 } unit)
            {
                factor = UnitFactor(metric, unit, headerLine, i + 1, names[i], out var unitKnown);
                if (!unitKnown)
                {
                    continue;
                }
            }

            columns.Add((i, metric, factor));
        }

        if (columns.Count == 0 && errorCount == 0)
        {
            Add(new ImportError(headerLine, 1, null,
                "No column holds a metric LifeOs knows. Choose which columns are which metrics, or name them after one, e.g. date,weight,resting_heart_rate."));
            return;
        }

        foreach (var record in records.Skip(1))
        {
            if (!HasColumnCount(record, names.Count))
            {
                continue;
            }

            var when = ParseTime(record, timeColumn, names[timeColumn], timeOfDayColumn >= 0 ? timeOfDayColumn : null);
            foreach (var (index, metric, factor) in columns)
            {
                var text = record.Fields[index].Trim();
                // An empty cell is a day without that measurement, as in any spreadsheet.
                if (text.Length > 0 && ParseValue(metric, text, factor, record.Line, index + 1, names[index]) is { } value && when is { } time)
                {
                    rows.Add(new ImportRow(record.Line, metric.Code, time.Local, time.Utc, value, time.Day));
                }
            }
        }
    }

    private static int Index(IReadOnlyList<ColumnMapping> columns, ColumnRole role)
    {
        foreach (var column in columns)
        {
            if (column.Role == role)
            {
                return column.Index;
            }
        }

        return -1;
    }

    private bool HasColumnCount(CsvRecord record, int expected)
    {
        var count = record.Fields.Length;
        // Trailing empty cells beyond the header are spreadsheet padding, not data.
        while (count > expected && record.Fields[count - 1].Trim().Length == 0)
        {
            count--;
        }

        if (count == expected)
        {
            return true;
        }

        Add(new ImportError(record.Line, Math.Min(count, expected) + 1, null,
            $"Expected {expected} columns, as in the header, but this row has {count}." +
            (count > expected && delimiter == ',' ? " A value containing a comma must be in double quotes." : "")));
        return false;
    }

    private (DateTime Local, DateTime Utc, DateOnly? Day)? ParseTime(CsvRecord record, int column, string name, int? timeOfDayColumn)
    {
        var text = record.Fields[column].Trim();
        var problem = IsoTimestamp.Parse(text, out var date, out var timeOfDay, out var offset);
        if (problem == TimestampProblem.NotADate && NumericDate.TrySplit(text, out _, out _, out _, out _))
        {
            if (dateOrder == DateOrder.Auto)
            {
                // Already asked: which way round is the person's answer.
                return null;
            }

            problem = NumericDate.Parse(text, dateOrder, out date, out timeOfDay);
            if (problem == TimestampProblem.NotADate)
            {
                Add(new ImportError(record.Line, column + 1, name, $"\"{text}\" is not a date read as {(dateOrder == DateOrder.DayFirst ? "day/month/year" : "month/day/year")}."));
                return null;
            }
        }

        if (problem == TimestampProblem.NotADate)
        {
            Add(new ImportError(record.Line, column + 1, name, text.Length == 0
                ? "The date is missing."
                : $"\"{text}\" is not a date. Write dates as YYYY-MM-DD (ISO 8601), optionally with a time: 2026-11-24 or 2026-11-24T07:15 or 2026-11-24T07:15:00+01:00; or as 11/24/2026 or 24/11/2026."));
            return null;
        }

        if (problem != TimestampProblem.None)
        {
            Add(new ImportError(record.Line, column + 1, name, problem == TimestampProblem.ImpossibleTime
                ? $"\"{text}\" has an impossible time of day."
                : $"\"{text}\" has an impossible UTC offset."));
            return null;
        }

        var time = timeOfDay ?? Noon;
        var dateOnly = timeOfDay is null;
        if (timeOfDay is null && timeOfDayColumn is { } tc && record.Fields[tc].Trim() is { Length: > 0 } timeText)
        {
            dateOnly = false;
            if (!TimeOnly.TryParseExact(timeText, ["H:mm", "HH:mm", "H:mm:ss", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time))
            {
                Add(new ImportError(record.Line, tc + 1, "time", $"\"{timeText}\" is not a time of day. Write times as HH:mm, e.g. 07:15."));
                return null;
            }
        }

        // A date alone is that day (placed at noon); it stays that day if the user's time zone changes later.
        DateOnly? day = dateOnly ? date : null;

        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        (DateTime Local, DateTime Utc, DateOnly? Day) result;
        if (offset is { } utcOffset)
        {
            var utc = new DateTimeOffset(local, utcOffset).UtcDateTime;
            result = (TimeZoneInfo.ConvertTimeFromUtc(utc, zone), utc, day);
        }
        else
        {
            // No offset: the user's local time. A time inside a spring-forward gap means the hour after it.
            var resolved = zone.IsInvalidTime(local) ? local.AddHours(1) : local;
            result = (resolved, TimeZoneInfo.ConvertTimeToUtc(resolved, zone), day);
        }

        // The one rule for recorded dates: 1900 up to the end of the user's local today (without a clock, only the first half).
        var localDay = day ?? DateOnly.FromDateTime(result.Local);
        // Today is read once per file (the rule's own check converts the clock every time); only a refused day asks it why.
        if ((localDay < RecordDates.Earliest || localDay > latestDay) && RecordDates.Problem(localDay, rules) is { } dateProblem)
        {
            Add(new ImportError(record.Line, column + 1, name, $"\"{text}\" cannot be imported. {dateProblem}"));
            return null;
        }

        return result;
    }

    private double? UnitFactor(MetricDefinition metric, string unitText, int line, int column, string name, out bool known)
    {
        var unit = unitText.Trim();
        known = true;
        if (unit.Length == 0)
        {
            return null;
        }

        if (!factorsByUnit.TryGetValue((metric.Code, unit), out var cached))
        {
            cached = factorsByUnit[(metric.Code, unit)] = ImportUnits.FactorToCanonical(metric, unit);
        }

        if (cached is { } factor)
        {
            return factor;
        }

        known = false;
        Add(new ImportError(line, column, name, $"Unknown unit \"{unit}\" for {metric.DisplayName}. Use one of: {string.Join(", ", ImportUnits.Accepted(metric))}."));
        return null;
    }

    /// <summary>A value in the given unit (factor into canonical), or with no unit in the user's display unit; null after adding an error.</summary>
    private double? ParseValue(MetricDefinition metric, string text, double? factor, int line, int column, string name)
    {
        if (!ParseNumber(text, out var number))
        {
            AddNotANumber(line, column, name, text);
            return null;
        }

        var display = metric.DisplayFor(unitSystem);
        var canonical = factor is { } f ? number * f : display.ToCanonical(number);
        if (metric.IsValid(canonical))
        {
            return canonical;
        }

        var label = display.Label.Length > 0 ? " " + display.Label : "";
        Add(new ImportError(line, column, name, string.Create(CultureInfo.InvariantCulture,
            $"{text} is out of range: {metric.DisplayName} must be between {Math.Round(display.FromCanonical(metric.MinValue), 2)} and {Math.Round(display.FromCanonical(metric.MaxValue), 2)}{label}.")));
        return null;
    }

    private bool AddNotANumber(int line, int column, string name, string text)
    {
        Add(new ImportError(line, column, name, $"\"{text}\" is not a number."));
        return false;
    }

    private bool ParseNumber(string text, out double number)
    {
        // Semicolon files come from locales that write a decimal comma: 72,5.
        if (delimiter == ';' && text.Contains(',', StringComparison.Ordinal) && !text.Contains('.', StringComparison.Ordinal))
        {
            text = text.Replace(',', '.');
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);
    }

    private static (MetricDefinition? Metric, string? Unit) FindMetricColumn(string header)
    {
        if (FindMetric(header) is { } whole)
        {
            return (whole, null);
        }

        // "Weight (lb)" or "Weight [lb]": the unit is the last bracketed part.
        var match = UnitSuffixRegex().Match(header);
        return match.Success && FindMetric(match.Groups["name"].Value) is { } metric
            ? (metric, match.Groups["unit"].Value)
            : (null, null);
    }

    /// <summary>"sleep (hours)" and "weight [lbs]" read as "sleep hours" and "weight lbs".</summary>
    private static string WithoutBrackets(string normalized) =>
        WhitespaceRegex().Replace(normalized.Replace('(', ' ').Replace(')', ' ').Replace('[', ' ').Replace(']', ' '), " ").Trim();

    private static MetricDefinition? FindMetric(string text) => ByName.GetValueOrDefault(Normalize(text));

    private static string Normalize(string text) =>
        WhitespaceRegex().Replace(text.Trim().ToLowerInvariant().Replace('_', ' ').Replace('-', ' '), " ");

    private static Dictionary<string, MetricDefinition> BuildNames()
    {
        var names = new Dictionary<string, MetricDefinition>(StringComparer.Ordinal);
        foreach (var metric in MetricCatalogue.All)
        {
            names[Normalize(metric.Code)] = metric;
            names.TryAdd(Normalize(metric.DisplayName), metric);
        }

        foreach (var (alias, code) in Aliases)
        {
            names.TryAdd(alias, MetricCatalogue.Get(code));
        }

        return names;
    }

    [GeneratedRegex(@"^(?<name>.+?)\s*[(\[](?<unit>[^()\[\]]*)[)\]]\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex UnitSuffixRegex();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex WhitespaceRegex();
}
