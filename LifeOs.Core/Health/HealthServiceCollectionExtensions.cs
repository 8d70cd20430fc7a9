using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Health;

public static class HealthServiceCollectionExtensions
{
    public static IServiceCollection AddHealth(this IServiceCollection services) =>
        services.AddScoped<SourcePriorityService>().AddScoped<HealthStore>().AddScoped<MeasurementService>()
            .AddScoped<Import.CsvImportService>()
            .AddScoped<AppleHealth.AppleHealthImportService>().AddScoped<AppleHealth.AppleHealthImporter>()
            .AddScoped<Export.IUserDataExporter, HealthExporter>();
}
