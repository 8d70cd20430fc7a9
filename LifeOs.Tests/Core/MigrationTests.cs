using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Data.Migrations.Legacy;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core;

public sealed class MigrationTests
{
    private const string FirstLegacyMigration = "20261125000000_CreateIdentitySchema";

    private static IReadOnlyList<string> SchemaFromMigrations()
    {
        using var connection = TestDatabase.OpenInMemory();
        using var db = new LifeOsDbContext(TestDatabase.Options(connection));
        db.Database.Migrate();
        return SchemaSnapshot.Read(connection);
    }

    /// <summary>Every table, index and trigger by name, the SQL-only search index and its triggers included.</summary>
    private static IReadOnlyList<string> Objects(SqliteConnection connection) =>
        SchemaSnapshot.Query(connection, "SELECT type || ' ' || name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").Select(r => r[0]!).ToList();

    private static IReadOnlyList<string> ObjectsFromMigrations()
    {
        using var connection = TestDatabase.OpenInMemory();
        using var db = new LifeOsDbContext(TestDatabase.Options(connection));
        db.Database.Migrate();
        return Objects(connection);
    }

    private static IReadOnlyList<string> SchemaFromModel<TContext>(Func<DbContextOptions<LifeOsDbContext>, TContext> create)
        where TContext : DbContext
    {
        using var connection = TestDatabase.OpenInMemory();
        using var db = create(TestDatabase.Options(connection));
        db.Database.EnsureCreated();
        return SchemaSnapshot.Read(connection);
    }

    private static string Diff(IReadOnlyList<string> expected, IReadOnlyList<string> actual) =>
        "only in model: " + string.Join(" | ", expected.Except(actual)) + " ;; only in migrations: " + string.Join(" | ", actual.Except(expected));

    [Fact]
    public void Migrations_BuildExactlyTheSchemaTheModelExpects()
    {
        var fromModel = SchemaFromModel(o => new LifeOsDbContext(o));
        var fromMigrations = SchemaFromMigrations();
        Assert.True(fromModel.SequenceEqual(fromMigrations), Diff(fromModel, fromMigrations));
        Assert.Contains(fromMigrations, l => l.StartsWith("AspNetUserPasskeys.", StringComparison.Ordinal));
    }

    [Fact]
    public void Migrations_CreateTheJournalSearchIndexAndItsTriggers()
    {
        using var connection = TestDatabase.OpenInMemory();
        using var db = new LifeOsDbContext(TestDatabase.Options(connection));
        db.Database.Migrate();
        var objects = db.Database.SqlQueryRaw<string>(
            "SELECT type || ' ' || name AS \"Value\" FROM sqlite_master WHERE name LIKE 'JournalSearch' OR type = 'trigger' ORDER BY name").ToList();
        Assert.Equal(["trigger JournalEntries_AfterDelete", "trigger JournalEntries_AfterInsert", "trigger JournalEntries_AfterUpdate", "table JournalSearch"], objects);
    }

    [Fact]
    public void DriftCheck_FailsAndNamesTheColumn_WhenAPropertyHasNoMigration()
    {
        var fromModel = SchemaFromModel(o => new ContextWithUnmigratedProperty(o));
        var fromMigrations = SchemaFromMigrations();
        Assert.False(fromModel.SequenceEqual(fromMigrations));
        Assert.Contains("AspNetUsers.column FavouriteColour", Diff(fromModel, fromMigrations), StringComparison.Ordinal);
    }

    [Fact]
    public void ModelSnapshot_MatchesTheModel_SoDotnetEfHasNothingToAdd()
    {
        using var connection = TestDatabase.OpenInMemory();
        using var db = new LifeOsDbContext(TestDatabase.Options(connection));
        // Fails when an entity changed without `dotnet ef migrations add <Name> --project LifeOs.Core`.
        Assert.False(db.Database.HasPendingModelChanges(), "The model has changes that no migration holds: run `dotnet ef migrations add <Name> --project LifeOs.Core`.");
        Assert.StartsWith("2026120", db.Database.GetMigrations().First(), StringComparison.Ordinal);
        Assert.DoesNotContain(db.Database.GetMigrations(), id => id.StartsWith("20261125", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(FirstLegacyMigration)]
    [InlineData("20261125000800_AddDailyValueRangeIndex")]
    [InlineData(LegacyLifeOsDbContext.LastMigration)]
    public async Task Migrator_UpgradesA01Database_WithARowInEveryTable_ToTheGeneratedSchema_LosingNothing(string legacyStep)
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDataDirectory();
        var dir = temp.Directory;
        Dictionary<string, (List<string> Columns, IReadOnlyList<string> Rows)> before;
        await using (var connection = new SqliteConnection($"Data Source={dir.DatabasePath}"))
        {
            await using (var old = new LegacyLifeOsDbContext(TestDatabase.Options(connection)))
            {
                await old.GetService<IMigrator>().MigrateAsync(legacyStep, cancellationToken: ct);
            }

            await connection.OpenAsync(ct);
            LegacyDatabase.FillEveryTable(connection);
            before = LegacyDatabase.Tables(connection).ToDictionary(t => t, t =>
            {
                var columns = LegacyDatabase.Columns(connection, t).Select(c => c.Name).Where(c => t != "Samples" || !CompactedSampleColumns.Contains(c)).ToList();
                return (columns, LegacyDatabase.Rows(connection, t, columns));
            });
            Assert.All(before, table => Assert.Single(table.Value.Rows));
        }

        await using (var connection = new SqliteConnection($"Data Source={dir.DatabasePath}"))
        await using (var db = new LifeOsDbContext(TestDatabase.Options(connection)))
        {
            var backup = await Migrator(db, dir).MigrateAsync(ct);
            Assert.Contains("before-upgrade-from-0.1", backup, StringComparison.Ordinal);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
            Assert.Contains(db.Database.GetMigrations().First(), await db.Database.GetAppliedMigrationsAsync(ct));

            await connection.OpenAsync(ct);
            Assert.Equal(SchemaFromMigrations(), SchemaSnapshot.Read(connection));
            Assert.Equal(ObjectsFromMigrations(), Objects(connection));
            // Every column that was there is still there, with the same value in every row.
            foreach (var (table, (columns, rows)) in before)
            {
                Assert.Equal(rows, LegacyDatabase.Rows(connection, table, columns));
            }

            // The sample's columns that CompactSamples stores as numbers read back as the values they were.
            if (before.ContainsKey("Samples"))
            {
                var sample = await db.SamplesOf("AspNetUsers Id lantern").AsNoTracking().SingleAsync(ct);
                var at = new DateTime(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);
                Assert.Equal((MetricCatalogue.HeartRate, SampleSource.Oura, at, (DateTime?)at, new DateOnly(2026, 11, 24), at),
                    (sample.MetricCode, sample.Source, sample.StartUtc, sample.EndUtc, sample.LocalDate, sample.UpdatedAt));
            }

            // The search index is complete and finds the entry that was there before the upgrade.
            await db.Database.ExecuteSqlRawAsync("""INSERT INTO "JournalSearch"("JournalSearch", rank) VALUES ('integrity-check', 1);""", ct);
            if (before.ContainsKey("JournalEntries"))
            {
                var owner = await db.Database.SqlQueryRaw<string>("""SELECT "UserId" AS "Value" FROM "JournalEntries" """).SingleAsync(ct);
                var match = $"{{SearchOwner}} : \"{LifeOs.Core.Journal.JournalSearch.OwnerToken(owner)}\" AND lantern";
                Assert.Equal(1, await db.Database.SqlQueryRaw<int>("""SELECT COUNT(*) AS "Value" FROM "JournalSearch" WHERE "JournalSearch" MATCH {0}""", match).SingleAsync(ct));
            }

            // A second start has nothing to do.
            Assert.Null(await Migrator(db, dir).MigrateAsync(ct));
        }
    }

    [Fact]
    public async Task Migrator_OnEmptyDatabase_AppliesEverything_WithoutBackup()
    {
        using var temp = new TempDataDirectory();
        var dir = temp.Directory;
        {
            await using var connection = new SqliteConnection($"Data Source={dir.DatabasePath}");
            await using var db = new LifeOsDbContext(TestDatabase.Options(connection));
            var backup = await Migrator(db, dir).MigrateAsync(TestContext.Current.CancellationToken);

            Assert.Null(backup);
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
            Assert.Empty(Directory.GetFiles(dir.BackupsPath));
            Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode").SingleAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task Migrator_UpgradingAnEarlierDatabase_WritesAConsistentBackupFirst_AndKeepsData()
    {
        using var temp = new TempDataDirectory();
        var dir = temp.Directory;
        {
            var ct = TestContext.Current.CancellationToken;
            await using (var connection = new SqliteConnection($"Data Source={dir.DatabasePath}"))
            await using (var old = new LegacyLifeOsDbContext(TestDatabase.Options(connection)))
            {
                await old.GetService<IMigrator>().MigrateAsync(FirstLegacyMigration, cancellationToken: ct);
                await old.Database.ExecuteSqlRawAsync(
                    "INSERT INTO AspNetUsers (Id, UserName, Email, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount) " +
                    "VALUES ('u1', 'early@example.com', 'early@example.com', 1, 0, 0, 1, 0)", ct);
            }

            await using (var connection = new SqliteConnection($"Data Source={dir.DatabasePath}"))
            await using (var db = new LifeOsDbContext(TestDatabase.Options(connection)))
            {
                var backup = await Migrator(db, dir).MigrateAsync(ct);

                Assert.NotNull(backup);
                Assert.StartsWith(dir.BackupsPath, backup, StringComparison.Ordinal);
                Assert.Contains("before-upgrade-from-0.1", backup, StringComparison.Ordinal);
                var user = await db.Users.SingleAsync(ct);
                Assert.Equal("early@example.com", user.Email);
                Assert.Equal("UTC", user.TimeZoneId);
                Assert.Equal(UnitSystem.Metric, user.UnitSystem);

                // The backup is a complete database at the earlier version, with the data.
                await using var copy = new SqliteConnection($"Data Source={backup};Mode=ReadOnly");
                await copy.OpenAsync(ct);
                await using var command = copy.CreateCommand();
                command.CommandText = "SELECT (SELECT COUNT(*) FROM AspNetUsers) || '/' || (SELECT group_concat(MigrationId) FROM __EFMigrationsHistory)";
                Assert.Equal($"1/{FirstLegacyMigration}", await command.ExecuteScalarAsync(ct));
            }
        }
    }

    /// <summary>The columns of "Samples" that CompactSamples replaced or stores in another form (compared through the model instead).</summary>
    private static readonly string[] CompactedSampleColumns = ["UserId", "MetricCode", "Source", "StartUtc", "EndUtc", "LocalDate", "UpdatedAt"];

    [Fact]
    public async Task SampleDayFromSource_MarksOurasDailyDocumentsAndWithings_NotHeartRateManualOrImport()
    {
        var ct = TestContext.Current.CancellationToken;
        using var connection = TestDatabase.OpenInMemory();
        await using var db = new LegacyLifeOsDbContext(TestDatabase.Options(connection));
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("20261125000900_JournalSearchOwnerToken", cancellationToken: ct);
        await db.Database.ExecuteSqlRawAsync(
            "INSERT INTO AspNetUsers (Id, UserName, Email, EmailConfirmed, PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount, TimeZoneId, UnitSystem, DayStartHour, CreatedAt) " +
            "VALUES ('u1', 'u1', 'u1@example.com', 1, 0, 0, 1, 0, 'UTC', 'Metric', 0, '2026-11-25 00:00:00')", ct);
        foreach (var (source, metric) in new[] { ("Oura", "sleep_score"), ("Oura", "heart_rate"), ("Withings", "weight"), ("Manual", "weight"), ("Import", "steps") })
        {
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO Samples (UserId, MetricCode, Source, SourceRecordId, StartUtc, LocalDate, Value, UpdatedAt) VALUES ('u1', {metric}, {source}, 'r', '2026-11-24 08:00:00', '2026-11-24', 1, '2026-11-24 08:00:00')", ct);
        }

        await migrator.MigrateAsync(cancellationToken: ct);

        var given = await db.Samples.OrderBy(s => s.Id).Select(s => s.DayFromSource).ToListAsync(ct);
        Assert.Equal([true, false, true, false, false], given);
    }

    /// <summary>
    /// CompactSamples copies the samples into a new table; the migrator then gives the old table's pages back to the disk,
    /// so an upgraded install gets the smaller file, not the same file with most of it free.
    /// </summary>
    [Fact]
    public async Task Migrator_ConvertingSamples_GivesTheFreedSpaceBack()
    {
        var ct = TestContext.Current.CancellationToken;
        using var temp = new TempDataDirectory();
        var dir = temp.Directory;
        long before;
        await using (var connection = new SqliteConnection($"Data Source={dir.DatabasePath}"))
        await using (var db = new LifeOsDbContext(TestDatabase.Options(connection)))
        {
            await db.GetService<IMigrator>().MigrateAsync("20261201180833_AddSharedInstanceState", ct);
            db.Users.Add(new ApplicationUser { Id = "6f1c2f9e-8a55-4c3b-9d2e-1b7a3c5d9e01", UserName = "ada", Email = "ada@example.com", TimeZoneId = "UTC" });
            await db.SaveChangesAsync(ct);
            await db.Database.ExecuteSqlRawAsync("""
                WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 19999)
                INSERT INTO Samples (UserId, MetricCode, Source, SourceRecordId, StartUtc, LocalDate, Value, UpdatedAt)
                SELECT '6f1c2f9e-8a55-4c3b-9d2e-1b7a3c5d9e01', 'heart_rate', 'Oura', (1764547200 + i * 60) || ':awake',
                    strftime('%Y-%m-%d %H:%M:%S', 1764547200 + i * 60, 'unixepoch'), date(1764547200 + i * 60, 'unixepoch'), 60, '2026-12-01 09:00:00'
                FROM n
                """, ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(TRUNCATE);", ct);
            before = new FileInfo(dir.DatabasePath).Length;

            await Migrator(db, dir).MigrateAsync(ct);

            Assert.Equal(20_000, await db.SamplesOf("6f1c2f9e-8a55-4c3b-9d2e-1b7a3c5d9e01").CountAsync(ct));
            Assert.Equal(0L, await db.Database.SqlQueryRaw<long>("SELECT freelist_count AS \"Value\" FROM pragma_freelist_count").SingleAsync(ct));
        }

        SqliteConnection.ClearAllPools();
        Assert.True(new FileInfo(dir.DatabasePath).Length < before / 2, $"{new FileInfo(dir.DatabasePath).Length} bytes after, {before} before");
    }

    [Fact]
    public async Task Migrator_WithNothingPending_DoesNothing()
    {
        using var temp = new TempDataDirectory();
        var dir = temp.Directory;
        {
            await using var connection = new SqliteConnection($"Data Source={dir.DatabasePath}");
            await using var db = new LifeOsDbContext(TestDatabase.Options(connection));
            await Migrator(db, dir).MigrateAsync(TestContext.Current.CancellationToken);
            Assert.Null(await Migrator(db, dir).MigrateAsync(TestContext.Current.CancellationToken));
            Assert.Empty(Directory.GetFiles(dir.BackupsPath));
        }
    }

    [Fact]
    public void DataDirectory_ThatCannotBeWritten_StopsStartUpNamingPathAndSetting()
    {
        var file = Path.GetTempFileName();
        try
        {
            var dir = new DataDirectory(Path.Combine(file, "data"));
            var error = Assert.Throws<StartupException>(dir.EnsureWritable);
            Assert.Contains(Path.Combine(file, "data"), error.Message, StringComparison.Ordinal);
            Assert.Contains("LifeOs:DataDirectory", error.Message, StringComparison.Ordinal);
            Assert.Contains("LifeOs__DataDirectory", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void DataDirectory_Missing_IsCreatedWithBackups_AndNoKeysFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), $"lifeos-new-{Guid.NewGuid():N}", "nested");
        try
        {
            new DataDirectory(root).EnsureWritable();
            Assert.True(Directory.Exists(Path.Combine(root, "backups")));
            // The key ring is in the database; keys/ is only read where an older install left one.
            Assert.False(Directory.Exists(Path.Combine(root, "keys")));
        }
        finally
        {
            TempDirectory.Delete(Path.GetDirectoryName(root)!);
        }
    }

    private static DatabaseMigrator Migrator(LifeOsDbContext db, DataDirectory dir) =>
        new(db, dir, new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.Zero)), NullLogger<DatabaseMigrator>.Instance);

    /// <summary>The model with one property that no migration adds: the drift check must see it.</summary>
    private sealed class ContextWithUnmigratedProperty(DbContextOptions<LifeOsDbContext> options) : LifeOsDbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder builder)
        {
            base.OnModelCreating(builder);
            builder.Entity<ApplicationUser>().Property<string>("FavouriteColour").HasMaxLength(20);
        }
    }
}
