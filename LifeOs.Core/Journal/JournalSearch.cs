using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <summary>
/// Full-text search over the SQLite FTS5 table <c>JournalSearch</c> (title, body, tags; kept in step by
/// triggers), ranked by bm25 with a title match weighing most; on PostgreSQL over the entries' generated
/// tsvector column by the same rules (JournalSearch.PostgreSql.cs).
/// </summary>
internal static partial class JournalSearch
{
    public const string Table = "JournalSearch";

    /// <summary>bm25 with a title match weighing most (title 4, body 1, tags 2; the owner column not at all).</summary>
    private const string RankFunction = "bm25(4.0, 1.0, 2.0, 0.0)";

    // Control characters cannot come from a form field's text in a useful way, so they mark matches safely.
    private const char MarkStart = '\u0002';
    private const char MarkEnd = '\u0003';

    /// <summary>
    /// The words of what a person typed (letters, digits, underscores and combining marks; everything else separates
    /// them), at most <see cref="JournalQuery.MaxSearchLength"/> characters of it. Null when nothing is searchable.
    /// The word being typed also matches longer words, once it has three letters (a shorter prefix would merge the
    /// lists of hundreds of words) and unless the text ends with a space.
    /// </summary>
    public static SearchTerms? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var words = new List<string>();
        var current = new StringBuilder();
        foreach (var c in text.Length > JournalQuery.MaxSearchLength ? text[..JournalQuery.MaxSearchLength] : text)
        {
            if (char.IsLetterOrDigit(c) || c is '_' || char.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark)
            {
                current.Append(c);
            }
            else if (current.Length > 0)
            {
                words.Add(current.ToString());
                current.Clear();
            }
        }

        if (current.Length > 0)
        {
            words.Add(current.ToString());
        }

        return words.Count == 0 ? null : new SearchTerms(words, words[^1].Length >= 3 && !char.IsWhiteSpace(text[^1]));
    }

    /// <summary>
    /// An FTS5 expression that cannot be a syntax error: every word is a quoted phrase (all must match),
    /// the last one also matches as a prefix when the terms say so.
    /// </summary>
    public static string ToMatchExpression(SearchTerms terms) =>
        string.Join(" ", terms.Words.Select((w, i) => terms.LastIsPrefix && i == terms.Words.Count - 1 ? $"\"{w}\"*" : $"\"{w}\""));

    /// <summary>
    /// One page of matches, best first, with snippets. <paramref name="filtered"/> is the user's entries with the
    /// query's filters as LINQ, which PostgreSQL's search builds on; SQLite's asks FTS5 in its own SQL.
    /// </summary>
    public static async Task<JournalListPage> RunAsync(
        LifeOsDbContext db, string userId, JournalQuery query, SearchTerms terms, IQueryable<JournalEntry> filtered, int page, int pageSize, CancellationToken cancellationToken)
    {
        var (total, ids, snippets) = db.Database.IsNpgsql()
            ? await PostgresPageAsync(filtered, terms, page, pageSize, cancellationToken)
            : await SqlitePageAsync(db, userId, query, ToMatchExpression(terms), page, pageSize, cancellationToken);
        var rows = await db.JournalEntries.AsNoTracking()
            .Where(e => e.UserId == userId && ids.Contains(e.Id))
            .Select(e => new { e.Id, e.Kind, e.LocalDate, e.Week, e.Title, e.Mood, e.Energy, e.Tags, e.WordCount, e.CreatedAt })
            .ToDictionaryAsync(e => e.Id, cancellationToken);
        var items = ids.Where(rows.ContainsKey).Select(id =>
        {
            var r = rows[id];
            var (body, title) = snippets.GetValueOrDefault(id, ("", ""));
            var best = body.Contains(MarkStart, StringComparison.Ordinal) || title.Length == 0 ? body : title;
            return new JournalListItem(r.Id, r.Kind, r.LocalDate, r.Week, r.Title, "", ToHtml(best), r.Mood, r.Energy, JournalService.SplitTags(r.Tags), r.WordCount, r.CreatedAt);
        }).ToList();
        return new JournalListPage(items, total, page, pageSize);
    }

    /// <summary>The count, the page's ids in rank order and their (body, title) snippets, from FTS5.</summary>
    private static async Task<(int Total, List<long> Ids, Dictionary<long, (string Body, string Title)> Snippets)> SqlitePageAsync(
        LifeOsDbContext db, string userId, JournalQuery query, string match, int page, int pageSize, CancellationToken cancellationToken)
    {
        // The owner is part of the match: FTS5 intersects this journal's documents with the words,
        // so counting and ranking never read a table row. The words only look at title, body and tags.
        var fullMatch = $"{{SearchOwner}} : \"{OwnerToken(userId)}\" AND {{Title Body Tags}} : ({match})";
        var parameters = new Dictionary<string, object> { ["$match"] = fullMatch };
        var filters = new StringBuilder();
        if (query.Kind is { } kind)
        {
            filters.Append(" AND e.Kind = $kind");
            parameters["$kind"] = kind.ToString();
        }

        if (query.Mood is { } mood)
        {
            filters.Append(" AND e.Mood = $mood");
            parameters["$mood"] = mood;
        }

        if (query.From is { } from)
        {
            filters.Append(" AND e.LocalDate >= $from");
            parameters["$from"] = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (query.To is { } to)
        {
            filters.Append(" AND e.LocalDate <= $to");
            parameters["$to"] = to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        }

        if (!string.IsNullOrWhiteSpace(query.Tag))
        {
            filters.Append(" AND EXISTS (SELECT 1 FROM JournalTags t WHERE t.EntryId = e.Id AND t.UserId = $user AND t.Name = $tag)");
            parameters["$tag"] = query.Tag.Trim();
        }

        // Filters need the entry row; the owner check stays as a second guard whenever the row is read.
        var source = filters.Length == 0
            ? $"FROM {Table} WHERE {Table} MATCH $match"
            : $"FROM {Table} JOIN JournalEntries e ON e.Id = {Table}.rowid WHERE {Table} MATCH $match AND e.UserId = $user{filters}";
        if (filters.Length > 0)
        {
            parameters["$user"] = userId;
        }

        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
        }

        try
        {
            int total;
            await using (var count = Command(connection, $"SELECT count(*) {source}", parameters))
            {
                total = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            }

            // The page in rank order, with its snippets. Ordered by FTS5's own rank column, FTS5 scores
            // every match once, sorts them itself and then seeks to each row that SQLite asks for: snippet()
            // runs for the rows on this page only, and the match (the prefix of the last word included)
            // is set up once rather than once per snippet.
            var ids = new List<long>(pageSize);
            var snippets = new Dictionary<long, (string Body, string Title)>();
            var skip = (page - 1) * pageSize;
            if (total > skip)
            {
                var pageParameters = new Dictionary<string, object>(parameters) { ["$take"] = pageSize, ["$skip"] = skip };
                await using var select = Command(connection,
                    $"SELECT {Table}.rowid, snippet({Table}, 1, char(2), char(3), '…', 24), snippet({Table}, 0, char(2), char(3), '…', 24) {source} " +
                    $"AND {Table}.rank MATCH '{RankFunction}' ORDER BY {Table}.rank LIMIT $take OFFSET $skip",
                    pageParameters);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    var id = reader.GetInt64(0);
                    ids.Add(id);
                    snippets[id] = (reader.IsDBNull(1) ? "" : reader.GetString(1), reader.IsDBNull(2) ? "" : reader.GetString(2));
                }
            }

            return (total, ids, snippets);
        }
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// The one token the index holds for an entry's owner (see Data/Migrations/JournalSearchSql, which
    /// computes the same in SQL): the id's UTF-8 bytes in hexadecimal and a trailing "0".
    /// </summary>
    public static string OwnerToken(string userId) => Convert.ToHexString(Encoding.UTF8.GetBytes(userId)) + "0";

    /// <summary>The words to find (at least one) and whether the last one is still being typed, so also matches as a prefix.</summary>
    public sealed record SearchTerms(IReadOnlyList<string> Words, bool LastIsPrefix);

    /// <summary>Drops Markdown's emphasis, code and heading markers, which read as noise in one line of text.</summary>
    public static string StripInlineMarkdown(string text) => MarkdownNoise().Replace(text, "");

    [System.Text.RegularExpressions.GeneratedRegex(@"[*`]+|(?<=^|\s)#{1,6}\s|(?<=^|\s)[-+]\s(?=\S)")]
    private static partial System.Text.RegularExpressions.Regex MarkdownNoise();

    /// <summary>HTML-encodes every piece of the snippet and wraps only the matched words in &lt;mark&gt;.</summary>
    public static string ToHtml(string snippet)
    {
        snippet = StripInlineMarkdown(snippet);
        var html = new StringBuilder(snippet.Length + 32);
        var open = false;
        var piece = new StringBuilder();
        foreach (var c in snippet)
        {
            if (c is MarkStart or MarkEnd)
            {
                html.Append(WebUtility.HtmlEncode(piece.ToString()));
                piece.Clear();
                if (c == MarkStart && !open)
                {
                    html.Append("<mark>");
                    open = true;
                }
                else if (c == MarkEnd && open)
                {
                    html.Append("</mark>");
                    open = false;
                }
            }
            else
            {
                piece.Append(c is '\n' or '\r' ? ' ' : c);
            }
        }

        html.Append(WebUtility.HtmlEncode(piece.ToString()));
        if (open)
        {
            html.Append("</mark>");
        }

        return html.ToString();
    }

    private static DbCommand Command(DbConnection connection, string sql, Dictionary<string, object> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }

        return command;
    }
}
