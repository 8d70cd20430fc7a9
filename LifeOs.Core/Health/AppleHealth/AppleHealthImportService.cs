using System.Security.Cryptography;
using System.Text;
using LifeOs.Core.Data;
using LifeOs.Core.Work;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health.AppleHealth;

/// <summary>An Apple Health import as its owner sees it: the work (status, result) and its progress and summary.</summary>
public sealed record AppleImportView(WorkView Work, AppleImportState? State, DateTime Now)
{
    /// <summary>Time since the import began (or until it finished).</summary>
    public TimeSpan? Elapsed => State?.StartedAt is { } started ? (Work.FinishedAt ?? Now) - started : null;

    /// <summary>Time left at the rate so far (bytes of the upload read per second); null until there is a rate.</summary>
    public TimeSpan? Remaining => Work.Finished || Elapsed is not { } elapsed || State is not { BytesRead: > 0, FileBytes: > 0 } s || elapsed <= TimeSpan.Zero
        ? null
        : elapsed * ((double)(s.FileBytes - s.BytesRead) / s.BytesRead);
}

public enum AppleStartStatus
{
    Started,
    NotAnExport,
    TooLarge,
    AlreadyRunning,
}

public sealed record AppleStartResult(AppleStartStatus Status, long? WorkId, string? Problem);

/// <summary>
/// Apple Health exports: the upload streamed to the data directory (never held in memory), checked to be an export,
/// and queued as background work (<see cref="AppleHealthImportWork"/>). Uploads live in the user's import folder
/// (<c>imports/&lt;sha256(user id)&gt;/apple-health/</c>, the same folder as CSV uploads, so account deletion and the
/// start-up sweep of deleted accounts remove them too); the upload goes once the import ends, its small state file
/// (the summary) stays.
/// </summary>
public sealed class AppleHealthImportService(LifeOsDbContext db, WorkQueue queue, DataDirectory dataDirectory, TimeProvider time)
{
    /// <summary>Exports of 1–2 GB are common (years of a watch's heart rate); a generous bound for a decade.</summary>
    public const long MaxUploadBytes = 4L * 1024 * 1024 * 1024;

    /// <summary>Streams the upload to disk, checks it is an Apple Health export and queues its import.</summary>
    public async Task<AppleStartResult> StartAsync(string userId, Stream content, string? fileName, CancellationToken cancellationToken = default)
    {
        if (await queue.ActiveAsync(userId, WorkKind.AppleHealthImport, cancellationToken) is { } running)
        {
            return new AppleStartResult(AppleStartStatus.AlreadyRunning, running.Id, "An Apple Health import is already running; wait for it to finish.");
        }

        var directory = UserDirectory(userId);
        Directory.CreateDirectory(directory);
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var upload = Path.Combine(directory, id + ".upload");
        var partial = upload + ".part";
        try
        {
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                var buffer = new byte[1 << 16];
                long total = 0;
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    total += read;
                    if (total > MaxUploadBytes)
                    {
                        return new AppleStartResult(AppleStartStatus.TooLarge, null, $"The file is larger than {MaxUploadBytes / 1024 / 1024 / 1024} GB.");
                    }

                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            try
            {
                AppleHealthReader.Open(partial).Dispose();
            }
            catch (AppleExportException ex)
            {
                return new AppleStartResult(AppleStartStatus.NotAnExport, null, ex.Message);
            }

            File.Move(partial, upload);
        }
        finally
        {
            File.Delete(partial);
        }

        var name = Path.GetFileName(fileName ?? "").ReplaceLineEndings(" ");
        new AppleImportState
        {
            FileName = name.Length == 0 ? "export.zip" : name,
            FileBytes = new FileInfo(upload).Length,
            UploadedAt = time.GetUtcNow().UtcDateTime,
        }.Save(StatePath(directory, id));
        var workId = await queue.EnqueueAsync(userId, WorkKind.AppleHealthImport, id, cancellationToken: cancellationToken);
        return new AppleStartResult(AppleStartStatus.Started, workId, null);
    }

    /// <summary>The import's progress and summary; null when it is not this user's Apple Health import.</summary>
    public async Task<AppleImportView?> GetAsync(string userId, long workId, CancellationToken cancellationToken = default)
    {
        var work = await queue.GetAsync(userId, workId, cancellationToken);
        if (work is not { Kind: WorkKind.AppleHealthImport })
        {
            return null;
        }

        var payload = await db.BackgroundWork.AsNoTracking().Where(w => w.Id == workId && w.UserId == userId).Select(w => w.Payload).SingleAsync(cancellationToken);
        return new AppleImportView(work, PathsFor(userId, payload) is { } paths ? AppleImportState.Load(paths.State) : null, time.GetUtcNow().UtcDateTime);
    }

    /// <summary>The user's latest Apple Health import, running or finished (the page shows it when opened).</summary>
    public async Task<long?> LatestAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.BackgroundWork.AsNoTracking()
            .Where(w => w.UserId == userId && w.Kind == WorkKind.AppleHealthImport)
            .OrderByDescending(w => w.Id).Select(w => (long?)w.Id).FirstOrDefaultAsync(cancellationToken);

    internal (string Upload, string State)? PathsFor(string userId, string? id)
    {
        if (id is not { Length: 32 } || !id.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var directory = UserDirectory(userId);
        return (Path.Combine(directory, id + ".upload"), StatePath(directory, id));
    }

    private static string StatePath(string directory, string id) => Path.Combine(directory, id + ".state.json");

    /// <summary>Inside the user's CSV import folder (same name: a hash of the id, so no user id ever becomes a path).</summary>
    private string UserDirectory(string userId) =>
        Path.Combine(dataDirectory.Root, "imports", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..32], "apple-health");
}
