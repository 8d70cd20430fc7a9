using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Api;

/// <summary>One stored sample as the API gives it: canonical unit named, times in the user's offset.</summary>
public sealed record ApiSample(long Id, string Metric, string Unit, double Value, DateTimeOffset Start, DateTimeOffset? End, DateOnly Date, SampleSource Source, string RecordId);

/// <summary>Where a page of samples ends: the last (start, id) given. Opaque to clients.</summary>
public sealed record SampleCursor(DateTime StartUtc, long Id)
{
    public string Encode() => Convert.ToBase64String(Encoding.UTF8.GetBytes(
        string.Create(CultureInfo.InvariantCulture, $"{StartUtc.Ticks}.{Id}"))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static SampleCursor? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return null;
        }

        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('.');
            return parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? new SampleCursor(new DateTime(ticks, DateTimeKind.Utc), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>A filter of samples; times are UTC, <paramref name="Until"/> exclusive.</summary>
public sealed record SampleQuery(IReadOnlyList<string> Metrics, DateTime? Since, DateTime? Until, SampleSource? Source, SampleCursor? After, int Limit);

/// <summary>A sample a client writes, in the metric's canonical unit; <paramref name="RecordId"/> makes the write idempotent.</summary>
public sealed record ApiSampleInput(string? Metric, double? Value, string? Start, string? End, string? RecordId);

/// <summary>ISO 8601 instants as the API takes them: a date, a time and an offset (Z or ±hh:mm), never a bare local time.</summary>
public static partial class IsoInstant
{
    /// <returns>Null when absent; false when present but not an instant with an offset.</returns>
    public static bool TryParse(string? text, out DateTimeOffset? instant)
    {
        instant = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        text = text.Trim();
        if (text.Length <= 40 && OffsetAtEnd().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var value))
        {
            instant = value;
            return true;
        }

        return false;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([Zz]|[+-]\d{2}:?\d{2})$")]
    private static partial System.Text.RegularExpressions.Regex OffsetAtEnd();
}

public sealed record ApiItemError(int Index, string Field, string Message);

public sealed record ApiSampleWriteResult(int Received, int Inserted, int Updated, int Unchanged, IReadOnlyList<ApiItemError> Errors);

/// <summary>A day's value of a metric and the source that won it, in the canonical unit.</summary>
public sealed record ApiDailyValue(DateOnly Date, double Value, SampleSource Source, int SampleCount);

/// <summary>
/// The health reads and writes of the REST API, in canonical units. Every query filters by the user; writes go through
/// <see cref="HealthStore"/> (source <see cref="SampleSource.Api"/>) with the same bounds as the entry form: a value
/// within the metric's range, a time from 1900 to the end of the user's own today.
/// </summary>
public sealed class HealthApiService(LifeOsDbContext db, HealthStore store, TimeProvider time)
{
    public const int MaxBatch = 10_000;
    public const int MaxRecordIdLength = 128;

    /// <summary>The samples in (start, id) order, read as they are written out: a year of minute heart rate never sits in memory.</summary>
    public async IAsyncEnumerable<ApiSample> StreamSamplesAsync(string userId, UserClock clock, SampleQuery query, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var samples = db.SamplesOf(userId).AsNoTracking();
        if (query.Metrics.Count > 0)
        {
            // Inlined: SQLite then seeks the (user, metric, start) index per metric.
            var codes = query.Metrics.ToArray();
            samples = samples.Where(s => EF.Constant(codes).Contains(s.MetricCode));
        }

        if (query.Source is { } source)
        {
            samples = samples.Where(s => s.Source == source);
        }

        if (query.Since is { } since)
        {
            samples = samples.Where(s => s.StartUtc >= since);
        }

        if (query.Until is { } until)
        {
            samples = samples.Where(s => s.StartUtc < until);
        }

        if (query.After is { } after)
        {
            // The outer >= lets SQLite seek the time index to the cursor instead of walking it from the start.
            samples = samples.Where(s => s.StartUtc >= after.StartUtc && (s.StartUtc > after.StartUtc || s.Id > after.Id));
        }

        if (query.Metrics.Count != 1)
        {
            // Several metrics in time order: Oura's heart rate and the rest, each through its own index, merged (SeriesRows).
            var series = (query.Metrics.Count == 0 || query.Metrics.Contains(MetricCatalogue.HeartRate)) && query.Source is null or SampleSource.Oura;
            samples = SeriesRows.InTimeOrder(samples, series);
        }

        var rows = samples.OrderBy(s => s.StartUtc).ThenBy(s => s.Id).Take(query.Limit)
            .Select(s => new { s.Id, s.MetricCode, s.Value, s.StartUtc, s.EndUtc, s.LocalDate, s.Source, s.SourceRecordId })
            .AsAsyncEnumerable();
        await foreach (var s in rows.WithCancellation(cancellationToken))
        {
            var metric = MetricCatalogue.Find(s.MetricCode);
            yield return new ApiSample(s.Id, s.MetricCode, metric?.CanonicalUnit ?? "", s.Value, At(clock, s.StartUtc), s.EndUtc is { } end ? At(clock, end) : null, s.LocalDate, s.Source,
                SeriesRows.RecordIdOf(s.MetricCode, s.Source, s.StartUtc, s.SourceRecordId));
        }
    }

    /// <summary>Validates each item like the entry form does, then writes the valid ones in one transaction.</summary>
    public async Task<ApiSampleWriteResult> WriteSamplesAsync(string userId, IReadOnlyList<ApiSampleInput?> items, CancellationToken cancellationToken = default)
    {
        var clock = await db.ClockAsync(userId, time, cancellationToken);
        var errors = new List<ApiItemError>();
        var inputs = new List<SampleInput>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null)
            {
                errors.Add(new(i, "", "Send an object."));
                continue;
            }

            var before = errors.Count;
            var metric = item.Metric is null ? null : MetricCatalogue.Find(item.Metric);
            if (metric is null)
            {
                errors.Add(new(i, "metric", string.IsNullOrWhiteSpace(item.Metric) ? "Name a metric (GET /api/v1/metrics lists them)." : $"'{item.Metric}' is not a metric (GET /api/v1/metrics lists them)."));
            }

            if (item.Value is not { } value || !double.IsFinite(value))
            {
                errors.Add(new(i, "value", "Give a number."));
            }
            else if (metric is not null && !metric.IsValid(value))
            {
                errors.Add(new(i, "value", string.Create(CultureInfo.InvariantCulture, $"{metric.DisplayName} must be between {metric.MinValue} and {metric.MaxValue} {metric.CanonicalUnit}.")));
            }

            const string InstantHelp = "in ISO 8601 with an offset, such as 2026-11-24T07:30:00+01:00";
            if (!IsoInstant.TryParse(item.Start, out var startAt) || startAt is not { } start)
            {
                errors.Add(new(i, "start", $"Give the time {InstantHelp}."));
            }
            else if (RecordDates.Problem(start.UtcDateTime, clock) is { } dateProblem)
            {
                // The one rule for recorded dates (1900 to the end of the user's own today), read on their wall clock.
                errors.Add(new(i, "start", dateProblem));
            }

            if (!IsoInstant.TryParse(item.End, out var endAt))
            {
                errors.Add(new(i, "end", $"Give the end {InstantHelp}, or leave it out."));
            }
            else if (endAt is { } end && startAt is { } begin && end < begin)
            {
                errors.Add(new(i, "end", "The end comes before the start."));
            }

            if (string.IsNullOrWhiteSpace(item.RecordId))
            {
                errors.Add(new(i, "recordId", "Give your own id for the record, so that sending it again does not add it twice."));
            }
            else if (item.RecordId.Length > MaxRecordIdLength)
            {
                errors.Add(new(i, "recordId", $"Keep the record id under {MaxRecordIdLength} characters."));
            }

            if (errors.Count == before)
            {
                inputs.Add(new SampleInput(metric!.Code, SampleSource.Api, item.RecordId!, startAt!.Value.UtcDateTime, item.Value!.Value, endAt?.UtcDateTime));
            }
        }

        if (inputs.Count == 0)
        {
            return new ApiSampleWriteResult(items.Count, 0, 0, 0, errors);
        }

        var result = await store.UpsertSamplesAsync(userId, inputs, cancellationToken);
        return new ApiSampleWriteResult(items.Count, result.Inserted, result.Updated, result.Unchanged, errors);
    }

    /// <returns>False when the id is not one of the user's typed-in or API samples (device data is the device's).</returns>
    public async Task<bool> DeleteSampleAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        var sample = await db.SamplesOf(userId).AsNoTracking()
            .Where(s => s.Id == id && (s.Source == SampleSource.Manual || s.Source == SampleSource.Api))
            .Select(s => s.Id)
            .SingleOrDefaultAsync(cancellationToken);
        return sample != 0 && await store.DeleteByIdsAsync(userId, [sample], [SampleSource.Manual, SampleSource.Api], cancellationToken) == 1;
    }

    /// <summary>Daily values of one metric, oldest first.</summary>
    public async Task<IReadOnlyList<ApiDailyValue>> DailyAsync(string userId, string metricCode, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        await db.DailyValues.AsNoTracking()
            .Where(d => d.UserId == userId && d.MetricCode == metricCode && d.LocalDate >= from && d.LocalDate <= to)
            .OrderBy(d => d.LocalDate)
            .Select(d => new ApiDailyValue(d.LocalDate, d.Value, d.Source, d.SampleCount))
            .ToListAsync(cancellationToken);

    /// <summary>The day's value of each of the given metrics that has one.</summary>
    public async Task<IReadOnlyDictionary<string, ApiDailyValue>> DayAsync(string userId, IReadOnlyCollection<string> metricCodes, DateOnly day, CancellationToken cancellationToken = default)
    {
        var codes = metricCodes.ToArray();
        var rows = await db.DailyValues.AsNoTracking()
            .Where(d => d.UserId == userId && d.LocalDate == day && EF.Constant(codes).Contains(d.MetricCode))
            .Select(d => new { d.MetricCode, Value = new ApiDailyValue(d.LocalDate, d.Value, d.Source, d.SampleCount) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.MetricCode, r => r.Value, StringComparer.Ordinal);
    }

    /// <summary>The latest day with a sleep duration (sleep belongs to the day one wakes up), or null.</summary>
    public async Task<DateOnly?> LatestSleepDayAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.DailyValues.AsNoTracking()
            .Where(d => d.UserId == userId && d.MetricCode == MetricCatalogue.SleepDuration)
            .OrderByDescending(d => d.LocalDate)
            .Select(d => (DateOnly?)d.LocalDate)
            .FirstOrDefaultAsync(cancellationToken);

    private static DateTimeOffset At(UserClock clock, DateTime utc)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return new DateTimeOffset(utc).ToOffset(clock.Zone.GetUtcOffset(utc));
    }
}
