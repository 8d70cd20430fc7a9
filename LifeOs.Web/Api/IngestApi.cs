using System.Security.Claims;
using LifeOs.Core.Api;
using LifeOs.Core.Health.AutoExport;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifeOs.Web.Api;

/// <summary>
/// What a push stored: totals, then per metric the entries received, the samples imported (new or changed) or unchanged,
/// and the entries skipped (a metric LifeOs does not keep) or rejected, with reasons.
/// </summary>
public sealed record HealthAutoExportResponse(int Imported, int Unchanged, int Skipped, int Rejected, IReadOnlyList<HaeMetricResult> Metrics, HaeWorkoutsResult Workouts);

/// <summary>Pushes from other apps: Health Auto Export (iOS) sends Apple Health data to /ingest/health-auto-export.</summary>
public static class IngestApi
{
    public static RouteGroupBuilder MapIngestApi(this RouteGroupBuilder api)
    {
        api.MapPost("/ingest/health-auto-export", PostHealthAutoExportAsync).WithName("PostHealthAutoExport").WithTags("Ingest").RequireScope(ApiScopes.HealthWrite)
            .WithSummary("Apple Health data from the iOS app Health Auto Export (REST API automation, JSON format version 2); idempotent, so a re-sent export adds nothing.");
        return api;
    }

    private static async Task<Results<Ok<HealthAutoExportResponse>, ValidationProblem>> PostHealthAutoExportAsync(
        HaePayload payload, ClaimsPrincipal user, HealthAutoExportService ingest, CancellationToken cancellationToken)
    {
        if (payload.Data is null)
        {
            return ApiEndpoints.Invalid("data", "Send Health Auto Export's JSON (format version 2): {\"data\": {\"metrics\": [...], \"workouts\": [...]}}.");
        }

        var result = await ingest.ImportAsync(user.UserId(), payload, cancellationToken);
        return TypedResults.Ok(new HealthAutoExportResponse(result.Imported, result.Unchanged, result.Skipped, result.Rejected, result.Metrics, result.Workouts));
    }
}
