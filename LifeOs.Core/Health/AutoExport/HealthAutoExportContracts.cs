using System.Text.Json;

namespace LifeOs.Core.Health.AutoExport;

/// <summary>
/// The JSON the iOS app Health Auto Export posts from a REST API automation (export format version 2):
/// <c>{"data": {"metrics": [...], "workouts": [...]}}</c>. Only the fields LifeOs maps are named; the rest is ignored.
/// </summary>
public sealed record HaePayload(HaeData? Data);

public sealed record HaeData(IReadOnlyList<HaeMetric?>? Metrics, IReadOnlyList<JsonElement>? Workouts);

/// <summary>One Health Kit quantity: its name (step_count, heart_rate, …), the units of every entry, and the entries.</summary>
public sealed record HaeMetric(string? Name, string? Units, IReadOnlyList<HaeEntry?>? Data);

/// <summary>
/// One entry. Times look like <c>2026-11-20 08:00:00 +0100</c>. Most metrics give <c>qty</c>; heart rate gives
/// <c>Min</c>/<c>Avg</c>/<c>Max</c>; blood pressure <c>systolic</c>/<c>diastolic</c>; aggregated sleep analysis gives a
/// night: <c>sleepStart</c>, <c>sleepEnd</c>, <c>inBed</c>, <c>totalSleep</c> (or <c>asleep</c>), <c>core</c>, <c>deep</c>,
/// <c>rem</c>, <c>awake</c> in the metric's units (hours).
/// </summary>
public sealed record HaeEntry(
    string? Date,
    double? Qty,
    string? Source,
    double? Min,
    double? Avg,
    double? Max,
    double? Systolic,
    double? Diastolic,
    string? SleepStart,
    string? SleepEnd,
    string? InBedStart,
    string? InBedEnd,
    double? InBed,
    double? Asleep,
    double? TotalSleep,
    double? Core,
    double? Deep,
    double? Rem,
    double? Awake,
    string? StartDate,
    string? Value);
