using System.Security.Claims;
using System.Text.Json;
using LifeOs.Core;
using LifeOs.Core.Api;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Web.Api;

public sealed record MeResponse(
    string Id, string? Email, string TimeZone, int DayStartHour, string UnitSystem, DateOnly Today, DateTimeOffset Now, ApiKeyInfo Key);

public sealed record ApiKeyInfo(string Name, IReadOnlyList<string> Scopes);

public sealed record MetricInfo(string Code, string Name, string Group, string Unit, string Aggregation, double MinValue, double MaxValue, string? Loinc);

public sealed record DailyValueItem(DateOnly Date, double Value, string Source, int SampleCount);

public sealed record MetricDailyResponse(string Metric, string Unit, string Aggregation, DateOnly From, DateOnly To, IReadOnlyList<DailyValueItem> Days);

public sealed record SampleItem(long Id, string Metric, string Unit, double Value, DateTimeOffset Start, DateTimeOffset? End, DateOnly Date, string Source, string RecordId);

/// <summary>One page of samples; <paramref name="NextCursor"/> is null on the last page.</summary>
public sealed record SamplePage(IReadOnlyList<SampleItem> Items, string? NextCursor);

/// <param name="Start">ISO 8601 with an offset: 2026-11-24T07:30:00+01:00.</param>
/// <param name="RecordId">Your id for the record: sending it again updates it instead of adding a copy.</param>
public sealed record SampleWrite(string? Metric, double? Value, string? Start, string? End, string? RecordId);

public sealed record SampleBatch(IReadOnlyList<SampleWrite?>? Samples);

public sealed record ItemError(int Index, string Field, string Message);

public sealed record SampleBatchResponse(int Received, int Inserted, int Updated, int Unchanged, int Rejected, IReadOnlyList<ItemError> Errors);

public sealed record SummaryValue(double Value, string Unit, string Source);

/// <summary>The day's headline numbers, keyed by metric code (as on Today), in canonical units.</summary>
public sealed record DailySummaryResponse(DateOnly Date, bool IsToday, IReadOnlyDictionary<string, SummaryValue> Metrics);

public sealed record SleepResponse(
    DateOnly Date, double DurationSeconds, double? DeepSeconds, double? LightSeconds, double? RemSeconds, double? AwakeSeconds,
    double? EfficiencyPercent, double? LatencySeconds, double? Score, double? RestingHeartRate, double? HrvRmssd, string Source);

/// <summary>/me, the metric catalogue, samples, daily values, the daily summary and the latest sleep.</summary>
public static class HealthApi
{
    public const int DefaultLimit = 1000;
    public const int MaxLimit = 100_000;
    public const int MaxDailyRange = 3700;

    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", GetMeAsync).WithName("GetMe").WithTags("Account")
            .WithSummary("The key's owner: time zone, day start, units and today; and the key's name and scopes.");
        return api;
    }

    public static RouteGroupBuilder MapHealthApi(this RouteGroupBuilder api)
    {
        api.MapGet("/metrics", GetMetrics).WithName("GetMetrics").WithTags("Health").RequireScope(ApiScopes.HealthRead)
            .WithSummary("The metric catalogue: codes, canonical units, how a day is aggregated, valid ranges.");
        api.MapGet("/metrics/{code}/daily", GetDailyAsync).WithName("GetMetricDaily").WithTags("Health").RequireScope(ApiScopes.HealthRead)
            .WithSummary("One metric's value per day (from, to: yyyy-MM-dd, default the last 30 days) and the source that won each day.");
        api.MapGet("/samples", GetSamplesAsync).WithName("GetSamples").WithTags("Health").RequireScope(ApiScopes.HealthRead)
            .WithSummary("Stored samples in time order, streamed; page with the returned nextCursor.");
        api.MapPost("/samples", PostSamplesAsync).WithName("PostSamples").WithTags("Health").RequireScope(ApiScopes.HealthWrite)
            .WithSummary($"Write up to {HealthApiService.MaxBatch:N0} samples in canonical units; idempotent by recordId; an error per rejected item.");
        api.MapDelete("/samples/{id:long}", DeleteSampleAsync).WithName("DeleteSample").WithTags("Health").RequireScope(ApiScopes.HealthWrite)
            .WithSummary("Delete one of your typed-in or API samples (device data belongs to its device).");
        api.MapGet("/summary/daily", GetSummaryAsync).WithName("GetDailySummary").WithTags("Health").RequireScope(ApiScopes.HealthRead)
            .WithSummary("A day's headline numbers as on Today (date: yyyy-MM-dd, default today), keyed by metric code.");
        api.MapGet("/sleep/latest", GetLatestSleepAsync).WithName("GetLatestSleep").WithTags("Health").RequireScope(ApiScopes.HealthRead)
            .WithSummary("The latest night: duration, stages, efficiency, latency and score (the day you woke up).");
        return api;
    }

    private static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMeAsync(ClaimsPrincipal user, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var clock = await db.FindClockAsync(userId, time, cancellationToken);
        var email = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(cancellationToken);
        if (clock is null)
        {
            return ApiEndpoints.NotFound("The key's account no longer exists.");
        }

        var scopes = user.FindAll(ApiKeyAuthenticationHandler.ScopeClaim).Select(c => c.Value).ToList();
        return TypedResults.Ok(new MeResponse(userId, email, clock.Zone.Id, clock.DayStartHour, clock.UnitSystem.ToString(), clock.Today, clock.At(clock.Now.UtcDateTime),
            new ApiKeyInfo(user.Identity?.Name ?? "", scopes)));
    }

    private static Ok<IReadOnlyList<MetricInfo>> GetMetrics() =>
        TypedResults.Ok<IReadOnlyList<MetricInfo>>(MetricCatalogue.All
            .Select(m => new MetricInfo(m.Code, m.DisplayName, m.Group.ToString(), m.CanonicalUnit, m.Aggregation.ToString(), m.MinValue, m.MaxValue, m.Loinc))
            .ToList());

    private static async Task<Results<Ok<MetricDailyResponse>, ProblemHttpResult, ValidationProblem>> GetDailyAsync(
        string code, string? from, string? to, ClaimsPrincipal user, HealthApiService health, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (MetricCatalogue.Find(code) is not { } metric)
        {
            return ApiEndpoints.NotFound($"'{code}' is not a metric (GET /api/v1/metrics lists them).");
        }

        var errors = new Dictionary<string, string>();
        if (!ApiEndpoints.TryDate(from, out var fromDate))
        {
            errors["from"] = "Give a date as yyyy-MM-dd.";
        }

        if (!ApiEndpoints.TryDate(to, out var toDate))
        {
            errors["to"] = "Give a date as yyyy-MM-dd.";
        }

        if (errors.Count > 0)
        {
            return ApiEndpoints.Invalid(errors);
        }

        var clock = await db.ClockAsync(user.UserId(), time, cancellationToken);
        var end = toDate ?? clock.Today;
        var start = fromDate ?? end.AddDays(-29);
        if (start > end)
        {
            return ApiEndpoints.Invalid("from", "'from' comes after 'to'.");
        }

        if (end.DayNumber - start.DayNumber > MaxDailyRange)
        {
            return ApiEndpoints.Invalid("from", $"Ask for at most {MaxDailyRange} days at a time.");
        }

        var days = await health.DailyAsync(user.UserId(), metric.Code, start, end, cancellationToken);
        return TypedResults.Ok(new MetricDailyResponse(metric.Code, metric.CanonicalUnit, metric.Aggregation.ToString(), start, end,
            days.Select(d => new DailyValueItem(d.Date, d.Value, d.Source.ToString(), d.SampleCount)).ToList()));
    }

    private static async Task<Results<SampleStreamResult, ValidationProblem>> GetSamplesAsync(
        string? metrics, string? since, string? until, string? source, string? cursor, int? limit,
        ClaimsPrincipal user, HealthApiService health, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        var codes = (metrics ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct().ToList();
        if (codes.FirstOrDefault(c => MetricCatalogue.Find(c) is null) is { } unknown)
        {
            errors["metrics"] = $"'{unknown}' is not a metric (GET /api/v1/metrics lists them).";
        }

        if (!ApiEndpoints.TryInstant(since, out var sinceAt))
        {
            errors["since"] = "Give a time in ISO 8601 with an offset, such as 2026-11-01T00:00:00+01:00.";
        }

        if (!ApiEndpoints.TryInstant(until, out var untilAt))
        {
            errors["until"] = "Give a time in ISO 8601 with an offset, such as 2026-12-01T00:00:00+01:00.";
        }

        SampleSource? sourceFilter = null;
        if (!string.IsNullOrWhiteSpace(source))
        {
            if (Enum.TryParse<SampleSource>(source, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(source, out _))
            {
                sourceFilter = parsed;
            }
            else
            {
                errors["source"] = $"'{source}' is not a source; use one of {string.Join(", ", Enum.GetNames<SampleSource>())}.";
            }
        }

        var after = SampleCursor.TryParse(cursor);
        if (!string.IsNullOrEmpty(cursor) && after is null)
        {
            errors["cursor"] = "Pass back the nextCursor of the previous page as it was.";
        }

        if (limit is < 1 or > MaxLimit)
        {
            errors["limit"] = $"Ask for 1 to {MaxLimit:N0} samples per page.";
        }

        if (errors.Count > 0)
        {
            return ApiEndpoints.Invalid(errors);
        }

        var userId = user.UserId();
        var clock = await db.ClockAsync(userId, time, cancellationToken);
        var query = new SampleQuery(codes, sinceAt?.UtcDateTime, untilAt?.UtcDateTime, sourceFilter, after, limit ?? DefaultLimit);
        return new SampleStreamResult(health.StreamSamplesAsync(userId, clock, query, cancellationToken), query.Limit);
    }

    private static async Task<Results<Ok<SampleBatchResponse>, ValidationProblem>> PostSamplesAsync(
        SampleBatch batch, ClaimsPrincipal user, HealthApiService health, CancellationToken cancellationToken)
    {
        if (batch.Samples is not { Count: > 0 } samples)
        {
            return ApiEndpoints.Invalid("samples", "Send {\"samples\": [...]} with at least one sample.");
        }

        if (samples.Count > HealthApiService.MaxBatch)
        {
            return ApiEndpoints.Invalid("samples", $"Send at most {HealthApiService.MaxBatch:N0} samples per request.");
        }

        var result = await health.WriteSamplesAsync(user.UserId(),
            samples.Select(s => s is null ? null : new ApiSampleInput(s.Metric, s.Value, s.Start, s.End, s.RecordId)).ToList(), cancellationToken);
        var errors = result.Errors.Select(e => new ItemError(e.Index, e.Field, e.Message)).ToList();
        if (result.Inserted + result.Updated + result.Unchanged == 0)
        {
            // Nothing was written: the whole request is bad input.
            return TypedResults.ValidationProblem(
                result.Errors.GroupBy(e => $"samples[{e.Index}]{(e.Field.Length > 0 ? "." + e.Field : "")}").ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
                title: "No sample was valid");
        }

        return TypedResults.Ok(new SampleBatchResponse(result.Received, result.Inserted, result.Updated, result.Unchanged, errors.Select(e => e.Index).Distinct().Count(), errors));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteSampleAsync(long id, ClaimsPrincipal user, HealthApiService health, CancellationToken cancellationToken) =>
        await health.DeleteSampleAsync(user.UserId(), id, cancellationToken)
            ? TypedResults.NoContent()
            : ApiEndpoints.NotFound($"No typed-in or API sample {id} of yours.");

    private static async Task<Results<Ok<DailySummaryResponse>, ValidationProblem>> GetSummaryAsync(
        string? date, ClaimsPrincipal user, HealthApiService health, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!ApiEndpoints.TryDate(date, out var day))
        {
            return ApiEndpoints.Invalid("date", "Give a date as yyyy-MM-dd.");
        }

        var userId = user.UserId();
        var clock = await db.ClockAsync(userId, time, cancellationToken);
        var on = day ?? clock.Today;
        var values = await health.DayAsync(userId, DashboardService.Metrics, on, cancellationToken);
        var metrics = DashboardService.Metrics.Where(values.ContainsKey).ToDictionary(
            code => code,
            code => new SummaryValue(values[code].Value, MetricCatalogue.Get(code).CanonicalUnit, values[code].Source.ToString()),
            StringComparer.Ordinal);
        return TypedResults.Ok(new DailySummaryResponse(on, on == clock.Today, metrics));
    }

    private static async Task<Results<Ok<SleepResponse>, ProblemHttpResult>> GetLatestSleepAsync(
        ClaimsPrincipal user, HealthApiService health, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        if (await health.LatestSleepDayAsync(userId, cancellationToken) is not { } day)
        {
            return ApiEndpoints.NotFound("No sleep is recorded yet.");
        }

        string[] codes =
        [
            MetricCatalogue.SleepDuration, MetricCatalogue.SleepDeep, MetricCatalogue.SleepLight, MetricCatalogue.SleepRem, MetricCatalogue.SleepAwake,
            MetricCatalogue.SleepEfficiency, MetricCatalogue.SleepLatency, MetricCatalogue.SleepScore, MetricCatalogue.RestingHeartRate, MetricCatalogue.HrvRmssd,
        ];
        var v = await health.DayAsync(userId, codes, day, cancellationToken);
        double? Of(string code) => v.TryGetValue(code, out var value) ? value.Value : null;
        var duration = v[MetricCatalogue.SleepDuration];
        return TypedResults.Ok(new SleepResponse(day, duration.Value, Of(MetricCatalogue.SleepDeep), Of(MetricCatalogue.SleepLight), Of(MetricCatalogue.SleepRem),
            Of(MetricCatalogue.SleepAwake), Of(MetricCatalogue.SleepEfficiency), Of(MetricCatalogue.SleepLatency), Of(MetricCatalogue.SleepScore),
            Of(MetricCatalogue.RestingHeartRate), Of(MetricCatalogue.HrvRmssd), duration.Source.ToString()));
    }
}

/// <summary>
/// GET /samples as it is read: items are written out while the database is still being read, and flushed every few
/// hundred, so neither side holds the page in memory; <c>nextCursor</c> follows the items (it is known only at the end).
/// </summary>
public sealed class SampleStreamResult(IAsyncEnumerable<ApiSample> samples, int limit) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public int? StatusCode => StatusCodes.Status200OK;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/json; charset=utf-8";
        httpContext.Response.Headers.CacheControl = "private, no-store";
        var cancellationToken = httpContext.RequestAborted;
        await using var writer = new Utf8JsonWriter(httpContext.Response.BodyWriter.AsStream());
        writer.WriteStartObject();
        writer.WriteStartArray("items");
        ApiSample? last = null;
        var count = 0;
        await foreach (var s in samples.WithCancellation(cancellationToken))
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", s.Id);
            writer.WriteString("metric", s.Metric);
            writer.WriteString("unit", s.Unit);
            writer.WriteNumber("value", s.Value);
            writer.WriteString("start", s.Start);
            if (s.End is { } end)
            {
                writer.WriteString("end", end);
            }
            else
            {
                writer.WriteNull("end");
            }

            writer.WriteString("date", s.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("source", s.Source.ToString());
            writer.WriteString("recordId", s.RecordId);
            writer.WriteEndObject();
            last = s;
            if (++count % 500 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        writer.WriteEndArray();
        if (count == limit && last is not null)
        {
            writer.WriteString("nextCursor", new SampleCursor(last.Start.UtcDateTime, last.Id).Encode());
        }
        else
        {
            writer.WriteNull("nextCursor");
        }

        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken);
    }

    public static void PopulateMetadata(System.Reflection.MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(SamplePage), ["application/json"]));
}
