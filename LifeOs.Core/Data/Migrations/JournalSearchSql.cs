using Microsoft.EntityFrameworkCore.Migrations;

namespace LifeOs.Core.Data.Migrations;

/// <summary>
/// The journal's full-text index, which lives outside the EF model: an FTS5 table over
/// <c>JournalEntries</c> (external content), the triggers that keep it current, and the virtual
/// generated column <c>JournalEntries.SearchOwner</c> that gives it the owner as one token.
/// </summary>
/// <remarks>
/// A user id such as "ac9c87ba-96f3-4a31-8652-219bd6ad889d" is five tokens to FTS5, so narrowing a search
/// to one journal by it was a five-word phrase matched and scored for every entry. The owner token is the
/// id in hexadecimal (letters and digits only, so any id is one token and case folding cannot join two ids)
/// with a trailing "0" (the Porter stemmer never shortens a token that ends in a digit).
/// <see cref="Journal.JournalSearch.OwnerToken"/> computes the same in C#; hex() reads the stored text,
/// so the two agree in a UTF-8 database, which is what LifeOs creates (SQLite's default).
/// A migration that rebuilds <c>JournalEntries</c> must call <see cref="AddOwnerColumn"/> and
/// <see cref="Create"/> again.
/// </remarks>
public static class JournalSearchSql
{
    public const string OwnerTokenSql = """hex("UserId") || '0'""";

    public static void AddOwnerColumn(MigrationBuilder migrationBuilder) =>
        migrationBuilder.Sql($"""ALTER TABLE "JournalEntries" ADD COLUMN "SearchOwner" TEXT GENERATED ALWAYS AS ({OwnerTokenSql}) VIRTUAL;""");

    public static void Drop(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterUpdate\";");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterDelete\";");
        migrationBuilder.Sql("DROP TRIGGER IF EXISTS \"JournalEntries_AfterInsert\";");
        migrationBuilder.Sql("DROP TABLE IF EXISTS \"JournalSearch\";");
    }

    /// <summary>
    /// Creates the index with <paramref name="owner"/> as its fourth column and fills it from the entries.
    /// Porter stemming finds "running" for "run"; remove_diacritics finds "café" for "cafe"; secure-delete
    /// removes a deleted entry's words from the index files too, not just logically.
    /// </summary>
    public static void Create(MigrationBuilder migrationBuilder, string owner = "SearchOwner")
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
