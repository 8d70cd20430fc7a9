using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>A user's own order of sources per metric group, where they changed the default.</summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000300_AddSourcePriorities")]
public sealed class AddSourcePriorities : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "SourcePriorities",
            columns: table => new
            {
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                Group = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                Sources = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_SourcePriorities", x => new { x.UserId, x.Group });
                table.ForeignKey("FK_SourcePriorities_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "SourcePriorities");
}
