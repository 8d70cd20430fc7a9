using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Notifications;

public sealed record ChannelView(long Id, ChannelKind Kind, string Label, string Address, bool Enabled, DateTime? FailingSince, string? LastError, DateTime CreatedAt);

public sealed record ReminderView(ReminderKind Kind, bool Enabled, TimeOnly LocalTime, DayOfWeek? Day);

public sealed record DeliveryView(ChannelKind Channel, string? ChannelLabel, DeliveryStatus Status, int Attempts, DateTime? SentAt, DateTime? NextAttemptAt, string? Error);

public sealed record LogEntryView(long Id, ReminderKind Kind, string Title, DateTime DueAt, OccurrenceStatus Status, string? Reason, IReadOnlyList<DeliveryView> Deliveries);

public sealed record NotificationsOverview(
    IReadOnlyList<ChannelView> Channels,
    IReadOnlyList<ReminderView> Reminders,
    TimeOnly? QuietFrom,
    TimeOnly? QuietUntil,
    IReadOnlyList<LogEntryView> Log,
    string? AccountEmail,
    bool MailConfigured,
    string VapidPublicKey);

/// <summary>The result of adding a channel, sending a test or saving reminders: errors by field, empty on success.</summary>
public sealed record NotificationResult(IReadOnlyDictionary<string, string> Errors, long? Id = null)
{
    public bool Succeeded => Errors.Count == 0;

    public static NotificationResult Ok(long? id = null) => new(new Dictionary<string, string>(), id);

    public static NotificationResult Fail(string field, string message) => new(new Dictionary<string, string> { [field] = message });
}

/// <summary>
/// The Notifications page's service: a user's channels, reminders, quiet hours and log. Every method takes the user
/// id and filters by it; another user's channel answers exactly like a missing one (null or false).
/// </summary>
public sealed class NotificationService(
    LifeOsDbContext db,
    TokenProtector protector,
    IEnumerable<INotificationSender> senders,
    IServiceProvider services,
    VapidKeys vapid,
    IOptions<LifeOsOptions> lifeOs,
    TimeProvider time)
{
    public const int LogSize = 50;

    /// <summary>The user's clock, for local times on the page.</summary>
    public Task<UserClock?> ClockAsync(string userId, CancellationToken cancellationToken = default) => db.FindClockAsync(userId, time, cancellationToken);

    public async Task<NotificationsOverview> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        var channels = await db.NotificationChannels.AsNoTracking().Where(c => c.UserId == userId)
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id)
            .Select(c => new ChannelView(c.Id, c.Kind, c.Label, c.Address, c.Enabled, c.FailingSince, c.LastError, c.CreatedAt))
            .ToListAsync(cancellationToken);
        var stored = await db.ReminderSettings.AsNoTracking().Where(r => r.UserId == userId).ToDictionaryAsync(r => r.Kind, cancellationToken);
        var reminders = ReminderDefaults.All
            .Select(k => stored.TryGetValue(k, out var r) ? new ReminderView(k, r.Enabled, r.LocalTime, r.Day) : new ReminderView(k, false, ReminderDefaults.Time(k), ReminderDefaults.Day(k)))
            .ToList();
        var prefs = await db.NotificationPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        var labels = channels.ToDictionary(c => c.Id, c => c.Label);
        var log = await db.NotificationOccurrences.AsNoTracking().Where(o => o.UserId == userId)
            .OrderByDescending(o => o.DueAt).ThenByDescending(o => o.Id).Take(LogSize)
            .Select(o => new { o.Id, o.Kind, o.Title, o.DueAt, o.Status, o.Reason, Deliveries = o.Deliveries.OrderBy(d => d.Id).ToList() })
            .ToListAsync(cancellationToken);
        var email = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        return new NotificationsOverview(
            channels,
            reminders,
            prefs?.QuietFrom,
            prefs?.QuietUntil,
            log.Select(o => new LogEntryView(o.Id, o.Kind, o.Title, o.DueAt, o.Status, o.Reason, o.Deliveries
                .Select(d => new DeliveryView(d.ChannelKind, d.ChannelId is { } id ? labels.GetValueOrDefault(id) : null, d.Status, d.Attempts, d.SentAt, d.NextAttemptAt, d.LastError))
                .ToList())).ToList(),
            email,
            services.GetService<IMailer>() is not null,
            vapid.PublicKey);
    }

    /// <param name="linkBase">The app's address as the user sees it (used when LifeOs:PublicBaseUrl is not set).</param>
    public async Task<NotificationResult> AddNtfyAsync(string userId, string? topicUrl, string? accessToken, string linkBase, CancellationToken cancellationToken = default)
    {
        topicUrl = topicUrl?.Trim();
        if (string.IsNullOrEmpty(topicUrl))
        {
            return NotificationResult.Fail("topicUrl", "Enter the topic's address, such as https://ntfy.sh/my-lifeos-topic.");
        }

        if (topicUrl.Length > NotificationRules.MaxAddressLength || !Uri.TryCreate(topicUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.AbsolutePath.Trim('/').Length == 0)
        {
            return NotificationResult.Fail("topicUrl", "Enter the full address of the topic, with http:// or https:// and the topic's name, such as https://ntfy.sh/my-lifeos-topic.");
        }

        accessToken = string.IsNullOrWhiteSpace(accessToken) ? null : accessToken.Trim();
        if (accessToken?.Length > NotificationRules.MaxTokenLength)
        {
            return NotificationResult.Fail("accessToken", $"An access token has at most {NotificationRules.MaxTokenLength} characters.");
        }

        return await AddAsync(userId, ChannelKind.Ntfy, $"ntfy · {uri.Host}{uri.AbsolutePath}", topicUrl, accessToken is null ? null : protector.Protect(accessToken), null, linkBase, "topicUrl", cancellationToken);
    }

    public async Task<NotificationResult> AddEmailAsync(string userId, string? address, string linkBase, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IMailer>() is null)
        {
            return NotificationResult.Fail("email", "This server sends no mail: ask its administrator to set LifeOs:Smtp:Host.");
        }

        address = address?.Trim();
        if (string.IsNullOrEmpty(address) || address.Length > 254 || !MimeKit.MailboxAddress.TryParse(address, out var mailbox) || !mailbox.Address.Contains('@', StringComparison.Ordinal))
        {
            return NotificationResult.Fail("email", "Enter an email address such as you@example.org.");
        }

        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        return await AddAsync(userId, ChannelKind.Email, mailbox.Address, mailbox.Address, protector.Protect(token), Hash(token), linkBase, "email", cancellationToken);
    }

    /// <summary>A browser's push subscription, as <c>PushManager.subscribe</c> gave it.</summary>
    public async Task<NotificationResult> AddPushAsync(string userId, string? endpoint, string? p256dh, string? auth, string? deviceLabel, string linkBase, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(endpoint) || endpoint.Length > NotificationRules.MaxAddressLength || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || string.IsNullOrWhiteSpace(p256dh) || p256dh.Length > 200 || string.IsNullOrWhiteSpace(auth) || auth.Length > 100)
        {
            return NotificationResult.Fail("push", "This browser gave an incomplete subscription; try again, or use another channel.");
        }

        var label = string.IsNullOrWhiteSpace(deviceLabel) ? "This browser" : deviceLabel.Trim();
        label = label.Length > NotificationRules.MaxLabelLength ? label[..NotificationRules.MaxLabelLength] : label;
        var existing = await db.NotificationChannels.SingleOrDefaultAsync(c => c.UserId == userId && c.Kind == ChannelKind.WebPush && c.Address == endpoint, cancellationToken);
        if (existing is not null)
        {
            // The same browser subscribing again (new keys after a reset): keep one channel for it.
            existing.ProtectedSecret = protector.Protect(JsonSerializer.Serialize(new PushKeys(p256dh, auth)));
            existing.Enabled = true;
            existing.FailingSince = null;
            existing.LastError = null;
            await db.SaveChangesAsync(cancellationToken);
            return NotificationResult.Ok(existing.Id);
        }

        return await AddAsync(userId, ChannelKind.WebPush, label, endpoint, protector.Protect(JsonSerializer.Serialize(new PushKeys(p256dh, auth))), null, linkBase, "push", cancellationToken);
    }

    private async Task<NotificationResult> AddAsync(string userId, ChannelKind kind, string label, string address, string? secret, string? unsubscribeHash, string linkBase, string field, CancellationToken cancellationToken)
    {
        if (await db.NotificationChannels.CountAsync(c => c.UserId == userId, cancellationToken) >= NotificationRules.MaxChannelsPerUser)
        {
            return NotificationResult.Fail(field, $"You have {NotificationRules.MaxChannelsPerUser} channels already; remove one first.");
        }

        if (await db.NotificationChannels.AnyAsync(c => c.UserId == userId && c.Kind == kind && c.Address == address, cancellationToken))
        {
            return NotificationResult.Fail(field, "You have added this one already.");
        }

        var channel = new NotificationChannel
        {
            UserId = userId,
            Kind = kind,
            Label = label.Length > NotificationRules.MaxLabelLength ? label[..NotificationRules.MaxLabelLength] : label,
            Address = address,
            ProtectedSecret = secret,
            UnsubscribeTokenHash = unsubscribeHash,
            LinkBase = string.IsNullOrWhiteSpace(lifeOs.Value.PublicBaseUrl) ? linkBase : lifeOs.Value.PublicBaseUrl,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        db.NotificationChannels.Add(channel);
        await db.SaveChangesAsync(cancellationToken);
        return NotificationResult.Ok(channel.Id);
    }

    /// <returns>False when the user has no such channel.</returns>
    public async Task<bool> RemoveChannelAsync(string userId, long channelId, CancellationToken cancellationToken = default) =>
        await db.NotificationChannels.Where(c => c.Id == channelId && c.UserId == userId).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <returns>False when the user has no such channel.</returns>
    public async Task<bool> SetEnabledAsync(string userId, long channelId, bool enabled, CancellationToken cancellationToken = default) =>
        await db.NotificationChannels.Where(c => c.Id == channelId && c.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Enabled, enabled), cancellationToken) == 1;

    /// <summary>Sends a test through one channel now (no retry: the person is watching), and records whether it works.</summary>
    /// <returns>Null when the user has no such channel.</returns>
    public async Task<NotificationResult?> SendTestAsync(string userId, long channelId, CancellationToken cancellationToken = default)
    {
        var channel = await db.NotificationChannels.AsNoTracking().SingleOrDefaultAsync(c => c.Id == channelId && c.UserId == userId, cancellationToken);
        if (channel is null)
        {
            return null;
        }

        var sender = senders.Single(s => s.Kind == channel.Kind);
        try
        {
            await sender.SendAsync(channel, new NotificationMessage("LifeOs test", "Notifications reach you here. Reminders will come this way.", "/settings/notifications"), cancellationToken);
        }
        catch (ChannelDeliveryException ex)
        {
            await db.NotificationChannels.Where(c => c.Id == channelId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastError, ex.Message), cancellationToken);
            return NotificationResult.Fail("test", ex.Message);
        }

        await db.NotificationChannels.Where(c => c.Id == channelId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailingSince, (DateTime?)null).SetProperty(c => c.LastError, (string?)null), cancellationToken);
        return NotificationResult.Ok(channelId);
    }

    /// <summary>The rules <see cref="SaveAsync"/> applies, for a restore to check an export before writing anything.</summary>
    /// <returns>Null when the reminders and quiet hours can be saved.</returns>
    public static NotificationResult? Check(IReadOnlyList<ReminderView> reminders, TimeOnly? quietFrom, TimeOnly? quietUntil)
    {
        if (quietFrom.HasValue != quietUntil.HasValue)
        {
            return NotificationResult.Fail("quiet", "Set both ends of the quiet hours, or neither.");
        }

        if (quietFrom.HasValue && quietFrom == quietUntil)
        {
            return NotificationResult.Fail("quiet", "Quiet hours must start and end at different times.");
        }

        foreach (var reminder in reminders)
        {
            if (!Enum.IsDefined(reminder.Kind) || (reminder.Kind.IsWeekly() && reminder.Day is null))
            {
                return NotificationResult.Fail(reminder.Kind.ToString(), "Choose a day of the week.");
            }
        }

        return null;
    }

    public async Task<NotificationResult> SaveAsync(string userId, IReadOnlyList<ReminderView> reminders, TimeOnly? quietFrom, TimeOnly? quietUntil, CancellationToken cancellationToken = default)
    {
        if (Check(reminders, quietFrom, quietUntil) is { } refused)
        {
            return refused;
        }

        var stored = await db.ReminderSettings.Where(r => r.UserId == userId).ToDictionaryAsync(r => r.Kind, cancellationToken);
        foreach (var reminder in reminders.DistinctBy(r => r.Kind))
        {
            if (!stored.TryGetValue(reminder.Kind, out var row))
            {
                row = new ReminderSetting { UserId = userId, Kind = reminder.Kind };
                db.ReminderSettings.Add(row);
            }

            row.Enabled = reminder.Enabled;
            row.LocalTime = new TimeOnly(reminder.LocalTime.Hour, reminder.LocalTime.Minute);
            row.Day = reminder.Kind.IsWeekly() ? reminder.Day : null;
        }

        var prefs = await db.NotificationPreferences.SingleOrDefaultAsync(p => p.UserId == userId, cancellationToken);
        if (prefs is null)
        {
            prefs = new NotificationPreferences { UserId = userId };
            db.NotificationPreferences.Add(prefs);
        }

        prefs.QuietFrom = quietFrom;
        prefs.QuietUntil = quietUntil;
        await db.SaveChangesAsync(cancellationToken);
        return NotificationResult.Ok();
    }

    /// <summary>The one-click link in every reminder email: turns that address's channel off, whoever clicks (the token is the proof).</summary>
    /// <returns>The address unsubscribed, or null for a token that matches no channel.</returns>
    public async Task<string?> UnsubscribeAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 128)
        {
            return null;
        }

        var hash = Hash(token);
        var channel = await db.NotificationChannels.SingleOrDefaultAsync(c => c.UnsubscribeTokenHash == hash && c.Kind == ChannelKind.Email, cancellationToken);
        if (channel is null)
        {
            return null;
        }

        channel.Enabled = false;
        await db.SaveChangesAsync(cancellationToken);
        return channel.Address;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
