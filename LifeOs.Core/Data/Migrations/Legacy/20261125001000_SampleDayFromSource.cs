using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>
/// Whether a sample's local day came from its source, so that a change of time zone or day start can
/// re-date the others. Existing rows: Oura's daily documents carried a day (its heart-rate series did
/// not); Withings records are taken as carrying one (a measure group that came without Withings' time
/// zone did not; only those synced again, within the sync's 3-day overlap, are corrected); manual entries
/// and imports are taken as not, although a date-only CSV row imported before this migration named its
/// day (placed at local noon, it moves only with a change of 12 hours or more).
/// </summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125001000_SampleDayFromSource")]
public sealed class SampleDayFromSource : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.AddColumn<bool>(
            name: "DayFromSource",
            table: "Samples",
            type: "INTEGER",
            nullable: false,
            defaultValue: false);
        migrationBuilder.Sql("""
            UPDATE "Samples" SET "DayFromSource" = 1
            WHERE ("Source" = 'Oura' AND "MetricCode" <> 'heart_rate') OR "Source" = 'Withings';
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql("""ALTER TABLE "Samples" DROP COLUMN "DayFromSource";""");
}
