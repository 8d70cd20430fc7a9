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

public sealed record ImportParseResult(ImportFormat Format, IReadOnlyList<ImportRow> Rows, IReadOnlyList<ImportError> Errors, int ErrorCount)
{
    public bool Succeeded => ErrorCount == 0;
}

/// <summary>
/// Reads a CSV of health measurements in the long or the wide layout, converting units into the
/// catalogue's canonical units and local times (the user's zone) into UTC. Pure: no database, no clock.
/// </summary>
public sealed partial class CsvImportParser(TimeZoneInfo zone, UnitSystem unitSystem)
{
    /// <summary>Errors beyond this many are counted but not listed: a wrong file would otherwise list every row.</summary>
    public const int MaxListedErrors = 1000;

    private static readonly TimeOnly Noon = new(12, 0);
    private static readonly string[] TimestampHeaders = ["timestamp", "datetime", "date time", "date", "time"];

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
    };

    private static readonly Dictionary<string, MetricDefinition> ByName = BuildNames();

    private readonly List<ImportError> errors = [];
    // A file repeats a handful of metric names and units on every row: look each up once.
    private readonly Dictionary<string, MetricDefinition?> metricsByText = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Metric, string Unit), double?> factorsByUnit = [];
    private int errorCount;
    private char delimiter = ',';

    public ImportParseResult Parse(ReadOnlySpan<byte> content)
    {
        errors.Clear();
        errorCount = 0;
        var (records, delimiterUsed, readError) = CsvText.Read(content);
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

        var normalized = names.Select(Normalize).ToList();
        var rows = new List<ImportRow>();
        ImportFormat format;
        if (normalized.Contains("metric") && normalized.Contains("value"))
        {
            format = ImportFormat.Long;
            ParseLong(records, header.Line, names, normalized, rows);
        }
        else if (normalized.Count > 0 && TimestampHeaders.Contains(normalized[0]))
        {
            format = ImportFormat.Wide;
            ParseWide(records, header.Line, names, normalized, rows);
        }
        else
        {
            return Result(ImportFormat.Unknown, [], new ImportError(header.Line, 1, names.FirstOrDefault(),
                "The first row must be a header: either timestamp,metric,value,unit (one measurement per row) or date followed by one column per metric, e.g. date,weight,resting_heart_rate."));
        }

        if (records.Count == 1)
        {
            Add(new ImportError(header.Line + 1, 1, null, "There are no rows below the header."));
        }

        return Result(format, rows, null);
    }

    private ImportParseResult Result(ImportFormat format, List<ImportRow> rows, ImportError? error)
    {
        if (error is not null)
        {
            Add(error);
        }

        return new ImportParseResult(format, errorCount == 0 ? rows : [], errors.ToArray(), errorCount);
    }

    private void Add(ImportError error)
    {
        errorCount++;
        if (errors.Count < MaxListedErrors)
        {
            errors.Add(error);
        }
    }

    private void ParseLong(IReadOnlyList<CsvRecord> records, int headerLine, List<string> names, List<string> normalized, List<ImportRow> rows)
    {
        int timeColumn = normalized.FindIndex(n => TimestampHeaders.Contains(n)), metricColumn = normalized.IndexOf("metric"),
            valueColumn = normalized.IndexOf("value"), unitColumn = normalized.IndexOf("unit");
        if (timeColumn < 0)
        {
            Add(new ImportError(headerLine, names.Count + 1, null, "The header has no timestamp column: expected timestamp,metric,value,unit."));
            return;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (i != timeColumn && i != metricColumn && i != valueColumn && i != unitColumn)
            {
                Add(new ImportError(headerLine, i + 1, names[i], "Unexpected column: a file with a metric column has only timestamp, metric, value and unit."));
            }
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

    private void ParseWide(IReadOnlyList<CsvRecord> records, int headerLine, List<string> names, List<string> normalized, List<ImportRow> rows)
    {
        var timeOfDayColumn = normalized.Count > 1 && normalized.IndexOf("time", 1) is var t and > 0 ? t : -1;
        var columns = new List<(int Index, MetricDefinition Metric, double? Factor)>();
        for (var i = 1; i < names.Count; i++)
        {
            if (i == timeOfDayColumn)
            {
                continue;
            }

            if (names[i].Length == 0)
            {
                Add(new ImportError(headerLine, i + 1, null, "This column has no name. Name it after a metric, e.g. weight or Resting heart rate."));
                continue;
            }

            var (metric, unit) = FindMetricColumn(names[i]);
            if (metric is null)
            {
                Add(new ImportError(headerLine, i + 1, names[i], $"Unknown metric \"{names[i]}\". Use a code such as weight or a name such as Resting heart rate, optionally with a unit: Weight (lb)."));
                continue;
            }

            if (columns.Exists(c => c.Metric == metric))
            {
                Add(new ImportError(headerLine, i + 1, names[i], $"{metric.DisplayName} already has a column; keep one column per metric."));
                continue;
            }

            double? factor = null;
            if (unit is not null)
            {
                factor = UnitFactor(metric, unit, headerLine, i + 1, names[i], out var unitKnown);
                if (!unitKnown)
                {
                    continue;
                }
            }

            columns.Add((i, metric, factor));
        }

        foreach (var record in records.Skip(1))
        {
            if (!HasColumnCount(record, names.Count))
            {
                continue;
            }

            var when = ParseTime(record, 0, names[0], timeOfDayColumn >= 0 ? timeOfDayColumn : null);
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

    private bool HasColumnCount(CsvRecord record, int expected)
    {
        var count = record.Fields.Count;
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
        if (problem == TimestampProblem.NotADate || (problem == TimestampProblem.None && date.Year is < 1900 or > 2100))
        {
            Add(new ImportError(record.Line, column + 1, name, text.Length == 0
                ? "The date is missing."
                : $"\"{text}\" is not a date. Write dates as YYYY-MM-DD (ISO 8601), optionally with a time: 2026-11-24 or 2026-11-24T07:15 or 2026-11-24T07:15:00+01:00."));
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
        if (offset is { } utcOffset)
        {
            var utc = new DateTimeOffset(local, utcOffset).UtcDateTime;
            return (TimeZoneInfo.ConvertTimeFromUtc(utc, zone), utc, day);
        }

        // No offset: the user's local time. A time inside a spring-forward gap means the hour after it.
        var resolved = zone.IsInvalidTime(local) ? local.AddHours(1) : local;
        return (resolved, TimeZoneInfo.ConvertTimeToUtc(resolved, zone), day);
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
