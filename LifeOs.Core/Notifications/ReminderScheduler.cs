using System.Collections.Concurrent;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Notifications;

/// <summary>The <c>Notifications</c> settings; the defaults suit every install.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How late a reminder may still go out (after a stop, say); later than this it is left, not sent stale.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Messages handed to channels at once.</summary>
    public int SendConcurrency { get; set; } = 64;

    /// <summary>Attempts per delivery (the first and the retries) before the channel is marked failing.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>A delivery still "sending" this long after it was claimed was cut off by a stop: it is never sent again.</summary>
    public TimeSpan SendLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Occurrences written per transaction.</summary>
    public int ClaimBatch { get; set; } = 1000;

    /// <summary>The wait before retry n (1-based); the last one repeats.</summary>
    public static readonly TimeSpan[] Backoff = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30)];
}

/// <summary>What one run did, for tests, the benchmark and the log.</summary>
public sealed record ReminderRunResult(int Claimed, int Skipped, int Sent, int Failed, int Retrying);

/// <summary>
/// Finds the reminders due now in each user's zone, claims each occurrence by writing it (its unique key makes a
/// second claim fail), and only then hands it to the user's channels: claim-then-send, so an occurrence goes out at
/// most once, also when the app stops in the middle (a delivery left "sending" is marked interrupted, never resent).
/// A failed delivery is retried with backoff; after the last attempt the channel is marked failing.
/// </summary>
public sealed class ReminderScheduler(
    LifeOsDbContext db,
    ReminderContent content,
    IEnumerable<INotificationSender> senders,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<ReminderScheduler> logger)
{
    private readonly Dictionary<ChannelKind, INotificationSender> byKind = senders.ToDictionary(s => s.Kind);

    public async Task<ReminderRunResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await MarkInterruptedAsync(now - options.Value.SendLease, cancellationToken);
        var (claimed, skipped, fresh) = await ClaimDueAsync(now, cancellationToken);
        var retries = await ClaimRetriesAsync(now, cancellationToken);
        var outcome = await SendAsync([.. fresh, .. retries], now, cancellationToken);
        return new ReminderRunResult(claimed, skipped, outcome.Sent, outcome.Failed, outcome.Retrying);
    }

    /// <summary>At start-up (every delivery still "sending" was cut off by the stop) and each run (for a lease run out).</summary>
    public async Task<int> MarkInterruptedAsync(DateTime claimedBefore, CancellationToken cancellationToken = default)
    {
        var count = await db.NotificationDeliveries
            .Where(d => d.Status == DeliveryStatus.Sending && d.UpdatedAt < claimedBefore)
            .ExecuteUpdateAsync(s => s
                .SetProperty(d => d.Status, DeliveryStatus.Interrupted)
                .SetProperty(d => d.LastError, "LifeOs stopped while sending this; it may have arrived, so it was not sent again."), cancellationToken);
        if (count > 0)
        {
            logger.LogWarning("{Count} notification deliveries were cut off by a stop and are not sent again", count);
            await db.NotificationOccurrences
                .Where(o => o.Status == OccurrenceStatus.Sending && o.Deliveries.All(d => d.Status != DeliveryStatus.Sending && d.Status != DeliveryStatus.Retrying))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, o => o.Deliveries.Any(d => d.Status == DeliveryStatus.Sent) ? OccurrenceStatus.Sent : OccurrenceStatus.Failed), cancellationToken);
        }

        return count;
    }

    private sealed record Due(ReminderCandidate Candidate, TimeOnly? QuietFrom, TimeOnly? QuietUntil, TimeZoneInfo Zone);

    private async Task<(int Claimed, int Skipped, List<NotificationDelivery> Deliveries)> ClaimDueAsync(DateTime now, CancellationToken cancellationToken)
    {
        var grace = options.Value.Grace;
        var rows = await (
            from r in db.ReminderSettings.AsNoTracking()
            where r.Enabled
            join u in db.Users on r.UserId equals u.Id
            where u.DeletedAt == null
            join p in db.NotificationPreferences on r.UserId equals p.UserId into prefs
            from p in prefs.DefaultIfEmpty()
            select new { r.UserId, r.Kind, r.LocalTime, r.Day, u.TimeZoneId, u.DayStartHour, QuietFrom = (TimeOnly?)p.QuietFrom, QuietUntil = (TimeOnly?)p.QuietUntil })
            .ToListAsync(cancellationToken);

        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        var due = new List<Due>();
        foreach (var row in rows)
        {
            if (!zones.TryGetValue(row.TimeZoneId ?? "", out var zone))
            {
                zones[row.TimeZoneId ?? ""] = zone = TimeZones.Find(row.TimeZoneId);
            }

            var localToday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(now, zone));
            // Today's, or yesterday's when it was due late in the evening and is still within the grace.
            foreach (var date in new[] { localToday, localToday.AddDays(-1) })
            {
                if (row.Day is { } day && date.DayOfWeek != day)
                {
                    continue;
                }

                var dueUtc = ReminderTimes.DueUtc(zone, date, row.LocalTime);
                if (dueUtc <= now && now - dueUtc <= grace)
                {
                    due.Add(new Due(new ReminderCandidate(row.UserId, row.Kind, date, dueUtc, LocalDay.Of(now, zone, row.DayStartHour)), row.QuietFrom, row.QuietUntil, zone));
                    break;
                }
            }
        }

        if (due.Count == 0)
        {
            return (0, 0, []);
        }

        // Occurrences already claimed (by this instance earlier, or another): their dates are one of two or three.
        var dates = due.Select(d => d.Candidate.Occurrence.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Distinct().ToList();
        var claimedAlready = (await db.NotificationOccurrences.AsNoTracking()
            .Where(o => dates.Contains(o.Occurrence))
            .Select(o => new { o.UserId, o.Kind, o.Occurrence })
            .ToListAsync(cancellationToken))
            .Select(o => (o.UserId, o.Kind, o.Occurrence))
            .ToHashSet();
        due = due.Where(d => !claimedAlready.Contains((d.Candidate.UserId, d.Candidate.Kind, Key(d.Candidate.Occurrence)))).ToList();
        if (due.Count == 0)
        {
            return (0, 0, []);
        }

        var composed = await content.ComposeAsync(due.Select(d => d.Candidate).ToList(), cancellationToken);
        var users = due.Select(d => d.Candidate.UserId).Distinct().ToList();
        var channels = (await db.NotificationChannels.AsNoTracking().Where(c => c.Enabled && users.Contains(c.UserId)).ToListAsync(cancellationToken))
            .ToLookup(c => c.UserId, StringComparer.Ordinal);

        var occurrences = new List<NotificationOccurrence>(due.Count);
        var skipped = 0;
        for (var i = 0; i < due.Count; i++)
        {
            var (candidate, quietFrom, quietUntil, zone) = due[i];
            var message = composed[i].Message;
            var localDue = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(candidate.DueUtc, zone));
            var reason = composed[i].SkipReason
                ?? (ReminderTimes.IsQuiet(localDue, quietFrom, quietUntil) ? "Quiet hours" : null)
                ?? (channels[candidate.UserId].Any(c => byKind.ContainsKey(c.Kind)) ? null : "No channel set up");
            var occurrence = new NotificationOccurrence
            {
                UserId = candidate.UserId,
                Kind = candidate.Kind,
                Occurrence = Key(candidate.Occurrence),
                DueAt = candidate.DueUtc,
                CreatedAt = now,
                Status = reason is null ? OccurrenceStatus.Sending : OccurrenceStatus.Skipped,
                Reason = reason,
                Title = message?.Title ?? candidate.Kind.DisplayName(),
                Body = message?.Body ?? "",
                Url = message?.Url ?? "/",
            };
            if (reason is null)
            {
                foreach (var channel in channels[candidate.UserId].Where(c => byKind.ContainsKey(c.Kind)))
                {
                    occurrence.Deliveries.Add(new NotificationDelivery
                    {
                        UserId = candidate.UserId,
                        ChannelId = channel.Id,
                        ChannelKind = channel.Kind,
                        Status = DeliveryStatus.Sending,
                        Attempts = 1,
                        UpdatedAt = now,
                    });
                }
            }
            else
            {
                skipped++;
            }

            occurrences.Add(occurrence);
        }

        var claimed = await InsertClaimsAsync(occurrences, cancellationToken);
        return (claimed.Count, skipped, claimed.SelectMany(o => o.Deliveries).ToList());
    }

    private static string Key(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Writes the claims a batch per transaction; a batch another instance beat to one of its keys is written one by one, that key left out.</summary>
    private async Task<List<NotificationOccurrence>> InsertClaimsAsync(List<NotificationOccurrence> occurrences, CancellationToken cancellationToken)
    {
        var claimed = new List<NotificationOccurrence>(occurrences.Count);
        foreach (var batch in occurrences.Chunk(options.Value.ClaimBatch))
        {
            db.NotificationOccurrences.AddRange(batch);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                claimed.AddRange(batch);
            }
            catch (DbUpdateException)
            {
                db.ChangeTracker.Clear();
                foreach (var occurrence in batch)
                {
                    occurrence.Id = 0;
                    foreach (var delivery in occurrence.Deliveries)
                    {
                        delivery.Id = 0;
                        delivery.OccurrenceId = 0;
                    }

                    db.NotificationOccurrences.Add(occurrence);
                    try
                    {
                        await db.SaveChangesAsync(cancellationToken);
                        claimed.Add(occurrence);
                    }
                    catch (DbUpdateException)
                    {
                        // Claimed elsewhere meanwhile: that claim sends it.
                        db.ChangeTracker.Clear();
                    }
                }
            }
        }

        db.ChangeTracker.Clear();
        return claimed;
    }

    /// <summary>Retries due now, each taken by a conditional update so that two instances never both send it.</summary>
    private async Task<List<NotificationDelivery>> ClaimRetriesAsync(DateTime now, CancellationToken cancellationToken)
    {
        var ids = await db.NotificationDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Retrying && d.NextAttemptAt <= now)
            .Select(d => d.Id)
            .ToListAsync(cancellationToken);
        var taken = new List<long>();
        foreach (var id in ids)
        {
            var won = await db.NotificationDeliveries
                .Where(d => d.Id == id && d.Status == DeliveryStatus.Retrying)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(d => d.Status, DeliveryStatus.Sending)
                    .SetProperty(d => d.Attempts, d => d.Attempts + 1)
                    .SetProperty(d => d.UpdatedAt, now), cancellationToken);
            if (won == 1)
            {
                taken.Add(id);
            }
        }

        return taken.Count == 0 ? [] : await db.NotificationDeliveries.AsNoTracking().Where(d => taken.Contains(d.Id)).ToListAsync(cancellationToken);
    }

    private sealed record Outcome(int Sent, int Failed, int Retrying);

    private async Task<Outcome> SendAsync(List<NotificationDelivery> deliveries, DateTime now, CancellationToken cancellationToken)
    {
        if (deliveries.Count == 0)
        {
            return new(0, 0, 0);
        }

        var channelIds = deliveries.Select(d => d.ChannelId).OfType<long>().Distinct().ToList();
        var channels = await db.NotificationChannels.AsNoTracking().Where(c => channelIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);
        var occurrenceIds = deliveries.Select(d => d.OccurrenceId).Distinct().ToList();
        var messages = await db.NotificationOccurrences.AsNoTracking().Where(o => occurrenceIds.Contains(o.Id))
            .ToDictionaryAsync(o => o.Id, o => new NotificationMessage(o.Title, o.Body, o.Url), cancellationToken);

        var errors = new ConcurrentDictionary<long, ChannelDeliveryException?>();
        await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = options.Value.SendConcurrency, CancellationToken = cancellationToken }, async (delivery, ct) =>
        {
            if (delivery.ChannelId is not { } channelId || !channels.TryGetValue(channelId, out var channel) || !channel.Enabled)
            {
                errors[delivery.Id] = new ChannelDeliveryException("The channel was removed or turned off.", permanent: true);
                return;
            }

            try
            {
                await byKind[channel.Kind].SendAsync(channel, messages[delivery.OccurrenceId], ct);
                errors[delivery.Id] = null;
            }
            catch (ChannelDeliveryException ex)
            {
                errors[delivery.Id] = ex;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("A {Kind} notification failed unexpectedly: {ErrorType}", channel.Kind, ex.GetType().Name);
                errors[delivery.Id] = new ChannelDeliveryException("Sending failed unexpectedly.", inner: ex);
            }
        });

        return await RecordAsync(deliveries, errors, now, cancellationToken);
    }

    /// <summary>Each delivery's result, its occurrence's and its channel's, in one transaction.</summary>
    private async Task<Outcome> RecordAsync(List<NotificationDelivery> deliveries, ConcurrentDictionary<long, ChannelDeliveryException?> errors, DateTime now, CancellationToken cancellationToken)
    {
        int sent = 0, failed = 0, retrying = 0;
        var failingChannels = new Dictionary<long, string>();
        var workingChannels = new HashSet<long>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            var error = errors.GetValueOrDefault(delivery.Id);
            db.NotificationDeliveries.Attach(delivery);
            delivery.UpdatedAt = now;
            if (error is null)
            {
                delivery.Status = DeliveryStatus.Sent;
                delivery.SentAt = now;
                delivery.LastError = null;
                delivery.NextAttemptAt = null;
                sent++;
                if (delivery.ChannelId is { } id)
                {
                    workingChannels.Add(id);
                }
            }
            else if (!error.Permanent && delivery.Attempts < options.Value.MaxAttempts)
            {
                delivery.Status = DeliveryStatus.Retrying;
                delivery.LastError = error.Message;
                delivery.NextAttemptAt = now + NotificationOptions.Backoff[Math.Min(delivery.Attempts, NotificationOptions.Backoff.Length) - 1];
                retrying++;
            }
            else
            {
                delivery.Status = DeliveryStatus.Failed;
                delivery.LastError = error.Message;
                delivery.NextAttemptAt = null;
                failed++;
                if (delivery.ChannelId is { } id)
                {
                    failingChannels[id] = error.Message;
                }
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        foreach (var (id, message) in failingChannels)
        {
            await db.NotificationChannels.Where(c => c.Id == id && c.FailingSince == null)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailingSince, now), cancellationToken);
            await db.NotificationChannels.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.LastError, message), cancellationToken);
        }

        var recovered = workingChannels.Except(failingChannels.Keys).ToList();
        if (recovered.Count > 0)
        {
            await db.NotificationChannels.Where(c => recovered.Contains(c.Id) && (c.FailingSince != null || c.LastError != null))
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.FailingSince, (DateTime?)null).SetProperty(c => c.LastError, (string?)null), cancellationToken);
        }

        // An occurrence is sent once any channel took it, failed once none can any more, and sending while retries are left.
        var occurrenceIds = deliveries.Select(d => d.OccurrenceId).Distinct().ToList();
        foreach (var ids in occurrenceIds.Chunk(5000))
        {
            await db.NotificationOccurrences.Where(o => ids.Contains(o.Id) && o.Deliveries.Any(d => d.Status == DeliveryStatus.Sent))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OccurrenceStatus.Sent), cancellationToken);
            await db.NotificationOccurrences.Where(o => ids.Contains(o.Id) && o.Deliveries.All(d => d.Status == DeliveryStatus.Failed || d.Status == DeliveryStatus.Interrupted))
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OccurrenceStatus.Failed), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new(sent, failed, retrying);
    }
}
