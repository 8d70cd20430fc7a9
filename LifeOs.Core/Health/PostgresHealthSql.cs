using Npgsql;
using NpgsqlTypes;

namespace LifeOs.Core.Health;

/// <summary>
/// <see cref="HealthStore"/>'s set-based writes on PostgreSQL. SQLite is fastest with prepared single-row commands
/// in-process; PostgreSQL is a server a round trip away, so here each step is one statement over the whole batch:
/// the rows go in by binary COPY to a staging table, one <c>INSERT … ON CONFLICT</c> writes them, and each metric's
/// days are aggregated, ranked and written back by one statement.
/// </summary>
internal static class PostgresHealthSql
{
    /// <summary>
    /// Upserts the rows (already deduplicated by record) and adds the (metric, day) pairs whose values may change to
    /// <paramref name="touched"/>: a new record's day, and both days of a record whose time, day or value changed.
    /// </summary>
    /// <returns>How many rows were inserted and how many updated; the others were unchanged.</returns>
    public static async Task<(int Inserted, int Updated)> UpsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, DateTime now,
        IEnumerable<(string Metric, SampleSource Source, string RecordId, DateOnly Day, SampleInput Input)> rows,
        HashSet<(string Metric, DateOnly Day)> touched, CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand("""
            CREATE TEMPORARY TABLE "SampleStaging" ("MetricCode" text NOT NULL, "Source" text NOT NULL, "SourceRecordId" text NOT NULL,
                "StartUtc" timestamptz NOT NULL, "EndUtc" timestamptz, "LocalDate" date NOT NULL, "DayFromSource" boolean NOT NULL,
                "Value" double precision NOT NULL, "ImportBatchId" bigint) ON COMMIT DROP
            """, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        // The importer's synchronous writes only fill a buffer (flushed as it fills); awaiting each of millions of fields
        // would add a state machine step per value.
        using (var writer = await connection.BeginBinaryImportAsync(
            "COPY \"SampleStaging\" (\"MetricCode\", \"Source\", \"SourceRecordId\", \"StartUtc\", \"EndUtc\", \"LocalDate\", \"DayFromSource\", \"Value\", \"ImportBatchId\") FROM STDIN (FORMAT BINARY)",
            cancellationToken))
        {
            foreach (var (metric, source, recordId, day, input) in rows)
            {
                cancellationToken.ThrowIfCancellationRequested();
                writer.StartRow();
                writer.Write(metric, NpgsqlDbType.Text);
                writer.Write(source.ToString(), NpgsqlDbType.Text);
                writer.Write(recordId, NpgsqlDbType.Text);
                writer.Write(DateTime.SpecifyKind(input.StartUtc, DateTimeKind.Utc), NpgsqlDbType.TimestampTz);
                WriteNullable<DateTime>(writer, input.EndUtc is { } end ? DateTime.SpecifyKind(end, DateTimeKind.Utc) : null, NpgsqlDbType.TimestampTz);
                writer.Write(day, NpgsqlDbType.Date);
                writer.Write(input.LocalDate is not null, NpgsqlDbType.Boolean);
                writer.Write(input.Value, NpgsqlDbType.Double);
                WriteNullable(writer, input.ImportBatchId, NpgsqlDbType.Bigint);
            }

            await writer.CompleteAsync(cancellationToken);
        }

        // Every part of one statement reads the same snapshot, so "Samples" looked up by the written ids gives the rows as
        // they were before this statement: the day an updated record left, and whether anything but DayFromSource changed.
        // xmax is 0 on a freshly inserted row version and set on one ON CONFLICT updated. The lookup is LATERAL so that it
        // is one primary-key probe per updated row: as a plain join the planner hashed the whole table on every batch.
        await using var upsert = new NpgsqlCommand("""
            WITH written AS (
                INSERT INTO "Samples" AS s ("UserId", "MetricCode", "Source", "SourceRecordId", "StartUtc", "EndUtc", "LocalDate", "DayFromSource", "Value", "UpdatedAt", "ImportBatchId")
                SELECT @user, "MetricCode", "Source", "SourceRecordId", "StartUtc", "EndUtc", "LocalDate", "DayFromSource", "Value", @now, "ImportBatchId" FROM "SampleStaging"
                ON CONFLICT ("UserId", "MetricCode", "Source", "SourceRecordId") DO UPDATE
                SET "StartUtc" = excluded."StartUtc", "EndUtc" = excluded."EndUtc", "LocalDate" = excluded."LocalDate",
                    "DayFromSource" = excluded."DayFromSource", "Value" = excluded."Value", "UpdatedAt" = excluded."UpdatedAt"
                WHERE (s."StartUtc", s."EndUtc", s."LocalDate", s."DayFromSource", s."Value")
                    IS DISTINCT FROM (excluded."StartUtc", excluded."EndUtc", excluded."LocalDate", excluded."DayFromSource", excluded."Value")
                RETURNING s."Id", s."MetricCode", s."StartUtc", s."EndUtc", s."LocalDate", s."Value", s.xmax = 0 AS "Inserted"
            ),
            changes AS (
                SELECT w."MetricCode", w."Inserted", w."LocalDate" AS "Day", o."LocalDate" AS "OldDay",
                    w."Inserted" OR (w."StartUtc", w."EndUtc", w."LocalDate", w."Value") IS DISTINCT FROM (o."StartUtc", o."EndUtc", o."LocalDate", o."Value") AS "Moved"
                FROM written w LEFT JOIN LATERAL (
                    SELECT "StartUtc", "EndUtc", "LocalDate", "Value" FROM "Samples" WHERE "Id" = w."Id" AND NOT w."Inserted") AS o ON true
            )
            SELECT c."MetricCode", d."Day", count(*) FILTER (WHERE d."New" AND c."Inserted")::int, count(*) FILTER (WHERE d."New" AND NOT c."Inserted")::int, bool_or(c."Moved")
            FROM changes c CROSS JOIN LATERAL (VALUES (c."Day", true), (c."OldDay", false)) AS d("Day", "New")
            WHERE d."Day" IS NOT NULL
            GROUP BY c."MetricCode", d."Day"
            """, connection, transaction);
        upsert.Parameters.AddWithValue("user", userId);
        upsert.Parameters.AddWithValue("now", now);
        int inserted = 0, updated = 0;
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted += reader.GetInt32(2);
            updated += reader.GetInt32(3);
            if (reader.GetBoolean(4))
            {
                touched.Add((reader.GetString(0), reader.GetFieldValue<DateOnly>(1)));
            }
        }

        return (inserted, updated);
    }

    /// <summary>
    /// Recomputes one metric's given days: aggregated per day and source, the best-ranked source's value kept (a source
    /// missing from the ranking after all ranked ones), and a day left with no samples deleted; one statement.
    /// </summary>
    public static async Task RecomputeAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string userId, MetricDefinition metric,
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
                WHERE "UserId" = @user AND "MetricCode" = @metric AND "LocalDate" BETWEEN @from AND @to AND "LocalDate" = ANY(@days) AND NOT "Excluded"
                GROUP BY "LocalDate", "Source"
            ),
            winners AS (
                SELECT DISTINCT ON ("LocalDate") "LocalDate", "Source", "Count", "Value" FROM per_source
                ORDER BY "LocalDate", coalesce(array_position(@ranking, "Source"::text), 2147483647), "Source"
            ),
            emptied AS (
                DELETE FROM "DailyValues" d
                WHERE d."UserId" = @user AND d."MetricCode" = @metric AND d."LocalDate" = ANY(@days)
                    AND NOT EXISTS (SELECT 1 FROM winners w WHERE w."LocalDate" = d."LocalDate")
            )
            INSERT INTO "DailyValues" ("UserId", "MetricCode", "LocalDate", "Value", "Source", "SampleCount")
            SELECT @user, @metric, "LocalDate", "Value", "Source", "Count" FROM winners
            ON CONFLICT ("UserId", "MetricCode", "LocalDate") DO UPDATE
            SET "Value" = excluded."Value", "Source" = excluded."Source", "SampleCount" = excluded."SampleCount"
            """, connection, transaction);
        command.Parameters.AddWithValue("user", userId);
        command.Parameters.AddWithValue("metric", metric.Code);
        command.Parameters.AddWithValue("from", dates.Min());
        command.Parameters.AddWithValue("to", dates.Max());
        command.Parameters.AddWithValue("days", dates.ToArray());
        command.Parameters.AddWithValue("ranking", ranking.Select(s => s.ToString()).ToArray());
        await command.ExecuteNonQueryAsync(cancellationToken);
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
}
