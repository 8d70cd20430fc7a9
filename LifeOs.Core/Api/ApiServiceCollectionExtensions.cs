using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>API keys and the reads and writes the personal REST API needs beyond the pages' services.</summary>
    public static IServiceCollection AddApi(this IServiceCollection services) =>
        services.AddScoped<ApiKeyService>()
            .AddScoped<HealthApiService>()
            .AddScoped<Health.AutoExport.HealthAutoExportService>()
            .AddScoped<Export.IUserDataExporter, ApiKeysExporter>();
}
