namespace LifeOs.Core.Health.Import;

/// <summary>
/// One confirmed CSV import: the file, when, and what it added. The samples it inserted carry its id
/// (<see cref="Sample.ImportBatchId"/>), so the whole import can be undone at once; rows that were already in
/// LifeOs belong to the import that first brought them.
/// </summary>
public sealed class ImportBatch
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The staged upload it came from: a resumed background import finds its batch again by it.</summary>
    public required string UploadId { get; set; }

    public required string FileName { get; set; }

    public ImportBatchStatus Status { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? FinishedAt { get; set; }

    /// <summary>Measurements the import added (not those LifeOs already had).</summary>
    public int Rows { get; set; }

    /// <summary>The metric codes the file held, comma-separated.</summary>
    public string Metrics { get; set; } = "";

    public DateTime? UndoneAt { get; set; }
}

public enum ImportBatchStatus
{
    /// <summary>Being written (a large file, in the background).</summary>
    Importing,
    Imported,

    /// <summary>Its samples are being deleted (a large batch, in the background).</summary>
    Undoing,
    Undone,
}
