using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Data;

/// <summary>
/// What <c>dotnet ef</c> builds the context with (<c>dotnet ef migrations add X --project LifeOs.Core</c>):
/// the app's Identity schema version (without it the model falls back to version 1, without passkeys)
/// and a throwaway SQLite database, so no configuration or start-up code runs.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<LifeOsDbContext>
{
    public LifeOsDbContext CreateDbContext(string[] args) => new(Options("Data Source=design-time.db"));

    /// <summary>Options as the app builds them, for the design-time tools and for migrating legacy databases.</summary>
    internal static DbContextOptions<LifeOsDbContext> Options(string connectionString)
    {
        var services = new ServiceCollection()
            .Configure<IdentityOptions>(o => o.Stores.SchemaVersion = LifeOsDbContext.IdentitySchemaVersion)
            .BuildServiceProvider();
        return new DbContextOptionsBuilder<LifeOsDbContext>()
            .UseSqlite(connectionString)
            .UseApplicationServiceProvider(services)
            .Options;
    }
}
