using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Oura's heart-rate record ids (<c>1700000000:awake</c>) lose the instant they begin with, which the row's start
    /// already holds (<c>:awake</c>; SeriesRows.Stored): 9 bytes of each of a ring owner's millions of readings. Only ids
    /// that begin with their own row's instant change; reads put it back. The migrator VACUUMs after it.
    /// </summary>
    public partial class SeriesRecordIdsWithoutInstant : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "Samples" SET "SourceRecordId" = substr("SourceRecordId", length(CAST("StartUtc" AS TEXT)) + 1)
                WHERE "Metric" = 16 AND "Source" = 0
                  AND substr("SourceRecordId", 1, length(CAST("StartUtc" AS TEXT)) + 1) = CAST("StartUtc" AS TEXT) || ':';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE "Samples" SET "SourceRecordId" = CAST("StartUtc" AS TEXT) || "SourceRecordId"
                WHERE "Metric" = 16 AND "Source" = 0 AND substr("SourceRecordId", 1, 1) = ':';
                """);
        }
    }
}
