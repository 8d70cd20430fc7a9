using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>Sync history (one row per attempt) and a cursor per connection and data type.</summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000700_AddSync")]
public sealed class AddSync : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "SyncRuns",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                ConnectionId = table.Column<long>(type: "INTEGER", nullable: false),
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                Trigger = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                QueuedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                StartedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                FinishedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                Progress = table.Column<int>(type: "INTEGER", nullable: false),
                SamplesWritten = table.Column<int>(type: "INTEGER", nullable: false),
                Requests = table.Column<int>(type: "INTEGER", nullable: false),
                CountsJson = table.Column<string>(type: "TEXT", nullable: false),
                Error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_SyncRuns", x => x.Id);
                table.ForeignKey("FK_SyncRuns_Connections_ConnectionId", x => x.ConnectionId, "Connections", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "SyncCursors",
            columns: table => new
            {
                ConnectionId = table.Column<long>(type: "INTEGER", nullable: false),
                DataType = table.Column<string>(type: "TEXT", maxLength: 32, nullable: false),
                HistoryFrom = table.Column<DateOnly>(type: "TEXT", nullable: false),
                CompleteThrough = table.Column<DateOnly>(type: "TEXT", nullable: true),
                UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_SyncCursors", x => new { x.ConnectionId, x.DataType });
                table.ForeignKey("FK_SyncCursors_Connections_ConnectionId", x => x.ConnectionId, "Connections", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_SyncRuns_ConnectionId_QueuedAt", table: "SyncRuns", columns: ["ConnectionId", "QueuedAt"]);
        migrationBuilder.CreateIndex(name: "IX_SyncRuns_ConnectionId_Active", table: "SyncRuns", column: "ConnectionId", unique: true,
            filter: "\"Status\" IN ('Queued', 'Running')");
        migrationBuilder.CreateIndex(name: "IX_SyncRuns_QueuedAt", table: "SyncRuns", column: "QueuedAt");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "SyncCursors");
        migrationBuilder.DropTable(name: "SyncRuns");
    }
}
