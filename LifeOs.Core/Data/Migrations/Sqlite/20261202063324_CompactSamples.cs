using System;
using Microsoft.EntityFrameworkCore.Migrations;
using static LifeOs.Core.Data.Migrations.CompactSamplesSql;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Sqlite
{
    /// <summary>
    /// Samples in compact columns, without the index of the samples LifeOs dated: the owner as a <c>UserNumbers</c> number instead of a 36-character user id, the metric and
    /// the source as numbers, instants as seconds since 1970 and days as day numbers. Existing rows are converted in
    /// SQL (ids kept), by copying into a new table: SQLite cannot change a column's type in place.
    /// </summary>
    /// <remarks>Written by hand from what <c>dotnet ef migrations add</c> generated, which would have dropped every user id and kept text in integer columns.</remarks>
    public partial class CompactSamples : Migration
    {
        // strftime reads EF Core's and HealthStore's text times ("yyyy-MM-dd HH:mm:ss.fffffff") and gives whole seconds since
        // 1970, rounded down as CompactTime.ToSeconds does; for julianday() in the day below, 2440587.5 is 1970-01-01.
        private static string Seconds(string column) => $"CAST(strftime('%s', {column}) AS INTEGER)";

        private static string Text(string column) => $"strftime('%Y-%m-%d %H:%M:%f', {column}, 'unixepoch')";

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UserNumbers",
                columns: table => new
                {
                    Number = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_UserNumbers", x => x.Number);
                    table.ForeignKey(
                        name: "FK_UserNumbers_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_UserNumbers_UserId",
                table: "UserNumbers",
                column: "UserId",
                unique: true);

            migrationBuilder.Sql("INSERT INTO \"UserNumbers\" (\"UserId\") SELECT DISTINCT \"UserId\" FROM \"Samples\" ORDER BY \"UserId\";");

            migrationBuilder.CreateTable(
                name: "CompactSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserNumber = table.Column<int>(type: "INTEGER", nullable: false),
                    Metric = table.Column<int>(type: "INTEGER", nullable: false),
                    Source = table.Column<int>(type: "INTEGER", nullable: false),
                    SourceRecordId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    StartUtc = table.Column<long>(type: "INTEGER", nullable: false),
                    EndUtc = table.Column<long>(type: "INTEGER", nullable: true),
                    LocalDate = table.Column<int>(type: "INTEGER", nullable: false),
                    DayFromSource = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    Value = table.Column<double>(type: "REAL", nullable: false),
                    UpdatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    Excluded = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    ImportBatchId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Samples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Samples_UserNumbers_UserNumber",
                        column: x => x.UserNumber,
                        principalTable: "UserNumbers",
                        principalColumn: "Number",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql($"""
                INSERT INTO "CompactSamples" ("Id", "UserNumber", "Metric", "Source", "SourceRecordId", "StartUtc", "EndUtc", "LocalDate", "DayFromSource", "Value", "UpdatedAt", "Excluded", "ImportBatchId")
                SELECT s."Id", n."Number", {ToNumber("s.\"MetricCode\"", Metrics)}, {ToNumber("s.\"Source\"", Sources)}, s."SourceRecordId",
                    {Seconds("s.\"StartUtc\"")}, {Seconds("s.\"EndUtc\"")}, CAST(julianday(s."LocalDate") - 2440587.5 AS INTEGER),
                    s."DayFromSource", s."Value", {Seconds("s.\"UpdatedAt\"")}, s."Excluded", s."ImportBatchId"
                FROM "Samples" AS s JOIN "UserNumbers" AS n ON n."UserId" = s."UserId";
                """);

            migrationBuilder.DropTable(name: "Samples");
            migrationBuilder.RenameTable(name: "CompactSamples", newName: "Samples");
            CreateIndexes(migrationBuilder, "UserNumber", "Metric");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "TextSamples",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    UserId = table.Column<string>(type: "TEXT", nullable: false),
                    MetricCode = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                    Source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    SourceRecordId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    StartUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    EndUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    DayFromSource = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    Value = table.Column<double>(type: "REAL", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Excluded = table.Column<bool>(type: "INTEGER", nullable: false, defaultValue: false),
                    ImportBatchId = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Samples", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Samples_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.Sql($"""
                INSERT INTO "TextSamples" ("Id", "UserId", "MetricCode", "Source", "SourceRecordId", "StartUtc", "EndUtc", "LocalDate", "DayFromSource", "Value", "UpdatedAt", "Excluded", "ImportBatchId")
                SELECT s."Id", n."UserId", {ToText("s.\"Metric\"", Metrics)}, {ToText("s.\"Source\"", Sources)}, s."SourceRecordId",
                    {Text("s.\"StartUtc\"")}, {Text("s.\"EndUtc\"")}, date(s."LocalDate" * 86400, 'unixepoch'),
                    s."DayFromSource", s."Value", {Text("s.\"UpdatedAt\"")}, s."Excluded", s."ImportBatchId"
                FROM "Samples" AS s JOIN "UserNumbers" AS n ON n."Number" = s."UserNumber";
                """);

            migrationBuilder.DropTable(name: "Samples");
            migrationBuilder.DropTable(name: "UserNumbers");
            migrationBuilder.RenameTable(name: "TextSamples", newName: "Samples");
            CreateIndexes(migrationBuilder, "UserId", "MetricCode");
            migrationBuilder.CreateIndex(
                name: "IX_Samples_DatedByLifeOs",
                table: "Samples",
                columns: new[] { "UserId", "Id" },
                filter: "\"DayFromSource\" = 0");
        }

        /// <summary>
        /// The indexes both sides have, on the owner and metric columns of either side. The index of the samples LifeOs dated
        /// (owner, id) is gone from the compact side: nearly every sample is in it, and re-dating walks the table instead.
        /// </summary>
        private static void CreateIndexes(MigrationBuilder migrationBuilder, string owner, string metric)
        {
            migrationBuilder.CreateIndex(
                name: $"IX_Samples_{owner}_ImportBatchId",
                table: "Samples",
                columns: new[] { owner, "ImportBatchId" },
                filter: "\"ImportBatchId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: $"IX_Samples_{owner}_{metric}_LocalDate",
                table: "Samples",
                columns: new[] { owner, metric, "LocalDate" });

            migrationBuilder.CreateIndex(
                name: $"IX_Samples_{owner}_{metric}_Source_SourceRecordId",
                table: "Samples",
                columns: new[] { owner, metric, "Source", "SourceRecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: $"IX_Samples_{owner}_{metric}_StartUtc",
                table: "Samples",
                columns: new[] { owner, metric, "StartUtc" });

            migrationBuilder.CreateIndex(
                name: $"IX_Samples_{owner}_StartUtc",
                table: "Samples",
                columns: new[] { owner, "StartUtc" });
        }
    }
}
