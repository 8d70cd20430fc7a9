using System;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations.Legacy;

/// <summary>
/// Journal entries, their tags, per-user templates and preferences, and the FTS5 index over title, body
/// and tags (an external-content table kept in step by three triggers).
/// </summary>
[DbContext(typeof(LegacyLifeOsDbContext))]
[Migration("20261125000400_AddJournal")]
public sealed class AddJournal : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.CreateTable(
            name: "JournalEntries",
            columns: table => new
            {
                Id = table.Column<long>(type: "INTEGER", nullable: false).Annotation("Sqlite:Autoincrement", true),
                Uid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                LocalDate = table.Column<DateOnly>(type: "TEXT", nullable: false),
                Week = table.Column<string>(type: "TEXT", maxLength: 8, nullable: true),
                Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                Body = table.Column<string>(type: "TEXT", nullable: false),
                Mood = table.Column<int>(type: "INTEGER", nullable: true),
                Energy = table.Column<int>(type: "INTEGER", nullable: true),
                Tags = table.Column<string>(type: "TEXT", nullable: false),
                WordCount = table.Column<int>(type: "INTEGER", nullable: false),
                CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_JournalEntries", x => x.Id);
                table.ForeignKey("FK_JournalEntries_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "JournalTags",
            columns: table => new
            {
                EntryId = table.Column<long>(type: "INTEGER", nullable: false),
                Name = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                UserId = table.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_JournalTags", x => new { x.EntryId, x.Name });
                table.ForeignKey("FK_JournalTags_JournalEntries_EntryId", x => x.EntryId, "JournalEntries", "Id", onDelete: ReferentialAction.Cascade);
                table.ForeignKey("FK_JournalTags_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "JournalTemplates",
            columns: table => new
            {
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                Kind = table.Column<string>(type: "TEXT", maxLength: 24, nullable: false),
                Body = table.Column<string>(type: "TEXT", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_JournalTemplates", x => new { x.UserId, x.Kind });
                table.ForeignKey("FK_JournalTemplates_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateTable(
            name: "JournalPreferences",
            columns: table => new
            {
                UserId = table.Column<string>(type: "TEXT", nullable: false),
                StreakGraceRule = table.Column<bool>(type: "INTEGER", nullable: false),
            },
            constraints: table =>
            {
                table.PrimaryKey("PK_JournalPreferences", x => x.UserId);
                table.ForeignKey("FK_JournalPreferences_AspNetUsers_UserId", x => x.UserId, "AspNetUsers", "Id", onDelete: ReferentialAction.Cascade);
            });

        migrationBuilder.CreateIndex(name: "IX_JournalEntries_UserId_Uid", table: "JournalEntries", columns: ["UserId", "Uid"], unique: true);
        migrationBuilder.CreateIndex(name: "IX_JournalEntries_UserId_LocalDate", table: "JournalEntries", columns: ["UserId", "LocalDate"]);
        migrationBuilder.CreateIndex(name: "IX_JournalEntries_UserId_Kind_LocalDate_Week", table: "JournalEntries", columns: ["UserId", "Kind", "LocalDate", "Week"]);
        migrationBuilder.CreateIndex(name: "IX_JournalTags_UserId_Name", table: "JournalTags", columns: ["UserId", "Name"]);

        // Full-text search. Porter stemming finds "running" for "run"; remove_diacritics finds "café" for "cafe".
        // UserId is indexed too, so a search is narrowed to one journal inside FTS5 itself, without
        // reading a table row per match.
        migrationBuilder.Sql("""
            CREATE VIRTUAL TABLE "JournalSearch" USING fts5(
                "Title", "Body", "Tags", "UserId",
                content='JournalEntries', content_rowid='Id',
                tokenize='porter unicode61 remove_diacritics 2');
            """);
        // Deleting an entry (or an account) removes its words from the index files too, not just logically.
        migrationBuilder.Sql("""INSERT INTO "JournalSearch"("JournalSearch", rank) VALUES ('secure-delete', 1);""");
        migrationBuilder.Sql("""
            CREATE TRIGGER "JournalEntries_AfterInsert" AFTER INSERT ON "JournalEntries" BEGIN
                INSERT INTO "JournalSearch"(rowid, "Title", "Body", "Tags", "UserId") VALUES (new."Id", new."Title", new."Body", new."Tags", new."UserId");
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "JournalEntries_AfterDelete" AFTER DELETE ON "JournalEntries" BEGIN
                INSERT INTO "JournalSearch"("JournalSearch", rowid, "Title", "Body", "Tags", "UserId") VALUES ('delete', old."Id", old."Title", old."Body", old."Tags", old."UserId");
            END;
            """);
        migrationBuilder.Sql("""
            CREATE TRIGGER "JournalEntries_AfterUpdate" AFTER UPDATE OF "Title", "Body", "Tags", "UserId" ON "JournalEntries" BEGIN
                INSERT INTO "JournalSearch"("JournalSearch", rowid, "Title", "Body", "Tags", "UserId") VALUES ('delete', old."Id", old."Title", old."Body", old."Tags", old."UserId");
                INSERT INTO "JournalSearch"(rowid, "Title", "Body", "Tags", "UserId") VALUES (new."Id", new."Title", new."Body", new."Tags", new."UserId");
            END;
            """);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterUpdate\";");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterDelete\";");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterInsert\";");
        migrationBuilder.Sql("DROP TABLE IF EXISTS \"JournalSearch\";");
        migrationBuilder.DropTable(name: "JournalPreferences");
        migrationBuilder.DropTable(name: "JournalTemplates");
        migrationBuilder.DropTable(name: "JournalTags");
        migrationBuilder.DropTable(name: "JournalEntries");
    }
}
