using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>A covering index for reading a range of daily values (the dashboard reads years per page view).</summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000800_AddDailyValueRangeIndex")]
public sealed class AddDailyValueRangeIndex : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) =>
        migrationBuilder.CreateIndex(
            name: "IX_DailyValues_Range",
            table: "DailyValues",
            columns: ["UserId", "MetricCode", "LocalDate", "Value"]);

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.DropIndex(name: "IX_DailyValues_Range", table: "DailyValues");
}
