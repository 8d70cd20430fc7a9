using LifeOs.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace LifeOs.Tests.TestSupport;

/// <summary>The database engines LifeOs runs on; the provider-neutral suites run their tests on each.</summary>
public enum Engine
{
    Sqlite,
    PostgreSql,
}

/// <summary>
/// A migrated, empty database of its own on one engine, for a provider-neutral test:
/// <c>[Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]</c>. SQLite is in memory
/// (one connection kept open), PostgreSQL a new database on the test cluster (<see cref="PostgresServer"/>).
/// </summary>
public sealed class EngineDatabase : IDisposable
{
    private readonly SqliteConnection? sqlite;
    private readonly DbContextOptions options;

    private EngineDatabase(Engine engine, string? migration)
    {
        Engine = engine;
        if (engine == Engine.Sqlite)
        {
            sqlite = TestDatabase.OpenInMemory();
            options = TestDatabase.Options(sqlite);
        }
        else
        {
            ConnectionString = PostgresServer.CreateDatabase();
            options = PostgresServer.Options(ConnectionString);
        }

        using var db = NewContext();
        db.GetService<Microsoft.EntityFrameworkCore.Migrations.IMigrator>().Migrate(migration);
    }

    public static TheoryData<Engine> Engines => [Engine.Sqlite, Engine.PostgreSql];

    public Engine Engine { get; }

    /// <summary>The PostgreSQL database's connection string (null on SQLite, whose database lives in its open connection).</summary>
    public string? ConnectionString { get; }

    public static EngineDatabase Create(Engine engine) => new(engine, null);

    /// <summary>A database migrated only as far as <paramref name="migration"/> (a migration's id in that engine's set), to test the ones after it.</summary>
    public static EngineDatabase CreateAt(Engine engine, string migration) => new(engine, migration);

    /// <summary>A new context on this database, as the app would get one from its container.</summary>
    public LifeOsDbContext NewContext() => Engine == Engine.Sqlite
        ? new LifeOsDbContext((DbContextOptions<LifeOsDbContext>)options)
        : new PostgresLifeOsDbContext((DbContextOptions<PostgresLifeOsDbContext>)options);

    /// <summary>Settings that put a <see cref="LifeOsAppFactory"/> on this engine (SQLite: the factory's own file).</summary>
    public static Dictionary<string, string?> AppSettings(Engine engine, Dictionary<string, string?>? more = null) =>
        engine == Engine.Sqlite ? new Dictionary<string, string?>(more ?? []) : PostgresServer.AppSettings(more);

    public void Dispose() => sqlite?.Dispose();
}
