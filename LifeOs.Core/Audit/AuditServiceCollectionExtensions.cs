using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Quartz;

namespace LifeOs.Core.Audit;

public static class AuditServiceCollectionExtensions
{
    /// <summary>The audit log, its retention setting (validated now) and a daily job that prunes it.</summary>
    public static IServiceCollection AddAudit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<AuditOptions, AuditOptionsValidator>(configuration, AuditOptions.SectionName);
        services.AddScoped<AuditLog>();
        services.AddScoped<Export.IUserDataExporter, AuditUserDataExporter>();
        services.TryAddScoped<IAuditClient, ServerAuditClient>();
        services.AddQuartz(q =>
        {
            q.AddJob<AuditPruneJob>(j => j.WithIdentity(AuditPruneJob.Key));
            q.AddTrigger(t => t.ForJob(AuditPruneJob.Key).WithIdentity("audit-prune", "housekeeping")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromDays(1)).RepeatForever()));
        });
        return services;
    }
}

/// <summary>Deletes audit events older than <c>LifeOs:Audit:RetentionDays</c>; runs at start-up and then daily.</summary>
[DisallowConcurrentExecution]
public sealed class AuditPruneJob(AuditLog audit, ILogger<AuditPruneJob> logger) : IJob
{
    public static readonly JobKey Key = new("audit-prune", "housekeeping");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var pruned = await audit.PruneAsync(cancellationToken);
        if (pruned > 0)
        {
            logger.LogInformation("Audit log: deleted {Count} events past their retention", pruned);
        }
    }
}
