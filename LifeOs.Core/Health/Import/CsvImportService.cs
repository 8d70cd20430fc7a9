using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health.Import;

public sealed record ImportMetricSummary(string MetricCode, string DisplayName, int Count, double Min, double Max, string Unit, DateOnly From, DateOnly To);

public sealed record ImportPreviewRow(int Line, DateTime LocalTime, string MetricName, double DisplayValue, string Unit);

/// <summary>What a file would import, shaped for the page: per-metric counts, a date range, the first rows and every error.</summary>
public sealed record ImportPreview(
    string UploadId,
    string FileName,
    ImportFormat Format,
    int Measurements,
    int AlreadyImported,
    int DuplicateRows,
    IReadOnlyList<ImportMetricSummary> Metrics,
    DateOnly? From,
    DateOnly? To,
    IReadOnlyList<ImportPreviewRow> FirstRows,
    IReadOnlyList<ImportError> Errors,
    int ErrorCount,
    ImportMapping? Mapping = null,
    DateOrder DateOrder = DateOrder.Auto,
    bool DateOrderAsked = false)
{
    /// <summary>Import is offered only for a file with no problem that adds something.</summary>
    public bool CanImport => ErrorCount == 0 && Measurements > AlreadyImported;

    /// <summary>Every measurement of the file is already in LifeOs: importing would add nothing.</summary>
    public bool AddsNothing => ErrorCount == 0 && Measurements > 0 && AlreadyImported >= Measurements;
}

public enum StageStatus
{
    Staged,
    TooLarge,
}

public sealed record StageResult(StageStatus Status, string? UploadId, ImportError? Error);

public enum ImportStatus
{
    Imported,
    NotFound,
    HasErrors,
}

/// <param name="BatchId">The import batch the rows went into; null when nothing was new (a re-import belongs to no batch).</param>
public sealed record ImportOutcome(ImportStatus Status, string? FileName, ImportPreview? Preview, UpsertResult? Result, long? BatchId = null);

/// <summary>
/// CSV import of measurements. An upload is kept under the data directory (imports/&lt;user&gt;/&lt;random id&gt;)
/// between preview and confirm, so the client never carries the data; confirming parses and validates it
/// again. All or nothing: a file with any error imports nothing. Each row's source record id comes from
/// its metric and instant, so importing the same file again (or the same row from another file) adds nothing.
/// </summary>
public sealed class CsvImportService(LifeOsDbContext db, HealthStore store, DataDirectory dataDirectory, TimeProvider time)
{
    public const long MaxFileBytes = 20L * 1024 * 1024;
    public const int PreviewRowCount = 10;
    public static readonly TimeSpan UploadLifetime = TimeSpan.FromHours(24);

    /// <summary>
    /// Uploads one user may have waiting for confirmation; a new one drops the oldest beyond this, so one account
    /// can hold at most this many × <see cref="MaxFileBytes"/> of the server's disk.
    /// </summary>
    public const int MaxStagedPerUser = 5;

    private string ImportsRoot => Path.Combine(dataDirectory.Root, "imports");

    /// <summary>Keeps an upload for preview and confirm; refuses one over <see cref="MaxFileBytes"/> without keeping any of it.</summary>
    public async Task<StageResult> StageAsync(string userId, Stream content, string? fileName, CancellationToken cancellationToken = default)
    {
        var (bytes, tooLarge) = await ReadLimitedAsync(content, MaxFileBytes, cancellationToken);
        if (tooLarge is not null)
        {
            return new StageResult(StageStatus.TooLarge, null, tooLarge);
        }

        DeleteExpired();
        var directory = UserDirectory(userId);
        Directory.CreateDirectory(directory);
        var uploadId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await File.WriteAllBytesAsync(Path.Combine(directory, uploadId + ".csv"), bytes, cancellationToken);
        // The clock is the app's TimeProvider, not the file system's, so expiry follows the same time as everything else.
        var name = Path.GetFileName(fileName ?? "").ReplaceLineEndings(" ");
        var stagedAt = time.GetUtcNow().UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        await File.WriteAllTextAsync(Path.Combine(directory, uploadId + ".meta"), $"{stagedAt}\n{(name.Length == 0 ? "upload.csv" : name)}", cancellationToken);
        KeepNewest(directory, MaxStagedPerUser);
        return new StageResult(StageStatus.Staged, uploadId, null);
    }

    /// <summary>The preview of one of this user's uploads; null when the id is unknown, expired or someone else's.</summary>
    /// <param name="progress">Told the share of the file read so far (0 to 1): a large file takes a moment.</param>
    public async Task<ImportPreview?> PreviewAsync(string userId, string uploadId, CancellationToken cancellationToken = default, Action<double>? progress = null)
    {
        var staged = await LoadAsync(userId, uploadId, cancellationToken);
        if (staged is null)
        {
            return null;
        }

        var mapping = await LoadMappingAsync(userId, uploadId, cancellationToken);
        var (user, parsed) = await ParseAsync(userId, staged.Value.Bytes, mapping, cancellationToken, progress);
        return await PreviewOfAsync(userId, uploadId, staged.Value.Name, user, parsed, cancellationToken);
    }

    /// <summary>Parses a file without keeping it: what it would import and what is wrong with it.</summary>
    public async Task<ImportPreview> PreviewAsync(string userId, Stream content, string? fileName = null, CancellationToken cancellationToken = default)
    {
        var (bytes, tooLarge) = await ReadLimitedAsync(content, MaxFileBytes, cancellationToken);
        var (user, parsed) = tooLarge is null
            ? await ParseAsync(userId, bytes, null, cancellationToken)
            : (await db.ClockAsync(userId, time, cancellationToken), new ImportParseResult(ImportFormat.Unknown, [], [tooLarge], 1));
        return await PreviewOfAsync(userId, "", fileName ?? "upload.csv", user, parsed, cancellationToken);
    }

    /// <summary>Rows per transaction when importing: each commits in a fraction of a second, so other writers wait little.</summary>
    public const int DefaultChunkRows = 5_000;

    /// <summary>
    /// Parses and validates the upload again and, only if it has no error at all, writes every row through the health
    /// store, <paramref name="chunkRows"/> rows per transaction (a row is imported once, however often it is written,
    /// so a stopped import resumes after <paramref name="resumeAfter"/> rows, or from the start, with the same result).
    /// </summary>
    /// <param name="committed">Told the rows written so far after each chunk; false stops the import.</param>
    public async Task<ImportOutcome> ImportAsync(
        string userId, string uploadId, CancellationToken cancellationToken = default,
        int chunkRows = DefaultChunkRows, long resumeAfter = 0, Func<long, long, Task<bool>>? committed = null)
    {
        var staged = await LoadAsync(userId, uploadId, cancellationToken);
        if (staged is null)
        {
            return new ImportOutcome(ImportStatus.NotFound, null, null, null);
        }

        var (user, parsed) = await ParseAsync(userId, staged.Value.Bytes, await LoadMappingAsync(userId, uploadId, cancellationToken), cancellationToken);
        if (!parsed.Succeeded || parsed.Rows.Count == 0)
        {
            return new ImportOutcome(ImportStatus.HasErrors, staged.Value.Name, await PreviewOfAsync(userId, uploadId, staged.Value.Name, user, parsed, cancellationToken), null);
        }

        var batch = await BatchForAsync(userId, uploadId, staged.Value.Name, parsed.Rows, cancellationToken);
        var inputs = parsed.Rows.Select(r => new SampleInput(r.MetricCode, SampleSource.Import, SourceRecordId(r), r.StartUtc, r.Value, LocalDate: r.Day, ImportBatchId: batch.Id)).ToList();
        var total = new UpsertResult(0, 0, 0, 0, 0);
        for (var from = (int)Math.Min(resumeAfter, inputs.Count); from < inputs.Count; from += chunkRows)
        {
            var chunk = await store.UpsertSamplesAsync(userId, inputs.GetRange(from, Math.Min(chunkRows, inputs.Count - from)), cancellationToken);
            total = new UpsertResult(total.Inserted + chunk.Inserted, total.Updated + chunk.Updated, total.Unchanged + chunk.Unchanged,
                total.Rejected + chunk.Rejected, total.DaysRecomputed + chunk.DaysRecomputed);
            var done = Math.Min(from + chunkRows, inputs.Count);
            if (committed is not null && !await committed(done, inputs.Count))
            {
                return new ImportOutcome(ImportStatus.Imported, staged.Value.Name, null, total, batch.Id);
            }
        }

        var kept = await FinishBatchAsync(userId, batch.Id, cancellationToken);
        Discard(userId, uploadId);
        return new ImportOutcome(ImportStatus.Imported, staged.Value.Name, null, total, kept ? batch.Id : null);
    }

    /// <summary>The batch of this upload: the one a stopped background import started, or a new one.</summary>
    private async Task<ImportBatch> BatchForAsync(string userId, string uploadId, string fileName, IReadOnlyList<ImportRow> rows, CancellationToken cancellationToken)
    {
        var existing = await db.ImportBatches.AsNoTracking()
            .Where(b => b.UserId == userId && b.UploadId == uploadId && b.Status == ImportBatchStatus.Importing)
            .OrderByDescending(b => b.Id).FirstOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            return existing;
        }

        var batch = new ImportBatch
        {
            UserId = userId,
            UploadId = uploadId,
            FileName = fileName.Length > 260 ? fileName[..260] : fileName,
            Status = ImportBatchStatus.Importing,
            CreatedAt = time.GetUtcNow().UtcDateTime,
            Metrics = string.Join(',', rows.Select(r => r.MetricCode).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)),
        };
        db.ImportBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(batch).State = EntityState.Detached;
        return batch;
    }

    /// <summary>
    /// Counts what the batch inserted and marks it imported; a batch that added nothing (a re-import) is removed, so
    /// the list holds only imports that can be undone. False when it was removed.
    /// </summary>
    private async Task<bool> FinishBatchAsync(string userId, long batchId, CancellationToken cancellationToken)
    {
        var rows = await db.SamplesOf(userId).CountAsync(s => s.ImportBatchId == batchId, cancellationToken);
        if (rows == 0)
        {
            await db.ImportBatches.Where(b => b.Id == batchId && b.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            return false;
        }

        var now = time.GetUtcNow().UtcDateTime;
        await db.ImportBatches.Where(b => b.Id == batchId && b.UserId == userId).ExecuteUpdateAsync(s => s
            .SetProperty(b => b.Status, ImportBatchStatus.Imported)
            .SetProperty(b => b.Rows, rows)
            .SetProperty(b => b.FinishedAt, now), cancellationToken);
        return true;
    }

    /// <summary>Forgets an upload (cancel, or after import).</summary>
    public void Discard(string userId, string uploadId)
    {
        if (PathsFor(userId, uploadId) is { } paths)
        {
            File.Delete(paths.Csv);
            File.Delete(MappingPath(paths.Csv));
            File.Delete(paths.Meta);
        }
    }

    /// <summary>Removes every staged upload of a user (their account is being deleted).</summary>
    public void DiscardAll(string userId)
    {
        var directory = UserDirectory(userId);
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The same metric at the same instant is the same record, whichever file it came from.</summary>
    public static string SourceRecordId(ImportRow row) =>
        "csv:" + row.StartUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    internal static async Task<(byte[] Bytes, ImportError? TooLarge)> ReadLimitedAsync(Stream content, long limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                buffer.Write(chunk, 0, (int)(limit - buffer.Length));
                return ([], TooLargeError(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), limit));
            }

            buffer.Write(chunk, 0, read);
        }

        return (buffer.ToArray(), null);
    }

    /// <summary>Says where in the file the limit was passed, so a person knows roughly how much to split off.</summary>
    private static ImportError TooLargeError(ReadOnlySpan<byte> firstBytes, long limit)
    {
        var line = firstBytes.Count((byte)'\n') + 1;
        var column = firstBytes.Length - (firstBytes.LastIndexOf((byte)'\n') + 1) + 1;
        return new ImportError(line, column, null,
            $"The file is larger than {limit / (1024 * 1024)} MB; it passes the limit here. Split it into smaller files and import them one after another.");
    }

    private async Task<ImportPreview> PreviewOfAsync(string userId, string uploadId, string fileName, UserClock user, ImportParseResult parsed, CancellationToken cancellationToken)
    {
        // Later rows for the same metric and instant replace earlier ones, as the health store does.
        var rows = parsed.Rows.GroupBy(r => (r.MetricCode, r.StartUtc)).Select(g => g.Last()).OrderBy(r => r.Line).ToList();
        // One range read per metric rather than a query per few thousand ids: a 400k-row file is read in one pass.
        var alreadyImported = 0;
        foreach (var byMetric in rows.GroupBy(r => r.MetricCode))
        {
            DateTime from = byMetric.Min(r => r.StartUtc), to = byMetric.Max(r => r.StartUtc);
            var held = (await db.SamplesOf(userId).AsNoTracking()
                .Where(s => s.MetricCode == byMetric.Key && s.StartUtc >= from && s.StartUtc <= to && s.Source == SampleSource.Import)
                .Select(s => s.SourceRecordId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
            if (held.Count > 0)
            {
                alreadyImported += byMetric.Count(r => held.Contains(SourceRecordId(r)));
            }
        }

        var metrics = rows.GroupBy(r => r.MetricCode).Select(g =>
        {
            var metric = MetricCatalogue.Get(g.Key);
            var unit = metric.DisplayFor(user.UnitSystem);
            return new ImportMetricSummary(metric.Code, metric.DisplayName, g.Count(),
                Math.Round(unit.FromCanonical(g.Min(r => r.Value)), 2), Math.Round(unit.FromCanonical(g.Max(r => r.Value)), 2), unit.Label,
                DateOnly.FromDateTime(g.Min(r => r.LocalTime)), DateOnly.FromDateTime(g.Max(r => r.LocalTime)));
        }).OrderBy(m => m.DisplayName, StringComparer.Ordinal).ToList();

        var first = rows.Take(PreviewRowCount).Select(r =>
        {
            var metric = MetricCatalogue.Get(r.MetricCode);
            var unit = metric.DisplayFor(user.UnitSystem);
            return new ImportPreviewRow(r.Line, r.LocalTime, metric.DisplayName, Math.Round(unit.FromCanonical(r.Value), 2), unit.Label);
        }).ToList();

        return new ImportPreview(uploadId, fileName, parsed.Format, rows.Count, alreadyImported, parsed.Rows.Count - rows.Count, metrics,
            metrics.Count > 0 ? metrics.Min(m => m.From) : null, metrics.Count > 0 ? metrics.Max(m => m.To) : null,
            first, parsed.Errors, parsed.ErrorCount, parsed.Mapping, parsed.DateOrder, parsed.DateOrderAsked);
    }

    private async Task<(UserClock User, ImportParseResult Parsed)> ParseAsync(
        string userId, byte[] bytes, ImportMapping? mapping, CancellationToken cancellationToken, Action<double>? progress = null)
    {
        var user = await db.ClockAsync(userId, time, cancellationToken);
        return (user, new CsvImportParser(user.Zone, user.UnitSystem, user) { Progress = progress }.Parse(bytes, mapping));
    }

    private static readonly JsonSerializerOptions MappingJson = new() { Converters = { new JsonStringEnumConverter() } };

    /// <summary>
    /// Keeps the person's column mapping beside the upload, so the preview, a reload and the import (in the
    /// background too) read the file the same way. False when the upload is unknown, expired or someone else's.
    /// </summary>
    public async Task<bool> SaveMappingAsync(string userId, string uploadId, ImportMapping mapping, CancellationToken cancellationToken = default)
    {
        if (await LoadAsync(userId, uploadId, cancellationToken) is null || PathsFor(userId, uploadId) is not { } paths)
        {
            return false;
        }

        await File.WriteAllTextAsync(MappingPath(paths.Csv), JsonSerializer.Serialize(mapping, MappingJson), cancellationToken);
        return true;
    }

    private async Task<ImportMapping?> LoadMappingAsync(string userId, string uploadId, CancellationToken cancellationToken)
    {
        if (PathsFor(userId, uploadId) is not { } paths || !File.Exists(MappingPath(paths.Csv)))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<ImportMapping>(await File.ReadAllTextAsync(MappingPath(paths.Csv), cancellationToken), MappingJson);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string MappingPath(string csvPath) => Path.ChangeExtension(csvPath, ".map");

    private async Task<(byte[] Bytes, string Name)?> LoadAsync(string userId, string uploadId, CancellationToken cancellationToken)
    {
        if (PathsFor(userId, uploadId) is not { } paths || !File.Exists(paths.Csv) || !File.Exists(paths.Meta))
        {
            return null;
        }

        var (stagedAt, name) = ReadMeta(await File.ReadAllTextAsync(paths.Meta, cancellationToken));
        if (stagedAt < time.GetUtcNow().UtcDateTime - UploadLifetime)
        {
            Discard(userId, uploadId);
            return null;
        }

        return (await File.ReadAllBytesAsync(paths.Csv, cancellationToken), name);
    }

    /// <summary>Null unless the id has exactly the shape this service hands out, so it can never name another path.</summary>
    private static (DateTime StagedAt, string Name) ReadMeta(string meta)
    {
        var parts = meta.Split('\n', 2);
        var stagedAt = DateTime.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : DateTime.MinValue;
        return (stagedAt, parts.Length > 1 ? parts[1] : "upload.csv");
    }

    private (string Csv, string Meta)? PathsFor(string userId, string uploadId)
    {
        if (uploadId.Length != 32 || !uploadId.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var directory = UserDirectory(userId);
        return (Path.Combine(directory, uploadId + ".csv"), Path.Combine(directory, uploadId + ".meta"));
    }

    /// <summary>
    /// Removes the upload folders of accounts that no longer exist (the app stopped between deleting an account and
    /// its files); returns how many.
    /// </summary>
    public async Task<int> SweepOrphansAsync(CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(ImportsRoot))
        {
            return 0;
        }

        var userIds = await db.Users.AsNoTracking().Select(u => u.Id).ToListAsync(cancellationToken);
        var kept = userIds.Select(UserDirectory).ToHashSet(StringComparer.Ordinal);
        var swept = 0;
        foreach (var directory in Directory.EnumerateDirectories(ImportsRoot).Where(d => !kept.Contains(d)).ToList())
        {
            Directory.Delete(directory, recursive: true);
            swept++;
        }

        return swept;
    }

    /// <summary>One folder per user, named by a hash of the id so that no user id ever becomes a path.</summary>
    private string UserDirectory(string userId) =>
        Path.Combine(ImportsRoot, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userId)))[..32]);

    private static void KeepNewest(string directory, int count)
    {
        var staged = Directory.EnumerateFiles(directory, "*.meta")
            .Select(meta => (Meta: meta, StagedAt: TryReadStagedAt(meta)))
            .OrderByDescending(m => m.StagedAt)
            .ThenByDescending(m => File.GetLastWriteTimeUtc(m.Meta))
            .Skip(count);
        foreach (var (meta, _) in staged)
        {
            TryDeleteStaged(meta);
        }
    }

    /// <summary>Removes one staged upload (its CSV, then its metadata); another request may be confirming or deleting it right now.</summary>
    private static void TryDeleteStaged(string meta)
    {
        try
        {
            File.Delete(Path.ChangeExtension(meta, ".csv"));
            File.Delete(Path.ChangeExtension(meta, ".map"));
            File.Delete(meta);
        }
        catch (IOException)
        {
            // Gone or busy: whoever holds it finishes the job.
        }
    }

    private static DateTime TryReadStagedAt(string meta)
    {
        try
        {
            return ReadMeta(File.ReadAllText(meta)).StagedAt;
        }
        catch (IOException)
        {
            return DateTime.MinValue;
        }
    }

    private void DeleteExpired()
    {
        if (!Directory.Exists(ImportsRoot))
        {
            return;
        }

        var cutoff = time.GetUtcNow().UtcDateTime - UploadLifetime;
        foreach (var meta in Directory.EnumerateFiles(ImportsRoot, "*.meta", SearchOption.AllDirectories))
        {
            DateTime stagedAt;
            try
            {
                stagedAt = ReadMeta(File.ReadAllText(meta)).StagedAt;
            }
            catch (IOException)
            {
                // Another request may be deleting it at the same moment.
                continue;
            }

            if (stagedAt < cutoff)
            {
                TryDeleteStaged(meta);
            }
        }
    }
}
