using System.Text.Json.Serialization;

namespace LifeOs.Core.Providers.Oura.Contracts;

// Oura API v2 wire shapes (shared/providers/oura.md §4): snake_case, scores and most values nullable.

public sealed record OuraPage<T>(
    [property: JsonPropertyName("data")] List<T> Data,
    [property: JsonPropertyName("next_token")] string? NextToken);

public sealed record OuraPersonalInfo([property: JsonPropertyName("id")] string Id);

public sealed record OuraDailySleep(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("day")] DateOnly Day,
    [property: JsonPropertyName("score")] int? Score,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp);

public sealed record OuraSleep(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("day")] DateOnly Day,
    [property: JsonPropertyName("type")] string? Type,
    [property: JsonPropertyName("bedtime_start")] DateTimeOffset BedtimeStart,
    [property: JsonPropertyName("bedtime_end")] DateTimeOffset BedtimeEnd,
    [property: JsonPropertyName("total_sleep_duration")] double? TotalSleepDuration,
    [property: JsonPropertyName("awake_time")] double? AwakeTime,
    [property: JsonPropertyName("light_sleep_duration")] double? LightSleepDuration,
    [property: JsonPropertyName("deep_sleep_duration")] double? DeepSleepDuration,
    [property: JsonPropertyName("rem_sleep_duration")] double? RemSleepDuration,
    [property: JsonPropertyName("efficiency")] double? Efficiency,
    [property: JsonPropertyName("latency")] double? Latency,
    [property: JsonPropertyName("average_heart_rate")] double? AverageHeartRate,
    [property: JsonPropertyName("lowest_heart_rate")] double? LowestHeartRate,
    [property: JsonPropertyName("average_hrv")] double? AverageHrv,
    [property: JsonPropertyName("average_breath")] double? AverageBreath);

public sealed record OuraDailyReadiness(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("day")] DateOnly Day,
    [property: JsonPropertyName("score")] int? Score,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("temperature_deviation")] double? TemperatureDeviation);

public sealed record OuraDailyActivity(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("day")] DateOnly Day,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("score")] int? Score,
    [property: JsonPropertyName("steps")] double? Steps,
    [property: JsonPropertyName("active_calories")] double? ActiveCalories,
    [property: JsonPropertyName("total_calories")] double? TotalCalories,
    [property: JsonPropertyName("equivalent_walking_distance")] double? EquivalentWalkingDistance = null);

public sealed record OuraHeartRate(
    [property: JsonPropertyName("bpm")] double Bpm,
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp);

public sealed record OuraSpo2Percentage([property: JsonPropertyName("average")] double? Average);

public sealed record OuraDailySpo2(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("day")] DateOnly Day,
    [property: JsonPropertyName("spo2_percentage")] OuraSpo2Percentage? Spo2Percentage,
    [property: JsonPropertyName("breathing_disturbance_index")] double? BreathingDisturbanceIndex = null);

public sealed record OuraWorkout(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("day")] DateOnly Day,
    [property: JsonPropertyName("activity")] string? Activity,
    [property: JsonPropertyName("calories")] double? Calories,
    [property: JsonPropertyName("start_datetime")] DateTimeOffset StartDatetime,
    [property: JsonPropertyName("end_datetime")] DateTimeOffset EndDatetime,
    [property: JsonPropertyName("distance")] double? Distance = null);
