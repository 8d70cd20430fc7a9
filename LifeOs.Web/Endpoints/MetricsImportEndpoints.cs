using System.Text;
using LifeOs.Core.Health.Import;

namespace LifeOs.Web.Endpoints;

/// <summary>The example files /metrics/import offers to download (the page itself uploads over its circuit).</summary>
public static class MetricsImportEndpoints
{
    public const string PagePath = "/metrics/import";

    public static IEndpointRouteBuilder MapMetricsImportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PagePath + "/example-long.csv", () => Example(ImportExamples.Long, "lifeos-import-long.csv")).RequireAuthorization();
        endpoints.MapGet(PagePath + "/example-wide.csv", () => Example(ImportExamples.Wide, "lifeos-import-wide.csv")).RequireAuthorization();
        return endpoints;
    }

    private static IResult Example(string csv, string fileName) =>
        Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", fileName);
}
