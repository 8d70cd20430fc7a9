using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>Normalised health samples from every source, and the per-day values computed from them.</summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000200_AddHealthData")]
public sealed class AddHealthData : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Samples",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                MetricCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                SourceRecordId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                StartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                EndUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                Value = table.Column<double>(type: "REAL", nullable: false),
                UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Samples", x => x.Id);
                table.ForeignKey("FK_Samples_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "DailyValues",
            columns: table => new
            {
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                MetricCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                Value = table.Column<double>(type: "REAL", nullable: false),
                Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                SampleCount = table.Column<int>(type: "INTEGER", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_DailyValues", x => new { x.UserId, x.MetricCode, x.LocalDate });
                table.ForeignKey("FK_DailyValues_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(
            name: "IX_Samples_UserId_MetricCode_Source_SourceRecordId",
            table: "Samples",
            columns: ["UserId", "MetricCode", "Source", "SourceRecordId"],
            unique: true);
        migrationBuilder.CreateIndex(
            name: "IX_Samples_UserId_MetricCode_LocalDate",
            table: "Samples",
            columns: ["UserId", "MetricCode", "LocalDate"]);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "DailyValues");
        migrationBuilder.DropTable(name: "Samples");
    }
}
