using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Data;

/// <summary>
/// What <c>dotnet ef</c> builds the SQLite context with (<c>dotnet ef migrations add X --project LifeOs.Core --context LifeOsDbContext</c>):
/// the app's Identity schema version (without it the model falls back to version 1, without passkeys)
/// and a throwaway SQLite database, so no configuration or start-up code runs.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LifeOsDbContext>
{
    public LifeOsDbContext CreateDbContext(string[] args) => new(Options("Data Source=design-time.db"));

    /// <summary>Options as the app builds them, for the design-time tools and for migrating legacy databases.</summary>
    internal static DbContextOptions<LifeOsDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<LifeOsDbContext>()
            .UseSqlite(connectionString)
            .UseApplicationServiceProvider(IdentityModelServices())
            .Options;

    /// <summary>The services IdentityDbContext reads its schema version from when it builds the model.</summary>
    internal static IServiceProvider IdentityModelServices() =>
        new ServiceCollection()
            .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = LifeOsDbContext.IdentitySchemaVersion)
            .BuildServiceProvider();
}

/// <summary>
/// The PostgreSQL context for <c>dotnet ef migrations add X --project LifeOs.Core --context PostgresLifeOsDbContext
/// --output-dir Data/Migrations/PostgreSQL</c>. Adding a migration does not connect; the connection string is a placeholder.
/// </summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresLifeOsDbContext>
{
    public PostgresLifeOsDbContext CreateDbContext(string[] args) => new(Options("Host=localhost;Database=lifeos_design_time"));

    internal static DbContextOptions<PostgresLifeOsDbContext> Options(string connectionString) =>
        new DbContextOptionsBuilder<PostgresLifeOsDbContext>()
            .UseNpgsql(connectionString)
            .UseApplicationServiceProvider(DesignTimeDbContextFactory.IdentityModelServices())
            .Options;
}
