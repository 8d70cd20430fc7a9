using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Data;

/// <summary>
/// The LifeOs model on PostgreSQL (<c>LifeOs:Database:Provider = PostgreSQL</c>). Registered as the
/// <see cref="LifeOsDbContext"/> service, so the app never names it; it exists so that its migrations
/// (<c>Data/Migrations/PostgreSQL</c>) and snapshot are found apart from SQLite's.
/// </summary>
public sealed class PostgresLifeOsDbContext(DbContextOptions<PostgresLifeOsDbContext> options) : LifeOsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Partial index conditions are SQL: SQLite keeps booleans as 0 and 1, PostgreSQL compares booleans only with booleans.
        builder.Entity<Health.Sample>().HasIndex(s => new { s.UserId, s.Id }).HasDatabaseName("IX_Samples_DatedByLifeOs").HasFilter("NOT \"DayFromSource\"");
    }
}
