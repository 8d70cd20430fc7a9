using System.Globalization;
using LifeOs.Core.Health.Import;

namespace LifeOs.Core.Health.AutoExport;

/// <summary>Why entries of one metric were not stored, how many, and the first one's index in <c>data</c>.</summary>
public sealed record HaeReason(string Reason, int Count, int FirstIndex);

/// <summary>One Health Auto Export metric mapped: the samples to write and the entries left out, with reasons.</summary>
public sealed record HaeMappedMetric(string Name, IReadOnlyList<string> Metrics, int Received, int Skipped, int Rejected, IReadOnlyList<HaeReason> Reasons, IReadOnlyList<SampleInput> Samples);

/// <summary>
/// Health Auto Export entries → samples in the catalogue's canonical units, source <see cref="SampleSource.Api"/>. Pure: the
/// user's clock comes in, samples go out. Record ids are <c>hae:</c> + the metric's name + the entry's instant (a night's
/// date for sleep), so the same export sent again updates in place and adds nothing, and an hour that grew since the last
/// push replaces its earlier value. The source device is not part of the id: aggregated entries name every device that
/// contributed ("iPhone|Apple Watch"), and that list can grow between two pushes of the same hour.
/// </summary>
public static class HealthAutoExportMapping
{
    public const string RecordPrefix = "hae:";
    public const string SleepAnalysis = "sleep_analysis";
    public const string BloodPressure = "blood_pressure";
    public const string HeartRate = "heart_rate";

    /// <summary>Health Auto Export's names for quantities the catalogue holds as one value per entry.</summary>
    private static readonly Dictionary<string, string> Simple = new(StringComparer.OrdinalIgnoreCase)
    {
        ["step_count"] = MetricCatalogue.Steps,
        ["walking_running_distance"] = MetricCatalogue.Distance,
        ["active_energy"] = MetricCatalogue.ActiveCalories,
        [HeartRate] = MetricCatalogue.HeartRate,
        ["resting_heart_rate"] = MetricCatalogue.RestingHeartRate,
        ["respiratory_rate"] = MetricCatalogue.RespiratoryRate,
        ["blood_oxygen_saturation"] = MetricCatalogue.Spo2,
        ["weight_body_mass"] = MetricCatalogue.Weight,
        ["body_fat_percentage"] = MetricCatalogue.FatRatio,
        ["lean_body_mass"] = MetricCatalogue.FatFreeMass,
    };

    /// <summary>Names LifeOs knows and leaves out on purpose, with the reason the response gives.</summary>
    private static readonly Dictionary<string, string> KnownSkipped = new(StringComparer.OrdinalIgnoreCase)
    {
        ["heart_rate_variability"] = "Apple's heart rate variability is SDNN; LifeOs keeps HRV as RMSSD (a different measure), so it is not stored.",
        ["body_mass_index"] = "LifeOs has no BMI metric (it follows from weight and height).",
        ["basal_energy_burned"] = "LifeOs keeps active and total calories; resting energy alone is not stored.",
        ["body_temperature"] = "LifeOs keeps body temperature as a deviation from the person's baseline, not as a reading.",
        ["apple_sleeping_wrist_temperature"] = "LifeOs keeps body temperature as a deviation from the person's baseline, not as a reading.",
    };

    public static IReadOnlyList<string> MappedNames { get; } = [.. Simple.Keys, BloodPressure, SleepAnalysis];

    public static HaeMappedMetric Map(HaeMetric metric, UserClock clock)
    {
        var name = metric.Name?.Trim() ?? "";
        var entries = metric.Data ?? [];
        var builder = new Builder(name, entries.Count);
        if (name.Length == 0)
        {
            builder.SkipAll("The metric has no name.");
        }
        else if (KnownSkipped.TryGetValue(name, out var why))
        {
            builder.SkipAll(why);
        }
        else if (string.Equals(name, SleepAnalysis, StringComparison.OrdinalIgnoreCase))
        {
            MapSleep(metric, entries, clock, builder);
        }
        else if (string.Equals(name, BloodPressure, StringComparison.OrdinalIgnoreCase))
        {
            MapBloodPressure(metric, entries, clock, builder);
        }
        else if (Simple.TryGetValue(name, out var code))
        {
            MapSimple(metric, entries, MetricCatalogue.Get(code), clock, builder);
        }
        else
        {
            builder.SkipAll($"'{name}' is not a metric LifeOs keeps.");
        }

        return builder.Build();
    }

    private static void MapSimple(HaeMetric metric, IReadOnlyList<HaeEntry?> entries, MetricDefinition definition, UserClock clock, Builder builder)
    {
        builder.Metrics.Add(definition.Code);
        if (Factor(definition, metric.Units) is not { } factor)
        {
            builder.RejectAll(UnitProblem(definition, metric.Units));
            return;
        }

        // Grouped by day in the app, every entry sits at midnight: its own date is the day (the user's day start, which
        // would move a midnight reading to the day before, does not apply to a whole day's total).
        var perDay = entries.Count > 0 && entries.All(e => e?.Date is { } d && HaeTime.TryParse(d, clock.Zone) is { } at && at.TimeOfDay == TimeSpan.Zero);
        var latest = new Dictionary<DateTime, int>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { } entry)
            {
                builder.Reject(i, "The entry is not an object.");
                continue;
            }

            if (When(entry.Date, clock, builder, i) is not { } at)
            {
                continue;
            }

            // Heart rate: the catalogue keeps one heart rate per reading, the average (Min and Max are not stored).
            var raw = string.Equals(metric.Name, HeartRate, StringComparison.OrdinalIgnoreCase) ? entry.Avg ?? entry.Qty : entry.Qty ?? entry.Avg;
            if (raw is not { } value || !double.IsFinite(value))
            {
                builder.Reject(i, "The entry has no number (qty).");
                continue;
            }

            var canonical = Percent(definition, metric.Units, value) ?? value * factor;
            if (!definition.IsValid(canonical))
            {
                builder.Reject(i, OutOfRange(definition));
                continue;
            }

            if (latest.TryGetValue(at.UtcDateTime, out var earlier))
            {
                builder.Remove(earlier, "Another entry has the same time (one value per time is kept: the last).");
            }

            latest[at.UtcDateTime] = i;
            builder.Add(i, new SampleInput(definition.Code, SampleSource.Api, RecordId(metric.Name!, at), at.UtcDateTime, canonical,
                LocalDate: perDay ? DateOnly.FromDateTime(at.DateTime) : null));
        }
    }

    private static void MapBloodPressure(HaeMetric metric, IReadOnlyList<HaeEntry?> entries, UserClock clock, Builder builder)
    {
        var systolic = MetricCatalogue.Get(MetricCatalogue.Systolic);
        var diastolic = MetricCatalogue.Get(MetricCatalogue.Diastolic);
        builder.Metrics.AddRange([systolic.Code, diastolic.Code]);
        if (Factor(systolic, metric.Units) is not { } factor)
        {
            builder.RejectAll(UnitProblem(systolic, metric.Units));
            return;
        }

        var latest = new Dictionary<DateTime, int>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { } entry)
            {
                builder.Reject(i, "The entry is not an object.");
                continue;
            }

            if (When(entry.Date, clock, builder, i) is not { } at)
            {
                continue;
            }

            // A reading is the pair: one without the other is not stored.
            if (entry.Systolic is not { } high || entry.Diastolic is not { } low || !double.IsFinite(high) || !double.IsFinite(low))
            {
                builder.Reject(i, "A blood pressure reading needs both systolic and diastolic.");
                continue;
            }

            var (s, d) = (high * factor, low * factor);
            if (!systolic.IsValid(s) || !diastolic.IsValid(d) || d >= s)
            {
                builder.Reject(i, string.Create(CultureInfo.InvariantCulture,
                    $"Systolic must be {systolic.MinValue}–{systolic.MaxValue} mmHg and diastolic {diastolic.MinValue}–{diastolic.MaxValue} mmHg, below systolic."));
                continue;
            }

            if (latest.TryGetValue(at.UtcDateTime, out var earlier))
            {
                builder.Remove(earlier, "Another entry has the same time (one value per time is kept: the last).");
            }

            latest[at.UtcDateTime] = i;
            var id = RecordId(metric.Name!, at);
            builder.Add(i, new SampleInput(systolic.Code, SampleSource.Api, id, at.UtcDateTime, s),
                new SampleInput(diastolic.Code, SampleSource.Api, id, at.UtcDateTime, d));
        }
    }

    /// <summary>
    /// A night summarised by the app (aggregated sleep analysis) → sleep duration, deep, light (Apple's "core"), REM, awake
    /// and, when time in bed is known, efficiency; on the user's local date of waking up, as Oura's nights are. When several
    /// devices report the same night, the longest sleep is kept: a day's sleep is a sum, so two reports of one night would
    /// count it twice.
    /// </summary>
    private static void MapSleep(HaeMetric metric, IReadOnlyList<HaeEntry?> entries, UserClock clock, Builder builder)
    {
        var duration = MetricCatalogue.Get(MetricCatalogue.SleepDuration);
        builder.Metrics.AddRange([duration.Code, MetricCatalogue.SleepDeep, MetricCatalogue.SleepLight, MetricCatalogue.SleepRem, MetricCatalogue.SleepAwake, MetricCatalogue.SleepEfficiency]);
        // The app sends sleep in hours; a metric without units is taken as hours too.
        if (Factor(duration, string.IsNullOrWhiteSpace(metric.Units) ? "hr" : metric.Units) is not { } factor)
        {
            builder.RejectAll(UnitProblem(duration, metric.Units));
            return;
        }

        var nights = new Dictionary<DateOnly, (int Index, double Total)>();
        var samples = new Dictionary<int, SampleInput[]>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not { } entry)
            {
                builder.Reject(i, "The entry is not an object.");
                continue;
            }

            if (entry.StartDate is not null && entry.Value is not null)
            {
                builder.Reject(i, "Sleep stages sent one by one are not read: turn on Summarize Data so the app sends a night per entry.");
                continue;
            }

            var end = Time(entry.SleepEnd, clock) ?? Time(entry.InBedEnd, clock);
            var start = Time(entry.SleepStart, clock) ?? Time(entry.InBedStart, clock);
            var date = Time(entry.Date, clock);
            if ((end ?? date) is not { } anchor)
            {
                builder.Reject(i, "The night has no date or sleepEnd (yyyy-MM-dd HH:mm:ss +hhmm).");
                continue;
            }

            // "asleep" is sleep without stages; totalSleep, when given, already holds every stage.
            var stages = new[] { entry.Asleep, entry.Core, entry.Deep, entry.Rem };
            var hours = entry.TotalSleep is > 0 ? entry.TotalSleep.Value : stages.Sum(s => s ?? 0);
            if (!double.IsFinite(hours) || hours <= 0)
            {
                builder.Reject(i, "The night has no sleep time (totalSleep or asleep).");
                continue;
            }

            var night = end is { } wake ? DateOnly.FromDateTime(clock.ToLocal(wake.UtcDateTime)) : DateOnly.FromDateTime(anchor.DateTime);
            if (night > clock.CalendarToday || night.Year < 1900)
            {
                builder.Reject(i, "The night is in the future (or before 1900).");
                continue;
            }

            var total = hours * factor;
            var endUtc = (end ?? anchor).UtcDateTime;
            var startUtc = start?.UtcDateTime ?? endUtc.AddSeconds(-total);
            var id = $"{RecordPrefix}{SleepAnalysis}:{night:yyyy-MM-dd}";
            var values = new List<(string Code, double? Value)>
            {
                (duration.Code, total),
                (MetricCatalogue.SleepDeep, entry.Deep * factor),
                (MetricCatalogue.SleepLight, entry.Core * factor),
                (MetricCatalogue.SleepRem, entry.Rem * factor),
                (MetricCatalogue.SleepAwake, entry.Awake * factor),
            };
            if (entry.InBed is { } inBed && inBed >= hours && inBed > 0)
            {
                values.Add((MetricCatalogue.SleepEfficiency, 100 * hours / inBed));
            }

            var bad = values.FirstOrDefault(v => v.Value is { } x && !MetricCatalogue.Get(v.Code).IsValid(x));
            if (bad.Code is not null)
            {
                builder.Reject(i, OutOfRange(MetricCatalogue.Get(bad.Code)));
                continue;
            }

            if (nights.TryGetValue(night, out var other))
            {
                if (other.Total >= total)
                {
                    builder.Skip(i, "Another source reported a longer sleep that night (one night is kept: the longest).");
                    continue;
                }

                builder.Remove(other.Index, "Another source reported a longer sleep that night (one night is kept: the longest).");
            }

            nights[night] = (i, total);
            builder.Add(i, [.. values.Where(v => v.Value is not null).Select(v => new SampleInput(v.Code, SampleSource.Api, id, startUtc, v.Value!.Value, endUtc, night))]);
        }
    }

    private static string RecordId(string name, DateTimeOffset at) =>
        RecordPrefix + name.Trim().ToLowerInvariant() + ":" + at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static DateTimeOffset? Time(string? text, UserClock clock) => text is null ? null : HaeTime.TryParse(text, clock.Zone);

    /// <summary>The entry's instant, or null after rejecting it (no date, not a date, in the future or before 1900).</summary>
    private static DateTimeOffset? When(string? text, UserClock clock, Builder builder, int index)
    {
        if (Time(text, clock) is not { } at)
        {
            builder.Reject(index, "The entry has no date as yyyy-MM-dd HH:mm:ss +hhmm.");
            return null;
        }

        if (at.Year < 1900 || DateOnly.FromDateTime(clock.ToLocal(at.UtcDateTime)) > clock.CalendarToday)
        {
            builder.Reject(index, "The date is in the future (or before 1900).");
            return null;
        }

        return at;
    }

    /// <summary>The factor into the canonical unit; the app's spellings first (count/min, hr, degC), then the CSV import's.</summary>
    private static double? Factor(MetricDefinition metric, string? units)
    {
        if (string.IsNullOrWhiteSpace(units))
        {
            return null;
        }

        var spelled = units.Trim().ToLowerInvariant();
        return ImportUnits.FactorToCanonical(metric, spelled == "count/min" ? "/min" : spelled);
    }

    /// <summary>Health Kit keeps percentages as fractions; an export that sends 0.97 for 97 % is read as such.</summary>
    private static double? Percent(MetricDefinition metric, string? units, double value) =>
        metric.CanonicalUnit == "%" && units?.Trim() == "%" && value is > 0 and <= 1 ? value * 100 : null;

    private static string UnitProblem(MetricDefinition metric, string? units) =>
        string.IsNullOrWhiteSpace(units)
            ? $"The metric names no units; LifeOs takes {string.Join(", ", ImportUnits.Accepted(metric))} for {metric.DisplayName.ToLowerInvariant()}."
            : $"'{units}' is not a unit LifeOs reads for {metric.DisplayName.ToLowerInvariant()} ({string.Join(", ", ImportUnits.Accepted(metric))}).";

    private static string OutOfRange(MetricDefinition metric) =>
        string.Create(CultureInfo.InvariantCulture, $"{metric.DisplayName} must be between {metric.MinValue} and {metric.MaxValue} {metric.CanonicalUnit}.");

    /// <summary>Collects samples per entry and the reasons entries were left out.</summary>
    private sealed class Builder(string name, int received)
    {
        private readonly SortedDictionary<int, SampleInput[]> samples = [];
        private readonly Dictionary<string, (int Count, int First, bool Skip)> reasons = new(StringComparer.Ordinal);
        private int skipped;
        private int rejected;

        public List<string> Metrics { get; } = [];

        public void Add(int index, params SampleInput[] inputs) => samples[index] = inputs;

        public void Reject(int index, string reason) => Note(index, reason, skip: false);

        public void Skip(int index, string reason) => Note(index, reason, skip: true);

        /// <summary>An entry already added is superseded by a later one: it is skipped.</summary>
        public void Remove(int index, string reason)
        {
            samples.Remove(index);
            Skip(index, reason);
        }

        public void SkipAll(string reason)
        {
            if (received > 0)
            {
                skipped += received;
                reasons[reason] = (received, 0, true);
            }
        }

        public void RejectAll(string reason)
        {
            if (received > 0)
            {
                rejected += received;
                reasons[reason] = (received, 0, false);
            }
        }

        public HaeMappedMetric Build() => new(name, Metrics, received, skipped, rejected,
            [.. reasons.Select(r => new HaeReason(r.Key, r.Value.Count, r.Value.First))],
            [.. samples.Values.SelectMany(s => s)]);

        private void Note(int index, string reason, bool skip)
        {
            if (skip)
            {
                skipped++;
            }
            else
            {
                rejected++;
            }

            reasons[reason] = reasons.TryGetValue(reason, out var seen) ? (seen.Count + 1, Math.Min(seen.First, index), skip) : (1, index, skip);
        }
    }
}
