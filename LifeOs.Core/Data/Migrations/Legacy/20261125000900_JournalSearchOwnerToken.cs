using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>The search index holds the owner as one token (see <see cref="JournalSearchSql"/>); rebuilt once.</summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000900_JournalSearchOwnerToken")]
public sealed class JournalSearchOwnerToken : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        JournalSearchSql.Drop(migrationBuilder);
        JournalSearchSql.AddOwnerColumn(migrationBuilder);
        JournalSearchSql.Create(migrationBuilder);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        JournalSearchSql.Drop(migrationBuilder);
        migrationBuilder.Sql("""ALTER TABLE "JournalEntries" DROP COLUMN "SearchOwner";""");
        JournalSearchSql.Create(migrationBuilder, owner: "UserId");
    }
}
