using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health;

/// <summary>Every sample (with whether the user excluded it from its day) and daily value of the user, as CSV, streamed row by row.</summary>
internal sealed class HealthExporter(LifeOsDbContext db) : IUserDataExporter
{
    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        await writer.WriteCsvAsync("health/samples.csv",
            // "excluded" last, so readers of the older columns find them where they were.
            ["metric", "unit", "source", "source_record_id", "start_utc", "end_utc", "local_date", "value", "excluded"],
            Rows(SeriesRows.InTimeOrder(db.SamplesOf(userId).AsNoTracking()).OrderBy(s => s.StartUtc).ThenBy(s => s.Id),
                s => [s.MetricCode, UnitOf(s.MetricCode), s.Source.ToString(), SeriesRows.RecordIdOf(s.MetricCode, s.Source, s.StartUtc, s.SourceRecordId), s.StartUtc, s.EndUtc, s.LocalDate, s.Value, s.Excluded ? "true" : "false"]),
            cancellationToken);
        await writer.WriteCsvAsync("health/daily-values.csv",
            ["metric", "unit", "local_date", "value", "source", "sample_count"],
            Rows(db.DailyValues.AsNoTracking().Where(d => d.UserId == userId).OrderBy(d => d.MetricCode).ThenBy(d => d.LocalDate),
                d => [d.MetricCode, UnitOf(d.MetricCode), d.LocalDate, d.Value, d.Source.ToString(), d.SampleCount]),
            cancellationToken);
    }

    private static string UnitOf(string metricCode) => MetricCatalogue.Find(metricCode)?.CanonicalUnit ?? "";

    private static async IAsyncEnumerable<IReadOnlyList<object?>> Rows<T>(IQueryable<T> query, Func<T, object?[]> project)
    {
        await foreach (var row in query.AsAsyncEnumerable())
        {
            yield return project(row);
        }
    }
}
