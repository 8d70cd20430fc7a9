using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Quartz;

namespace LifeOs.Core.Notifications;

public static class NotificationsServiceCollectionExtensions
{
    /// <summary>
    /// Reminders and notifications: the three channel senders, the VAPID keys, the page's service, the export and a
    /// Quartz job that runs the scheduler every 20 seconds (only where Quartz runs: Sync:RunScheduler).
    /// </summary>
    public static IServiceCollection AddNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName);
        services.AddSingleton<VapidKeys>();
        services.AddHttpClient<NtfySender>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient<WebPushSender>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddScoped<INotificationSender>(sp => sp.GetRequiredService<NtfySender>());
        services.AddScoped<INotificationSender>(sp => sp.GetRequiredService<WebPushSender>());
        services.AddScoped<INotificationSender, EmailSender>();
        services.AddScoped<ReminderContent>();
        services.AddScoped<ReminderScheduler>();
        services.AddScoped<NotificationService>();
        services.AddScoped<IUserDataExporter, NotificationsExporter>();
        services.AddHostedService<NotificationStartup>();
        services.AddQuartz(q =>
        {
            q.AddJob<ReminderJob>(j => j.WithIdentity(ReminderJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(ReminderJob.Key).WithIdentity("reminders", "notifications")
                .StartNow()
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromSeconds(20)).RepeatForever()));
        });
        return services;
    }
}

/// <summary>Thin: the scheduler decides who is due and sends.</summary>
[DisallowConcurrentExecution]
public sealed class ReminderJob(ReminderScheduler scheduler) : IJob
{
    public static readonly JobKey Key = new("reminders", "notifications");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) => await scheduler.RunAsync(cancellationToken);
}

/// <summary>
/// At start-up, every delivery still "sending" was cut off by the last stop: it may have reached the user, so it is
/// marked interrupted and never sent again (at most once). On PostgreSQL other instances may be sending right now, so
/// only deliveries claimed longer ago than <see cref="NotificationOptions.SendLease"/> are taken for cut off, the rule
/// every scheduler pass applies (as sync start-up leaves other instances' runs to the stale-run rule there).
/// </summary>
internal sealed class NotificationStartup(IServiceScopeFactory scopes, TimeProvider time, IOptions<NotificationOptions> options) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
        if ((await db.Database.GetPendingMigrationsAsync(cancellationToken)).Any())
        {
            return;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var claimedBefore = db.Database.IsNpgsql() ? now - options.Value.SendLease : now.AddSeconds(1);
        await scope.ServiceProvider.GetRequiredService<ReminderScheduler>().MarkInterruptedAsync(claimedBefore, cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>notifications.json in the export: channels (never a token or a push key), reminders, quiet hours and the log.</summary>
internal sealed class NotificationsExporter(LifeOsDbContext db) : IUserDataExporter
{
    public int Order => 59;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var channels = await db.NotificationChannels.AsNoTracking().Where(c => c.UserId == userId).OrderBy(c => c.Id)
            .Select(c => new { kind = c.Kind.ToString(), label = c.Label, address = c.Kind == ChannelKind.WebPush ? null : c.Address, enabled = c.Enabled, failingSince = c.FailingSince, createdAt = c.CreatedAt })
            .ToListAsync(cancellationToken);
        var reminders = await db.ReminderSettings.AsNoTracking().Where(r => r.UserId == userId)
            .Select(r => new { kind = r.Kind.ToString(), enabled = r.Enabled, localTime = r.LocalTime, day = r.Day.ToString() })
            .ToListAsync(cancellationToken);
        var quiet = await db.NotificationPreferences.AsNoTracking().Where(p => p.UserId == userId)
            .Select(p => new { from = p.QuietFrom, until = p.QuietUntil }).SingleOrDefaultAsync(cancellationToken);
        var log = await db.NotificationOccurrences.AsNoTracking().Where(o => o.UserId == userId).OrderBy(o => o.Id)
            .Select(o => new
            {
                kind = o.Kind.ToString(),
                occurrence = o.Occurrence,
                dueAt = o.DueAt,
                status = o.Status.ToString(),
                reason = o.Reason,
                title = o.Title,
                deliveries = o.Deliveries.OrderBy(d => d.Id).Select(d => new { channel = d.ChannelKind.ToString(), status = d.Status.ToString(), attempts = d.Attempts, sentAt = d.SentAt, error = d.LastError }).ToList(),
            })
            .ToListAsync(cancellationToken);
        await writer.WriteJsonAsync("notifications.json", new { channels, reminders, quietHours = quiet, log }, cancellationToken);
    }
}
