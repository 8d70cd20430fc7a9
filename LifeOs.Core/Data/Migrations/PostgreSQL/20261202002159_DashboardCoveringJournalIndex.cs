using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.PostgreSQL
{
    /// <inheritdoc />
    public partial class DashboardCoveringJournalIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_JournalEntries_UserId_LocalDate",
                table: "JournalEntries");

            migrationBuilder.CreateIndex(
                name: "IX_JournalEntries_UserId_LocalDate",
                table: "JournalEntries",
                columns: new[] { "UserId", "LocalDate" })
                .Annotation("Npgsql:IndexInclude", new[] { "Mood", "Energy" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_JournalEntries_UserId_LocalDate",
                table: "JournalEntries");

            migrationBuilder.CreateIndex(
                name: "IX_JournalEntries_UserId_LocalDate",
                table: "JournalEntries",
                columns: new[] { "UserId", "LocalDate" });
        }
    }
}
