using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Health;

public static class HealthServiceCollectionExtensions
{
    public static IServiceCollection AddHealth(this IServiceCollection services) =>
        services.AddScoped<SourcePriorityService>().AddScoped<HealthStore>().AddScoped<MeasurementService>()
            .AddScoped<MeasurementHistoryService>().AddScoped<OutlierService>()
            .AddScoped<Import.CsvImportService>()
            .AddScoped<Export.IUserDataExporter, HealthExporter>();
}
