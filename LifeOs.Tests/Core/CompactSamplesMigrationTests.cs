using System.Globalization;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core;

/// <summary>
/// The CompactSamples migration on a database with samples in it, on both engines: every row keeps its id and its
/// values (owner, metric, source, record, times to the millisecond, day, whether the source gave the day, value, exclusion,
/// import batch), each owner gets a number of their own, and the health store then sees the migrated rows as its own:
/// the same records sent again change nothing.
/// </summary>
public sealed class CompactSamplesMigrationTests : IDisposable
{
    private static readonly CancellationToken Ct = TestContext.Current.CancellationToken;

    private EngineDatabase? database;

    private static string Before(Engine engine) => engine == Engine.Sqlite ? "20261201180833_AddSharedInstanceState" : "20261202002159_DashboardCoveringJournalIndex";

    /// <summary>(owner, metric, source, record, start, end, day, day from source, value, excluded, import batch): the rows written in the old layout.</summary>
    private static readonly (string User, string Metric, string Source, string Record, DateTime Start, DateTime? End, DateOnly Day, bool Given, double Value, bool Excluded, long? Batch)[] Rows =
    [
        ("ada", MetricCatalogue.HeartRate, "Oura", "1796112000:awake", Utc(2026, 12, 1, 8, 0, 0, 123), null, new(2026, 12, 1), false, 61, false, null),
        ("ada", MetricCatalogue.HeartRate, "Oura", "1796112060:rest", Utc(2026, 12, 1, 8, 1, 0, 0), null, new(2026, 12, 1), false, 59, false, null),
        // An Oura heart-rate id that does not begin with its own instant keeps all of it (SeriesRecordIdsWithoutInstant).
        ("ada", MetricCatalogue.HeartRate, "Oura", "1764576120:awake", Utc(2026, 12, 1, 8, 2, 0, 0), null, new(2026, 12, 1), false, 60, false, null),
        ("ada", MetricCatalogue.SleepDuration, "Oura", "9e0a1f6c-sleep", Utc(2026, 11, 30, 22, 40, 5, 0), Utc(2026, 12, 1, 6, 10, 0, 0), new(2026, 12, 1), true, 27000, false, null),
        ("ada", MetricCatalogue.Weight, "Withings", "7000000001:1", Utc(2026, 12, 1, 6, 30, 0, 0), null, new(2026, 12, 1), true, 104.2, true, null),
        ("ada", MetricCatalogue.Weight, "Import", "csv:1965-03-01T07:00:00.000Z", Utc(1965, 3, 1, 7, 0, 0, 0), null, new(1965, 3, 1), true, 70.5, false, 41),
        ("ada", MetricCatalogue.Steps, "WithingsPhone", "2026-12-01:phone", Utc(2026, 12, 1, 0, 0, 0, 0), null, new(2026, 12, 1), true, 8421, false, null),
        ("bob", MetricCatalogue.Weight, "Manual", "manual-1", Utc(2026, 11, 29, 7, 15, 0, 0), null, new(2026, 11, 29), false, 88.8, false, null),
    ];

    private static DateTime Utc(int y, int mo, int d, int h, int mi, int s, int ms) => new(y, mo, d, h, mi, s, ms, DateTimeKind.Utc);

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Migration_ConvertsEveryRow_AndTheStoreReadsThemAsItsOwn(Engine engine)
    {
        database = EngineDatabase.CreateAt(engine, Before(engine));
        await using (var db = database.NewContext())
        {
            foreach (var user in new[] { "ada", "bob", "cy" })
            {
                db.Users.Add(new ApplicationUser { Id = user, UserName = user, Email = $"{user}@example.com", TimeZoneId = "UTC" });
            }

            await db.SaveChangesAsync(Ct);
            foreach (var row in Rows)
            {
                await InsertOldAsync(db, engine, row);
            }

            await db.GetService<IMigrator>().MigrateAsync(cancellationToken: Ct);
        }

        await using (var db = database.NewContext())
        {
            var ada = await db.SamplesOf("ada").AsNoTracking().OrderBy(s => s.Id).ToListAsync(Ct);
            var bob = await db.SamplesOf("bob").AsNoTracking().OrderBy(s => s.Id).ToListAsync(Ct);
            Assert.Equal(Rows.Where(r => r.User == "ada").Select(r => Expected(r, engine)), ada.Select(Actual));
            Assert.Equal(Rows.Where(r => r.User == "bob").Select(r => Expected(r, engine)), bob.Select(Actual));
            Assert.Equal(Enumerable.Range(1, Rows.Length).Select(i => (long)i), ada.Concat(bob).Select(s => s.Id).Order());
            Assert.NotEqual(ada[0].UserNumber, bob[0].UserNumber);
            Assert.Empty(await db.SamplesOf("cy").ToListAsync(Ct));
            if (engine == Engine.Sqlite)
            {
                // SQLite keeps Oura's heart-rate ids without the instant their start holds (SeriesRows.Stored).
                Assert.Equal([":awake", ":rest", "1764576120:awake"], ada.Take(3).Select(s => s.SourceRecordId));
            }

            // The migrated days are the store's days: recomputing them from the converted rows gives the same values.
            var store = new HealthStore(db, new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero)), new SourcePriorityService(db));
            await store.RecomputeAllAsync("ada", [MetricCatalogue.HeartRate, MetricCatalogue.Weight], Ct);
            Assert.Equal(60, (await store.GetDailyValuesAsync("ada", MetricCatalogue.HeartRate, new(2026, 12, 1), new(2026, 12, 1), Ct)).Single().Value);
            Assert.Empty(await store.GetDailyValuesAsync("ada", MetricCatalogue.Weight, new(2026, 12, 1), new(2026, 12, 1), Ct)); // excluded

            // Sent again as they are, the migrated records are unchanged (times compare as stored, days and all).
            var again = Rows.Where(r => r.User == "ada" && r.Source == "Oura")
                .Select(r => new SampleInput(r.Metric, Enum.Parse<SampleSource>(r.Source), r.Record, r.Start, r.Value, r.End, r.Given ? r.Day : null))
                .ToList();
            Assert.Equal(new UpsertResult(0, 0, again.Count, 0, 0), await store.UpsertSamplesAsync("ada", again, Ct));

            // A user with no samples before gets a number of their own on the first write, and sees only their own rows.
            await store.UpsertSamplesAsync("cy", [new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, "manual-1", Utc(2026, 12, 1, 7, 0, 0, 0), 64)], Ct);
            var cy = await db.SamplesOf("cy").AsNoTracking().SingleAsync(Ct);
            Assert.DoesNotContain(cy.UserNumber, new[] { ada[0].UserNumber, bob[0].UserNumber });
            Assert.Equal(64, cy.Value);
            Assert.Single(await db.SamplesOf("bob").ToListAsync(Ct));
        }
    }

    [Fact]
    public async Task Sqlite_Down_PutsTheTextColumnsBack()
    {
        database = EngineDatabase.CreateAt(Engine.Sqlite, Before(Engine.Sqlite));
        await using var db = database.NewContext();
        db.Users.Add(new ApplicationUser { Id = "ada", UserName = "ada", Email = "ada@example.com", TimeZoneId = "UTC" });
        db.Users.Add(new ApplicationUser { Id = "bob", UserName = "bob", Email = "bob@example.com", TimeZoneId = "UTC" });
        await db.SaveChangesAsync(Ct);
        foreach (var row in Rows)
        {
            await InsertOldAsync(db, Engine.Sqlite, row);
        }

        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(cancellationToken: Ct);
        await migrator.MigrateAsync(Before(Engine.Sqlite), cancellationToken: Ct);

        var back = await db.Database.SqlQueryRaw<string>("""
            SELECT "UserId" || '|' || "MetricCode" || '|' || "Source" || '|' || "SourceRecordId" || '|' || "StartUtc" || '|' || coalesce("EndUtc", '') || '|' || "LocalDate" AS "Value"
            FROM "Samples" ORDER BY "Id"
            """).ToListAsync(Ct);
        Assert.Equal(Rows.Select(r => string.Join('|', r.User, r.Metric, r.Source, r.Record, Text(Kept(r.Start, Engine.Sqlite)), r.End is { } end ? Text(Kept(end, Engine.Sqlite)) : "", r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))), back);
    }

    private static string Text(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);

    private static object Expected((string User, string Metric, string Source, string Record, DateTime Start, DateTime? End, DateOnly Day, bool Given, double Value, bool Excluded, long? Batch) r, Engine engine) =>
        (r.Metric, r.Source, r.Record, Kept(r.Start, engine), r.End is { } end ? Kept(end, engine) : (DateTime?)null, r.Day, r.Given, r.Value, r.Excluded, r.Batch);

    /// <summary>An instant as the engine keeps it: SQLite in whole seconds (the 123 ms of the first row go), PostgreSQL to the microsecond.</summary>
    private static DateTime Kept(DateTime utc, Engine engine) => engine == Engine.Sqlite ? utc.AddTicks(-(utc.Ticks % TimeSpan.TicksPerSecond)) : utc;

    /// <summary>A migrated row, its record id as its source gave it (SQLite stores Oura's heart rate's without the instant).</summary>
    private static object Actual(Sample s) =>
        (s.MetricCode, s.Source.ToString(), SeriesRows.RecordIdOf(s.MetricCode, s.Source, s.StartUtc, s.SourceRecordId), s.StartUtc, s.EndUtc, s.LocalDate, s.DayFromSource, s.Value, s.Excluded, s.ImportBatchId);

    /// <summary>A row as the old layout held it: text on SQLite (as EF Core and the health store wrote it), typed on PostgreSQL.</summary>
    private static async Task InsertOldAsync(
        LifeOsDbContext db, Engine engine,
        (string User, string Metric, string Source, string Record, DateTime Start, DateTime? End, DateOnly Day, bool Given, double Value, bool Excluded, long? Batch) r)
    {
        var updated = new DateTime(2026, 12, 1, 9, 0, 0, 500, DateTimeKind.Utc);
        if (engine == Engine.Sqlite)
        {
            static string Stored(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Samples" ("UserId", "MetricCode", "Source", "SourceRecordId", "StartUtc", "EndUtc", "LocalDate", "DayFromSource", "Value", "UpdatedAt", "Excluded", "ImportBatchId")
                VALUES ({r.User}, {r.Metric}, {r.Source}, {r.Record}, {Stored(r.Start)}, {(r.End is { } e ? Stored(e) : null)}, {r.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)},
                    {r.Given}, {r.Value}, {Stored(updated)}, {r.Excluded}, {r.Batch})
                """, Ct);
        }
        else
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO "Samples" ("UserId", "MetricCode", "Source", "SourceRecordId", "StartUtc", "EndUtc", "LocalDate", "DayFromSource", "Value", "UpdatedAt", "Excluded", "ImportBatchId")
                VALUES ({r.User}, {r.Metric}, {r.Source}, {r.Record}, {r.Start}, {r.End}, {r.Day}, {r.Given}, {r.Value}, {updated}, {r.Excluded}, {r.Batch})
                """, Ct);
        }
    }

    public void Dispose() => database?.Dispose();
}
