namespace LifeOs.Core.Sync;

/// <summary>What started a run.</summary>
public enum SyncTrigger
{
    /// <summary>The user pressed "Sync now".</summary>
    Manual,

    /// <summary>The nightly schedule (or its catch-up after the app was down).</summary>
    Nightly,

    /// <summary>The first sync after connecting: history back to <c>Sync:BackfillDays</c>.</summary>
    Backfill,

    /// <summary>
    /// A provider notification: only the data types and windows of the notifications attached to the run
    /// (<c>ProviderNotification.SyncRunId</c>), and cursors stay where they are.
    /// </summary>
    Webhook,
}

public enum SyncRunStatus
{
    Queued,
    Running,
    Succeeded,

    /// <summary>Finished, but some data types failed or were not permitted; the others were saved.</summary>
    Partial,
    Failed,
}

/// <summary>One attempt to sync one connection: every attempt leaves a row, pruned after 90 days.</summary>
public class SyncRun
{
    public long Id { get; set; }
    public long ConnectionId { get; set; }
    public required string UserId { get; set; }
    public SyncTrigger Trigger { get; set; }
    public SyncRunStatus Status { get; set; }
    public DateTime QueuedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }

    /// <summary>
    /// Set when the run starts and after every window it commits. A Running run whose heartbeat is older than
    /// <c>Sync:StaleRunMinutes</c> lost its worker (a crash, a killed process) and is failed by the planner.
    /// </summary>
    public DateTime? HeartbeatAt { get; set; }

    /// <summary>0–100 while running: windows done over windows planned.</summary>
    public int Progress { get; set; }

    public int SamplesWritten { get; set; }
    public int Requests { get; set; }

    /// <summary>Per data type: {"sleep":{"fetched":…,"written":…,"note":…}}, as JSON.</summary>
    public string CountsJson { get; set; } = "{}";

    /// <summary>Why the run failed (or which data types did), in words for the user.</summary>
    public string? Error { get; set; }
}

/// <summary>
/// How far one data type of one connection is synced: every local day up to <see cref="CompleteThrough"/>
/// since <see cref="HistoryFrom"/> is committed. It moves only after a window's samples are committed, so a
/// stopped backfill resumes from it.
/// </summary>
public class SyncCursor
{
    public long ConnectionId { get; set; }
    public required string DataType { get; set; }
    public DateOnly HistoryFrom { get; set; }
    public DateOnly? CompleteThrough { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// One data type's share of a run, stored in <see cref="SyncRun.CountsJson"/>. <see cref="Rejected"/> counts the values
/// the store refused (outside the metric's range, a workout ending before it starts): shown, never silently dropped.
/// </summary>
public sealed record SyncTypeResult(int Fetched, int Written, string? Note = null, bool Failed = false, int Rejected = 0);
