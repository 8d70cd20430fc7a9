using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class SampleTimeOrderIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserId_MetricCode_StartUtc",
                table: "Samples",
                columns: new[] { "UserId", "MetricCode", "StartUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Samples_UserId_StartUtc",
                table: "Samples",
                columns: new[] { "UserId", "StartUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Samples_UserId_MetricCode_StartUtc",
                table: "Samples");

            migrationBuilder.DropIndex(
                name: "IX_Samples_UserId_StartUtc",
                table: "Samples");
        }
    }
}
