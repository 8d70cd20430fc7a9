using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Health;

public static class HealthServiceCollectionExtensions
{
    public static IServiceCollection AddHealth(this IServiceCollection services) =>
        services.AddScoped<SourcePriorityService>().AddScoped<HealthStore>().AddScoped<MeasurementService>()
            .AddScoped<MeasurementHistoryService>().AddScoped<OutlierService>()
            .AddScoped<Import.CsvImportService>()
            .AddScoped<Import.ImportBatchService>()
            .AddScoped<Export.IUserDataExporter, Import.ImportBatchExporter>()
            .AddScoped<AppleHealth.AppleHealthImportService>().AddScoped<AppleHealth.AppleHealthImporter>()
            .AddScoped<Export.IUserDataExporter, HealthExporter>()
            .AddScoped<WorkoutStore>().AddScoped<Export.IUserDataExporter, WorkoutExporter>();
}
