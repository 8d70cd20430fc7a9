using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Work;

public static class WorkServiceCollectionExtensions
{
    /// <summary>The background worker (one, hosted) and the queue pages use to start work and follow it.</summary>
    public static IServiceCollection AddBackgroundWork(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WorkOptions, WorkOptionsValidator>(configuration, WorkOptions.SectionName);
        services.AddScoped<IWorkHandler, Health.RedateWork>();
        services.AddScoped<IWorkHandler, Health.Import.CsvImportWork>();
        services.AddScoped<IWorkHandler, Connections.SourceDeletionWork>();
        services.AddScoped<IWorkHandler, Accounts.AccountDeletionWork>();
        services.AddSingleton<BackgroundWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundWorker>());
        services.AddScoped<WorkQueue>();
        return services;
    }
}
