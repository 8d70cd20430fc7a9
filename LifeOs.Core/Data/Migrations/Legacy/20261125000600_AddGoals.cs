using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>Goals: what the user aims for. Results are computed from the data, so none are stored.</summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000600_AddGoals")]
public sealed class AddGoals : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Goals",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                Kind = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                MetricCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                Comparison = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                Target = table.Column<double>(type: "REAL", nullable: false),
                DaysPerWeek = table.Column<int>(type: "INTEGER", nullable: true),
                JournalKind = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                StartDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                EndDate = table.Column<DateOnly>(type: "TEXT", nullable: true),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                ArchivedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Goals", x => x.Id);
                table.ForeignKey("FK_Goals_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });
        migrationBuilder.CreateIndex(name: "IX_Goals_UserId", table: "Goals", column: "UserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.DropTable(name: "Goals");
}
