namespace LifeOs.Core.Work;

/// <summary>
/// Long work a person started (re-dating years of samples after a time zone change, a large import, deleting a
/// source's data or an account), done in short transactions by <see cref="BackgroundWorker"/> so that no request
/// holds the database's write lock for long. The row is the work's progress and its place to resume after a restart.
/// </summary>
public sealed class BackgroundWork
{
    public long Id { get; set; }

    /// <summary>Whose work it is. No foreign key: deleting an account is itself such work.</summary>
    public string UserId { get; set; } = "";

    public WorkKind Kind { get; set; }

    public WorkStatus Status { get; set; }

    /// <summary>What the work is about (an upload id, a source), as the handler wrote it.</summary>
    public string? Payload { get; set; }

    /// <summary>Where the work has got to (a sample id, a row number): it resumes after this.</summary>
    public long Cursor { get; set; }

    public long Done { get; set; }

    public long Total { get; set; }

    /// <summary>What it did, for people ("12,034 values imported") once it has succeeded.</summary>
    public string? Result { get; set; }

    /// <summary>Why it failed, for people.</summary>
    public string? Error { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? HeartbeatAt { get; set; }

    public DateTime? FinishedAt { get; set; }
}

public enum WorkKind
{
    /// <summary>Samples put on their days again after a time zone or day-start change.</summary>
    Redate,

    /// <summary>A confirmed CSV import of measurements.</summary>
    CsvImport,

    /// <summary>Everything one source wrote, deleted after disconnecting it.</summary>
    SourceDeletion,

    /// <summary>An account and everything in it.</summary>
    AccountDeletion,

    /// <summary>The samples one CSV import added, deleted when the user undoes it.</summary>
    ImportUndo,

    /// <summary>An uploaded Apple Health export (export.zip or export.xml), read as a stream and written in chunks.</summary>
    AppleHealthImport,
}

public enum WorkStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,

    /// <summary>Newer work of the same kind made it pointless (a second time zone change).</summary>
    Superseded,
}
