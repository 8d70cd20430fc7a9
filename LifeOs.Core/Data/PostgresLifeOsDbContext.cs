using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Data;

/// <summary>
/// The LifeOs model on PostgreSQL (<c>LifeOs:Database:Provider = PostgreSQL</c>). Registered as the
/// <see cref="LifeOsDbContext"/> service, so the app never names it; it exists so that its migrations
/// (<c>Data/Migrations/PostgreSQL</c>) and snapshot are found apart from SQLite's.
/// </summary>
public sealed class PostgresLifeOsDbContext(DbContextOptions<PostgresLifeOsDbContext> options) : LifeOsDbContext(options)
{
    /// <summary>The journal entries' shadow column that holds their words for search (PostgreSQL only).</summary>
    public const string SearchVector = "SearchVector";

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // Journal search: FTS5 lives outside the model on SQLite; here a stored tsvector column and its GIN index
        // (the text search configuration it names is created by the JournalSearch migration, see PostgresJournalSearchSql).
        var journal = builder.Entity<Journal.JournalEntry>();
        journal.Property<NpgsqlTypes.NpgsqlTsVector>(SearchVector).HasComputedColumnSql(Migrations.PostgresJournalSearchSql.Vector, stored: true);
        journal.HasIndex(SearchVector).HasMethod("GIN");
        // The dashboard's mood, energy and entries per day read from this index alone: the rows themselves are wide
        // (body, search vector), so without the two values here PostgreSQL scans the whole table for a year of entries.
        journal.HasIndex(e => new { e.UserId, e.LocalDate }).IncludeProperties(e => new { e.Mood, e.Energy });
    }
}
