using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Text;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <summary>
/// Full-text search over the SQLite FTS5 table <c>JournalSearch</c> (title, body, tags; kept in step by
/// triggers), ranked by bm25 with a title match weighing most.
/// </summary>
internal static partial class JournalSearch
{
    public const string Table = "JournalSearch";

    // Control characters cannot come from a form field's text in a useful way, so they mark matches safely.
    private const char MarkStart = '\u0002';
    private const char MarkEnd = '\u0003';

    /// <summary>
    /// Turns what a person typed into an FTS5 expression that cannot be a syntax error: every word is a
    /// quoted phrase (all must match), the last one also matches as a prefix. Null when nothing is searchable.
    /// </summary>
    public static string? ToMatchExpression(string? text)
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

        if (words.Count == 0)
        {
            return null;
        }

        // The word being typed also matches longer words, once it has three letters (a shorter prefix
        // would merge the lists of hundreds of words) and unless the text ends with a space.
        var prefix = words[^1].Length >= 3 && !char.IsWhiteSpace(text[^1]) ? words.Count - 1 : -1;
        return string.Join(" ", words.Select((w, i) => i == prefix ? $"\"{w}\"*" : $"\"{w}\""));
    }

    public static async Task<JournalListPage> RunAsync(LifeOsDbContext db, string userId, JournalQuery query, string match, int page, int pageSize, CancellationToken cancellationToken)
    {
        // The owner is part of the match: FTS5 intersects this journal's documents with the words,
        // so counting and ranking never read a table row. The words only look at title, body and tags.
        var wordsMatch = $"{{Title Body Tags}} : ({match})";
        var fullMatch = $"{{SearchOwner}} : \"{OwnerToken(userId)}\" AND {wordsMatch}";
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
            // One pass over the matches scores and counts them; the page is picked here rather than by
            // SQLite's sorter (bm25 is not allowed beside a window count, and a second pass to count
            // would walk every match again).
            var scored = new List<(long Id, double Rank)>();
            await using (var select = Command(connection, $"SELECT {Table}.rowid, bm25({Table}, 4.0, 1.0, 2.0, 0.0) {source}", parameters))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    scored.Add((reader.GetInt64(0), reader.GetDouble(1)));
                }
            }

            var total = scored.Count;
            var ids = scored
                .OrderBy(s => s.Rank).ThenByDescending(s => s.Id)
                .Skip((page - 1) * pageSize).Take(pageSize)
                .Select(s => s.Id).ToList();

            // Snippets only for the page shown, one document at a time: FTS5 seeks straight to a rowid,
            // where snippet() in the ranked query would run for every match. The ids are this journal's
            // (the ranked query matched its owner), so the words alone find the matches to mark.
            var snippets = new Dictionary<long, (string Body, string Title)>();
            await using (var snippet = Command(connection,
                $"SELECT snippet({Table}, 1, char(2), char(3), '…', 24), snippet({Table}, 0, char(2), char(3), '…', 24) " +
                $"FROM {Table} WHERE {Table} MATCH $match AND rowid = $id",
                new Dictionary<string, object> { ["$match"] = wordsMatch, ["$id"] = 0L }))
            {
                foreach (var id in ids)
                {
                    snippet.Parameters["$id"].Value = id;
                    await using var reader = await snippet.ExecuteReaderAsync(cancellationToken);
                    if (await reader.ReadAsync(cancellationToken))
                    {
                        snippets[id] = (reader.IsDBNull(0) ? "" : reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
                    }
                }
            }

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
        finally
        {
            if (opened)
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// The one token the index holds for an entry's owner (see the JournalSearchOwnerToken migration, which
    /// computes the same in SQL): the id's UTF-8 bytes in hexadecimal and a trailing "0".
    /// </summary>
    public static string OwnerToken(string userId) => Convert.ToHexString(Encoding.UTF8.GetBytes(userId)) + "0";

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
