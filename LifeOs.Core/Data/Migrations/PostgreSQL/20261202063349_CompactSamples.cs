using Microsoft.EntityFrameworkCore.Migrations;
using static LifeOs.Core.Data.Migrations.CompactSamplesSql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LifeOs.Core.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class CompactSamples : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "UserNumbers",
                columns: table => new
                {
                    Number = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false)
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

            migrationBuilder.AddColumn<int>(
                name: "UserNumber",
                table: "Samples",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            // The owners' numbers, then each sample's, before its user id goes.
            migrationBuilder.Sql("INSERT INTO \"UserNumbers\" (\"UserId\") SELECT DISTINCT \"UserId\" FROM \"Samples\" ORDER BY \"UserId\";");
            migrationBuilder.Sql("UPDATE \"Samples\" AS s SET \"UserNumber\" = n.\"Number\" FROM \"UserNumbers\" AS n WHERE n.\"UserId\" = s.\"UserId\";");
            migrationBuilder.Sql("ALTER TABLE \"Samples\" ALTER COLUMN \"UserNumber\" DROP DEFAULT;");

            migrationBuilder.DropForeignKey(
                name: "FK_Samples_AspNetUsers_UserId",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_DatedByLifeOs",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserId_ImportBatchId",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserId_MetricCode_LocalDate",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserId_MetricCode_Source_SourceRecordId",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserId_MetricCode_StartUtc",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserId_StartUtc",
                table: "Samples");

            migrationBuilder.DropColumn(
                name: "UserId",
                table: "Samples");

            migrationBuilder.RenameColumn(
                name: "MetricCode",
                table: "Samples",
                newName: "Metric");

            // The metric and source as numbers, converted by the frozen mappings (an unknown text becomes NULL, which the
            // column refuses: the migration fails whole). dotnet ef generated a plain cast, which fails on "heart_rate".
            migrationBuilder.Sql($"ALTER TABLE \"Samples\" ALTER COLUMN \"Source\" TYPE integer USING {ToNumber("\"Source\"", Sources)};");
            migrationBuilder.Sql($"ALTER TABLE \"Samples\" ALTER COLUMN \"Metric\" TYPE integer USING {ToNumber("\"Metric\"", Metrics)};");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_ImportBatchId",
                table: "Samples",
                columns: new[] { "UserNumber", "ImportBatchId" },
                filter: "\"ImportBatchId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_Metric_LocalDate",
                table: "Samples",
                columns: new[] { "UserNumber", "Metric", "LocalDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_Metric_Source_SourceRecordId",
                table: "Samples",
                columns: new[] { "UserNumber", "Metric", "Source", "SourceRecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_Metric_StartUtc",
                table: "Samples",
                columns: new[] { "UserNumber", "Metric", "StartUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_StartUtc",
                table: "Samples",
                columns: new[] { "UserNumber", "StartUtc" });

            migrationBuilder.AddForeignKey(
                name: "FK_Samples_UserNumbers_UserNumber",
                table: "Samples",
                column: "UserNumber",
                principalTable: "UserNumbers",
                principalColumn: "Number",
                onDelete: ReferentialAction.Cascade);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "UserId",
                table: "Samples",
                type: "text",
                nullable: false,
                defaultValue: "");

            migrationBuilder.Sql("UPDATE \"Samples\" AS s SET \"UserId\" = n.\"UserId\" FROM \"UserNumbers\" AS n WHERE n.\"Number\" = s.\"UserNumber\";");
            migrationBuilder.Sql("ALTER TABLE \"Samples\" ALTER COLUMN \"UserId\" DROP DEFAULT;");

            migrationBuilder.DropForeignKey(
                name: "FK_Samples_UserNumbers_UserNumber",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_ImportBatchId",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_Metric_LocalDate",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_Metric_Source_SourceRecordId",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_Metric_StartUtc",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_StartUtc",
                table: "Samples");

            migrationBuilder.DropColumn(
                name: "UserNumber",
                table: "Samples");

            migrationBuilder.DropTable(
                name: "UserNumbers");

            migrationBuilder.RenameColumn(
                name: "Metric",
                table: "Samples",
                newName: "MetricCode");

            migrationBuilder.Sql($"ALTER TABLE \"Samples\" ALTER COLUMN \"Source\" TYPE character varying(16) USING {ToText("\"Source\"", Sources)};");
            migrationBuilder.Sql($"ALTER TABLE \"Samples\" ALTER COLUMN \"MetricCode\" TYPE character varying(32) USING {ToText("\"MetricCode\"", Metrics)};");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_DatedByLifeOs",
                table: "Samples",
                columns: new[] { "UserId", "Id" },
                filter: "NOT \"DayFromSource\"");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserId_ImportBatchId",
                table: "Samples",
                columns: new[] { "UserId", "ImportBatchId" },
                filter: "\"ImportBatchId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserId_MetricCode_LocalDate",
                table: "Samples",
                columns: new[] { "UserId", "MetricCode", "LocalDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserId_MetricCode_Source_SourceRecordId",
                table: "Samples",
                columns: new[] { "UserId", "MetricCode", "Source", "SourceRecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserId_MetricCode_StartUtc",
                table: "Samples",
                columns: new[] { "UserId", "MetricCode", "StartUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserId_StartUtc",
                table: "Samples",
                columns: new[] { "UserId", "StartUtc" });

            migrationBuilder.AddForeignKey(
                name: "FK_Samples_AspNetUsers_UserId",
                table: "Samples",
                column: "UserId",
                principalTable: "AspNetUsers",
                principalColumn: "Id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
