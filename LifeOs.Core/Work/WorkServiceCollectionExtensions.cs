using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Work;

public static class WorkServiceCollectionExtensions
{
    /// <summary>The background worker (one, hosted) and the queue pages use to start work and follow it.</summary>
    public static IServiceCollection AddBackgroundWork(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<WorkOptions, WorkOptionsValidator>(configuration, WorkOptions.SectionName);
        // Keyed by kind: running one kind of work never builds the others (account deletion needs Identity, which
        // a host of Core alone, such as the benchmarks, does not have).
        services.AddKeyedScoped<IWorkHandler, Health.RedateWork>(WorkKind.Redate);
        services.AddKeyedScoped<IWorkHandler, Health.Import.CsvImportWork>(WorkKind.CsvImport);
        services.AddKeyedScoped<IWorkHandler, Connections.SourceDeletionWork>(WorkKind.SourceDeletion);
        services.AddKeyedScoped<IWorkHandler, Accounts.AccountDeletionWork>(WorkKind.AccountDeletion);
        services.AddKeyedScoped<IWorkHandler, Health.Import.ImportUndoWork>(WorkKind.ImportUndo);
        services.AddKeyedScoped<IWorkHandler, Health.AppleHealth.AppleHealthImportWork>(WorkKind.AppleHealthImport);
        services.AddSingleton<BackgroundWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundWorker>());
        services.AddScoped<WorkQueue>();
        return services;
    }
}
