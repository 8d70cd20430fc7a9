using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LifeOs.Core.Data.Migrations;

/// <summary>
/// The search index narrows to one journal by its owner. A user id such as
/// "ac9c87ba-96f3-4a31-8652-219bd6ad889d" is five tokens to FTS5, so that narrowing was a five-word
/// phrase, matched position by position for every entry and scored again by bm25 for every match.
/// The index now holds the owner as one token: the id in hexadecimal (letters and digits only, so any
/// id is one token, and case folding cannot join two ids) and a trailing "0" (the Porter stemmer never
/// shortens a token that ends in a digit). A virtual generated column computes it, so the external
/// content table still answers for every column and 'rebuild' stays possible. The index is rebuilt once.
/// hex() reads the stored text, so the C# side (UTF-8 bytes) agrees only in a UTF-8 database, which is
/// what LifeOs creates (SQLite's default).
/// </summary>
[DbContext(typeof(LifeOsDbContext))]
[Migration("20261125000900_JournalSearchOwnerToken")]
public sealed class JournalSearchOwnerToken : Migration
{
    /// <summary>The SQL expression for the owner token; <see cref="Journal.JournalSearch.OwnerToken"/> computes the same in C#.</summary>
    public const string OwnerTokenSql = """hex("UserId") || '0'""";

    protected override void Up(MigrationBuilder migrationBuilder)
    {
        DropSearch(migrationBuilder);
        migrationBuilder.Sql($"""ALTER TABLE "JournalEntries" ADD COLUMN "SearchOwner" TEXT GENERATED ALWAYS AS ({OwnerTokenSql}) VIRTUAL;""");
        CreateSearch(migrationBuilder, "SearchOwner");
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        DropSearch(migrationBuilder);
        migrationBuilder.Sql("""ALTER TABLE "JournalEntries" DROP COLUMN "SearchOwner";""");
        CreateSearch(migrationBuilder, "UserId");
    }

    private static void DropSearch(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterUpdate\";");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterDelete\";");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterInsert\";");
        migrationBuilder.Sql("DROP TABLE IF EXISTS \"JournalSearch\";");
    }

    /// <summary>The index as AddJournal made it, with <paramref name="owner"/> as its fourth column, filled from the entries.</summary>
    private static void CreateSearch(MigrationBuilder migrationBuilder, string owner)
    {
        migrationBuilder.Sql($"""
            CREATE VIRTUAL TABLE "JournalSearch" USING fts5(
                "Title", "Body", "Tags", "{owner}",
                content='JournalEntries', content_rowid='Id',
                tokenize='porter unicode61 remove_diacritics 2');
            """);
        migrationBuilder.Sql("""INSERT INTO "JournalSearch"("JournalSearch", rank) VALUES ('secure-delete', 1);""");
        migrationBuilder.Sql($"""
            CREATE TRIGGER "JournalEntries_AfterInsert" AFTER INSERT ON "JournalEntries" BEGIN
                INSERT INTO "JournalSearch"(rowid, "Title", "Body", "Tags", "{owner}") VALUES (new."Id", new."Title", new."Body", new."Tags", new."{owner}");
            END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER "JournalEntries_AfterDelete" AFTER DELETE ON "JournalEntries" BEGIN
                INSERT INTO "JournalSearch"("JournalSearch", rowid, "Title", "Body", "Tags", "{owner}") VALUES ('delete', old."Id", old."Title", old."Body", old."Tags", old."{owner}");
            END;
            """);
        migrationBuilder.Sql($"""
            CREATE TRIGGER "JournalEntries_AfterUpdate" AFTER UPDATE OF "Title", "Body", "Tags", "UserId" ON "JournalEntries" BEGIN
                INSERT INTO "JournalSearch"("JournalSearch", rowid, "Title", "Body", "Tags", "{owner}") VALUES ('delete', old."Id", old."Title", old."Body", old."Tags", old."{owner}");
                INSERT INTO "JournalSearch"(rowid, "Title", "Body", "Tags", "{owner}") VALUES (new."Id", new."Title", new."Body", new."Tags", new."{owner}");
            END;
            """);
        migrationBuilder.Sql("""INSERT INTO "JournalSearch"("JournalSearch") VALUES ('rebuild');""");
    }
}
