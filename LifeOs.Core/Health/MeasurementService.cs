using System.Globalization;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health;

/// <summary>A measurement as the user reads it: in their unit and local time. <paramref name="Excluded"/>: left out of its day's value.</summary>
public sealed record MeasurementRow(long Id, string MetricCode, string MetricName, double DisplayValue, string Unit, DateTime LocalTime, SampleSource Source, bool Excluded = false)
{
    /// <summary>Typed-in and imported rows can be edited and deleted; synced ones only excluded.</summary>
    public bool Editable => MeasurementHistoryService.IsEditable(Source);
}

public sealed record AddMeasurementResult(IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>One page of the measurement list, newest first; <paramref name="MetricCode"/> null for every metric.</summary>
public sealed record MeasurementQuery(int Page = 1, int PageSize = MeasurementService.DefaultPageSize, string? MetricCode = null);

/// <summary>A page of measurements and where it sits: <paramref name="Page"/> is the page actually shown (clamped to the last one).</summary>
public sealed record MeasurementList(IReadOnlyList<MeasurementRow> Rows, int Total, int Page, int PageSize)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

/// <summary>What the entry form needs to know about the user: their units, and their local date and time now.</summary>
public sealed record MeasurementEntryContext(Accounts.UnitSystem UnitSystem, string TimeZoneId, DateTime LocalNow)
{
    /// <summary>The latest date a measurement can be on: the user's own calendar today.</summary>
    public DateOnly Today => DateOnly.FromDateTime(LocalNow);
}

/// <summary>Measurements a person types in at /metrics: entered in their units and local time, stored canonical and UTC.</summary>
public sealed class MeasurementService(LifeOsDbContext db, HealthStore store, TimeProvider time, Audit.AuditLog audit)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 200;

    public const string MetricField = "MetricCode";
    public const string ValueField = "Value";
    public const string TimeField = "LocalTime";

    public async Task<AddMeasurementResult> AddAsync(string userId, string? metricCode, double? displayValue, DateTime? localTime, CancellationToken cancellationToken = default)
    {
        var (errors, sample) = await ValidateAsync(userId, metricCode, displayValue, localTime, cancellationToken);
        if (sample is not null)
        {
            await store.UpsertSamplesAsync(userId, [sample with { SourceRecordId = $"manual-{Guid.NewGuid():N}" }], cancellationToken);
        }

        return new AddMeasurementResult(errors);
    }

    /// <summary>Changes a typed-in or imported measurement in place: same record, so its old day and its new day are both recomputed.</summary>
    /// <returns>Null when the id is not one of this user's typed-in or imported measurements; otherwise the field errors, if any.</returns>
    public async Task<AddMeasurementResult?> UpdateAsync(string userId, long sampleId, string? metricCode, double? displayValue, DateTime? localTime, CancellationToken cancellationToken = default)
    {
        var existing = await db.SamplesOf(userId).AsNoTracking()
            .Where(s => s.Id == sampleId && (s.Source == SampleSource.Manual || s.Source == SampleSource.Import))
            .Select(s => new { s.SourceRecordId, s.MetricCode, s.Source })
            .SingleOrDefaultAsync(cancellationToken);
        if (existing is null)
        {
            return null;
        }

        var (errors, sample) = await ValidateAsync(userId, metricCode, displayValue, localTime, cancellationToken);
        if (sample is null)
        {
            return new AddMeasurementResult(errors);
        }

        if (sample.MetricCode != existing.MetricCode)
        {
            // The metric is part of the record's key: move it by removing the old one first.
            await store.DeleteSamplesAsync(userId, existing.Source, [existing.SourceRecordId], cancellationToken);
        }

        await store.UpsertSamplesAsync(userId, [sample with { Source = existing.Source, SourceRecordId = existing.SourceRecordId }], cancellationToken);
        var metrics = sample.MetricCode == existing.MetricCode ? sample.MetricCode : $"{existing.MetricCode} → {sample.MetricCode}";
        await audit.RecordAsync(Audit.AuditKind.MeasurementsEdited, userId, $"1 measurement: {metrics}", actorUserId: userId);
        return new AddMeasurementResult(errors);
    }

    /// <returns>The measurement as the user sees it, or null when it is not one of their typed-in or imported measurements.</returns>
    public async Task<MeasurementRow?> GetAsync(string userId, long sampleId, CancellationToken cancellationToken = default)
    {
        var user = await db.ClockAsync(userId, time, cancellationToken);
        var sample = await db.SamplesOf(userId).AsNoTracking()
            .SingleOrDefaultAsync(s => s.Id == sampleId && (s.Source == SampleSource.Manual || s.Source == SampleSource.Import), cancellationToken);
        return sample is null ? null : ToRow(sample, user.UnitSystem, user.Zone);
    }

    private async Task<(Dictionary<string, string> Errors, SampleInput? Sample)> ValidateAsync(
        string userId, string? metricCode, double? displayValue, DateTime? localTime, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        var metric = metricCode is null ? null : MetricCatalogue.Find(metricCode);
        if (metric is null)
        {
            errors[MetricField] = "Choose a metric from the list.";
        }

        var user = await db.ClockAsync(userId, time, cancellationToken);
        var zone = user.Zone;
        if (localTime is null)
        {
            errors[TimeField] = "Enter a date and time.";
        }
        else if (RecordDates.Problem(DateOnly.FromDateTime(localTime.Value), user) is { } dateProblem)
        {
            errors[TimeField] = dateProblem;
        }

        double canonical = 0;
        if (displayValue is null || !double.IsFinite(displayValue.Value))
        {
            errors[ValueField] = "Enter a number.";
        }
        else if (metric is not null)
        {
            var unit = metric.DisplayFor(user.UnitSystem);
            canonical = unit.ToCanonical(displayValue.Value);
            if (!metric.IsValid(canonical))
            {
                errors[ValueField] = string.Create(CultureInfo.InvariantCulture,
                    $"{metric.DisplayName} must be between {Round(unit.FromCanonical(metric.MinValue))} and {Round(unit.FromCanonical(metric.MaxValue))}{(unit.Label.Length > 0 ? " " + unit.Label : "")}.");
            }
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var local = DateTime.SpecifyKind(localTime!.Value, DateTimeKind.Unspecified);
        var utc = zone.IsInvalidTime(local) ? TimeZoneInfo.ConvertTimeToUtc(local.AddHours(1), zone) : TimeZoneInfo.ConvertTimeToUtc(local, zone);
        return (errors, new SampleInput(metric!.Code, SampleSource.Manual, "", utc, canonical));
    }

    /// <summary>The user's units and local "now", for the entry form's defaults and its date bound; null for an unknown user.</summary>
    public async Task<MeasurementEntryContext?> EntryContextAsync(string userId, CancellationToken cancellationToken = default)
    {
        var user = await db.FindClockAsync(userId, time, cancellationToken);
        return user is null ? null : new MeasurementEntryContext(user.UnitSystem, user.Zone.Id, user.LocalNow);
    }

    /// <summary>
    /// The user's typed-in and CSV-imported measurements, newest first, one page at a time (device data has
    /// its own pages). A page past the end shows the last one.
    /// </summary>
    public async Task<MeasurementList> ListAsync(string userId, MeasurementQuery query, CancellationToken cancellationToken = default)
    {
        var user = await db.ClockAsync(userId, time, cancellationToken);
        var zone = user.Zone;
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        // Naming every metric (inlined, not a JSON parameter) lets SQLite seek the (user, metric, source, record)
        // index per metric and source, instead of scanning every minute of a user's heart rate to find the typed-in rows.
        string[] codes = query.MetricCode is { } code ? [code] : [.. MetricCatalogue.All.Select(m => m.Code)];
        var samples = db.SamplesOf(userId).AsNoTracking().Others()
            .Where(s => EF.Constant(codes).Contains(s.MetricCode) && (s.Source == SampleSource.Manual || s.Source == SampleSource.Import));
        var total = await samples.CountAsync(cancellationToken);
        var page = Math.Clamp(query.Page, 1, Math.Max(1, (total + pageSize - 1) / pageSize));
        var rows = await samples
            .OrderByDescending(s => s.StartUtc).ThenByDescending(s => s.Id)
            .Skip((page - 1) * pageSize)
            .Take(pageSize)
            .ToListAsync(cancellationToken);
        return new MeasurementList(rows.ConvertAll(s => ToRow(s, user.UnitSystem, zone)), total, page, pageSize);
    }

    internal static MeasurementRow ToRow(Sample sample, Accounts.UnitSystem units, TimeZoneInfo zone)
    {
        var metric = MetricCatalogue.Get(sample.MetricCode);
        var unit = metric.DisplayFor(units);
        return new MeasurementRow(sample.Id, sample.MetricCode, metric.DisplayName, Round(unit.FromCanonical(sample.Value)), unit.Label,
            TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(sample.StartUtc, DateTimeKind.Utc), zone), sample.Source, sample.Excluded);
    }

    /// <returns>False when the id is not one of this user's typed-in or imported measurements.</returns>
    public async Task<bool> DeleteAsync(string userId, long sampleId, CancellationToken cancellationToken = default) =>
        await MeasurementHistoryService.AuditedAsync(db, audit, Audit.AuditKind.MeasurementsDeleted, userId, [sampleId], MeasurementHistoryService.EditableSources,
            () => store.DeleteByIdsAsync(userId, [sampleId], MeasurementHistoryService.EditableSources, cancellationToken), cancellationToken) == 1;

    private static double Round(double value) => Math.Round(value, 2);
}
