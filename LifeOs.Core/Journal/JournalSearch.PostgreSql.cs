using System.Text;
using LifeOs.Core.Data;
using LifeOs.Core.Data.Migrations;
using Microsoft.EntityFrameworkCore;
using NpgsqlTypes;

namespace LifeOs.Core.Journal;

/// <summary>
/// Journal search on PostgreSQL: the entries' stored tsvector column (<see cref="PostgresJournalSearchSql"/>, GIN-indexed),
/// the same words as FTS5 is given, ts_rank_cd with FTS5's column weights, and ts_headline marking matches as snippet() does.
/// </summary>
internal static partial class JournalSearch
{
    /// <summary>
    /// ts_rank_cd's weights for labels D, C, B, A: body (C) 1, tags (B) 2, title (A) 4, as FTS5's bm25(4, 1, 2).
    /// </summary>
    private static readonly float[] PostgresWeights = [0.1f, 0.25f, 0.5f, 1f];

    /// <summary>24 words around the best match, as FTS5's snippet() gives; ShortWord=0 lets short words be matches too.</summary>
    private static readonly string HeadlineOptions = $"StartSel={MarkStart}, StopSel={MarkEnd}, MaxWords=24, MinWords=12, ShortWord=0";

    /// <summary>
    /// The words as a tsquery: each word quoted (a word the parser splits becomes a phrase, as FTS5's quoted phrase),
    /// all of them required, the last one a prefix when it is still being typed. Diacritics go as the column's do.
    /// </summary>
    public static string ToTsQuery(SearchTerms terms) =>
        string.Join(" & ", terms.Words.Select((w, i) => $"'{FoldDiacritics(w)}'" + (terms.LastIsPrefix && i == terms.Words.Count - 1 ? ":*" : "")));

    /// <summary>What <see cref="PostgresJournalSearchSql.Fold"/> does in SQL: decomposed, combining marks U+0300 to U+036F dropped.</summary>
    public static string FoldDiacritics(string word)
    {
        var folded = new StringBuilder(word.Length);
        foreach (var c in word.Normalize(NormalizationForm.FormD))
        {
            if (c is < '\u0300' or > '\u036f')
            {
                folded.Append(c);
            }
        }

        return folded.ToString();
    }

    /// <summary>
    /// The count and the page in rank order (ties: the newest entry first), then the snippets for that page's rows only:
    /// ts_headline re-parses the text, so it must not run for every match.
    /// </summary>
    private static async Task<(int Total, List<long> Ids, Dictionary<long, (string Body, string Title)> Snippets)> PostgresPageAsync(
        IQueryable<JournalEntry> filtered, SearchTerms terms, int page, int pageSize, CancellationToken cancellationToken)
    {
        var tsQuery = ToTsQuery(terms);
        var config = PostgresJournalSearchSql.Configuration;
        var matches = filtered.Where(e => EF.Property<NpgsqlTsVector>(e, PostgresLifeOsDbContext.SearchVector).Matches(EF.Functions.ToTsQuery(config, tsQuery)));
        var total = await matches.CountAsync(cancellationToken);
        var skip = (page - 1) * pageSize;
        if (total <= skip)
        {
            return (total, [], []);
        }

        var ids = await matches
            .OrderByDescending(e => EF.Property<NpgsqlTsVector>(e, PostgresLifeOsDbContext.SearchVector)
                .RankCoverDensity(PostgresWeights, EF.Functions.ToTsQuery(config, tsQuery), NpgsqlTsRankingNormalization.DivideBy1PlusLogLength))
            .ThenByDescending(e => e.Id)
            .Skip(skip).Take(pageSize)
            .Select(e => e.Id)
            .ToListAsync(cancellationToken);
        var options = HeadlineOptions;
        var snippets = await filtered
            .Where(e => ids.Contains(e.Id))
            .Select(e => new
            {
                e.Id,
                Body = EF.Functions.ToTsQuery(config, tsQuery).GetResultHeadline(config, e.Body, options),
                Title = EF.Functions.ToTsQuery(config, tsQuery).GetResultHeadline(config, e.Title ?? "", options),
            })
            .ToDictionaryAsync(s => s.Id, s => (s.Body, s.Title), cancellationToken);
        return (total, ids, snippets);
    }
}
