using System.Text.Json;

namespace LifeOs.Core.Health.AppleHealth;

/// <summary>One line of the summary: a metric (or an Apple type LifeOs does not map), and what became of its records.</summary>
public sealed class AppleTally
{
    public long Imported { get; set; }

    /// <summary>Already in LifeOs (an earlier import of the same phone), or the same record twice in the file.</summary>
    public long Duplicates { get; set; }

    /// <summary>Reason → records.</summary>
    public Dictionary<string, long> Rejected { get; set; } = new(StringComparer.Ordinal);

    public long RejectedTotal => Rejected.Values.Sum();

    public void Reject(string reason, long count = 1) => Rejected[reason] = Rejected.GetValueOrDefault(reason) + count;
}

/// <summary>
/// An Apple Health import's progress and summary, kept beside the upload (<c>&lt;id&gt;.state.json</c>) and rewritten
/// after each committed chunk: it is what the page shows while the import runs, the summary after it, and (with
/// <see cref="Cursor"/>) where a restarted import goes on.
/// </summary>
public sealed class AppleImportState
{
    public string FileName { get; set; } = "export.zip";

    public long FileBytes { get; set; }

    public DateTime UploadedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    /// <summary>Items (records, workouts, activity summaries) of the file whose outcome is committed and counted below.</summary>
    public long Cursor { get; set; }

    /// <summary>Chunks of the closing phase (hourly totals and nights, written after the whole file is read) already committed.</summary>
    public int ClosingChunksDone { get; set; }

    public long Read { get; set; }

    public long Written { get; set; }

    public long Skipped { get; set; }

    /// <summary>Bytes of the upload read (compressed, for a zip): the basis of the estimate.</summary>
    public long BytesRead { get; set; }

    /// <summary>Metric code, or the Apple type for records LifeOs does not map → its line of the summary.</summary>
    public Dictionary<string, AppleTally> Metrics { get; set; } = new(StringComparer.Ordinal);

    public AppleTally For(string key)
    {
        if (!Metrics.TryGetValue(key, out var tally))
        {
            Metrics[key] = tally = new AppleTally();
        }

        return tally;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static AppleImportState? Load(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<AppleImportState>(File.ReadAllBytes(path), Json);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Writes a new file and renames it over the old one, so a reader (the page) never sees half of it.</summary>
    public void Save(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(this, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
