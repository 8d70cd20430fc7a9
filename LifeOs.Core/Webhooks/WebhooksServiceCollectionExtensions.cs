using LifeOs.Core.Connections;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Quartz;

namespace LifeOs.Core.Webhooks;

public static class WebhooksServiceCollectionExtensions
{
    /// <summary>
    /// Provider notifications: the inbox the endpoints hand deliveries to, the group commit that records them, the dispatcher that gives them runs after
    /// the answer, the subscription keeper (also told of disconnects), Oura's client-credentials subscription client
    /// and an hourly housekeeping job.
    /// </summary>
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.SectionName);
        services.AddSingleton<WebhookSettings>();
        services.AddSingleton<WebhookSchedule>();
        services.AddScoped<WebhookInbox>();
        services.AddScoped<DeliveryTimings>();
        services.AddSingleton<NotificationWriter>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
        services.AddScoped<WebhookSubscriptions>();
        services.AddScoped<IConnectionLifecycle>(sp => sp.GetRequiredService<WebhookSubscriptions>());
        services.AddScoped<WebhookTrigger>();
        services.AddHttpClient<OuraWebhookClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddQuartz(q =>
        {
            q.AddJob<WebhookMaintenanceJob>(j => j.WithIdentity(WebhookMaintenanceJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(WebhookMaintenanceJob.Key).WithIdentity("webhook-maintenance", "webhooks")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromHours(1)).RepeatForever()));
        });
        return services;
    }
}
