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
    /// pool of <c>Sync:MaxConcurrency</c> (+1 for the dispatcher). On PostgreSQL the scheduler (shared by every
    /// <c>AddQuartz</c> of the app) keeps its schedule in the database's <c>qrtz_</c> tables as one cluster of all instances:
    /// each trigger fires on one instance, and the runs of an instance that dies are recovered by another.
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

        var database = configuration.GetSection($"{LifeOsOptions.SectionName}:Database").Get<DatabaseOptions>() ?? new();
        var clustered = database.ParsedProvider() == DatabaseProvider.PostgreSql;
        // Quartz keeps schedulers in a process-wide registry by name: on SQLite a unique name keeps app hosts in one
        // process (tests, benchmarks) from sharing one; on PostgreSQL the name is the cluster's, the same on every instance.
        var schedulerName = options.SchedulerName ?? (clustered ? "LifeOs" : $"LifeOs-{Guid.NewGuid():N}");
        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s => s.InstanceName = schedulerName);
            if (clustered)
            {
                // Instance ids are generated per start (clustering turns that on); the schema comes from the migrations
                // and is only validated here.
                q.UsePersistentStore(store =>
                {
                    store.UsePostgres(database.ConnectionString!);
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = TimeSpan.FromSeconds(options.ClusterCheckinSeconds);
                        c.CheckinMisfireThreshold = TimeSpan.FromSeconds(options.ClusterCheckinSeconds);
                    });
                    store.ConfigureStore(o => o.SchemaProvisioning = SchemaProvisioning.Validate);
                });
            }

            // Quartz 4 would otherwise take the container's TimeProvider. It only decides when to poll and when to start
            // a queued run; what is due is decided by NightlyPlanner on the app's clock, which tests replace.
            q.UseTimeProvider(TimeProvider.System);
            q.UseDefaultThreadPool(pool => pool.MaxConcurrency = options.MaxConcurrency + 1);
            // Recovery: if the instance running a sync dies, another instance runs the job again and takes the run over.
            q.AddJob<SyncConnectionJob>(j => j.WithIdentity(SyncConnectionJob.Key).StoreDurably().RequestRecovery());
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
