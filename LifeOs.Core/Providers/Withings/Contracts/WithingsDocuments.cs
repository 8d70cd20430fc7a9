using System.Text.Json;
using System.Text.Json.Serialization;

namespace LifeOs.Core.Providers.Withings.Contracts;

// Withings wire shapes (shared/providers/withings.md §4): every answer is {"status", "body", "error"?}.

public sealed record WithingsEnvelope<T>(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("body")] T Body,
    [property: JsonPropertyName("error")] string? Error);

public sealed record WithingsMeasureBody(
    [property: JsonPropertyName("timezone")] string? Timezone,
    [property: JsonPropertyName("measuregrps")] List<WithingsMeasureGroup> MeasureGroups,
    [property: JsonPropertyName("more")] JsonElement More,
    [property: JsonPropertyName("offset")] int Offset);

public sealed record WithingsMeasureGroup(
    [property: JsonPropertyName("grpid")] long GroupId,
    [property: JsonPropertyName("attrib")] int Attrib,
    [property: JsonPropertyName("date")] long Date,
    [property: JsonPropertyName("category")] int Category,
    [property: JsonPropertyName("measures")] List<WithingsMeasure> Measures);

public sealed record WithingsMeasure(
    [property: JsonPropertyName("value")] long Value,
    [property: JsonPropertyName("type")] int Type,
    [property: JsonPropertyName("unit")] int Unit,
    [property: JsonPropertyName("position")] int? Position);

public sealed record WithingsActivityBody(
    [property: JsonPropertyName("activities")] List<WithingsActivity> Activities,
    [property: JsonPropertyName("more")] JsonElement More,
    [property: JsonPropertyName("offset")] int Offset);

public sealed record WithingsActivity(
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("timezone")] string? Timezone,
    [property: JsonPropertyName("deviceid")] string? DeviceId,
    [property: JsonPropertyName("brand")] int? Brand,
    [property: JsonPropertyName("steps")] double? Steps,
    [property: JsonPropertyName("distance")] double? Distance,
    [property: JsonPropertyName("calories")] double? Calories,
    [property: JsonPropertyName("totalcalories")] double? TotalCalories);

public sealed record WithingsSleepBody(
    [property: JsonPropertyName("series")] List<WithingsSleepSummary> Series,
    [property: JsonPropertyName("more")] JsonElement More,
    [property: JsonPropertyName("offset")] int Offset);

public sealed record WithingsSleepSummary(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("timezone")] string? Timezone,
    [property: JsonPropertyName("startdate")] long StartDate,
    [property: JsonPropertyName("enddate")] long EndDate,
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("data")] WithingsSleepData? Data,
    [property: JsonPropertyName("model")] int? Model = null,
    [property: JsonPropertyName("hash_deviceid")] string? HashDeviceId = null);

public sealed record WithingsSleepData(
    [property: JsonPropertyName("total_sleep_time")] double? TotalSleepTime,
    [property: JsonPropertyName("lightsleepduration")] double? LightSleepDuration,
    [property: JsonPropertyName("deepsleepduration")] double? DeepSleepDuration,
    [property: JsonPropertyName("remsleepduration")] double? RemSleepDuration,
    [property: JsonPropertyName("wakeupduration")] double? WakeUpDuration,
    [property: JsonPropertyName("sleep_efficiency")] double? SleepEfficiency,
    [property: JsonPropertyName("sleep_latency")] double? SleepLatency,
    [property: JsonPropertyName("hr_average")] double? HrAverage,
    [property: JsonPropertyName("hr_min")] double? HrMin,
    [property: JsonPropertyName("rr_average")] double? RrAverage,
    [property: JsonPropertyName("sleep_score")] double? SleepScore);

public sealed record WithingsWorkoutBody(
    [property: JsonPropertyName("series")] List<WithingsWorkout> Series,
    [property: JsonPropertyName("more")] JsonElement More,
    [property: JsonPropertyName("offset")] int Offset);

/// <summary>One getworkouts series item (withings.md §4.6); its data holds only the fields asked for with data_fields.</summary>
public sealed record WithingsWorkout(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("category")] int Category,
    [property: JsonPropertyName("timezone")] string? Timezone,
    [property: JsonPropertyName("startdate")] long StartDate,
    [property: JsonPropertyName("enddate")] long EndDate,
    [property: JsonPropertyName("date")] DateOnly Date,
    [property: JsonPropertyName("data")] WithingsWorkoutData? Data);

public sealed record WithingsWorkoutData(
    [property: JsonPropertyName("calories")] double? Calories,
    [property: JsonPropertyName("distance")] double? Distance);

internal static class WithingsJson
{
    /// <summary>"more" is 0/1 on getmeas and a boolean on the v2 services.</summary>
    public static bool IsTrue(JsonElement more) => more.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.Number => more.GetInt32() != 0,
        _ => false,
    };
}
