namespace LifeOs.Core.Data.Migrations;

/// <summary>
/// The <c>CompactSamples</c> migrations' mappings between the samples' old text columns and their numbers, frozen as they
/// were written (2026-12-02): a migration must keep doing what it did, whatever the catalogue becomes. A value missing
/// from a mapping turns into NULL, which the new NOT NULL column refuses: the migration fails and changes nothing rather
/// than dropping a row.
/// </summary>
internal static class CompactSamplesSql
{
    /// <summary>Each metric code and its number (<see cref="Health.MetricCatalogue.StoredNumber"/> on that day).</summary>
    public static readonly (string Code, int Number)[] Metrics =
    [
            ("steps", 1),
            ("distance", 2),
            ("active_calories", 3),
            ("total_calories", 4),
            ("sleep_duration", 5),
            ("sleep_deep", 6),
            ("sleep_light", 7),
            ("sleep_rem", 8),
            ("sleep_awake", 9),
            ("sleep_efficiency", 10),
            ("sleep_latency", 11),
            ("sleep_score", 12),
            ("readiness_score", 13),
            ("activity_score", 14),
            ("resting_heart_rate", 15),
            ("heart_rate", 16),
            ("sleep_heart_rate", 17),
            ("hrv_rmssd", 18),
            ("spo2", 19),
            ("respiratory_rate", 20),
            ("body_temperature_deviation", 21),
            ("weight", 22),
            ("fat_ratio", 23),
            ("fat_mass", 24),
            ("fat_free_mass", 25),
            ("muscle_mass", 26),
            ("bone_mass", 27),
            ("hydration", 28),
            ("systolic_bp", 29),
            ("diastolic_bp", 30),
            ("pulse_wave_velocity", 31),
            ("vascular_age", 32),
            ("visceral_fat", 33),
            ("extracellular_water", 34),
            ("intracellular_water", 35),
            ("basal_metabolic_rate", 36),
            ("height", 37),
            ("afib_ecg", 38),
            ("afib_ppg", 39),
            ("fat_mass_left_arm", 40),
            ("fat_mass_right_arm", 41),
            ("fat_mass_left_leg", 42),
            ("fat_mass_right_leg", 43),
            ("fat_mass_torso", 44),
            ("muscle_mass_left_arm", 45),
            ("muscle_mass_right_arm", 46),
            ("muscle_mass_left_leg", 47),
            ("muscle_mass_right_leg", 48),
            ("muscle_mass_torso", 49),
            ("body_temperature", 50),
            ("skin_temperature", 51),
            ("breathing_disturbance_index", 52),
            ("basal_energy", 53),
            ("walking_heart_rate", 54),
            ("hrv_sdnn", 55),
            ("bmi", 56),
            ("flights_climbed", 57),
            ("vo2_max", 58),
    ];

    /// <summary>Each source's name and its number (<see cref="Health.SampleSource"/>'s values).</summary>
    public static readonly (string Name, int Number)[] Sources =
    [
            ("Oura", 0),
            ("Withings", 1),
            ("Manual", 2),
            ("Import", 3),
            ("Api", 4),
            ("WithingsPhone", 5),
            ("AppleHealth", 6),
    ];

    /// <summary><c>CASE column WHEN 'text' THEN number … END</c>.</summary>
    public static string ToNumber(string column, IEnumerable<(string Text, int Number)> mapping) =>
        $"CASE {column} " + string.Join(" ", mapping.Select(m => $"WHEN '{m.Text}' THEN {m.Number}")) + " END";

    /// <summary><c>CASE column WHEN number THEN 'text' … END</c> (the way back).</summary>
    public static string ToText(string column, IEnumerable<(string Text, int Number)> mapping) =>
        $"CASE {column} " + string.Join(" ", mapping.Select(m => $"WHEN {m.Number} THEN '{m.Text}'")) + " END";
}
