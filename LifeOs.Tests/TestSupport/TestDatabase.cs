using LifeOs.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.TestSupport;

public static class TestDatabase
{
    /// <summary>
    /// Context options as the app builds them. IdentityDbContext reads the schema version from the
    /// application's IdentityOptions; without them the model silently falls back to version 1.
    /// </summary>
    public static DbContextOptions<LifeOsDbContext> Options(SqliteConnection connection)
    {
        var services = new ServiceCollection()
            .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = IdentitySchemaVersions.Version3)
            .BuildServiceProvider();
        return new DbContextOptionsBuilder<LifeOsDbContext>()
            .UseSqlite(connection)
            .UseApplicationServiceProvider(services)
            .Options;
    }

    /// <summary>The audit log of a service built by hand over <paramref name="db"/>: the server acting, default retention.</summary>
    public static LifeOs.Core.Audit.AuditLog AuditLog(LifeOsDbContext db, TimeProvider time) =>
        new(db, new LifeOs.Core.Audit.ServerAuditClient(), time, Microsoft.Extensions.Options.Options.Create(new LifeOs.Core.Audit.AuditOptions()),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<LifeOs.Core.Audit.AuditLog>.Instance);

    public static SqliteConnection OpenInMemory()
    {
        var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        return connection;
    }
}
