using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>
/// Owns the hand-written migrations of LifeOs 0.1 (before <c>dotnet ef</c> could be used), so that a
/// database created by them can be brought to their last step and then carried over to the generated
/// migrations (see <see cref="DatabaseMigrator"/>). EF finds migrations by their exact context type, so
/// <see cref="LifeOsDbContext"/> never sees these. Nothing else uses this context.
/// </summary>
public sealed class LegacyLifeOsDbContext(DbContextOptions<LifeOsDbContext> options) : LifeOsDbContext(options)
{
    /// <summary>The last hand-written migration; every legacy database is brought here before the hand-over.</summary>
    public const string LastMigration = "20261125001000_SampleDayFromSource";
}
