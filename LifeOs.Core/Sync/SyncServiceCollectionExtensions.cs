using LifeOs.Core.Data;
using LifeOs.Core.Export;
using LifeOs.Core.Providers.Oura;
using LifeOs.Core.Providers.Withings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Quartz;

namespace LifeOs.Core.Sync;

public static class SyncServiceCollectionExtensions
{
    /// <summary>
    /// Sync settings (validated now), the data clients, the shared rate limiters and retry pipeline, and Quartz:
    /// a dispatcher every <c>Sync:DispatchIntervalMinutes</c> and one durable job that runs queued runs, on a thread
    /// pool of <c>Sync:MaxConcurrency</c> (+1 for the dispatcher).
    /// </summary>
    public static IServiceCollection AddSync(this IServiceCollection services, IConfiguration configuration)
    {
        var options = services.AddValidatedOptions<SyncOptions, SyncOptionsValidator>(configuration, SyncOptions.SectionName);

        // The pipeline owns timeouts per attempt; HttpClient's own timeout would cut retries short.
        services.AddHttpClient<ProviderHttp>(http => http.Timeout = Timeout.InfiniteTimeSpan);
        services.AddScoped<OuraDataClient>();
        services.AddScoped<WithingsDataClient>();
        services.AddScoped<SyncDataTypes>();
        services.AddSingleton<SharedRateLimit>();
        services.AddSingleton<ProviderRateLimiters>();
        services.AddSingleton<SyncResilience>();
        services.AddScoped<SyncService>();
        services.AddScoped<SyncQueue>();
        services.AddScoped<NightlyPlanner>();
        services.AddScoped<SyncStatusService>();
        services.AddScoped<IUserDataExporter, SyncHistoryExporter>();
        services.AddHostedService<SyncStartup>();

        var instanceName = $"LifeOs-{Guid.NewGuid():N}";
        services.AddQuartz(q =>
        {
            // Quartz keeps schedulers in a process-wide registry by name: a unique name keeps app hosts in one process
            // (tests, benchmarks) from sharing one.
            q.ConfigureScheduler(s => s.InstanceName = instanceName);
            // Quartz 4 would otherwise take the container's TimeProvider. It only decides when to poll and when to start
            // a queued run; what is due is decided by NightlyPlanner on the app's clock, which tests replace.
            q.UseTimeProvider(TimeProvider.System);
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = options.MaxConcurrency + 1);
            q.AddJob<SyncConnectionJob>(j => j.WithIdentity(SyncConnectionJob.Key).StoreDurably());
            q.AddJob<NightlySyncJob>(j => j.WithIdentity(NightlySyncJob.Key));
            q.AddTrigger(t => t.ForJob(NightlySyncJob.Key).WithIdentity("nightly-dispatch", "sync")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(options.DispatchIntervalMinutes)).RepeatForever()));
        });
        if (options.RunScheduler)
        {
            services.AddQuartzHostedService(o =>
            {
                o.WaitForJobsToComplete = false;
                o.AwaitApplicationStarted = true;
            });
        }

        return services;
    }
}
