using Npgsql;
using NpgsqlTypes;

namespace LifeOs.Core.Health;

/// <summary>
/// <see cref="HealthStore"/>'s set-based writes on PostgreSQL. SQLite is fastest with prepared single-row commands
/// in-process; PostgreSQL is a server a round trip away, so here each step is one statement over the whole batch:
/// a batch of new records goes in by binary COPY, one with stored records by <c>INSERT … ON CONFLICT</c> (see
/// <see cref="UpsertAsync"/>), and each metric's days are aggregated, ranked and written back by one statement.
/// </summary>
internal static class PostgresHealthSql
{
    /// <summary>
    /// Upserts the rows (already deduplicated by record) and adds the (metric, day) pairs whose values may change to
    /// <paramref name="touched"/>: a new record's day, and both days of a record whose time, day or value changed.
    /// </summary>
    /// <remarks>
    /// Large batches are mostly new records (an import, a backfill, a first sync), so the batch is first sent as it is, by
    /// binary COPY straight into "Samples": PostgreSQL's fastest way in, without the speculative check per row that
    /// <c>INSERT … ON CONFLICT</c> makes (a third more time per row). When a record is already stored, or another writer
    /// stores one meanwhile, the unique index refuses the COPY, which is rolled back to its savepoint (a batch whose first
    /// record exists, as when a sync fetches a window again, fails at once), and <see cref="UpsertWithConflictsAsync"/>
    /// writes the batch instead. No query plan is involved in telling new from stored: a look-up of the batch's records
    /// first was as fast only with the planner forced, because with the statistics of a table still filling it hashed
    /// or scanned all of the user's samples for every batch.
    /// </remarks>
    /// <returns>How many rows were inserted and how many updated; the others were unchanged.</returns>
    public static async Task<(int Inserted, int Updated)> UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int userNumber, DateTime now,
        IReadOnlyDictionary<(string Metric, SampleSource Source, string RecordId), SampleInput> rows, Func<SampleInput, DateOnly> dayOf,
        HashSet<(string Metric, DateOnly Day)> touched, CancellationToken cancellationToken)
    {
        await transaction.SaveAsync("copy", cancellationToken);
        HashSet<(string Metric, DateOnly Day)> copied;
        try
        {
            copied = await CopyAsync(connection, userNumber, now, rows, dayOf, cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            await transaction.RollbackAsync("copy", cancellationToken);
            return await UpsertWithConflictsAsync(connection, transaction, userNumber, now, Columns.Of(rows, dayOf), touched, cancellationToken);
        }

        touched.UnionWith(copied);
        return (rows.Count, 0);
    }

    /// <summary>Writes the rows straight from the batch (no column arrays: most batches never need them) and returns their days.</summary>
    private static async Task<HashSet<(string Metric, DateOnly Day)>> CopyAsync(
        NpgsqlConnection connection, int userNumber, DateTime now,
        IReadOnlyDictionary<(string Metric, SampleSource Source, string RecordId), SampleInput> rows, Func<SampleInput, DateOnly> dayOf,
        CancellationToken cancellationToken)
    {
        var days = new HashSet<(string Metric, DateOnly Day)>();
        // The importer's synchronous writes only fill a buffer (flushed as it fills); awaiting each of millions of fields
        // would add a state machine step per value. Excluded takes its column default.
        using var writer = await connection.BeginBinaryImportAsync(
            "COPY \"Samples\" (\"UserNumber\", \"Metric\", \"Source\", \"SourceRecordId\", \"StartUtc\", \"EndUtc\", \"LocalDate\", \"DayFromSource\", \"Value\", \"UpdatedAt\", \"ImportBatchId\") FROM STDIN (FORMAT BINARY)",
            cancellationToken);
        foreach (var ((metric, source, record), input) in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var day = dayOf(input);
            days.Add((metric, day));
            writer.StartRow();
            writer.Write(userNumber, NpgsqlDbType.Integer);
            writer.Write(MetricCatalogue.StoredNumber(metric), NpgsqlDbType.Integer);
            writer.Write((int)source, NpgsqlDbType.Integer);
            writer.Write(record, NpgsqlDbType.Text);
            writer.Write(Microseconds(input.StartUtc), NpgsqlDbType.TimestampTz);
            WriteNullable(writer, input.EndUtc is { } end ? Microseconds(end) : (DateTime?)null, NpgsqlDbType.TimestampTz);
            writer.Write(day, NpgsqlDbType.Date);
            writer.Write(input.LocalDate is not null, NpgsqlDbType.Boolean);
            writer.Write(input.Value, NpgsqlDbType.Double);
            writer.Write(now, NpgsqlDbType.TimestampTz);
            WriteNullable(writer, input.ImportBatchId, NpgsqlDbType.Bigint);
        }

        await writer.CompleteAsync(cancellationToken);
        return days;
    }

    /// <summary>
    /// The upsert for a batch with stored records (or racing another writer): one <c>INSERT … ON CONFLICT</c> whose
    /// <c>RETURNING</c> gives the counts and the touched days in the same round trip.
    /// </summary>
    private static async Task<(int Inserted, int Updated)> UpsertWithConflictsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, int userNumber, DateTime now, Columns batch,
        HashSet<(string Metric, DateOnly Day)> touched, CancellationToken cancellationToken)
    {
        // Every part of one statement reads the same snapshot, so "Samples" looked up by the written ids gives the rows as
        // they were before this statement: the day an updated record left, and whether anything but DayFromSource changed.
        // xmax is 0 on a freshly inserted row version and set on one ON CONFLICT updated. The lookup is LATERAL so that it
        // is one primary-key probe per updated row (as a plain join the planner hashed the whole table on every batch), and
        // its key is null for an inserted row, which an index scan answers without reading a page.
        await using var upsert = new NpgsqlCommand("""
            WITH written AS (
                INSERT INTO "Samples" AS s ("UserNumber", "Metric", "Source", "SourceRecordId", "StartUtc", "EndUtc", "LocalDate", "DayFromSource", "Value", "UpdatedAt", "ImportBatchId")
                SELECT @user, r."Metric", r."Source", r."SourceRecordId", r."StartUtc", r."EndUtc", r."LocalDate", r."DayFromSource", r."Value", @now, r."ImportBatchId"
                FROM unnest(@metrics, @sources, @records, @starts, @ends, @days, @dayFromSource, @values, @batches)
                    AS r("Metric", "Source", "SourceRecordId", "StartUtc", "EndUtc", "LocalDate", "DayFromSource", "Value", "ImportBatchId")
                ON CONFLICT ("UserNumber", "Metric", "Source", "SourceRecordId") DO UPDATE
                SET "StartUtc" = excluded."StartUtc", "EndUtc" = excluded."EndUtc", "LocalDate" = excluded."LocalDate",
                    "DayFromSource" = excluded."DayFromSource", "Value" = excluded."Value", "UpdatedAt" = excluded."UpdatedAt"
                WHERE (s."StartUtc", s."EndUtc", s."LocalDate", s."DayFromSource", s."Value")
                    IS DISTINCT FROM (excluded."StartUtc", excluded."EndUtc", excluded."LocalDate", excluded."DayFromSource", excluded."Value")
                RETURNING s."Id", s."Metric", s."StartUtc", s."EndUtc", s."LocalDate", s."Value", s.xmax = 0 AS "Inserted"
            ),
            changes AS (
                SELECT w."Metric", w."Inserted", w."LocalDate" AS "Day", o."LocalDate" AS "OldDay",
                    w."Inserted" OR (w."StartUtc", w."EndUtc", w."LocalDate", w."Value") IS DISTINCT FROM (o."StartUtc", o."EndUtc", o."LocalDate", o."Value") AS "Moved"
                FROM written w LEFT JOIN LATERAL (
                    SELECT "StartUtc", "EndUtc", "LocalDate", "Value" FROM "Samples" WHERE "Id" = CASE WHEN w."Inserted" THEN NULL ELSE w."Id" END) AS o ON true
            )
            SELECT c."Metric", d."Day", count(*) FILTER (WHERE d."New" AND c."Inserted")::int, count(*) FILTER (WHERE d."New" AND NOT c."Inserted")::int, bool_or(c."Moved")
            FROM changes c CROSS JOIN LATERAL (VALUES (c."Day", true), (c."OldDay", false)) AS d("Day", "New")
            WHERE d."Day" IS NOT NULL
            GROUP BY c."Metric", d."Day"
            """, connection, transaction);
        upsert.Parameters.AddWithValue("user", userNumber);
        upsert.Parameters.AddWithValue("now", now);
        upsert.Parameters.AddWithValue("metrics", batch.Metrics);
        upsert.Parameters.AddWithValue("sources", batch.Sources);
        upsert.Parameters.AddWithValue("records", batch.Records);
        upsert.Parameters.Add(new NpgsqlParameter("starts", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = batch.Starts });
        upsert.Parameters.Add(new NpgsqlParameter("ends", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = batch.Ends });
        upsert.Parameters.AddWithValue("days", batch.Days);
        upsert.Parameters.AddWithValue("dayFromSource", batch.DayFromSource);
        upsert.Parameters.AddWithValue("values", batch.Values);
        upsert.Parameters.Add(new NpgsqlParameter("batches", NpgsqlDbType.Array | NpgsqlDbType.Bigint) { Value = batch.ImportBatches });
        int inserted = 0, updated = 0;
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted += reader.GetInt32(2);
            updated += reader.GetInt32(3);
            if (reader.GetBoolean(4))
            {
                touched.Add((MetricCatalogue.StoredCode(reader.GetInt32(0)), reader.GetFieldValue<DateOnly>(1)));
            }
        }

        return (inserted, updated);
    }

    /// <summary>
    /// Recomputes one metric's given days: aggregated per day and source, the best-ranked source's value kept (a source
    /// missing from the ranking after all ranked ones), and a day left with no samples deleted; one statement.
    /// </summary>
    public static async Task RecomputeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, int userNumber, MetricDefinition metric,
        IReadOnlyList<SampleSource> ranking, IReadOnlyCollection<DateOnly> dates, CancellationToken cancellationToken)
    {
        var aggregate = metric.Aggregation switch
        {
            Aggregation.Sum => "sum(\"Value\")",
            Aggregation.Mean => "avg(\"Value\")",
            Aggregation.Min => "min(\"Value\")",
            Aggregation.Max => "max(\"Value\")",
            _ => "(array_agg(\"Value\" ORDER BY \"StartUtc\" DESC))[1]",
        };
        await using var command = new NpgsqlCommand($"""
            WITH per_source AS (
                SELECT "LocalDate", "Source", count(*)::int AS "Count", {aggregate} AS "Value" FROM "Samples"
                WHERE "UserNumber" = @number AND "Metric" = @metricNumber AND "StartUtc" >= @first AND "StartUtc" < @end
                    AND "LocalDate" BETWEEN @from AND @to AND "LocalDate" = ANY(@days) AND NOT "Excluded"
                GROUP BY "LocalDate", "Source"
            ),
            winners AS (
                SELECT DISTINCT ON ("LocalDate") "LocalDate", "Source", "Count", "Value" FROM per_source
                ORDER BY "LocalDate", coalesce(array_position(@ranking, "Source"), 2147483647), "Source"
            ),
            emptied AS (
                DELETE FROM "DailyValues" d
                WHERE d."UserId" = @user AND d."MetricCode" = @metric AND d."LocalDate" = ANY(@days)
                    AND NOT EXISTS (SELECT 1 FROM winners w WHERE w."LocalDate" = d."LocalDate")
            )
            INSERT INTO "DailyValues" ("UserId", "MetricCode", "LocalDate", "Value", "Source", "SampleCount")
            SELECT @user, @metric, "LocalDate", "Value", (@sourceNames)["Source" + 1], "Count" FROM winners
            ON CONFLICT ("UserId", "MetricCode", "LocalDate") DO UPDATE
            SET "Value" = excluded."Value", "Source" = excluded."Source", "SampleCount" = excluded."SampleCount"
            """, connection, transaction);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("metric", metric.Code);
        command.Parameters.AddWithValue("number", userNumber);
        command.Parameters.AddWithValue("metricNumber", MetricCatalogue.StoredNumber(metric.Code));
        command.Parameters.AddWithValue("sourceNames", SourceNames);
        var (from, to) = (dates.Min(), dates.Max());
        var (first, end) = LocalDay.SampleStarts(from, to);
        command.Parameters.AddWithValue("first", first);
        command.Parameters.AddWithValue("end", end);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.AddWithValue("days", dates.ToArray());
        command.Parameters.AddWithValue("ranking", ranking.Select(s => (int)s).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Adds each metric's daily values over the range to its list in <paramref name="into"/>, oldest first, in one statement
    /// (the dashboard reads fourteen metrics): per metric the same index-only range scan of (user, metric, day, value) as
    /// one query each would make, already in day order. One <c>= ANY(@metrics)</c> scan instead needs a sort by day, or, with
    /// a user's years of days, the planner prefers scanning the table; both were slower than the round trips they saved.
    /// </summary>
    public static async Task ReadDailyAsync(
        NpgsqlConnection connection, string userId, Dictionary<string, List<(DateOnly Day, double Value)>> into, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var codes = into.Keys.ToArray();
        await using var command = new NpgsqlCommand("""
            SELECT m."Index", d."LocalDate", d."Value" FROM unnest(@metrics) WITH ORDINALITY AS m("Code", "Index") CROSS JOIN LATERAL
                (SELECT "LocalDate", "Value" FROM "DailyValues" WHERE "UserId" = @user AND "MetricCode" = m."Code" AND "LocalDate" BETWEEN @from AND @to ORDER BY "LocalDate") AS d
            """, connection);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("metrics", codes);
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        var lists = Array.ConvertAll(codes, code => into[code]);
        var unordered = false;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var list = lists[reader.GetInt64(0) - 1];
                var day = reader.GetFieldValue<DateOnly>(1);
                unordered |= list.Count > 0 && list[^1].Day >= day;
                list.Add((day, reader.GetDouble(2)));
            }
        }

        // The join keeps each metric's rows in the subquery's order; SQL does not promise that, so it is checked, not assumed.
        if (unordered)
        {
            foreach (var list in lists)
            {
                list.Sort((a, b) => a.Day.CompareTo(b.Day));
            }
        }
    }

    /// <summary>Puts each sample on its new day, all in one statement.</summary>
    public static async Task MoveAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(long Id, DateOnly Day)> moves, CancellationToken cancellationToken)
    {
        if (moves.Count == 0)
        {
            return;
        }

        await using var command = new NpgsqlCommand("""
            UPDATE "Samples" AS s SET "LocalDate" = m."Day" FROM unnest(@ids, @days) AS m("Id", "Day") WHERE s."Id" = m."Id"
            """, connection, transaction);
        command.Parameters.AddWithValue("ids", moves.Select(m => m.Id).ToArray());
        command.Parameters.AddWithValue("days", moves.Select(m => m.Day).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Each source's name at its stored number (from 1 in SQL's arrays): "Samples" holds numbers, "DailyValues" names.</summary>
    private static readonly string[] SourceNames = Enum.GetValues<SampleSource>().OrderBy(s => (int)s).Select(s => s.ToString()).ToArray();

    private static void WriteNullable<T>(NpgsqlBinaryImporter writer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            writer.Write(v, type);
        }
        else
        {
            writer.WriteNull();
        }
    }

    /// <summary>
    /// A batch as one array per column: how it travels as parameters (binary, <c>unnest</c> turns them back into rows).
    /// </summary>
    private sealed record Columns(
        int[] Metrics, int[] Sources, string[] Records, DateTime[] Starts, DateTime?[] Ends, DateOnly[] Days,
        bool[] DayFromSource, double[] Values, long?[] ImportBatches)
    {
        public static Columns Of(IReadOnlyDictionary<(string Metric, SampleSource Source, string RecordId), SampleInput> rows, Func<SampleInput, DateOnly> dayOf)
        {
            var n = rows.Count;
            var batch = new Columns(new int[n], new int[n], new string[n], new DateTime[n], new DateTime?[n], new DateOnly[n], new bool[n], new double[n], new long?[n]);
            var i = 0;
            foreach (var ((metric, source, recordId), input) in rows)
            {
                (batch.Metrics[i], batch.Sources[i], batch.Records[i], batch.Days[i]) = (MetricCatalogue.StoredNumber(metric), (int)source, recordId, dayOf(input));
                (batch.DayFromSource[i], batch.Values[i], batch.ImportBatches[i]) = (input.LocalDate is not null, input.Value, input.ImportBatchId);
                batch.Starts[i] = Microseconds(input.StartUtc);
                batch.Ends[i] = input.EndUtc is { } end ? Microseconds(end) : null;
                i++;
            }

            return batch;
        }
    }

    /// <summary>Times cut to PostgreSQL's microseconds, as storing them would, so that a record sent again unchanged compares equal.</summary>
    private static DateTime Microseconds(DateTime time) => new(time.Ticks - (time.Ticks % 10), DateTimeKind.Utc);
}
