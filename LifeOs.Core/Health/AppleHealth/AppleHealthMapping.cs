using System.Globalization;

namespace LifeOs.Core.Health.AppleHealth;

/// <summary>Why a record was not written, as the summary lists it.</summary>
public static class AppleSkip
{
    public const string NotMapped = "not mapped";
    public const string OutOfRange = "out of range";
    public const string FutureDate = "future date";
    public const string UnknownUnit = "unit not understood";
    public const string BadValue = "value or date not readable";
    public const string SyncedDirectly = "already synced directly";
    public const string Overlap = "overlaps another device (counted once)";
}

/// <summary>
/// Apple Health's record types → catalogue metrics, and each record's <c>unit</c> attribute → the metric's
/// canonical unit. Pure. Both unit systems are read whatever the phone's region: an export holds what each
/// device wrote (a scale in kg, the phone's steps in mi, a thermometer app in °F).
/// </summary>
public static class AppleHealthMapping
{
    public const string SleepType = "HKCategoryTypeIdentifierSleepAnalysis";
    public const string BloodPressureCorrelation = "HKCorrelationTypeIdentifierBloodPressure";

    /// <summary>Type (without its HKQuantityTypeIdentifier prefix) → metric code.</summary>
    public static IReadOnlyDictionary<string, string> Quantities { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["HKQuantityTypeIdentifierStepCount"] = MetricCatalogue.Steps,
        ["HKQuantityTypeIdentifierDistanceWalkingRunning"] = MetricCatalogue.Distance,
        ["HKQuantityTypeIdentifierActiveEnergyBurned"] = MetricCatalogue.ActiveCalories,
        ["HKQuantityTypeIdentifierBasalEnergyBurned"] = MetricCatalogue.BasalEnergy,
        ["HKQuantityTypeIdentifierFlightsClimbed"] = MetricCatalogue.FlightsClimbed,
        ["HKQuantityTypeIdentifierHeartRate"] = MetricCatalogue.HeartRate,
        ["HKQuantityTypeIdentifierRestingHeartRate"] = MetricCatalogue.RestingHeartRate,
        ["HKQuantityTypeIdentifierWalkingHeartRateAverage"] = MetricCatalogue.WalkingHeartRate,
        ["HKQuantityTypeIdentifierHeartRateVariabilitySDNN"] = MetricCatalogue.HrvSdnn,
        ["HKQuantityTypeIdentifierBodyMass"] = MetricCatalogue.Weight,
        ["HKQuantityTypeIdentifierBodyFatPercentage"] = MetricCatalogue.FatRatio,
        ["HKQuantityTypeIdentifierLeanBodyMass"] = MetricCatalogue.FatFreeMass,
        ["HKQuantityTypeIdentifierBodyMassIndex"] = MetricCatalogue.Bmi,
        ["HKQuantityTypeIdentifierHeight"] = MetricCatalogue.Height,
        ["HKQuantityTypeIdentifierBloodPressureSystolic"] = MetricCatalogue.Systolic,
        ["HKQuantityTypeIdentifierBloodPressureDiastolic"] = MetricCatalogue.Diastolic,
        ["HKQuantityTypeIdentifierOxygenSaturation"] = MetricCatalogue.Spo2,
        ["HKQuantityTypeIdentifierRespiratoryRate"] = MetricCatalogue.RespiratoryRate,
        ["HKQuantityTypeIdentifierBodyTemperature"] = MetricCatalogue.BodyTemperature,
        ["HKQuantityTypeIdentifierVO2Max"] = MetricCatalogue.Vo2Max,
    };

    private const string WorkoutPrefix = "HKWorkoutActivityType";

    /// <summary>Apple's workout types whose name differs from the one Oura uses for the same activity.</summary>
    private static readonly Dictionary<string, string> Activities = new(StringComparer.Ordinal)
    {
        ["TraditionalStrengthTraining"] = "strength_training",
        ["FunctionalStrengthTraining"] = "strength_training",
        ["HighIntensityIntervalTraining"] = "hiit",
        ["MixedCardio"] = "cardio",
        ["Other"] = "workout",
    };

    /// <summary>
    /// A workout type (<c>HKWorkoutActivityTypeRunning</c>) as the lower-case, underscored activity name Oura's workouts
    /// use (<c>running</c>, <c>strength_training</c>), so the workouts page names both the same way.
    /// </summary>
    public static string Activity(string workoutType)
    {
        var name = workoutType.StartsWith(WorkoutPrefix, StringComparison.Ordinal) ? workoutType[WorkoutPrefix.Length..] : workoutType;
        if (name.Length == 0)
        {
            return "workout";
        }

        if (Activities.TryGetValue(name, out var known))
        {
            return known;
        }

        var words = new System.Text.StringBuilder(name.Length + 8);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && words.Length > 0)
            {
                words.Append('_');
            }

            words.Append(char.ToLowerInvariant(c));
        }

        return words.ToString();
    }

    /// <summary>Sleep analysis values → the stage they are. Older exports say plain "Asleep".</summary>
    public static SleepStage? Stage(string? value) => value switch
    {
        "HKCategoryValueSleepAnalysisInBed" => SleepStage.InBed,
        "HKCategoryValueSleepAnalysisAwake" => SleepStage.Awake,
        "HKCategoryValueSleepAnalysisAsleep" or "HKCategoryValueSleepAnalysisAsleepUnspecified" => SleepStage.Asleep,
        "HKCategoryValueSleepAnalysisAsleepCore" => SleepStage.Core,
        "HKCategoryValueSleepAnalysisAsleepDeep" => SleepStage.Deep,
        "HKCategoryValueSleepAnalysisAsleepREM" => SleepStage.Rem,
        _ => null,
    };

    /// <summary>The value in the metric's canonical unit, or the reason it cannot be read.</summary>
    public static (double Value, string? Problem) ToCanonical(string metricCode, string? unit, string? valueText)
    {
        if (!double.TryParse(valueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
        {
            return (0, AppleSkip.BadValue);
        }

        var canonical = MetricCatalogue.Get(metricCode).CanonicalUnit;
        double? converted = (canonical, unit) switch
        {
            ("count", "count") => value,
            ("bpm", "count/min") or ("bpm", "/min") => value,
            ("breaths/min", "count/min") or ("breaths/min", "/min") => value,
            ("ms", "ms") => value,
            ("ms", "s") => value * 1000,
            // HealthKit's percent is a fraction (0.97 for 97 %).
            ("%", "%") => value * 100,
            ("kg", "kg") => value,
            ("kg", "g") => value / 1000,
            ("kg", "lb") => value * 0.45359237,
            ("kg", "st") => value * 6.35029318,
            ("m", "m") => value,
            ("m", "cm") => value / 100,
            ("m", "km") => value * 1000,
            ("m", "mi") => value * 1609.344,
            ("m", "ft") => value * 0.3048,
            ("m", "in") => value * 0.0254,
            ("m", "yd") => value * 0.9144,
            ("kcal", "kcal") or ("kcal", "Cal") => value,
            ("kcal", "kJ") => value / 4.184,
            ("kcal", "cal") => value / 1000,
            ("°C", "degC") => value,
            ("°C", "degF") => (value - 32) / 1.8,
            ("mmHg", "mmHg") => value,
            ("mmHg", "cmAq") => value * 0.73555912,
            ("kg/m²", "count") => value,
            ("mL/kg/min", "mL/min·kg") or ("mL/kg/min", "ml/(kg*min)") or ("mL/kg/min", "mL/(kg·min)") => value,
            _ => null,
        };
        return converted is { } v ? (v, null) : (0, AppleSkip.UnknownUnit);
    }

    /// <summary>"2024-01-31 07:15:22 +0100" (the export's only date format) as UTC; false for anything else.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> text, out DateTime utc)
    {
        utc = default;
        if (text.Length != 25 || text[4] != '-' || text[7] != '-' || text[10] != ' ' || text[13] != ':' || text[16] != ':' || text[19] != ' ' || text[20] is not ('+' or '-'))
        {
            return false;
        }

        if (!Digits(text[..4], out var year) || !Digits(text.Slice(5, 2), out var month) || !Digits(text.Slice(8, 2), out var day)
            || !Digits(text.Slice(11, 2), out var hour) || !Digits(text.Slice(14, 2), out var minute) || !Digits(text.Slice(17, 2), out var second)
            || !Digits(text.Slice(21, 2), out var offsetHours) || !Digits(text.Slice(23, 2), out var offsetMinutes))
        {
            return false;
        }

        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59 || offsetHours > 18 || offsetMinutes > 59)
        {
            return false;
        }

        var offset = new TimeSpan(offsetHours, offsetMinutes, 0);
        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
        utc = text[20] == '+' ? local - offset : local + offset;
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> text, out int value)
    {
        value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }
}

/// <summary>
/// Sleep analysis stages, from least to most specific: where records of several sources overlap, the most specific
/// wins (a watch's deep sleep over a phone's "asleep", its "awake" over the phone's "in bed").
/// </summary>
public enum SleepStage : byte
{
    InBed,
    Asleep,
    Awake,
    Core,
    Rem,
    Deep,
}
