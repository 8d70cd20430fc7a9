using System.Globalization;
using System.Linq.Expressions;
using LifeOs.Core.Data.Configurations;

namespace LifeOs.Core.Health;

/// <summary>
/// Oura's minute heart rate: the rows a ring owner has millions of (five years are 2.6 million), and on SQLite the only
/// rows kept in the table and its (owner, metric, start) index alone. Every other sample is also in the upsert's unique
/// (owner, metric, source, record) key and the all-metrics (owner, start) index, both partial indexes that leave these
/// rows out (<see cref="IndexFilter"/>): 38 MB per million samples less (<see cref="Data.Configurations.SampleConfiguration"/>).
/// </summary>
/// <remarks>
/// <para>What that asks of the code that reads <c>Samples</c>:</para>
/// <list type="bullet">
/// <item>A series reading is the same reading only at the same instant: the upsert finds it by (owner, metric, start)
/// and then compares its source and record id. Oura's heart-rate record id is its own instant and tag
/// (<c>&lt;unix seconds&gt;:&lt;tag&gt;</c>), so it never moves.</item>
/// <item>SQLite uses a partial index only for a query that names its condition word for word: queries that read the
/// other samples by record id, or every metric in time order, say <see cref="Others"/> (constants, not parameters).</item>
/// <item>Every metric in time order is the two parts merged (<see cref="InTimeOrder{T}"/>): the series through
/// (owner, metric, start), the rest through (owner, start). SQLite runs it as <c>MERGE (UNION ALL)</c> (a test holds the
/// plan); PostgreSQL, which keeps the full indexes, runs the same query.</item>
/// <item>On SQLite a series reading's record id is stored without the instant it begins with (<see cref="Stored"/>):
/// code that shows or compares record ids of these rows puts it back (<see cref="RecordIdOf"/>) or compares the stored
/// form. PostgreSQL, whose unique key holds them, stores them whole.</item>
/// </list>
/// </remarks>
public static class SeriesRows
{
    /// <summary>Heart rate's stored metric number (<see cref="MetricCatalogue.StoredNumber"/>); a test holds them equal.</summary>
    public const int MetricNumber = 16;

    /// <summary><see cref="SampleSource.Oura"/>'s stored number.</summary>
    public const int SourceNumber = (int)SampleSource.Oura;

    /// <summary>The partial indexes' condition: every row but the series. Queries name it through <see cref="Others"/>.</summary>
    public const string IndexFilter = "\"Metric\" <> 16 OR \"Source\" <> 0";

    /// <summary>
    /// Oura's heart-rate record id: the reading's instant in seconds since 1970 and its tag (<c>1700000000:awake</c>). Its
    /// rows have no id, and (timestamp, source) identifies one, as Oura's docs suggest.
    /// </summary>
    public static string RecordId(DateTime startUtc, string tag) =>
        string.Create(CultureInfo.InvariantCulture, $"{CompactTime.ToSeconds(startUtc)}:{tag}");

    /// <summary>
    /// A series record id as SQLite stores it: without the instant it begins with, which the row's start already holds
    /// (<c>:awake</c>: 10 bytes a reading, 64.6 → 54.6 MB per million). An id that does not begin with its own instant is
    /// stored whole. Reads that show record ids put the instant back (<see cref="RecordIdOf"/>, <see cref="RecordIdSql"/>).
    /// </summary>
    public static string Stored(string recordId, long startSeconds)
    {
        Span<char> digits = stackalloc char[24];
        return startSeconds.TryFormat(digits, out var length, provider: CultureInfo.InvariantCulture)
            && recordId.Length > length && recordId[length] == ':' && recordId.AsSpan(0, length).SequenceEqual(digits[..length])
                ? recordId[length..]
                : recordId;
    }

    /// <summary>
    /// A sample's record id as its source gave it: a series row's stored <c>:tag</c> (<see cref="Stored"/>, SQLite) with
    /// its instant put back; any other as stored.
    /// </summary>
    public static string RecordIdOf(string metricCode, SampleSource source, DateTime startUtc, string stored) =>
        stored.StartsWith(':') && IsSeries(metricCode, source) ? string.Create(CultureInfo.InvariantCulture, $"{CompactTime.ToSeconds(startUtc)}{stored}") : stored;

    /// <summary><see cref="RecordIdOf"/> in SQLite's SQL, over its stored columns (<c>copy-database</c> reads it so).</summary>
    public const string RecordIdSql =
        "CASE WHEN \"Metric\" = 16 AND \"Source\" = 0 AND substr(\"SourceRecordId\", 1, 1) = ':' THEN CAST(\"StartUtc\" AS TEXT) || \"SourceRecordId\" ELSE \"SourceRecordId\" END";

    /// <summary>
    /// Whether a series reading's record id can be stored: one beginning with <c>:</c> would read back as another
    /// (<see cref="RecordIdOf"/>). Oura's never do.
    /// </summary>
    public static bool IsValidRecordId(string metricCode, SampleSource source, string recordId) =>
        !recordId.StartsWith(':') || !IsSeries(metricCode, source);

    /// <summary>The instant an Oura heart-rate record id (<c>&lt;unix seconds&gt;:&lt;tag&gt;</c>) names; null for any other id.</summary>
    public static DateTime? StartOf(string recordId) =>
        recordId.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon
            && long.TryParse(recordId.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds < 100_000_000_000
            ? DateTime.UnixEpoch.AddSeconds(seconds)
            : null;

    public static bool IsSeries(string metricCode, SampleSource source) => source == SampleSource.Oura && metricCode == MetricCatalogue.HeartRate;

    /// <summary>The series rows (Oura's heart rate), read through (owner, metric, start).</summary>
    public static IQueryable<Sample> Series(this IQueryable<Sample> samples) =>
        samples.Where(s => s.MetricCode == MetricCatalogue.HeartRate && s.Source == SampleSource.Oura);

    /// <summary>
    /// Every other row, with the partial indexes' condition spelled as they spell it (SQLite translates it to
    /// <c>"Metric" &lt;&gt; 16 OR "Source" &lt;&gt; 0</c>), so SQLite may read them through those indexes.
    /// </summary>
    public static IQueryable<Sample> Others(this IQueryable<Sample> samples) =>
        samples.Where(s => s.MetricCode != MetricCatalogue.HeartRate || s.Source != SampleSource.Oura);

    /// <summary>
    /// <paramref name="samples"/> as the series part and the rest, joined with <c>UNION ALL</c> and projected by
    /// <paramref name="select"/>: order the result by start then id and take a page, and each part walks its own index in
    /// that order (no index holds all of a user's samples in time order on SQLite). Without <paramref name="series"/>
    /// (a filter that leaves Oura's heart rate out), the rest alone: the series part would walk all of it to find none.
    /// </summary>
    public static IQueryable<T> InTimeOrder<T>(IQueryable<Sample> samples, Expression<Func<Sample, T>> select, bool series = true) =>
        series ? samples.Series().Select(select).Concat(samples.Others().Select(select)) : samples.Others().Select(select);

    /// <inheritdoc cref="InTimeOrder{T}(IQueryable{Sample}, Expression{Func{Sample, T}}, bool)"/>
    public static IQueryable<Sample> InTimeOrder(IQueryable<Sample> samples, bool series = true) => InTimeOrder(samples, s => s, series);
}
