namespace LifeOs.Core.Notifications;

/// <summary>How a message reaches the user. Stored by name.</summary>
public enum ChannelKind
{
    WebPush,
    Email,
    Ntfy,
}

/// <summary>
/// One of the user's own ways to be reached: a browser or phone's push subscription, an email address, or an ntfy
/// topic. Secrets (the ntfy access token, the push subscription's keys) are stored only encrypted.
/// </summary>
public class NotificationChannel
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public ChannelKind Kind { get; set; }

    /// <summary>What the page shows: "Pixel 9 (Chrome)", the address, the topic.</summary>
    public required string Label { get; set; }

    /// <summary>The push service endpoint, the email address or the ntfy topic URL.</summary>
    public required string Address { get; set; }

    /// <summary>Encrypted: the ntfy access token, or the push subscription's p256dh and auth keys; null when there is none.</summary>
    public string? ProtectedSecret { get; set; }

    /// <summary>Lower-case hex SHA-256 of the token in an email's unsubscribe link; null for other kinds.</summary>
    public string? UnsubscribeTokenHash { get; set; }

    /// <summary>
    /// The app's address as the user reached it when adding the channel (or <c>LifeOs:PublicBaseUrl</c>): links in
    /// messages sent later, with no request to read it from, start with it.
    /// </summary>
    public required string LinkBase { get; set; }

    public bool Enabled { get; set; } = true;

    /// <summary>Set when a message's last retry failed; cleared by the next success (or a test that gets through).</summary>
    public DateTime? FailingSince { get; set; }

    /// <summary>What went wrong last, in words for the user (never a secret).</summary>
    public string? LastError { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>What can remind or notify. Stored by name; append new kinds at the end.</summary>
public enum ReminderKind
{
    MorningPages,
    DailyReflection,
    WeeklyReview,
    GoalAtRisk,
    ConnectionTrouble,
    WeeklyDigest,
}

/// <summary>One reminder's settings for one user; absent means off at its default time.</summary>
public class ReminderSetting
{
    public required string UserId { get; set; }
    public ReminderKind Kind { get; set; }
    public bool Enabled { get; set; }

    /// <summary>The user's local wall-clock time it is due at.</summary>
    public TimeOnly LocalTime { get; set; }

    /// <summary>The day of the week for weekly kinds (the weekly review, the digest); null for daily ones.</summary>
    public DayOfWeek? Day { get; set; }
}

/// <summary>The user's quiet hours; absent (or both ends null) means none.</summary>
public class NotificationPreferences
{
    public required string UserId { get; set; }
    public TimeOnly? QuietFrom { get; set; }
    public TimeOnly? QuietUntil { get; set; }
}

public enum OccurrenceStatus
{
    /// <summary>Claimed: its deliveries are being sent or retried.</summary>
    Sending,
    Sent,

    /// <summary>Not sent, for the reason in <see cref="NotificationOccurrence.Reason"/> (already written, quiet hours, no channel...).</summary>
    Skipped,

    /// <summary>No channel took it, after every retry.</summary>
    Failed,
}

/// <summary>
/// One reminder's one local occurrence for one user (the morning pages of 2026-12-01). Its unique key
/// (user, reminder, occurrence) is the claim: the row is written before anything is sent, so each occurrence is
/// sent at most once, also across restarts and instances.
/// </summary>
public class NotificationOccurrence
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public ReminderKind Kind { get; set; }

    /// <summary>The user's local date it belongs to (yyyy-MM-dd).</summary>
    public required string Occurrence { get; set; }

    /// <summary>The instant it was due.</summary>
    public DateTime DueAt { get; set; }

    public OccurrenceStatus Status { get; set; }
    public string? Reason { get; set; }
    public string Title { get; set; } = "";
    public string Body { get; set; } = "";

    /// <summary>The app-relative page a click opens, such as <c>/journal/new?kind=morning-pages</c>.</summary>
    public string Url { get; set; } = "/";

    public DateTime CreatedAt { get; set; }
    public List<NotificationDelivery> Deliveries { get; set; } = [];
}

public enum DeliveryStatus
{
    /// <summary>Claimed and being handed to the channel now.</summary>
    Sending,
    Sent,

    /// <summary>Failed; tried again at <see cref="NotificationDelivery.NextAttemptAt"/>.</summary>
    Retrying,

    /// <summary>Failed on every attempt.</summary>
    Failed,

    /// <summary>The app stopped while handing it over: it may have arrived, so it is never sent again (at most once).</summary>
    Interrupted,
}

/// <summary>One occurrence through one channel, with its retries.</summary>
public class NotificationDelivery
{
    public long Id { get; set; }
    public long OccurrenceId { get; set; }
    public required string UserId { get; set; }

    /// <summary>Null once the channel was removed (the log keeps the line).</summary>
    public long? ChannelId { get; set; }

    public ChannelKind ChannelKind { get; set; }
    public DeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}
