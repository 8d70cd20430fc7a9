using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>Per-user preferences (time zone, units, day start), account timestamps and install-wide settings.</summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000100_AddAccountSettings")]
public sealed class AddAccountSettings : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<string>(name: "TimeZoneId", table: "AspNetUsers", type: "TEXT", maxLength: 64, nullable: false, defaultValue: "UTC");
        migrationBuilder.AddColumn<string>(name: "UnitSystem", table: "AspNetUsers", type: "TEXT", maxLength: 16, nullable: false, defaultValue: "Metric");
        migrationBuilder.AddColumn<int>(name: "DayStartHour", table: "AspNetUsers", type: "INTEGER", nullable: false, defaultValue: 0);
        migrationBuilder.AddColumn<DateTime>(name: "CreatedAt", table: "AspNetUsers", type: "TEXT", nullable: false, defaultValue: Accounts.AccountDefaults.CreatedAtPlaceholder);
        migrationBuilder.AddColumn<DateTime>(name: "LastSignInAt", table: "AspNetUsers", type: "TEXT", nullable: true);

        migrationBuilder.CreateTable(
            name: "AppSettings",
            columns: table => new
            {
                Key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                Value = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table => table.PrimaryKey("PK_AppSettings", x => x.Key));
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        // SQLite cannot rebuild tables without a target model, so drop columns in plain SQL (SQLite >= 3.35).
        migrationBuilder.DropTable(name: "AppSettings");
        foreach (var column in new[] { "TimeZoneId", "UnitSystem", "DayStartHour", "CreatedAt", "LastSignInAt" })
        {
            migrationBuilder.Sql($"ALTER TABLE \"AspNetUsers\" DROP COLUMN \"{column}\";");
        }
    }
}
