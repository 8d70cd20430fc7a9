namespace LifeOs.Web.Api;

/// <summary>POST /api/v1/ingest/health-auto-export: pushes from the iOS app Health Auto Export (not built yet).</summary>
public static class HealthAutoExportApi
{
    public static RouteGroupBuilder MapHealthAutoExportApi(this RouteGroupBuilder api) => api;
}
