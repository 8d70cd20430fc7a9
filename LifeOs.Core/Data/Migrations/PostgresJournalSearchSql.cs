namespace LifeOs.Core.Data.Migrations;

/// <summary>
/// The journal's full-text index on PostgreSQL: the stored generated column <c>JournalEntries.SearchVector</c>
/// (a GIN-indexed <c>tsvector</c>, model config in <see cref="PostgresLifeOsDbContext"/>) built with the text search
/// configuration <see cref="Configuration"/>, which this class creates (<c>Data/Migrations/PostgreSQL</c>'s JournalSearch).
/// </summary>
/// <remarks>
/// The configuration copies FTS5's tokenizer (<c>porter unicode61 remove_diacritics 2</c>, see <see cref="JournalSearchSql"/>):
/// words are stemmed by Snowball's English stemmer (Porter's successor) with no stop-word list, since FTS5 drops no words
/// either; diacritics are removed by <see cref="Fold"/> (NFD, then the combining marks dropped) rather than by the
/// <c>unaccent</c> extension, which would need a contrib package and the right to create extensions. Both need only
/// the right to create objects in the schema. Weights follow FTS5's bm25 weights: title A, tags B, body C.
/// </remarks>
public static class PostgresJournalSearchSql
{
    public const string Configuration = "lifeos_search";

    public const string Dictionary = "lifeos_english_stem";

    public const string CreateConfiguration = $"""
        CREATE TEXT SEARCH DICTIONARY {Dictionary} (TEMPLATE = snowball, Language = english);
        CREATE TEXT SEARCH CONFIGURATION {Configuration} (COPY = simple);
        ALTER TEXT SEARCH CONFIGURATION {Configuration}
            ALTER MAPPING FOR asciiword, word, asciihword, hword, hword_asciipart, hword_part WITH {Dictionary};
        """;

    public const string DropConfiguration = $"""
        DROP TEXT SEARCH CONFIGURATION IF EXISTS {Configuration};
        DROP TEXT SEARCH DICTIONARY IF EXISTS {Dictionary};
        """;

    /// <summary>The generated column's expression; every function in it is immutable, as a stored generated column needs.</summary>
    public static readonly string Vector =
        $"""setweight(to_tsvector('{Configuration}', {Fold("coalesce(\"Title\", '')")}), 'A') || """ +
        $"""setweight(to_tsvector('{Configuration}', {Fold("\"Tags\"")}), 'B') || """ +
        $"""setweight(to_tsvector('{Configuration}', {Fold("\"Body\"")}), 'C')""";

    /// <summary>Text without its diacritics ("Zoë" to "Zoe"), as FTS5's remove_diacritics does; the database must be UTF-8.</summary>
    public static string Fold(string expression) => $"regexp_replace(normalize({expression}, NFD), '[\\u0300-\\u036f]', '', 'g')";
}
