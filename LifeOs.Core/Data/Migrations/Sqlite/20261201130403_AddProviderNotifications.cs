using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddProviderNotifications : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ProviderNotifications",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    ReceivedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    DedupKey = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    ConnectionId = table.Column<long>(type: "INTEGER", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    DataType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    EventType = table.Column<string>(type: "TEXT", maxLength: 16, nullable: true),
                    ObjectId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: true),
                    WindowFrom = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    WindowTo = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    SyncRunId = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    ProcessedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ProviderNotifications", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ProviderNotifications_Connections_ConnectionId",
                        column: x => x.ConnectionId,
                        principalTable: "Connections",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.SetNull);
                });

            migrationBuilder.CreateIndex(
                name: "IX_ProviderNotifications_ConnectionId_Status",
                table: "ProviderNotifications",
                columns: new[] { "ConnectionId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_ProviderNotifications_Provider_DedupKey",
                table: "ProviderNotifications",
                columns: new[] { "Provider", "DedupKey" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ProviderNotifications_ReceivedAt",
                table: "ProviderNotifications",
                column: "ReceivedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ProviderNotifications_SyncRunId",
                table: "ProviderNotifications",
                column: "SyncRunId");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ProviderNotifications");
        }
    }
}
