using System.Data.Common;
using System.Globalization;
using LifeOs.Core.Data;
using LifeOs.Core.Data.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace LifeOs.Core.Health;

/// <summary>A value to write, in the metric's canonical unit. LocalDate null: derived from the user's time zone and day start.</summary>
public sealed record SampleInput(
    string MetricCode,
    SampleSource Source,
    string SourceRecordId,
    DateTime StartUtc,
    double Value,
    DateTime? EndUtc = null,
    DateOnly? LocalDate = null,
    long? ImportBatchId = null);

public sealed record UpsertResult(int Inserted, int Updated, int Unchanged, int Rejected, int DaysRecomputed);

/// <summary>
/// The one write path every source uses. Samples are upserted by (user, metric, source, source record id),
/// so writing the same records again changes nothing; the daily values of exactly the days whose samples
/// changed are recomputed in the same transaction.
/// </summary>
/// <remarks>
/// Written with prepared SQLite commands rather than tracked entities: a sync or an import writes up to
/// millions of rows, and change tracking would cost several times the insert itself. The values written are the ones
/// the model's converters store (<see cref="Data.Configurations.SampleConfiguration"/>: the owner's number, the metric's
/// number, seconds and day numbers), so EF reads these rows like its own.
/// </remarks>
public sealed class HealthStore(LifeOsDbContext db, TimeProvider time, SourcePriorityService priorities)
{
    private const string DateFormat = "yyyy-MM-dd";

    /// <summary>
    /// From this many rows a batch is bulk (an import, a backfill, a first sync of minute heart rate): its commit leaves the
    /// SQLite log to <see cref="SqliteCheckpointer"/> instead of checkpointing it itself.
    /// </summary>
    /// <remarks>
    /// A commit that finds the log past 1,000 pages copies it into the file and syncs both, there and then. A million-sample
    /// ingest in batches of 10,000 did that every third batch: a second of its 8.4 s, and the ratio to one plain INSERT
    /// (which checkpoints once) 0.835; leaving it to the checkpointer, which folds the log in every second beside the
    /// writer, cut the commits to 0.3 s and the ratio to 0.885 (2026-12-02). Small writes keep SQLite's default, so the log
    /// stays bounded wherever no checkpointer runs (the command-line tools).
    /// </remarks>
    internal const int BulkRows = 1_000;

    private const int SqliteDefaultAutoCheckpoint = 1_000;

    /// <summary>SQLite's automatic checkpoint bound for this context's (open) connection, in pages; 0 turns it off.</summary>
    private async Task SetAutoCheckpointAsync(int pages, CancellationToken cancellationToken)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA wal_autocheckpoint = {pages};");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<UpsertResult> UpsertSamplesAsync(string userId, IReadOnlyList<SampleInput> inputs, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;

        // Last write wins within one batch for a repeated record id.
        var rejected = 0;
        var latest = new Dictionary<(string Metric, SampleSource Source, string RecordId), SampleInput>(inputs.Count);
        foreach (var input in inputs)
        {
            var metric = MetricCatalogue.Find(input.MetricCode);
            if (metric is null || !metric.IsValid(input.Value) || string.IsNullOrWhiteSpace(input.SourceRecordId)
                || !SeriesRows.IsValidRecordId(metric.Code, input.Source, input.SourceRecordId)
                || (input.LocalDate is { } day && !LocalDay.FitsSampleStart(day, input.StartUtc)))
            {
                rejected++;
                continue;
            }

            latest[(metric.Code, input.Source, input.SourceRecordId)] = input;
        }

        int inserted, updated;
        var touched = new HashSet<(string Metric, DateOnly Day)>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        var bulk = latest.Count >= BulkRows && db.Database.IsSqlite();
        try
        {
            if (bulk)
            {
                await SetAutoCheckpointAsync(0, cancellationToken);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var days = await DaysOfAsync(userId, cancellationToken);
            var dbTransaction = transaction.GetDbTransaction();
            var number = latest.Count == 0 ? 0 : await NumberAsync(userId, cancellationToken);
            (inserted, updated) = dbTransaction is NpgsqlTransaction pg
                ? await PostgresHealthSql.UpsertAsync(pg.Connection!, pg, number, now, latest, input => DayOf(input, days), touched, cancellationToken)
                : UpsertSqlite(dbTransaction, number, CompactTime.ToSeconds(now), latest, days, touched, cancellationToken);
            await RecomputeAsync(userId, touched, dbTransaction, cancellationToken, number);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            if (bulk)
            {
                await SetAutoCheckpointAsync(SqliteDefaultAutoCheckpoint, CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }

        return new UpsertResult(inserted, updated, latest.Count - inserted - updated, rejected, touched.Count);
    }

    /// <summary>SQLite's upsert: prepared single-row commands, which in-process SQLite runs faster than any set-based form.</summary>
    private static (int Inserted, int Updated) UpsertSqlite(
        DbTransaction dbTransaction, int userNumber, long now, Dictionary<(string Metric, SampleSource Source, string RecordId), SampleInput> latest,
        LocalDay.ForZone days, HashSet<(string Metric, DateOnly Day)> touched, CancellationToken cancellationToken)
    {
        int inserted = 0, updated = 0;
        var connection = dbTransaction.Connection!;
        // What is the same on every row is written into the statement as a literal: the owner and the time written always,
        // and what a call's rows nearly always share (a sync's batch is one metric of one source; one import batch or none;
        // no end, as instants have; the day worked out, or all given). Microsoft.Data.Sqlite binds every parameter on every
        // execution: seven fewer per row took the million-sample ingest's loop from 4.1 s to under a plain INSERT's 3.4 s
        // (2026-12-02).
        var metricSql = SameOnEveryRow(latest.Keys.Select(k => k.Metric), m => Literal(MetricCatalogue.StoredNumber(m)), "$metric");
        var sourceSql = SameOnEveryRow(latest.Keys.Select(k => k.Source), s => Literal((int)s), "$source");
        var endSql = SameOnEveryRow(latest.Values.Select(i => i.EndUtc), e => e is { } v ? Literal(Seconds(v)) : "NULL", "$end");
        var givenSql = SameOnEveryRow(latest.Values.Select(i => i.LocalDate is not null), g => g ? "1" : "0", "$given");
        var batchSql = SameOnEveryRow(latest.Values.Select(i => i.ImportBatchId), b => b is { } v ? Literal(v) : "NULL", "$batch");
        string[] perRow = ["$record", "$start", "$day", "$value", .. new[] { metricSql, sourceSql, endSql, givenSql, batchSql }.Where(c => c.StartsWith('$'))];
        using var insert = Command(connection, dbTransaction, $$"""
            INSERT INTO Samples (UserNumber, Metric, Source, SourceRecordId, StartUtc, EndUtc, LocalDate, DayFromSource, Value, UpdatedAt, ImportBatchId)
            VALUES ({{Literal(userNumber)}}, {{metricSql}}, {{sourceSql}}, $record, $start, {{endSql}}, $day, {{givenSql}}, $value, {{Literal(now)}}, {{batchSql}})
            ON CONFLICT (UserNumber, Metric, Source, SourceRecordId) WHERE {{SeriesRows.IndexFilter}} DO NOTHING
            """, perRow);
        // The partial unique key's condition, word for word, so SQLite seeks it.
        using var select = Command(connection, dbTransaction, $$"""
            SELECT Id, StartUtc, EndUtc, LocalDate, Value, DayFromSource FROM Samples
            WHERE UserNumber = $user AND Metric = $metric AND Source = $source AND SourceRecordId = $record AND ({{SeriesRows.IndexFilter}})
            """, "$user", "$metric", "$source", "$record");
        // A series reading (Oura's heart rate, in no unique key: SeriesRows) is the one at its instant with its record id.
        using var selectSeries = Command(connection, dbTransaction, $$"""
            SELECT Id, StartUtc, EndUtc, LocalDate, Value, DayFromSource FROM Samples
            WHERE UserNumber = $user AND Metric = {{SeriesRows.MetricNumber}} AND StartUtc = $start AND Source = {{SeriesRows.SourceNumber}} AND SourceRecordId = $record
            """, "$user", "$start", "$record");
        selectSeries.Parameters["$user"].Value = userNumber;
        var (sSeriesStart, sSeriesRecord) = (selectSeries.Parameters["$start"], selectSeries.Parameters["$record"]);

        // Whether any series reading is stored yet in the batch's span: a first sync of years of minute heart rate (or any
        // batch past what is stored) then inserts without looking each reading up.
        var seriesStored = false;
        var seriesStarts = latest.Where(p => SeriesRows.IsSeries(p.Key.Metric, p.Key.Source)).Select(p => p.Value.StartUtc).ToList();
        if (seriesStarts.Count > 0)
        {
            using var any = Command(connection, dbTransaction, $$"""
                SELECT EXISTS (SELECT 1 FROM Samples WHERE UserNumber = $user AND Metric = {{SeriesRows.MetricNumber}} AND StartUtc BETWEEN $from AND $to AND Source = {{SeriesRows.SourceNumber}})
                """, "$user", "$from", "$to");
            (any.Parameters["$user"].Value, any.Parameters["$from"].Value, any.Parameters["$to"].Value) = (userNumber, Seconds(seriesStarts.Min()), Seconds(seriesStarts.Max()));
            seriesStored = Convert.ToInt64(any.ExecuteScalar(), CultureInfo.InvariantCulture) != 0;
        }

        using var update = Command(connection, dbTransaction, """
            UPDATE Samples SET StartUtc = $start, EndUtc = $end, LocalDate = $day, DayFromSource = $given, Value = $value, UpdatedAt = $now WHERE Id = $id
            """, "$start", "$end", "$day", "$given", "$value", "$now", "$id");
        select.Parameters["$user"].Value = userNumber;
        update.Parameters["$now"].Value = now;

        // Each row's parameters, looked up once: not by name per row through a params array of boxed tuples (the
        // million-sample ingest's ratio to a plain INSERT measured 0.827 and 0.878 with this, 0.795 without, 2026-12-02).
        var iMetric = ParameterOrNull(insert, "$metric");
        var iSource = ParameterOrNull(insert, "$source");
        var iRecord = insert.Parameters["$record"];
        var iStart = insert.Parameters["$start"];
        var iEnd = ParameterOrNull(insert, "$end");
        var iDay = insert.Parameters["$day"];
        var iGiven = ParameterOrNull(insert, "$given");
        var iValue = insert.Parameters["$value"];
        var iBatch = ParameterOrNull(insert, "$batch");
        var (sMetric, sSource, sRecord) = (select.Parameters["$metric"], select.Parameters["$source"], select.Parameters["$record"]);
        var uStart = update.Parameters["$start"];
        var uEnd = update.Parameters["$end"];
        var uDay = update.Parameters["$day"];
        var uGiven = update.Parameters["$given"];
        var uValue = update.Parameters["$value"];
        var uId = update.Parameters["$id"];

        // Rows come in runs of one metric and day (a sync's minutes): the metric's number and the touched day are looked up
        // and added when they change, not hashed again for every row.
        (string Metric, int Number) lastMetric = ("", 0);
        (string Metric, DateOnly Day) lastTouched = ("", default);

        void Inserted(string metric, DateOnly day)
        {
            inserted++;
            if (day != lastTouched.Day || !ReferenceEquals(metric, lastTouched.Metric))
            {
                lastTouched = (metric, day);
                touched.Add(lastTouched);
            }
        }

        // Microsoft.Data.Sqlite runs every call synchronously; the async overloads would only add
        // a Task per row to a loop that can run a million times.
        foreach (var ((metric, source, recordId), input) in latest)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = Seconds(input.StartUtc);
            long? end = input.EndUtc is { } e ? Seconds(e) : null;
            var day = DayOf(input, days);
            var dayNumber = CompactTime.ToDayNumber(day);
            var given = input.LocalDate is not null;
            if (!ReferenceEquals(metric, lastMetric.Metric))
            {
                lastMetric = (metric, MetricCatalogue.StoredNumber(metric));
            }

            var metricNumber = lastMetric.Number;
            var sourceNumber = (int)source;

            if (iMetric is not null)
            {
                iMetric.Value = metricNumber;
            }

            if (iSource is not null)
            {
                iSource.Value = sourceNumber;
            }

            // A series reading's record id without the instant its start holds (SeriesRows.Stored).
            var series = SeriesRows.IsSeries(metric, source);
            var storedId = series ? SeriesRows.Stored(recordId, start) : recordId;
            iRecord.Value = storedId;
            iStart.Value = start;
            if (iEnd is not null)
            {
                iEnd.Value = end is { } endValue ? endValue : DBNull.Value;
            }

            iDay.Value = dayNumber;
            if (iGiven is not null)
            {
                iGiven.Value = given ? BoxedTrue : BoxedFalse;
            }

            iValue.Value = input.Value;
            if (iBatch is not null)
            {
                iBatch.Value = input.ImportBatchId is { } batch ? batch : DBNull.Value;
            }

            DbCommand? stored = null;
            if (series && seriesStored)
            {
                (sSeriesStart.Value, sSeriesRecord.Value) = (start, storedId);
                stored = selectSeries;
            }

            // Inserted unless the unique key holds the record already (a series reading, in no unique key, only when none is
            // stored in the batch's span); otherwise looked up below.
            if (stored is null && insert.ExecuteNonQuery() == 1)
            {
                Inserted(metric, day);
                continue;
            }

            if (stored is null)
            {
                (sMetric.Value, sSource.Value, sRecord.Value) = (metricNumber, sourceNumber, recordId);
                stored = select;
            }

            long id;
            bool same, sameGiven;
            DateOnly oldDay;
            using (var reader = stored.ExecuteReader())
            {
                if (!reader.Read())
                {
                    // A series reading not stored at its instant: new.
                    reader.Close();
                    insert.ExecuteNonQuery();
                    Inserted(metric, day);
                    continue;
                }

                id = reader.GetInt64(0);
                oldDay = CompactTime.FromDayNumber(reader.GetInt32(3));
                same = reader.GetInt64(1) == start
                    && (reader.IsDBNull(2) ? end is null : reader.GetInt64(2) == end)
                    && oldDay == day
                    && reader.GetDouble(4).Equals(input.Value);
                sameGiven = reader.GetBoolean(5) == given;
            }

            if (same && sameGiven)
            {
                continue;
            }

            uStart.Value = start;
            uEnd.Value = end is { } endNow ? endNow : DBNull.Value;
            uDay.Value = dayNumber;
            uGiven.Value = given ? BoxedTrue : BoxedFalse;
            uValue.Value = input.Value;
            uId.Value = id;
            update.ExecuteNonQuery();
            updated++;
            if (!same)
            {
                // The record may have moved to another day: both days change. (When only whether the
                // source gave the day changed, no value did.)
                touched.Add((metric, oldDay));
                touched.Add((metric, day));
            }
        }

        return (inserted, updated);
    }

    /// <summary>
    /// Puts every sample whose day LifeOs worked out (rather than its source) on the day it falls in under
    /// the user's current time zone and day start, and recomputes the days that lost or gained a sample.
    /// Runs inside the caller's transaction when there is one, so a settings change and its re-dating
    /// land together.
    /// </summary>
    /// <returns>How many samples moved to another day.</returns>
    public async Task<int> RedateAsync(string userId, CancellationToken cancellationToken = default) =>
        (await RedateChunkAsync(userId, afterId: 0, limit: int.MaxValue, cancellationToken)).Moved;

    /// <summary>
    /// <see cref="RedateAsync"/> for the next <paramref name="limit"/> samples after <paramref name="afterId"/>, in one
    /// short transaction (background re-dating of years of data). Any order of chunks ends right: a sample that
    /// moves marks both its days, and each is recomputed after the move.
    /// </summary>
    /// <returns>The last sample id read (the next chunk's start), how many were read and how many moved.</returns>
    public async Task<(long LastId, int Read, int Moved)> RedateChunkAsync(string userId, long afterId, int limit, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            var days = await DaysOfAsync(userId, cancellationToken);
            var transaction = db.Database.CurrentTransaction!.GetDbTransaction();
            var connection = db.Database.GetDbConnection();
            var moves = new List<(long Id, DateOnly Day)>();
            var touched = new HashSet<(string Metric, DateOnly Day)>();
            var (lastId, read) = (afterId, 0);
            var pg = transaction as NpgsqlTransaction;
            var number = await NumberAsync(userId, cancellationToken, create: false);
            using (var select = Command(connection, transaction, pg is null
                // "+UserNumber": not through an index of the owner (which would sort all of the user's samples for every
                // chunk) but along the table from the last id read.
                ? "SELECT Id, Metric, StartUtc, LocalDate FROM Samples WHERE +UserNumber = @user AND DayFromSource = 0 AND Id > @after ORDER BY Id LIMIT @limit"
                : "SELECT \"Id\", \"Metric\", \"StartUtc\", \"LocalDate\" FROM \"Samples\" WHERE \"UserNumber\" = @user AND NOT \"DayFromSource\" AND \"Id\" > @after ORDER BY \"Id\" LIMIT @limit",
                "@user", "@after", "@limit"))
            {
                Set(select, ("@user", number), ("@after", afterId), ("@limit", limit));
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (lastId, read) = (reader.GetInt64(0), read + 1);
                    var day = days.Of(pg is null ? CompactTime.FromSeconds(reader.GetInt64(2)) : reader.GetDateTime(2));
                    var oldDay = pg is null ? CompactTime.FromDayNumber(reader.GetInt32(3)) : reader.GetFieldValue<DateOnly>(3);
                    if (day != oldDay)
                    {
                        var metric = MetricCatalogue.StoredCode(reader.GetInt32(1));
                        moves.Add((reader.GetInt64(0), day));
                        touched.Add((metric, oldDay));
                        touched.Add((metric, day));
                    }
                }
            }

            if (pg is not null)
            {
                await PostgresHealthSql.MoveAsync(pg.Connection!, pg, moves, cancellationToken);
            }
            else
            {
                using var update = Command(connection, transaction, "UPDATE Samples SET LocalDate = $day WHERE Id = $id", "$day", "$id");
                var (uDay, uId) = (update.Parameters["$day"], update.Parameters["$id"]);
                foreach (var (id, day) in moves)
                {
                    (uDay.Value, uId.Value) = (CompactTime.ToDayNumber(day), id);
                    update.ExecuteNonQuery();
                }
            }

            await RecomputeAsync(userId, touched, transaction, cancellationToken, number);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return (lastId, read, moves.Count);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Removes samples by their source's record ids (a provider deleted them) and recomputes their days.</summary>
    /// <remarks>
    /// Oura's heart rate is in no record-id index (<see cref="SeriesRows"/>): for Oura, its readings with these ids are
    /// looked for through their instants, which Oura's heart-rate record ids begin with (no sync deletes any today), under
    /// the ids as given and as SQLite stores them (<see cref="SeriesRows.Stored"/>), in the same transaction as the rest.
    /// </remarks>
    public async Task<int> DeleteSamplesAsync(string userId, SampleSource source, IReadOnlyCollection<string> sourceRecordIds, CancellationToken cancellationToken = default)
    {
        var others = db.SamplesOf(userId).Others().Where(s => s.Source == source && sourceRecordIds.Contains(s.SourceRecordId));
        var series = source == SampleSource.Oura
            ? sourceRecordIds.Select(id => (Id: id, Start: SeriesRows.StartOf(id))).Where(r => r.Start is not null).ToList()
            : [];
        if (series.Count == 0)
        {
            return await DeleteAndRecomputeAsync(userId, others, cancellationToken);
        }

        var starts = series.Select(r => r.Start!.Value).Distinct().ToList();
        var forms = series.SelectMany(r => new[] { r.Id, SeriesRows.Stored(r.Id, CompactTime.ToSeconds(r.Start!.Value)) }).Distinct().ToList();
        return await DeleteAndRecomputeAsync(userId, [others, db.SamplesOf(userId).Series().Where(s => starts.Contains(s.StartUtc) && forms.Contains(s.SourceRecordId))], cancellationToken);
    }

    /// <summary>Removes the user's samples with these ids (the measurement history's delete) and recomputes their days.</summary>
    /// <returns>How many were deleted: ids of someone else's samples, or of sources that cannot be deleted, are left alone.</returns>
    /// <remarks>
    /// The ids and sources are inlined as constants: given as a JSON parameter, SQLite walked all of the user's samples
    /// (seconds for years of heart rate) instead of looking a few rows up by primary key.
    /// </remarks>
    public async Task<int> DeleteByIdsAsync(string userId, IReadOnlyCollection<long> ids, IReadOnlyCollection<SampleSource> sources, CancellationToken cancellationToken = default)
    {
        var (idList, sourceList) = (ids.ToArray(), sources.ToArray());
        return await DeleteAndRecomputeAsync(userId, db.SamplesOf(userId).Where(s => EF.Constant(idList).Contains(s.Id) && EF.Constant(sourceList).Contains(s.Source)), cancellationToken);
    }

    /// <summary>Excludes the user's samples with these ids from their days' values, or includes them again, and recomputes those days.</summary>
    /// <returns>How many changed.</returns>
    public async Task<int> SetExcludedAsync(string userId, IReadOnlyCollection<long> ids, bool excluded, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            // Inlined ids: looked up by primary key (see DeleteByIdsAsync).
            var idList = ids.ToArray();
            var changing = db.SamplesOf(userId).Where(s => EF.Constant(idList).Contains(s.Id) && s.Excluded != excluded);
            var days = await changing.Select(s => new { s.MetricCode, s.LocalDate }).Distinct().ToListAsync(cancellationToken);
            var changed = await changing.ExecuteUpdateAsync(u => u.SetProperty(s => s.Excluded, excluded), cancellationToken);
            await RecomputeAsync(userId, days.Select(d => (d.MetricCode, d.LocalDate)).ToHashSet(), transaction.GetDbTransaction(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return changed;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Removes everything one source wrote for the user (a disconnect with "also delete data").</summary>
    public async Task<int> DeleteSourceAsync(string userId, SampleSource source, CancellationToken cancellationToken = default) =>
        await DeleteAndRecomputeAsync(userId, db.SamplesOf(userId).Where(s => s.Source == source), cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of what a source wrote up to <paramref name="writtenBy"/> (what it writes
    /// after a reconnect stays), and recomputes their days, in one short transaction.
    /// </summary>
    /// <returns>How many were deleted: fewer than the limit means none are left.</returns>
    public Task<int> DeleteSourceChunkAsync(string userId, SampleSource source, DateTime writtenBy, int limit, CancellationToken cancellationToken = default) =>
        DeleteChunkAsync(userId, db.SamplesOf(userId).Where(s => s.Source == source && s.UpdatedAt <= writtenBy), limit, cancellationToken);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> of the samples one import inserted, and recomputes their days, in one short
    /// transaction (undoing an import).
    /// </summary>
    /// <returns>How many were deleted: fewer than the limit means none are left.</returns>
    public Task<int> DeleteImportBatchChunkAsync(string userId, long batchId, int limit, CancellationToken cancellationToken = default) =>
        DeleteChunkAsync(userId, db.SamplesOf(userId).Where(s => s.ImportBatchId == batchId), limit, cancellationToken);

    /// <summary>The first <paramref name="limit"/> of <paramref name="matching"/> by id, deleted with their days recomputed in one short transaction.</summary>
    private async Task<int> DeleteChunkAsync(string userId, IQueryable<Sample> matching, int limit, CancellationToken cancellationToken)
    {
        var ids = matching.OrderBy(s => s.Id).Select(s => s.Id).Take(limit);
        return await DeleteAndRecomputeAsync(userId, db.Samples.Where(s => ids.Contains(s.Id)), cancellationToken);
    }

    /// <summary>Whether at most <paramref name="limit"/> of the user's samples match: is work on them small enough to do now?</summary>
    public async Task<bool> HasAtMostAsync(string userId, SampleSource? source, bool onlyDatedByLifeOs, int limit, CancellationToken cancellationToken = default) =>
        await CountUpToAsync(userId, source, onlyDatedByLifeOs, limit + 1, cancellationToken) <= limit;

    /// <summary>How many of the user's samples match, counting no further than <paramref name="atMost"/>.</summary>
    public async Task<int> CountUpToAsync(string userId, SampleSource? source, bool onlyDatedByLifeOs, int atMost, CancellationToken cancellationToken = default) =>
        await db.SamplesOf(userId).Where(s => (source == null || s.Source == source) && (!onlyDatedByLifeOs || !s.DayFromSource))
            .Take(atMost).CountAsync(cancellationToken);

    /// <summary>Moves a source up or down for a group of metrics and recomputes every day of those metrics.</summary>
    /// <returns>False when the move changes nothing.</returns>
    public async Task<bool> MoveSourceAsync(string userId, MetricGroup group, SampleSource source, int direction, CancellationToken cancellationToken = default)
    {
        if (await priorities.MoveAsync(userId, group, source, direction, cancellationToken) is null)
        {
            return false;
        }

        await RecomputeAllAsync(userId, MetricCatalogue.All.Where(m => m.Group == group).Select(m => m.Code).ToList(), cancellationToken);
        return true;
    }

    /// <summary>Puts a group back on the default order and recomputes its metrics.</summary>
    public Task ResetSourcesAsync(string userId, MetricGroup group, CancellationToken cancellationToken = default) =>
        SetSourcesAsync(userId, group, order: null, cancellationToken);

    /// <summary>Puts a group on <paramref name="order"/> (null: the default), as a restore does, and recomputes its metrics when that changed the order.</summary>
    public async Task SetSourcesAsync(string userId, MetricGroup group, IReadOnlyList<SampleSource>? order, CancellationToken cancellationToken = default)
    {
        if (order is null ? await priorities.ResetAsync(userId, group, cancellationToken) : await priorities.SetAsync(userId, group, order, cancellationToken))
        {
            await RecomputeAllAsync(userId, MetricCatalogue.All.Where(m => m.Group == group).Select(m => m.Code).ToList(), cancellationToken);
        }
    }

    /// <summary>Recomputes every day of the given metrics, e.g. after the user reorders their sources.</summary>
    public async Task RecomputeAllAsync(string userId, IReadOnlyCollection<string> metricCodes, CancellationToken cancellationToken = default)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var days = await db.SamplesOf(userId).Where(s => metricCodes.Contains(s.MetricCode))
                .Select(s => new { s.MetricCode, s.LocalDate })
                .Distinct()
                .ToListAsync(cancellationToken);
            await RecomputeAsync(userId, days.Select(d => (d.MetricCode, d.LocalDate)).ToHashSet(), transaction.GetDbTransaction(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Daily values of several metrics over a range, oldest first, read without change tracking or entity
    /// materialisation (the dashboard reads years): on SQLite one covering-index scan per metric, on PostgreSQL
    /// all metrics in one statement (<see cref="PostgresHealthSql.ReadDailyAsync"/>), a round trip instead of one per metric.
    /// </summary>
    public async Task<Dictionary<string, List<(DateOnly Day, double Value)>>> ReadDailyAsync(
        string userId, IReadOnlyCollection<string> metricCodes, DateOnly from, DateOnly to, CancellationToken cancellationToken = default)
    {
        var result = metricCodes.Distinct().ToDictionary(code => code, _ => new List<(DateOnly, double)>(), StringComparer.Ordinal);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            if (db.Database.GetDbConnection() is NpgsqlConnection connection)
            {
                await PostgresHealthSql.ReadDailyAsync(connection, userId, result, from, to, cancellationToken);
                return result;
            }

            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = """
                SELECT "LocalDate", "Value" FROM "DailyValues" WHERE "UserId" = @user AND "MetricCode" = @metric AND "LocalDate" BETWEEN @from AND @to ORDER BY "LocalDate"
                """;
            foreach (var (name, value) in new (string, object)[]
            {
                ("@user", userId), ("@metric", ""),
                ("@from", from.ToString(DateFormat, CultureInfo.InvariantCulture)), ("@to", to.ToString(DateFormat, CultureInfo.InvariantCulture)),
            })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            foreach (var (code, list) in result)
            {
                command.Parameters["@metric"].Value = code;
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (reader.Read())
                {
                    list.Add((ParseDay(reader.GetString(0)), reader.GetDouble(1)));
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        return result;
    }

    public async Task<IReadOnlyList<DailyValue>> GetDailyValuesAsync(string userId, string metricCode, DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        await db.Set<DailyValue>().AsNoTracking()
            .Where(d => d.UserId == userId && d.MetricCode == metricCode && d.LocalDate >= from && d.LocalDate <= to)
            .OrderBy(d => d.LocalDate)
            .ToListAsync(cancellationToken);

    /// <summary>Deletes and recomputes in the caller's transaction when there is one (a disconnect and its data go together).</summary>
    private Task<int> DeleteAndRecomputeAsync(string userId, IQueryable<Sample> doomed, CancellationToken cancellationToken) =>
        DeleteAndRecomputeAsync(userId, [doomed], cancellationToken);

    /// <summary>Deletes what each query finds, in one transaction, and recomputes the days they held once.</summary>
    private async Task<int> DeleteAndRecomputeAsync(string userId, IReadOnlyList<IQueryable<Sample>> doomed, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            var days = new HashSet<(string, DateOnly)>();
            var deleted = 0;
            foreach (var query in doomed)
            {
                days.UnionWith((await query.Select(s => new { s.MetricCode, s.LocalDate }).Distinct().ToListAsync(cancellationToken)).Select(d => (d.MetricCode, d.LocalDate)));
                deleted += await query.ExecuteDeleteAsync(cancellationToken);
            }

            await RecomputeAsync(userId, days, db.Database.CurrentTransaction!.GetDbTransaction(), cancellationToken);
            if (own is not null)
            {
                await own.CommitAsync(cancellationToken);
            }

            return deleted;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Aggregates each touched day per source in SQL, then keeps the highest-priority source's value.
    /// One grouped query per metric over the touched date range, so recomputing years of minute-level
    /// heart rate never loads the samples themselves.
    /// </summary>
    /// <param name="userNumber">The user's number when the caller has it already (the upsert and re-dating do); otherwise looked up.</param>
    private async Task RecomputeAsync(
        string userId, HashSet<(string Metric, DateOnly Day)> days, DbTransaction transaction, CancellationToken cancellationToken, int? userNumber = null)
    {
        if (days.Count == 0)
        {
            return;
        }

        var order = await priorities.GetOrderAsync(userId, cancellationToken);
        var number = userNumber ?? await NumberAsync(userId, cancellationToken, create: false);
        if (transaction is NpgsqlTransaction pg)
        {
            foreach (var byMetric in days.GroupBy(d => d.Metric))
            {
                var metric = MetricCatalogue.Get(byMetric.Key);
                await PostgresHealthSql.RecomputeAsync(pg.Connection!, pg, userId, number, metric, order(metric), byMetric.Select(d => d.Day).ToHashSet(), cancellationToken);
            }

            return;
        }

        var connection = transaction.Connection!;
        using var upsert = Command(connection, transaction, """
            INSERT INTO DailyValues (UserId, MetricCode, LocalDate, Value, Source, SampleCount)
            VALUES ($user, $metric, $day, $value, $source, $count)
            ON CONFLICT (UserId, MetricCode, LocalDate) DO UPDATE SET Value = excluded.Value, Source = excluded.Source, SampleCount = excluded.SampleCount
            """, "$user", "$metric", "$day", "$value", "$source", "$count");
        using var delete = Command(connection, transaction,
            "DELETE FROM DailyValues WHERE UserId = $user AND MetricCode = $metric AND LocalDate = $day", "$user", "$metric", "$day");
        upsert.Parameters["$user"].Value = userId;
        delete.Parameters["$user"].Value = userId;

        foreach (var byMetric in days.GroupBy(d => d.Metric))
        {
            var metric = MetricCatalogue.Get(byMetric.Key);
            var dates = byMetric.Select(d => d.Day).ToHashSet();
            // "last": SQLite takes the bare Value from the row holding max(StartUtc).
            var aggregate = metric.Aggregation switch
            {
                Aggregation.Sum => "SUM(Value)",
                Aggregation.Mean => "AVG(Value)",
                Aggregation.Min => "MIN(Value)",
                Aggregation.Max => "MAX(Value)",
                _ => "Value, MAX(StartUtc)",
            };
            using var group = Command(connection, transaction, $"""
                SELECT LocalDate, Source, COUNT(*), {aggregate} FROM Samples
                WHERE UserNumber = $user AND Metric = $metric AND StartUtc >= $first AND StartUtc < $end
                    AND LocalDate BETWEEN $from AND $to AND Excluded = 0
                GROUP BY LocalDate, Source
                """, "$user", "$metric", "$first", "$end", "$from", "$to");
            var (from, to) = (dates.Min(), dates.Max());
            var (first, end) = LocalDay.SampleStarts(from, to);
            Set(group, ("$user", number), ("$metric", MetricCatalogue.StoredNumber(metric.Code)),
                ("$first", CompactTime.ToSeconds(first)), ("$end", CompactTime.ToSeconds(end)),
                ("$from", CompactTime.ToDayNumber(from)), ("$to", CompactTime.ToDayNumber(to)));

            var perDay = new Dictionary<DateOnly, List<(SampleSource Source, int Count, double Value)>>();
            using (var reader = await group.ExecuteReaderAsync(cancellationToken))
            {
                while (reader.Read())
                {
                    var day = CompactTime.FromDayNumber(reader.GetInt32(0));
                    if (!dates.Contains(day))
                    {
                        continue;
                    }

                    if (!perDay.TryGetValue(day, out var list))
                    {
                        perDay[day] = list = [];
                    }

                    list.Add(((SampleSource)reader.GetInt32(1), reader.GetInt32(2), reader.GetDouble(3)));
                }
            }

            var ranking = order(metric);
            foreach (var date in dates)
            {
                var dayText = date.ToString(DateFormat, CultureInfo.InvariantCulture);
                if (!perDay.TryGetValue(date, out var sources))
                {
                    Set(delete, ("$metric", metric.Code), ("$day", dayText));
                    delete.ExecuteNonQuery();
                    continue;
                }

                // A source missing from the ranking still counts, after all ranked ones.
                var winner = sources.MinBy(s => Rank(ranking, s.Source));
                Set(upsert, ("$metric", metric.Code), ("$day", dayText), ("$value", winner.Value), ("$source", winner.Source.ToString()), ("$count", winner.Count));
                upsert.ExecuteNonQuery();
            }
        }
    }

    private static int Rank(IReadOnlyList<SampleSource> ranking, SampleSource source)
    {
        for (var i = 0; i < ranking.Count; i++)
        {
            if (ranking[i] == source)
            {
                return i;
            }
        }

        return int.MaxValue;
    }

    /// <summary>
    /// The user's local days. Call it inside the write transaction (SQLite transactions here begin
    /// IMMEDIATE): read before it, a time zone change committing in between would leave the caller
    /// writing the old zone's days.
    /// </summary>
    private async Task<LocalDay.ForZone> DaysOfAsync(string userId, CancellationToken cancellationToken)
    {
        return (await db.ClockAsync(userId, time, cancellationToken)).Days();
    }

    /// <summary>The day the source gave, or the one the sample's time falls on in the user's zone.</summary>
    private static DateOnly DayOf(SampleInput input, LocalDay.ForZone days) =>
        input.LocalDate ?? days.Of(DateTime.SpecifyKind(input.StartUtc, DateTimeKind.Utc));

    private static DateOnly ParseDay(string stored) =>
        LocalDay.ParseStored(stored) ?? DateOnly.ParseExact(stored, DateFormat, CultureInfo.InvariantCulture);

    /// <summary>
    /// The user's number in <c>Samples</c> (<see cref="UserNumber"/>), given on their first write; 0 (no samples) for a user
    /// who has none yet when <paramref name="create"/> is false.
    /// </summary>
    private async Task<int> NumberAsync(string userId, CancellationToken cancellationToken, bool create = true)
    {
        var number = await db.UserNumberOf(userId).FirstOrDefaultAsync(cancellationToken);
        if (number != 0 || !create)
        {
            return number;
        }

        await db.Database.ExecuteSqlAsync($"INSERT INTO \"UserNumbers\" (\"UserId\") VALUES ({userId}) ON CONFLICT (\"UserId\") DO NOTHING", cancellationToken);
        return await db.UserNumberOf(userId).FirstAsync(cancellationToken);
    }

    /// <summary>
    /// <paramref name="parameter"/>, or the SQL literal of the value every one of <paramref name="values"/> has (none:
    /// the parameter), so the statement binds it once rather than on every row.
    /// </summary>
    private static string SameOnEveryRow<T>(IEnumerable<T> values, Func<T, string> literal, string parameter)
    {
        using var each = values.GetEnumerator();
        if (!each.MoveNext())
        {
            return parameter;
        }

        var first = each.Current;
        while (each.MoveNext())
        {
            if (!EqualityComparer<T>.Default.Equals(each.Current, first))
            {
                return parameter;
            }
        }

        return literal(first);
    }

    private static string Literal(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>An input's instant as stored on SQLite (inputs may come without a kind: they are UTC).</summary>
    private static long Seconds(DateTime utc) => CompactTime.ToSeconds(DateTime.SpecifyKind(utc, DateTimeKind.Utc));

    /// <summary>The command's parameter of that name; null when the statement has a literal there instead.</summary>
    private static DbParameter? ParameterOrNull(DbCommand command, string name) =>
        command.Parameters.Contains(name) ? command.Parameters[name] : null;

    private static DbCommand Command(DbConnection connection, DbTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
        }

        // Npgsql can prepare only once the parameters have types, and PostgreSQL's few statements here run once each.
        if (command is not NpgsqlCommand)
        {
            command.Prepare();
        }

        return command;
    }

    private static readonly object BoxedTrue = true, BoxedFalse = false;

    private static void Set(DbCommand command, params (string Name, object Value)[] values)
    {
        foreach (var (name, value) in values)
        {
            command.Parameters[name].Value = value;
        }
    }
}
