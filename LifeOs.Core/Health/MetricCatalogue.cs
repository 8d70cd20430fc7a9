namespace LifeOs.Core.Health;

public enum Aggregation
{
    Sum,
    Mean,
    Last,
    Min,
    Max,
}

public enum MetricGroup
{
    Activity,
    Sleep,
    Scores,
    Heart,
    Body,
    BloodPressure,
}

/// <summary>How a metric is shown in one unit system: unit label and the factor from the canonical unit.</summary>
public sealed record DisplayUnit(string Label, double Factor, double Offset = 0)
{
    public double FromCanonical(double value) => (value * Factor) + Offset;

    public double ToCanonical(double value) => (value - Offset) / Factor;

    /// <summary>A duration in hours as people say it: 7.5 → "7 h 30" (rounded to the minute, never "7 h 60").</summary>
    public static string HoursAndMinutes(double hours)
    {
        var minutes = (int)Math.Round(hours * 60);
        return $"{minutes / 60} h {minutes % 60:00}";
    }
}

/// <summary>One kind of measurement, stored in one canonical unit.</summary>
public sealed record MetricDefinition(
    string Code,
    string DisplayName,
    MetricGroup Group,
    string CanonicalUnit,
    Aggregation Aggregation,
    double MinValue,
    double MaxValue,
    string? Loinc,
    DisplayUnit Metric,
    DisplayUnit Imperial)
{
    public DisplayUnit DisplayFor(Accounts.UnitSystem system) => system == Accounts.UnitSystem.Imperial ? Imperial : Metric;

    public bool IsValid(double canonicalValue) =>
        double.IsFinite(canonicalValue) && canonicalValue >= MinValue && canonicalValue <= MaxValue;
}

/// <summary>
/// The metrics every source writes into. Canonical units: count, m, kcal, s, %, bpm, ms, breaths/min,
/// °C, kg, mmHg. LOINC codes are given where a standard code exists for the quantity as measured; Oura's
/// HRV is RMSSD, which is not LOINC 80404-7 (SDNN), so it has none.
/// </summary>
public static class MetricCatalogue
{
    public const string Steps = "steps";
    public const string Distance = "distance";
    public const string ActiveCalories = "active_calories";
    public const string TotalCalories = "total_calories";
    public const string SleepDuration = "sleep_duration";
    public const string SleepDeep = "sleep_deep";
    public const string SleepLight = "sleep_light";
    public const string SleepRem = "sleep_rem";
    public const string SleepAwake = "sleep_awake";
    public const string SleepEfficiency = "sleep_efficiency";
    public const string SleepLatency = "sleep_latency";
    public const string SleepScore = "sleep_score";
    public const string ReadinessScore = "readiness_score";
    public const string ActivityScore = "activity_score";
    public const string RestingHeartRate = "resting_heart_rate";
    public const string HeartRate = "heart_rate";
    public const string SleepHeartRate = "sleep_heart_rate";
    public const string HrvRmssd = "hrv_rmssd";
    public const string Spo2 = "spo2";
    public const string RespiratoryRate = "respiratory_rate";
    public const string BodyTemperatureDeviation = "body_temperature_deviation";
    public const string Weight = "weight";
    public const string FatRatio = "fat_ratio";
    public const string FatMass = "fat_mass";
    public const string FatFreeMass = "fat_free_mass";
    public const string MuscleMass = "muscle_mass";
    public const string BoneMass = "bone_mass";
    public const string Hydration = "hydration";
    public const string Systolic = "systolic_bp";
    public const string Diastolic = "diastolic_bp";
    public const string PulseWaveVelocity = "pulse_wave_velocity";
    public const string VascularAge = "vascular_age";
    public const string VisceralFat = "visceral_fat";
    public const string ExtracellularWater = "extracellular_water";
    public const string IntracellularWater = "intracellular_water";
    public const string BasalMetabolicRate = "basal_metabolic_rate";
    public const string Height = "height";
    public const string AfibEcg = "afib_ecg";
    public const string AfibPpg = "afib_ppg";
    public const string FatMassLeftArm = "fat_mass_left_arm";
    public const string FatMassRightArm = "fat_mass_right_arm";
    public const string FatMassLeftLeg = "fat_mass_left_leg";
    public const string FatMassRightLeg = "fat_mass_right_leg";
    public const string FatMassTorso = "fat_mass_torso";
    public const string MuscleMassLeftArm = "muscle_mass_left_arm";
    public const string MuscleMassRightArm = "muscle_mass_right_arm";
    public const string MuscleMassLeftLeg = "muscle_mass_left_leg";
    public const string MuscleMassRightLeg = "muscle_mass_right_leg";
    public const string MuscleMassTorso = "muscle_mass_torso";
    public const string BodyTemperature = "body_temperature";
    public const string SkinTemperature = "skin_temperature";
    public const string BreathingDisturbanceIndex = "breathing_disturbance_index";
    public const string BasalEnergy = "basal_energy";
    public const string WalkingHeartRate = "walking_heart_rate";
    public const string HrvSdnn = "hrv_sdnn";
    public const string Bmi = "bmi";
    public const string FlightsClimbed = "flights_climbed";
    public const string Vo2Max = "vo2_max";

    /// <summary>
    /// Each metric's number in the <c>Samples</c> table (a byte there instead of its code in the table and three of its
    /// indexes): its place in this list, from 1. <b>Append only</b>: a stored number never changes meaning, and the
    /// storage migration (<c>CompactSamples</c>) wrote today's numbers into existing databases.
    /// </summary>
    private static readonly string[] StoredOrder =
    [
        Steps,
        Distance,
        ActiveCalories,
        TotalCalories,
        SleepDuration,
        SleepDeep,
        SleepLight,
        SleepRem,
        SleepAwake,
        SleepEfficiency,
        SleepLatency,
        SleepScore,
        ReadinessScore,
        ActivityScore,
        RestingHeartRate,
        HeartRate,
        SleepHeartRate,
        HrvRmssd,
        Spo2,
        RespiratoryRate,
        BodyTemperatureDeviation,
        Weight,
        FatRatio,
        FatMass,
        FatFreeMass,
        MuscleMass,
        BoneMass,
        Hydration,
        Systolic,
        Diastolic,
        PulseWaveVelocity,
        VascularAge,
        VisceralFat,
        ExtracellularWater,
        IntracellularWater,
        BasalMetabolicRate,
        Height,
        AfibEcg,
        AfibPpg,
        FatMassLeftArm,
        FatMassRightArm,
        FatMassLeftLeg,
        FatMassRightLeg,
        FatMassTorso,
        MuscleMassLeftArm,
        MuscleMassRightArm,
        MuscleMassLeftLeg,
        MuscleMassRightLeg,
        MuscleMassTorso,
        BodyTemperature,
        SkinTemperature,
        BreathingDisturbanceIndex,
        BasalEnergy,
        WalkingHeartRate,
        HrvSdnn,
        Bmi,
        FlightsClimbed,
        Vo2Max,
    ];

    private static readonly Dictionary<string, int> NumberByCode = StoredOrder.Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i + 1, StringComparer.Ordinal);

    /// <summary>The metric's number as stored; -1 (matches no row) for a code that is not a metric.</summary>
    public static int StoredNumber(string code) => NumberByCode.GetValueOrDefault(code, -1);

    /// <summary>The code of a stored metric number (<see cref="StoredNumber"/>).</summary>
    public static string StoredCode(int number) =>
        number >= 1 && number <= StoredOrder.Length ? StoredOrder[number - 1] : throw new InvalidOperationException($"The database holds metric number {number}, which this version does not know.");

    private const double PoundsPerKg = 2.2046226218;
    private const double MilesPerMetre = 1 / 1609.344;

    private static readonly DisplayUnit Count = new("steps", 1);
    private static readonly DisplayUnit Kcal = new("kcal", 1);
    private static readonly DisplayUnit Hours = new("h", 1 / 3600.0);
    private static readonly DisplayUnit Minutes = new("min", 1 / 60.0);
    private static readonly DisplayUnit Percent = new("%", 1);
    private static readonly DisplayUnit Score = new("", 1);
    private static readonly DisplayUnit Bpm = new("bpm", 1);
    private static readonly DisplayUnit Kg = new("kg", 1);
    private static readonly DisplayUnit Lb = new("lb", PoundsPerKg);
    private static readonly DisplayUnit MmHg = new("mmHg", 1);
    private static readonly DisplayUnit Years = new("years", 1);

    // An absolute temperature: °F = °C × 1.8 + 32 (a deviation scales without the offset).
    private static readonly DisplayUnit Celsius = new("°C", 1);
    private static readonly DisplayUnit Fahrenheit = new("°F", 1.8, 32);

    public static IReadOnlyList<MetricDefinition> All { get; } =
    [
        new(Steps, "Steps", MetricGroup.Activity, "count", Aggregation.Sum, 0, 200_000, "41950-7", Count, Count),
        new(Distance, "Distance", MetricGroup.Activity, "m", Aggregation.Sum, 0, 500_000, "41953-1", new("km", 0.001), new("mi", MilesPerMetre)),
        new(ActiveCalories, "Active calories", MetricGroup.Activity, "kcal", Aggregation.Sum, 0, 20_000, "41981-2", Kcal, Kcal),
        new(TotalCalories, "Total calories", MetricGroup.Activity, "kcal", Aggregation.Sum, 0, 30_000, null, Kcal, Kcal),
        new(SleepDuration, "Sleep", MetricGroup.Sleep, "s", Aggregation.Sum, 0, 86_400, "93832-4", Hours, Hours),
        new(SleepDeep, "Deep sleep", MetricGroup.Sleep, "s", Aggregation.Sum, 0, 86_400, "93831-6", Minutes, Minutes),
        new(SleepLight, "Light sleep", MetricGroup.Sleep, "s", Aggregation.Sum, 0, 86_400, "93830-8", Minutes, Minutes),
        new(SleepRem, "REM sleep", MetricGroup.Sleep, "s", Aggregation.Sum, 0, 86_400, "93829-0", Minutes, Minutes),
        new(SleepAwake, "Awake time", MetricGroup.Sleep, "s", Aggregation.Sum, 0, 86_400, null, Minutes, Minutes),
        new(SleepEfficiency, "Sleep efficiency", MetricGroup.Sleep, "%", Aggregation.Mean, 0, 100, null, Percent, Percent),
        new(SleepLatency, "Sleep latency", MetricGroup.Sleep, "s", Aggregation.Mean, 0, 14_400, null, Minutes, Minutes),
        new(SleepScore, "Sleep score", MetricGroup.Scores, "score", Aggregation.Last, 0, 100, null, Score, Score),
        new(ReadinessScore, "Readiness", MetricGroup.Scores, "score", Aggregation.Last, 0, 100, null, Score, Score),
        new(ActivityScore, "Activity score", MetricGroup.Scores, "score", Aggregation.Last, 0, 100, null, Score, Score),
        new(RestingHeartRate, "Resting heart rate", MetricGroup.Heart, "bpm", Aggregation.Min, 20, 200, "40443-4", Bpm, Bpm),
        new(HeartRate, "Heart rate", MetricGroup.Heart, "bpm", Aggregation.Mean, 20, 250, "8867-4", Bpm, Bpm),
        // The average over a night's sleep (Oura), beside its lowest (resting heart rate).
        new(SleepHeartRate, "Sleeping heart rate", MetricGroup.Heart, "bpm", Aggregation.Mean, 20, 200, null, Bpm, Bpm),
        new(HrvRmssd, "HRV (RMSSD)", MetricGroup.Heart, "ms", Aggregation.Mean, 0, 500, null, new("ms", 1), new("ms", 1)),
        new(Spo2, "Blood oxygen (SpO2)", MetricGroup.Heart, "%", Aggregation.Mean, 50, 100, "59408-5", Percent, Percent),
        new(RespiratoryRate, "Respiratory rate", MetricGroup.Heart, "breaths/min", Aggregation.Mean, 2, 60, "9279-1", new("/min", 1), new("/min", 1)),
        // A deviation: a difference of temperatures, so °F scales by 1.8 with no offset.
        new(BodyTemperatureDeviation, "Temperature deviation", MetricGroup.Body, "°C", Aggregation.Mean, -5, 5, null, new("°C", 1), new("°F", 1.8)),
        new(Weight, "Weight", MetricGroup.Body, "kg", Aggregation.Last, 1, 500, "29463-7", Kg, Lb),
        new(FatRatio, "Body fat", MetricGroup.Body, "%", Aggregation.Last, 1, 80, "41982-0", Percent, Percent),
        new(FatMass, "Fat mass", MetricGroup.Body, "kg", Aggregation.Last, 0, 400, "73708-0", Kg, Lb),
        new(FatFreeMass, "Fat-free mass", MetricGroup.Body, "kg", Aggregation.Last, 0, 400, null, Kg, Lb),
        new(MuscleMass, "Muscle mass", MetricGroup.Body, "kg", Aggregation.Last, 0, 300, "73964-9", Kg, Lb),
        new(BoneMass, "Bone mass", MetricGroup.Body, "kg", Aggregation.Last, 0, 20, null, Kg, Lb),
        new(Hydration, "Hydration", MetricGroup.Body, "kg", Aggregation.Last, 0, 300, null, Kg, Lb),
        new(Systolic, "Systolic blood pressure", MetricGroup.BloodPressure, "mmHg", Aggregation.Mean, 50, 300, "8480-6", MmHg, MmHg),
        new(Diastolic, "Diastolic blood pressure", MetricGroup.BloodPressure, "mmHg", Aggregation.Mean, 20, 200, "8462-4", MmHg, MmHg),

        // Withings body-composition scales, thermometers and ECG devices, and Oura's breathing disturbances
        // (issue 14). LOINC only where a code names the quantity as measured; Withings' index-like values (visceral
        // fat, vascular age, the AFib classes) and the per-segment masses have none.
        new(PulseWaveVelocity, "Pulse wave velocity", MetricGroup.Heart, "m/s", Aggregation.Mean, 2, 30, null, new("m/s", 1), new("m/s", 1)),
        new(VascularAge, "Vascular age", MetricGroup.Heart, "years", Aggregation.Last, 1, 130, null, Years, Years),
        new(VisceralFat, "Visceral fat", MetricGroup.Body, "index", Aggregation.Last, 0, 60, null, Score, Score),
        new(ExtracellularWater, "Extracellular water", MetricGroup.Body, "kg", Aggregation.Last, 0, 200, null, Kg, Lb),
        new(IntracellularWater, "Intracellular water", MetricGroup.Body, "kg", Aggregation.Last, 0, 200, null, Kg, Lb),
        new(BasalMetabolicRate, "Basal metabolic rate", MetricGroup.Body, "kcal/day", Aggregation.Last, 300, 10_000, null, new("kcal/day", 1), new("kcal/day", 1)),
        new(Height, "Height", MetricGroup.Body, "m", Aggregation.Last, 0.3, 2.8, "8302-2", new("cm", 100), new("in", 1 / 0.0254)),
        // Coded values (0 negative, 1 AFib, 2 inconclusive, …): shown in words by the web's metric text, never averaged.
        new(AfibEcg, "AFib check (ECG)", MetricGroup.Heart, "code", Aggregation.Last, 0, 13, null, Score, Score),
        new(AfibPpg, "AFib check (heart rate)", MetricGroup.Heart, "code", Aggregation.Last, 0, 13, null, Score, Score),
        new(FatMassLeftArm, "Fat mass, left arm", MetricGroup.Body, "kg", Aggregation.Last, 0, 100, null, Kg, Lb),
        new(FatMassRightArm, "Fat mass, right arm", MetricGroup.Body, "kg", Aggregation.Last, 0, 100, null, Kg, Lb),
        new(FatMassLeftLeg, "Fat mass, left leg", MetricGroup.Body, "kg", Aggregation.Last, 0, 100, null, Kg, Lb),
        new(FatMassRightLeg, "Fat mass, right leg", MetricGroup.Body, "kg", Aggregation.Last, 0, 100, null, Kg, Lb),
        new(FatMassTorso, "Fat mass, torso", MetricGroup.Body, "kg", Aggregation.Last, 0, 200, null, Kg, Lb),
        new(MuscleMassLeftArm, "Muscle mass, left arm", MetricGroup.Body, "kg", Aggregation.Last, 0, 100, null, Kg, Lb),
        new(MuscleMassRightArm, "Muscle mass, right arm", MetricGroup.Body, "kg", Aggregation.Last, 0, 100, null, Kg, Lb),
        new(MuscleMassLeftLeg, "Muscle mass, left leg", MetricGroup.Body, "kg", Aggregation.Last, 0, 100, null, Kg, Lb),
        new(MuscleMassRightLeg, "Muscle mass, right leg", MetricGroup.Body, "kg", Aggregation.Last, 0, 100, null, Kg, Lb),
        new(MuscleMassTorso, "Muscle mass, torso", MetricGroup.Body, "kg", Aggregation.Last, 0, 200, null, Kg, Lb),
        new(BodyTemperature, "Body temperature", MetricGroup.Body, "°C", Aggregation.Mean, 30, 45, "8310-5", Celsius, Fahrenheit),
        new(SkinTemperature, "Skin temperature", MetricGroup.Body, "°C", Aggregation.Mean, 15, 45, "39106-0", Celsius, Fahrenheit),
        new(BreathingDisturbanceIndex, "Breathing disturbance index", MetricGroup.Sleep, "events/h", Aggregation.Mean, 0, 150, null, new("/h", 1), new("/h", 1)),

        // Apple Health's export (height and body temperature are the Withings entries above).
        new(BasalEnergy, "Resting energy", MetricGroup.Activity, "kcal", Aggregation.Sum, 0, 20_000, null, Kcal, Kcal),
        new(WalkingHeartRate, "Walking heart rate", MetricGroup.Heart, "bpm", Aggregation.Mean, 20, 250, null, Bpm, Bpm),
        // Apple's HRV is SDNN (LOINC 80404-7), a different quantity from Oura's RMSSD: never mixed in one metric.
        new(HrvSdnn, "HRV (SDNN)", MetricGroup.Heart, "ms", Aggregation.Mean, 0, 500, "80404-7", new("ms", 1), new("ms", 1)),
        new(Bmi, "Body mass index", MetricGroup.Body, "kg/m²", Aggregation.Last, 5, 100, "39156-5", new("kg/m²", 1), new("kg/m²", 1)),
        new(FlightsClimbed, "Flights climbed", MetricGroup.Activity, "count", Aggregation.Sum, 0, 10_000, null, new("floors", 1), new("floors", 1)),
        new(Vo2Max, "VO2 max", MetricGroup.Heart, "mL/kg/min", Aggregation.Last, 5, 100, null, new("mL/kg/min", 1), new("mL/kg/min", 1)),
    ];

    private static readonly Dictionary<string, MetricDefinition> ByCode = All.ToDictionary(m => m.Code, StringComparer.Ordinal);

    public static MetricDefinition? Find(string code) => ByCode.GetValueOrDefault(code);

    /// <summary>
    /// What a coded value means in words (Withings' AFib classes: 0 negative, 1 AFib, 2 inconclusive, withings.md
    /// §4.2 and §4.7); null for a metric that is a plain quantity.
    /// </summary>
    public static string? CodedMeaning(string? code, double value) => code is AfibEcg or AfibPpg
        ? value switch
        {
            0 => "No AFib",
            1 => "Signs of AFib",
            2 => "Inconclusive",
            _ => $"Other result ({value:0})",
        }
        : null;

    public static MetricDefinition Get(string code) =>
        Find(code) ?? throw new ArgumentException($"Unknown metric '{code}'.", nameof(code));
}
