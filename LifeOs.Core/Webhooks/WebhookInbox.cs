using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Webhooks;

/// <summary>What an endpoint answers for a delivery; the provider only learns "received" or "not for us".</summary>
public enum ReceiptOutcome
{
    /// <summary>Recorded; the dispatcher queues a targeted sync (or it waits for the connection's current run).</summary>
    Accepted,

    /// <summary>Seen before: recorded once, nothing more happens.</summary>
    Duplicate,

    /// <summary>For a known connection but nothing LifeOs reads.</summary>
    Ignored,

    /// <summary>No connection has that provider user id: nothing is recorded.</summary>
    UnknownUser,

    /// <summary>Missing or unreadable fields: nothing is recorded.</summary>
    Malformed,

    /// <summary>Oura's signature did not match: nothing is recorded.</summary>
    BadSignature,
}

/// <summary>
/// Records provider notifications and turns them into targeted sync runs. An endpoint calls <c>Receive…</c>, which
/// records the delivery (one INSERT, in <see cref="NotificationWriter"/>'s group commit) and returns; <see cref="WebhookDispatcher"/> then gives it a run off the request
/// path, and the fetching happens in that run (<see cref="SyncService"/>, on Quartz). Notifications for a connection
/// that already has a run queued or running wait as <see cref="NotificationStatus.Received"/> (or join a queued
/// targeted run); <see cref="SyncService"/> dispatches them when that run ends, so a burst becomes a few runs, not
/// hundreds. Nothing from a notification is logged beyond ids.
/// </summary>
public sealed class WebhookInbox(LifeOsDbContext db, SyncQueue queue, WebhookDispatcher dispatcher, NotificationWriter writer, DeliveryTimings timings, TimeProvider time, ILogger<WebhookInbox> logger)
{
    public static readonly TimeSpan Retention = TimeSpan.FromDays(30);

    /// <summary>
    /// Withings categories (appli) LifeOs reads, and the data types that fetch each (withings.md §6), comma-separated in
    /// <see cref="ProviderNotification.DataType"/>: 16 announces activity and workouts alike. ECG (54/55) is not
    /// subscribed: its scope is unconfirmed, and its AFib result arrives with the measures (type 130) anyway.
    /// </summary>
    public static readonly IReadOnlyDictionary<int, string> WithingsCategories = new Dictionary<int, string>
    {
        [1] = "measures",
        [4] = "measures",
        [16] = "activity,workouts",
        [44] = "sleep_summary",
    };

    /// <summary>Oura data types with webhooks that LifeOs reads (heart rate has none: the nightly sync brings it).</summary>
    public static readonly IReadOnlySet<string> OuraDataTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "daily_sleep", "sleep", "daily_readiness", "daily_activity", "daily_spo2", "workout",
    };

    public static readonly IReadOnlyList<string> OuraEventTypes = ["create", "update", "delete"];

    /// <summary>A provider may claim a long window; a notification never refetches more than this many days.</summary>
    public const int MaxWindowDays = 31;

    /// <summary>Withings' form fields: userid, appli, startdate, enddate (epoch seconds) for data categories.</summary>
    public async Task<ReceiptOutcome> ReceiveWithingsAsync(IReadOnlyDictionary<string, string?> form, CancellationToken cancellationToken = default)
    {
        var userId = form.GetValueOrDefault("userid");
        if (string.IsNullOrEmpty(userId) || userId.Length > 32 || !userId.All(char.IsAsciiDigit)
            || !int.TryParse(form.GetValueOrDefault("appli"), NumberStyles.None, CultureInfo.InvariantCulture, out var appli))
        {
            return ReceiptOutcome.Malformed;
        }

        long? start = null, end = null;
        if (form.GetValueOrDefault("startdate") is { Length: > 0 } s)
        {
            if (!long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                return ReceiptOutcome.Malformed;
            }

            start = v;
        }

        if (form.GetValueOrDefault("enddate") is { Length: > 0 } e)
        {
            if (!long.TryParse(e, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
            {
                return ReceiptOutcome.Malformed;
            }

            end = v;
        }

        if (start is > 253402300799 || end is > 253402300799 || (start is { } a && end is { } b && a > b))
        {
            return ReceiptOutcome.Malformed;
        }

        if (await FindConnectionAsync(ProviderKind.Withings, userId, cancellationToken) is not { } connectionId)
        {
            logger.LogInformation("A Withings notification for a user no connection has was ignored");
            return ReceiptOutcome.UnknownUser;
        }

        var dataType = WithingsCategories.GetValueOrDefault(appli);
        var now = time.GetUtcNow().UtcDateTime;
        var to = DayOf(end ?? start) ?? DateOnly.FromDateTime(now);
        var from = DayOf(start) ?? to;
        var notification = new ProviderNotification
        {
            Provider = ProviderKind.Withings,
            ReceivedAt = now,
            DedupKey = string.Join('|', userId, appli, start, end),
            ConnectionId = connectionId,
            Status = dataType is null ? NotificationStatus.Ignored : NotificationStatus.Received,
            DataType = dataType,
            // Epochs are instants; a day of padding each side covers every zone's local day.
            WindowFrom = Max(from.AddDays(-1), to.AddDays(-MaxWindowDays)),
            WindowTo = to.AddDays(1),
            Error = dataType is null ? $"Category {appli} is not one LifeOs reads." : null,
            ProcessedAt = dataType is null ? now : null,
        };
        return await RecordAsync(notification, connectionId, cancellationToken);
    }

    /// <summary>
    /// Oura's JSON body, checked against <c>x-oura-signature</c>: upper-case hex HMAC-SHA256 of timestamp + raw body,
    /// keyed with the client secret (oura.md §7), compared in constant time and case-insensitively.
    /// </summary>
    public async Task<ReceiptOutcome> ReceiveOuraAsync(byte[] body, string? signature, string? timestamp, string? clientSecret, CancellationToken cancellationToken = default)
    {
        if (!OuraSignatureMatches(body, signature, timestamp, clientSecret))
        {
            return ReceiptOutcome.BadSignature;
        }

        string? eventType, dataType, objectId, userId, eventTimeText;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            eventType = Text(root, "event_type");
            dataType = Text(root, "data_type");
            objectId = Text(root, "object_id");
            userId = Text(root, "user_id");
            eventTimeText = Text(root, "event_time");
        }
        catch (JsonException)
        {
            return ReceiptOutcome.Malformed;
        }

        if (eventType is null || !OuraEventTypes.Contains(eventType) || dataType is not { Length: > 0 and <= 32 } || objectId is not { Length: > 0 and <= 128 }
            || userId is not { Length: > 0 and <= 128 }
            || !DateTimeOffset.TryParse(eventTimeText, CultureInfo.InvariantCulture, DateTimeStyles.None, out var eventTime))
        {
            return ReceiptOutcome.Malformed;
        }

        if (await FindConnectionAsync(ProviderKind.Oura, userId, cancellationToken) is not { } connectionId)
        {
            logger.LogInformation("An Oura notification for a user no connection has was ignored");
            return ReceiptOutcome.UnknownUser;
        }

        var known = OuraDataTypes.Contains(dataType);
        var now = time.GetUtcNow().UtcDateTime;
        // Oura's day is the user's local day (sleep: the wake-up day); the event time is when it changed, so the
        // document's day is that day or the one before.
        var day = DateOnly.FromDateTime(eventTime.DateTime);
        var notification = new ProviderNotification
        {
            Provider = ProviderKind.Oura,
            ReceivedAt = now,
            DedupKey = string.Join('|', eventType, dataType, objectId, eventTimeText),
            ConnectionId = connectionId,
            Status = known ? NotificationStatus.Received : NotificationStatus.Ignored,
            DataType = known ? dataType : null,
            EventType = eventType,
            ObjectId = objectId,
            WindowFrom = eventType == "delete" ? null : day.AddDays(-1),
            WindowTo = eventType == "delete" ? null : day.AddDays(1),
            Error = known ? null : "A data type LifeOs does not read.",
            ProcessedAt = known ? null : now,
        };
        return await RecordAsync(notification, connectionId, cancellationToken);
    }

    public static bool OuraSignatureMatches(byte[] body, string? signature, string? timestamp, string? clientSecret)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(clientSecret) || signature.Length != 64)
        {
            return false;
        }

        var message = new byte[Encoding.UTF8.GetByteCount(timestamp) + body.Length];
        var n = Encoding.UTF8.GetBytes(timestamp, message);
        body.CopyTo(message, n);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(clientSecret), message);
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>
    /// Gives the connection's waiting notifications a run: a new targeted run when none is active, or the queued
    /// targeted run (not yet claimed) when there is one. A running run, or a queued full one, leaves them waiting
    /// until it ends (<see cref="SyncService"/> calls this again then).
    /// </summary>
    public async Task DispatchAsync(long connectionId, CancellationToken cancellationToken = default)
    {
        var pending = await db.ProviderNotifications.AsNoTracking()
            .Where(n => n.ConnectionId == connectionId && n.Status == NotificationStatus.Received)
            .Select(n => n.Id).ToListAsync(cancellationToken);
        if (pending.Count == 0)
        {
            return;
        }

        var connection = await db.Connections.AsNoTracking().Where(c => c.Id == connectionId)
            .Select(c => new { c.UserId, c.Status }).SingleOrDefaultAsync(cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (connection is null || connection.Status == ConnectionStatus.NeedsReconnect)
        {
            await db.ProviderNotifications.Where(n => pending.Contains(n.Id) && n.Status == NotificationStatus.Received).ExecuteUpdateAsync(s => s
                .SetProperty(n => n.Status, NotificationStatus.Ignored)
                .SetProperty(n => n.ProcessedAt, now)
                .SetProperty(n => n.Error, "The connection needs to be connected again."), cancellationToken);
            return;
        }

        var active = await db.Set<SyncRun>().AsNoTracking()
            .Where(r => r.ConnectionId == connectionId && (r.Status == SyncRunStatus.Queued || r.Status == SyncRunStatus.Running))
            .Select(r => new { r.Id, r.Status, r.Trigger }).FirstOrDefaultAsync(cancellationToken);
        if (active is null)
        {
            var result = await queue.EnqueueConnectionAsync(connectionId, connection.UserId, SyncTrigger.Webhook, cancellationToken,
                (runId, ct) => AttachAsync(pending, runId, ct));
            if (result.Outcome == EnqueueOutcome.AlreadyActive && result.RunId is { } other)
            {
                // Another instance queued one in between: join it if it is a targeted run still waiting.
                await AttachAsync(pending, other, cancellationToken);
            }

            return;
        }

        if (active.Status == SyncRunStatus.Queued && active.Trigger == SyncTrigger.Webhook)
        {
            await AttachAsync(pending, active.Id, cancellationToken);
        }
    }

    /// <summary>Attaches waiting notifications to a run only while it is a queued targeted run (one statement, so a worker's claim cannot slip between).</summary>
    private Task<int> AttachAsync(List<long> ids, long runId, CancellationToken cancellationToken) =>
        db.ProviderNotifications
            .Where(n => ids.Contains(n.Id) && n.Status == NotificationStatus.Received
                && db.Set<SyncRun>().Any(r => r.Id == runId && r.Status == SyncRunStatus.Queued && r.Trigger == SyncTrigger.Webhook))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Queued).SetProperty(n => n.SyncRunId, runId), cancellationToken);

    /// <summary>What a targeted run fetches: per data type, one window covering its notifications; and the Oura documents to remove.</summary>
    public sealed record TargetedPlan(IReadOnlyDictionary<string, (DateOnly From, DateOnly To)> Windows, IReadOnlyList<string> DeletedObjects);

    public async Task<TargetedPlan> PlanAsync(long runId, CancellationToken cancellationToken = default)
    {
        var attached = await db.ProviderNotifications.AsNoTracking().Where(n => n.SyncRunId == runId && n.Status == NotificationStatus.Queued)
            .Select(n => new { n.DataType, n.EventType, n.ObjectId, n.WindowFrom, n.WindowTo }).ToListAsync(cancellationToken);
        var windows = new Dictionary<string, (DateOnly From, DateOnly To)>(StringComparer.Ordinal);
        foreach (var n in attached)
        {
            if (n.DataType is null || n.WindowFrom is not { } from || n.WindowTo is not { } to)
            {
                continue;
            }

            foreach (var dataType in n.DataType.Split(','))
            {
                windows[dataType] = windows.TryGetValue(dataType, out var w)
                    ? (from < w.From ? from : w.From, to > w.To ? to : w.To)
                    : (from, to);
            }
        }

        var deleted = attached.Where(n => n.EventType == "delete" && n.ObjectId is not null).Select(n => n.ObjectId!).Distinct(StringComparer.Ordinal).ToList();
        return new TargetedPlan(windows, deleted);
    }

    /// <summary>Closes the notifications a run handled: processed, or failed with the run's reason.</summary>
    public async Task CompleteRunAsync(long runId, bool succeeded, string? error, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var message = error is { Length: > 500 } ? error[..500] : error;
        await db.ProviderNotifications.Where(n => n.SyncRunId == runId && n.Status == NotificationStatus.Queued).ExecuteUpdateAsync(s => s
            .SetProperty(n => n.Status, succeeded ? NotificationStatus.Processed : NotificationStatus.Failed)
            .SetProperty(n => n.ProcessedAt, now)
            .SetProperty(n => n.Error, succeeded ? null : message), cancellationToken);
    }

    /// <summary>When each of the user's connections last got a notification (null: none in the last 30 days).</summary>
    public async Task<Dictionary<ProviderKind, DateTime?>> LastNotificationsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var rows = await (
            from c in db.Connections.AsNoTracking()
            where c.UserId == userId
            select new { c.Provider, Last = db.ProviderNotifications.Where(n => n.ConnectionId == c.Id).Max(n => (DateTime?)n.ReceivedAt) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Provider, r => r.Last);
    }

    /// <summary>
    /// Housekeeping: deletes records older than 30 days, and gives a run to notifications left waiting (their
    /// connection's run ended without dispatching them, e.g. the app stopped).
    /// </summary>
    public async Task<int> PruneAndDispatchAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var cutoff = now - Retention;
        var pruned = await db.ProviderNotifications.Where(n => n.ReceivedAt < cutoff).ExecuteDeleteAsync(cancellationToken);
        var waiting = await db.ProviderNotifications.AsNoTracking()
            .Where(n => n.Status == NotificationStatus.Received && n.ConnectionId != null)
            .Select(n => n.ConnectionId!.Value).Distinct().ToListAsync(cancellationToken);
        foreach (var connectionId in waiting)
        {
            await DispatchAsync(connectionId, cancellationToken);
        }

        // Runs that ended without closing theirs (a crash between the two writes).
        var orphaned = await db.ProviderNotifications
            .Where(n => n.Status == NotificationStatus.Queued
                && db.Set<SyncRun>().Any(r => r.Id == n.SyncRunId && r.Status != SyncRunStatus.Queued && r.Status != SyncRunStatus.Running))
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.Status, NotificationStatus.Received).SetProperty(n => n.SyncRunId, (long?)null), cancellationToken);
        if (pruned > 0 || orphaned > 0)
        {
            logger.LogInformation("Webhook notifications: pruned {Pruned} older than {Days} days, re-queued {Orphaned}", pruned, Retention.TotalDays, orphaned);
        }

        return pruned;
    }

    /// <summary>
    /// Hands the row to <see cref="NotificationWriter"/> (the group commit: one transaction for every delivery waiting,
    /// <c>INSERT … ON CONFLICT DO NOTHING</c> each) and answers once it is committed. A repeated delivery inserts no row:
    /// no exception and no two error entries with a stack trace in the log, as a failed SaveChanges cost for every retry.
    /// </summary>
    private async Task<ReceiptOutcome> RecordAsync(ProviderNotification n, long connectionId, CancellationToken cancellationToken)
    {
        timings.WriteRequested = Stopwatch.GetTimestamp();
        var written = await writer.RecordAsync(n, cancellationToken);
        (timings.Queued, timings.Lock, timings.Write, timings.Batch) = (written.Queued, written.Lock, written.Write, written.Batch);
        if (written.Id is not { } id)
        {
            return ReceiptOutcome.Duplicate;
        }

        logger.LogInformation("{Provider} notification {NotificationId} for connection {ConnectionId} recorded", n.Provider, id, connectionId);
        if (n.Status != NotificationStatus.Received)
        {
            return ReceiptOutcome.Ignored;
        }

        // The run is the dispatcher's business, after the answer: a delivery costs one queued row.
        dispatcher.Received(connectionId);
        return ReceiptOutcome.Accepted;
    }

    private async Task<long?> FindConnectionAsync(ProviderKind provider, string providerUserId, CancellationToken cancellationToken) =>
        await db.Connections.Where(c => c.Provider == provider && c.ProviderUserId == providerUserId).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);

    private static DateOnly? DayOf(long? epoch) =>
        epoch is { } e ? DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeSeconds(e).UtcDateTime) : null;

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static string? Text(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
