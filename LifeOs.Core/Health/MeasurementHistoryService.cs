using System.Globalization;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health;

/// <summary>How a measurement got here: typed in, imported from a file, or synced from a device or the API.</summary>
public enum MeasurementKind
{
    Manual,
    Imported,
    Synced,
}

/// <summary>A position in the history: the last row shown (its time and id), so the next page starts right after it.</summary>
public sealed record HistoryCursor(DateTime StartUtc, long Id)
{
    /// <summary>"ticks.id": short enough for a query string, and nothing but numbers.</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture, $"{StartUtc.Ticks}.{Id}");

    public static HistoryCursor? Parse(string? text)
    {
        var parts = text?.Split('.');
        return parts is [var ticks, var id]
            && long.TryParse(ticks, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t <= DateTime.MaxValue.Ticks
            && long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? new HistoryCursor(new DateTime(t, DateTimeKind.Utc), i)
            : null;
    }
}

/// <summary>What the measurement history shows: filters (null for "any"), the order, and where the page starts.</summary>
public sealed record HistoryQuery(
    string? MetricCode = null,
    SampleSource? Source = null,
    MeasurementKind? Kind = null,
    DateOnly? From = null,
    DateOnly? To = null,
    bool OldestFirst = false,
    HistoryCursor? After = null,
    int PageSize = MeasurementHistoryService.DefaultPageSize);

/// <summary>
/// One page of the history. <paramref name="Next"/> is where the following page starts (null on the last page);
/// <paramref name="Matching"/> counts the matching measurements no further than <see cref="MeasurementHistoryService.CountLimit"/>,
/// <paramref name="MoreThanCounted"/> says there are more than that.
/// </summary>
public sealed record HistoryPage(IReadOnlyList<MeasurementRow> Rows, HistoryCursor? Next, int Matching, bool MoreThanCounted);

/// <summary>A source that reports a metric, and on how many of the range's days its value won.</summary>
public sealed record MetricSource(SampleSource Source, int DaysWon);

/// <summary>
/// Every measurement of every source, a page at a time, for /metrics and the metric pages; and fixing them: edit and
/// delete typed-in and imported ones, exclude (and include again) any of them.
/// </summary>
/// <remarks>
/// Built for a user with years of minute heart rate (millions of rows): pages are keyset pages, (time, id) after the
/// last row shown, so every page is an index seek whatever its depth; the order is by time, the one order the
/// (user, time) and (user, metric, time) indexes serve; and the total is counted no further than
/// <see cref="CountLimit"/> ("10,000+"), never over millions of rows per page.
/// </remarks>
public sealed class MeasurementHistoryService(LifeOsDbContext db, HealthStore store, TimeProvider time, Audit.AuditLog audit)
{
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 200;
    public const int CountLimit = 10_000;

    /// <summary>The sources whose rows a person can edit and delete; every other source is synced, and can only be excluded.</summary>
    public static readonly IReadOnlyList<SampleSource> EditableSources = [SampleSource.Manual, SampleSource.Import];

    public static bool IsEditable(SampleSource source) => EditableSources.Contains(source);

    public static MeasurementKind KindOf(SampleSource source) => source switch
    {
        SampleSource.Manual => MeasurementKind.Manual,
        SampleSource.Import => MeasurementKind.Imported,
        _ => MeasurementKind.Synced,
    };

    /// <returns>A page of the user's measurements; an unknown user has none.</returns>
    public async Task<HistoryPage> ListAsync(string userId, HistoryQuery query, CancellationToken cancellationToken = default)
    {
        var user = await db.FindClockAsync(userId, time, cancellationToken);
        if (user is null)
        {
            return new HistoryPage([], null, 0, false);
        }

        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var metric = query.MetricCode is null ? null : MetricCatalogue.Find(query.MetricCode)?.Code;
        if (query.MetricCode is not null && metric is null)
        {
            return new HistoryPage([], null, 0, false);
        }

        var sources = Enum.GetValues<SampleSource>()
            .Where(s => (query.Source is null || s == query.Source) && (query.Kind is null || KindOf(s) == query.Kind))
            .ToArray();
        if (sources.Length == 0)
        {
            return new HistoryPage([], null, 0, false);
        }

        // Calendar days in the user's zone, as the form shows them, turned into the UTC instants the indexes hold.
        var fromUtc = query.From is { } from ? ToUtc(from, user.Zone) : (DateTime?)null;
        var toUtc = query.To is { } to ? ToUtc(to.AddDays(1), user.Zone) : (DateTime?)null;

        var all = db.SamplesOf(userId).AsNoTracking();
        if (metric is not null)
        {
            all = all.Where(s => s.MetricCode == metric);
        }

        if (fromUtc is { } f)
        {
            all = all.Where(s => s.StartUtc >= f);
        }

        if (toUtc is { } t)
        {
            all = all.Where(s => s.StartUtc < t);
        }

        var everySource = sources.Length == Enum.GetValues<SampleSource>().Length;
        // Every metric: Oura's heart rate and the rest each walk their own index, merged (SeriesRows); without Oura or heart
        // rate in the filter, the rest alone.
        var series = (metric is null || metric == MetricCatalogue.HeartRate) && sources.Contains(SampleSource.Oura);
        int matching;
        IQueryable<Sample> ordered;
        if (everySource)
        {
            // Every metric over a date range is counted in its two parts (the range is on the time, which only those indexes
            // lead with); otherwise (owner, metric, start) answers alone, without reading a row.
            matching = metric is null && (fromUtc is not null || toUtc is not null)
                ? await SeriesRows.InTimeOrder(all, s => s.Id).Take(CountLimit + 1).CountAsync(cancellationToken)
                : await all.Take(CountLimit + 1).CountAsync(cancellationToken);
            ordered = all;
        }
        else
        {
            // Named metrics and sources (constants, not a JSON parameter) let SQLite seek the (user, metric, source, record)
            // index for each pair: counting a few typed-in weights does not walk years of heart rate.
            string[] codes = metric is not null ? [metric] : [.. MetricCatalogue.All.Select(m => m.Code)];
            var chosen = all.Where(s => EF.Constant(codes).Contains(s.MetricCode) && EF.Constant(sources).Contains(s.Source));
            // Oura's heart rate is in no such index (SeriesRows): counted through its own, the rest named as the index is.
            matching = await SeriesRows.InTimeOrder(chosen, s => s.Id, series).Take(CountLimit + 1).CountAsync(cancellationToken);
            if (matching <= CountLimit)
            {
                // Few rows: read their times through the same seeks (no order, so SQLite has no reason to walk the time
                // index instead, which for rows that are all years old would mean walking years of heart rate) and page in memory.
                var keys = await SeriesRows.InTimeOrder(chosen, s => new { s.Id, s.StartUtc }, series).ToListAsync(cancellationToken);
                var page = keys.Select(k => new HistoryCursor(DateTime.SpecifyKind(k.StartUtc, DateTimeKind.Utc), k.Id));
                if (query.After is { } start)
                {
                    var after = start with { StartUtc = DateTime.SpecifyKind(start.StartUtc, DateTimeKind.Utc) };
                    page = page.Where(k => query.OldestFirst ? Compare(k, after) > 0 : Compare(k, after) < 0);
                }

                var ids = (query.OldestFirst ? page.Order(KeyOrder) : page.OrderDescending(KeyOrder)).Take(pageSize + 1).Select(k => k.Id).ToArray();
                // The page's rows by primary key alone (ids inlined), put back in the page's order. The ids came from this
                // user's rows; naming the user in SQL as well made SQLite scan the user's (user, metric, time) index instead.
                var owner = await db.UserNumberOf(userId).FirstOrDefaultAsync(cancellationToken);
                var byId = (await db.Samples.AsNoTracking().Where(s => EF.Constant(ids).Contains(s.Id)).ToListAsync(cancellationToken))
                    .Where(s => s.UserNumber == owner).ToDictionary(s => s.Id);
                return Page([.. ids.Where(byId.ContainsKey).Select(id => byId[id])], pageSize, user, matching);
            }

            // Many rows (synced heart rate): they are dense in time, so walking the time index and skipping the other
            // sources finds a page at once. Naming the sources left out (not an index seek) keeps SQLite on that walk
            // rather than sorting millions of rows found through the source index.
            var others = Enum.GetValues<SampleSource>().Except(sources).ToArray();
            ordered = all.Where(s => !EF.Constant(others).Contains(s.Source));
        }

        if (query.After is { } cursor)
        {
            var (at, id) = (DateTime.SpecifyKind(cursor.StartUtc, DateTimeKind.Utc), cursor.Id);
            ordered = query.OldestFirst
                // The bound on the time alone is what SQLite seeks the index with; the rest breaks ties within one instant.
                ? ordered.Where(s => s.StartUtc >= at && (s.StartUtc > at || s.Id > id))
                : ordered.Where(s => s.StartUtc <= at && (s.StartUtc < at || s.Id < id));
        }

        if (metric is null)
        {
            ordered = SeriesRows.InTimeOrder(ordered, series);
        }

        ordered = query.OldestFirst
            ? ordered.OrderBy(s => s.StartUtc).ThenBy(s => s.Id)
            : ordered.OrderByDescending(s => s.StartUtc).ThenByDescending(s => s.Id);
        return Page(await ordered.Take(pageSize + 1).ToListAsync(cancellationToken), pageSize, user, matching);
    }

    private static readonly Comparer<HistoryCursor> KeyOrder = Comparer<HistoryCursor>.Create(Compare);

    private static int Compare(HistoryCursor a, HistoryCursor b) =>
        a.StartUtc != b.StartUtc ? a.StartUtc.CompareTo(b.StartUtc) : a.Id.CompareTo(b.Id);

    /// <summary>The first <paramref name="pageSize"/> of <paramref name="rows"/> (read one more to know whether a next page exists).</summary>
    private static HistoryPage Page(List<Sample> rows, int pageSize, UserClock user, int matching)
    {
        var shown = rows.Take(pageSize).Select(s => MeasurementService.ToRow(s, user.UnitSystem, user.Zone)).ToList();
        var next = rows.Count > pageSize ? new HistoryCursor(DateTime.SpecifyKind(rows[pageSize - 1].StartUtc, DateTimeKind.Utc), rows[pageSize - 1].Id) : null;
        return new HistoryPage(shown, next, Math.Min(matching, CountLimit), matching > CountLimit);
    }

    /// <summary>The sources that report a metric (found by seeking each source, not by reading the samples) and the days each won in the range.</summary>
    public async Task<IReadOnlyList<MetricSource>> SourcesAsync(string userId, string metricCode, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var metric = MetricCatalogue.Find(metricCode);
        if (metric is null)
        {
            return [];
        }

        var won = await db.DailyValues.AsNoTracking()
            .Where(d => d.UserId == userId && d.MetricCode == metric.Code && d.LocalDate >= from && d.LocalDate <= to)
            .GroupBy(d => d.Source)
            .Select(g => new { Source = g.Key, Days = g.Count() })
            .ToDictionaryAsync(g => g.Source, g => g.Days, cancellationToken);
        var result = new List<MetricSource>();
        foreach (var source in Enum.GetValues<SampleSource>())
        {
            var stored = SeriesRows.IsSeries(metric.Code, source) ? db.SamplesOf(userId).Series() : db.SamplesOf(userId).Others().Where(s => s.MetricCode == metric.Code && s.Source == source);
            if (won.TryGetValue(source, out var days) || await stored.AnyAsync(cancellationToken))
            {
                result.Add(new MetricSource(source, days));
            }
        }

        return [.. result.OrderByDescending(s => s.DaysWon)];
    }

    /// <summary>Deletes the user's typed-in and imported measurements among <paramref name="ids"/>; synced ones are left (exclude them instead).</summary>
    /// <returns>How many were deleted.</returns>
    public async Task<int> DeleteAsync(string userId, IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default) =>
        ids.Count == 0 ? 0 : await AuditedAsync(db, audit, Audit.AuditKind.MeasurementsDeleted, userId, ids, EditableSources,
            () => store.DeleteByIdsAsync(userId, ids, EditableSources, cancellationToken), cancellationToken);

    /// <summary>Leaves the user's measurements among <paramref name="ids"/> out of their days' values, or takes them back in.</summary>
    /// <returns>How many changed.</returns>
    public async Task<int> SetExcludedAsync(string userId, IReadOnlyCollection<long> ids, bool excluded, CancellationToken cancellationToken = default) =>
        ids.Count == 0 ? 0 : await AuditedAsync(db, audit, excluded ? Audit.AuditKind.MeasurementsExcluded : Audit.AuditKind.MeasurementsIncluded, userId, ids, null,
            () => store.SetExcludedAsync(userId, ids, excluded, cancellationToken), cancellationToken);

    /// <summary>
    /// Runs a change to some of the user's measurements and, when it changed any, records it in the audit log: how many
    /// and of which metrics (read before the change, among <paramref name="sources"/> when given), never a value.
    /// </summary>
    internal static async Task<int> AuditedAsync(
        LifeOsDbContext db, Audit.AuditLog audit, Audit.AuditKind kind, string userId, IReadOnlyCollection<long> ids, IReadOnlyCollection<SampleSource>? sources,
        Func<Task<int>> change, CancellationToken cancellationToken)
    {
        var (idList, sourceList) = (ids.ToArray(), (sources ?? Enum.GetValues<SampleSource>()).ToArray());
        var metrics = await db.SamplesOf(userId).AsNoTracking()
            .Where(s => EF.Constant(idList).Contains(s.Id) && EF.Constant(sourceList).Contains(s.Source))
            .Select(s => s.MetricCode).Distinct().OrderBy(c => c).Take(10).ToListAsync(cancellationToken);
        var changed = await change();
        if (changed > 0)
        {
            await audit.RecordAsync(kind, userId, string.Create(CultureInfo.InvariantCulture, $"{changed} measurement{(changed == 1 ? "" : "s")}: {string.Join(", ", metrics)}"), actorUserId: userId);
        }

        return changed;
    }

    private static DateTime ToUtc(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return zone.IsInvalidTime(local) ? TimeZoneInfo.ConvertTimeToUtc(local.AddHours(1), zone) : TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
