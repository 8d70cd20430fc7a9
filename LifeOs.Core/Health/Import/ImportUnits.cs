namespace LifeOs.Core.Health.Import;

/// <summary>
/// The unit spellings an imported file may use, per canonical unit, with the factor into the canonical
/// unit. Body temperature is stored as a deviation (a difference of temperatures), so °F converts by
/// 5/9 with no 32° offset.
/// </summary>
public static class ImportUnits
{
    private sealed record Spelling(string Label, string[] Names, double Factor);

    private static readonly Dictionary<string, Spelling[]> ByCanonical = new(StringComparer.Ordinal)
    {
        ["count"] = [new("count", ["count", "steps", "#"], 1)],
        ["m"] =
        [
            new("m", ["m", "metre", "metres", "meter", "meters"], 1),
            new("km", ["km", "kilometre", "kilometres", "kilometer", "kilometers"], 1000),
            new("mi", ["mi", "mile", "miles"], 1609.344),
            new("ft", ["ft", "foot", "feet"], 0.3048),
        ],
        ["kcal"] =
        [
            new("kcal", ["kcal", "kilocalorie", "kilocalories"], 1),
            new("kJ", ["kj", "kilojoule", "kilojoules"], 1 / 4.184),
        ],
        ["s"] =
        [
            new("s", ["s", "sec", "secs", "second", "seconds"], 1),
            new("min", ["min", "mins", "minute", "minutes"], 60),
            new("h", ["h", "hr", "hrs", "hour", "hours"], 3600),
        ],
        ["%"] =
        [
            new("%", ["%", "percent", "pct"], 1),
            new("fraction", ["fraction", "ratio"], 100),
        ],
        ["score"] = [new("score", ["score", "points", "pts"], 1)],
        ["bpm"] = [new("bpm", ["bpm", "beats/min", "/min", "1/min"], 1)],
        ["ms"] = [new("ms", ["ms", "millisecond", "milliseconds"], 1)],
        ["breaths/min"] = [new("breaths/min", ["breaths/min", "/min", "1/min", "brpm", "rpm"], 1)],
        ["°C"] =
        [
            new("°C", ["°c", "ºc", "c", "degc", "celsius"], 1),
            new("°F", ["°f", "ºf", "f", "degf", "fahrenheit"], 5.0 / 9.0),
        ],
        ["kg"] =
        [
            new("kg", ["kg", "kgs", "kilogram", "kilograms", "kilo", "kilos"], 1),
            new("g", ["g", "gram", "grams"], 0.001),
            new("lb", ["lb", "lbs", "pound", "pounds"], 0.45359237),
            new("st", ["st", "stone", "stones"], 6.35029318),
        ],
        ["mmHg"] =
        [
            new("mmHg", ["mmhg", "mm hg"], 1),
            new("kPa", ["kpa"], 7.50061683),
        ],
    };

    /// <summary>The factor from <paramref name="unit"/> into the metric's canonical unit, or null when the unit does not fit the metric.</summary>
    public static double? FactorToCanonical(MetricDefinition metric, string unit)
    {
        var wanted = unit.Trim().ToLowerInvariant();
        return ByCanonical.TryGetValue(metric.CanonicalUnit, out var spellings)
            ? spellings.FirstOrDefault(s => s.Names.Contains(wanted, StringComparer.Ordinal))?.Factor
            : null;
    }

    /// <summary>The units a file may use for this metric, for help text and error messages.</summary>
    public static IReadOnlyList<string> Accepted(MetricDefinition metric) =>
        ByCanonical.TryGetValue(metric.CanonicalUnit, out var spellings) ? spellings.Select(s => s.Label).ToArray() : [metric.CanonicalUnit];
}
