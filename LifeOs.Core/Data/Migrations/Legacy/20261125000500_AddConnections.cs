using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>Provider connections (encrypted tokens, refresh lease) and pending OAuth states.</summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000500_AddConnections")]
public sealed class AddConnections : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "Connections",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                Provider = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                ProviderUserId = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                Status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                StatusDetail = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                GrantedScopes = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                ProtectedAccessToken = table.Column<string>(type: "TEXT", nullable: false),
                ProtectedRefreshToken = table.Column<string>(type: "TEXT", nullable: false),
                AccessTokenExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                ConnectedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                LastRefreshedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                LastSyncedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
                RefreshLeaseUntil = table.Column<DateTime>(type: "TEXT", nullable: true),
                Version = table.Column<int>(type: "INTEGER", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_Connections", x => x.Id);
                table.ForeignKey("FK_Connections_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "OAuthStates",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                Provider = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                StateHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                RedirectUri = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                ProtectedCodeVerifier = table.Column<string>(type: "TEXT", nullable: true),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_OAuthStates", x => x.Id);
                table.ForeignKey("FK_OAuthStates_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_Connections_UserId_Provider", table: "Connections", columns: ["UserId", "Provider"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_Connections_Provider_ProviderUserId", table: "Connections", columns: ["Provider", "ProviderUserId"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_OAuthStates_StateHash", table: "OAuthStates", column: "StateHash", unique: true);
        migrationBuilder.CreateIndex(name: "IX_OAuthStates_ExpiresAt", table: "OAuthStates", column: "ExpiresAt");
        // EF's index for the foreign key (Connections' is covered by its unique (UserId, Provider) index).
        migrationBuilder.CreateIndex(name: "IX_OAuthStates_UserId", table: "OAuthStates", column: "UserId");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.DropTable(name: "OAuthStates");
        migrationBuilder.DropTable(name: "Connections");
    }
}
