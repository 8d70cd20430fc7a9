using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Web.Endpoints;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", async (LifeOsDbContext db, ILoggerFactory loggers, CancellationToken cancellationToken) =>
        {
            string database;
            try
            {
                // Reads the migrations table, so an empty or replaced database file is not "healthy".
                _ = await db.Database.SqlQueryRaw<int>("SELECT COUNT(*) AS \"Value\" FROM \"__EFMigrationsHistory\"").SingleAsync(cancellationToken);
                database = "ok";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                loggers.CreateLogger("LifeOs.Health").LogWarning(ex, "Health check: the database is unreachable");
                database = "unreachable";
            }

            var healthy = database == "ok";
            return Results.Json(
                new { status = healthy ? "healthy" : "unhealthy", database, version = WebApplicationExtensions.Version },
                statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        })
        .AllowAnonymous()
        .ExcludeFromDescription();
        return endpoints;
    }
}
