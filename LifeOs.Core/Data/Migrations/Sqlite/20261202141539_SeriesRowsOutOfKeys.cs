using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SeriesRowsOutOfKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_Metric_Source_SourceRecordId",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_StartUtc",
                table: "Samples");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_Metric_Source_SourceRecordId",
                table: "Samples",
                columns: new[] { "UserNumber", "Metric", "Source", "SourceRecordId" },
                unique: true,
                filter: "\"Metric\" <> 16 OR \"Source\" <> 0");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_StartUtc",
                table: "Samples",
                columns: new[] { "UserNumber", "StartUtc" },
                filter: "\"Metric\" <> 16 OR \"Source\" <> 0");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_Metric_Source_SourceRecordId",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserNumber_StartUtc",
                table: "Samples");

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_Metric_Source_SourceRecordId",
                table: "Samples",
                columns: new[] { "UserNumber", "Metric", "Source", "SourceRecordId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserNumber_StartUtc",
                table: "Samples",
                columns: new[] { "UserNumber", "StartUtc" });
        }
    }
}
