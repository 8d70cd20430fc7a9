using LifeOs.Core.Connections;

namespace LifeOs.Core.Webhooks;

public enum NotificationStatus
{
    /// <summary>Recorded; waiting for a sync run (one was already running for the connection).</summary>
    Received,

    /// <summary>Attached to a queued targeted sync run (<see cref="ProviderNotification.SyncRunId"/>).</summary>
    Queued,

    /// <summary>Its run finished and stored what the provider had.</summary>
    Processed,

    /// <summary>Nothing to do: a category or data type LifeOs does not read, or a connection that needs reconnecting.</summary>
    Ignored,

    /// <summary>Its run failed; <see cref="ProviderNotification.Error"/> says why. The nightly sync still reconciles.</summary>
    Failed,
}

/// <summary>
/// One delivery from a provider saying that data changed (Withings' notify callback, Oura's webhook). Never trusted
/// as data: it only says which connection, data type and window to fetch again (or, for an Oura delete, which
/// document's samples to remove). The unique (provider, dedup key) index makes a repeated delivery a no-op.
/// Rows are pruned after 30 days.
/// </summary>
public class ProviderNotification
{
    public long Id { get; set; }
    public ProviderKind Provider { get; set; }
    public DateTime ReceivedAt { get; set; }

    /// <summary>Withings: userid|appli|startdate|enddate. Oura: event_type|data_type|object_id|event_time.</summary>
    public required string DedupKey { get; set; }

    /// <summary>The connection the provider's user id belongs to; null once that connection is gone.</summary>
    public long? ConnectionId { get; set; }

    public NotificationStatus Status { get; set; }

    /// <summary>The LifeOs data types to fetch (<see cref="Sync.SyncDataTypes"/>), comma-separated, or null when there is none.</summary>
    public string? DataType { get; set; }

    /// <summary>Oura's event type (create, update, delete); null for Withings.</summary>
    public string? EventType { get; set; }

    /// <summary>Oura's document id (a delete removes the samples whose source record id it is).</summary>
    public string? ObjectId { get; set; }

    /// <summary>Local days to fetch again (padded a day each side of what the provider said).</summary>
    public DateOnly? WindowFrom { get; set; }

    public DateOnly? WindowTo { get; set; }

    /// <summary>The targeted run that handles it.</summary>
    public long? SyncRunId { get; set; }

    public string? Error { get; set; }
    public DateTime? ProcessedAt { get; set; }
}
