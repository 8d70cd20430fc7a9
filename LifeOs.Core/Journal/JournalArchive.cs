using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <param name="Errors">"file, line n: what is wrong"; when any, nothing was imported.</param>
public sealed record JournalImportResult(IReadOnlyList<string> Errors, int Imported, int Skipped)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// The journal as a zip of Markdown files with YAML front matter (id, date, kind, week, title, mood,
/// energy, tags, created, updated), and the import of such a zip: every file is checked first, and
/// either all new entries are added in one transaction or none is. Entries whose id is already in the
/// journal are skipped, so importing the same zip twice adds nothing.
/// </summary>
public sealed partial class JournalArchive(LifeOsDbContext db, TimeProvider time)
{
    public const long MaxZipBytes = 64L * 1024 * 1024;
    public const int MaxFiles = 50_000;

    /// <summary>Entries per transaction when importing (each with its search index rows): a fraction of a second.</summary>
    private const int WriteChunk = 500;
    private const int MaxFileBytes = 512 * 1024;
    private const long MaxUnpackedBytes = 256L * 1024 * 1024;

    /// <returns>The stream's bytes, or null as soon as it gives more than <paramref name="limit"/>.</returns>
    private static async Task<byte[]?> ReadAtMostAsync(Stream stream, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes every entry of the user, oldest first, as <c>journal/yyyy/yyyy-MM-dd-kind-id.md</c>.</summary>
    public async Task WriteZipAsync(string userId, Stream destination, CancellationToken cancellationToken = default)
    {
        using var archive = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        await WriteEntriesAsync(userId, archive, "journal/", cancellationToken);
    }

    internal async Task WriteEntriesAsync(string userId, ZipArchive archive, string prefix, CancellationToken cancellationToken)
    {
        await foreach (var entry in db.JournalEntries.AsNoTracking().Where(e => e.UserId == userId)
            .OrderBy(e => e.LocalDate).ThenBy(e => e.Id).AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var zipEntry = archive.CreateEntry(prefix + FileName(entry), CompressionLevel.Fastest);
            zipEntry.LastWriteTime = new DateTimeOffset(entry.UpdatedAt);
            var stream = await zipEntry.OpenAsync(cancellationToken);
            await using (stream.ConfigureAwait(false))
            {
                await stream.WriteAsync(Utf8NoBom.GetBytes(ToMarkdown(entry)), cancellationToken);
            }
        }
    }

    /// <summary>One entry as a Markdown file, or null when it is not one of the user's entries.</summary>
    public async Task<(string FileName, string Markdown)?> ExportOneAsync(string userId, long id, CancellationToken cancellationToken = default)
    {
        var entry = await db.JournalEntries.AsNoTracking().SingleOrDefaultAsync(e => e.Id == id && e.UserId == userId, cancellationToken);
        return entry is null ? null : (Path.GetFileName(FileName(entry)), ToMarkdown(entry));
    }

    public static string FileName(JournalEntry entry) =>
        string.Create(CultureInfo.InvariantCulture, $"{entry.LocalDate:yyyy}/{entry.LocalDate:yyyy-MM-dd}-{entry.Kind.Slug()}-{entry.Uid[..8]}.md");

    public static string ToMarkdown(JournalEntry entry)
    {
        var text = new StringBuilder();
        text.Append("---\n");
        text.Append(CultureInfo.InvariantCulture, $"id: {entry.Uid}\n");
        text.Append(CultureInfo.InvariantCulture, $"date: {entry.LocalDate:yyyy-MM-dd}\n");
        text.Append(CultureInfo.InvariantCulture, $"kind: {entry.Kind.Slug()}\n");
        if (entry.Week is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"week: {entry.Week}\n");
        }

        if (entry.Title is not null)
        {
            // A JSON string is a valid YAML double-quoted scalar, whatever the title holds.
            text.Append(CultureInfo.InvariantCulture, $"title: {Quote(entry.Title)}\n");
        }

        if (entry.Mood is { } mood)
        {
            text.Append(CultureInfo.InvariantCulture, $"mood: {mood}\n");
        }

        if (entry.Energy is { } energy)
        {
            text.Append(CultureInfo.InvariantCulture, $"energy: {energy}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"tags: [{string.Join(", ", JournalService.SplitTags(entry.Tags).Select(Quote))}]\n");
        text.Append(CultureInfo.InvariantCulture, $"created: {entry.CreatedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
        text.Append(CultureInfo.InvariantCulture, $"updated: {entry.UpdatedAt:yyyy-MM-dd'T'HH:mm:ss'Z'}\n");
        text.Append("---\n\n");
        text.Append(entry.Body);
        text.Append('\n');
        return text.ToString();
    }

    public Task<JournalImportResult> ImportZipAsync(string userId, Stream zip, CancellationToken cancellationToken = default) =>
        ImportZipAsync(userId, zip, undatedDay: null, cancellationToken);

    /// <summary>
    /// Imports a zip of LifeOs's own export, of plain Markdown notes (Obsidian, Logseq...) or Day One's JSON export.
    /// </summary>
    /// <param name="undatedDay">The day for Markdown files that give none (asked on the preview); without it they are errors.</param>
    public async Task<JournalImportResult> ImportZipAsync(string userId, Stream zip, DateOnly? undatedDay, CancellationToken cancellationToken = default)
    {
        var read = await ReadArchiveAsync(zip, undatedDay, await db.ClockAsync(userId, time, cancellationToken), cancellationToken);
        var errors = read.Errors.ToList();
        if (read.Undated.Count > 0)
        {
            errors.Add($"{read.Undated.Count} {(read.Undated.Count == 1 ? "file gives" : "files give")} no date ({string.Join(", ", read.Undated.Take(5))}{(read.Undated.Count > 5 ? ", …" : "")}): choose a day for them.");
        }

        if (errors.Count > 0)
        {
            return new JournalImportResult(errors, 0, 0);
        }

        var (imported, skipped) = await WriteAsync(userId, read.Entries, cancellationToken);
        return new JournalImportResult([], imported, skipped + read.EmptySkipped);
    }

    private async Task<(int Imported, int Skipped)> WriteAsync(string userId, IReadOnlyList<ParsedEntry> parsed, CancellationToken cancellationToken)
    {
        var uids = parsed.Where(p => p.Uid is not null).Select(p => p.Uid!).ToList();
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in uids.Chunk(500))
        {
            existing.UnionWith(await db.JournalEntries.Where(e => e.UserId == userId && chunk.Contains(e.Uid)).Select(e => e.Uid).ToListAsync(cancellationToken));
        }

        // Everything was checked above, so nothing half-valid is written; the writing itself goes a chunk per
        // transaction, so a large archive never holds the database's write lock for long. An import stopped midway
        // is finished by importing the same zip again: what is already here is skipped.
        var now = time.GetUtcNow().UtcDateTime;
        var imported = 0;
        var skipped = 0;
        var pending = 0;
        foreach (var p in parsed)
        {
            if (p.Uid is not null && existing.Contains(p.Uid))
            {
                skipped++;
                continue;
            }

            // A file written by hand has no id: the same day, kind, title and text already there is a duplicate.
            if (p.Uid is null && await db.JournalEntries.AnyAsync(
                    e => e.UserId == userId && e.LocalDate == p.Entry.LocalDate && e.Kind == p.Entry.Kind && e.Title == p.Entry.Title && e.Body == p.Entry.Body,
                    cancellationToken))
            {
                skipped++;
                continue;
            }

            var entry = new JournalEntry
            {
                Uid = p.Uid ?? Guid.NewGuid().ToString("N"),
                UserId = userId,
                Body = p.Entry.Body,
                CreatedAt = p.Created ?? now,
            };
            JournalService.Apply(entry, p.Entry, now);
            entry.UpdatedAt = p.Updated ?? now;
            db.JournalEntries.Add(entry);
            imported++;
            if (++pending == WriteChunk)
            {
                await db.SaveChangesAsync(cancellationToken);
                db.ChangeTracker.Clear();
                pending = 0;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return (imported, skipped);
    }

    internal sealed record ParsedEntry(string File, string? Uid, ValidEntry Entry, DateTime? Created, DateTime? Updated);

    private static readonly Dictionary<string, string> FieldKeys = new(StringComparer.Ordinal)
    {
        [JournalRules.DateField] = "date",
        [JournalRules.WeekField] = "week",
        [JournalRules.TitleField] = "title",
        [JournalRules.MoodField] = "mood",
        [JournalRules.EnergyField] = "energy",
        [JournalRules.TagsField] = "tags",
        ["Kind"] = "kind",
    };

    /// <summary>Reads one file; adds "file, line n: message" to <paramref name="errors"/> and returns null when it is not a valid entry.</summary>
    internal static ParsedEntry? Parse(string file, string text, UserClock clock, List<string> errors)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF').Split('\n');
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            errors.Add($"{file}, line 1: expected front matter starting with ---.");
            return null;
        }

        var end = Array.FindIndex(lines, 1, l => l.Trim() == "---");
        if (end < 0)
        {
            errors.Add($"{file}, line 1: the front matter is never closed with ---.");
            return null;
        }

        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        var before = errors.Count;
        for (var i = 1; i < end; i++)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line) || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                errors.Add($"{file}, line {i + 1}: expected \"key: value\".");
                continue;
            }

            values[line[..colon].Trim()] = (line[(colon + 1)..].Trim(), i + 1);
        }

        int LineOf(string key) => values.TryGetValue(key, out var v) ? v.Line : 1;
        string? Scalar(string key)
        {
            if (!values.TryGetValue(key, out var v) || v.Value.Length == 0 || v.Value is "null" or "~")
            {
                return null;
            }

            if (v.Value.StartsWith('"'))
            {
                try
                {
                    return JsonSerializer.Deserialize<string>(v.Value);
                }
                catch (JsonException)
                {
                    errors.Add($"{file}, line {v.Line}: {key} has an unterminated or invalid quoted string.");
                    return null;
                }
            }

            return v.Value.StartsWith('\'') && v.Value.EndsWith('\'') && v.Value.Length >= 2
                ? v.Value[1..^1].Replace("''", "'", StringComparison.Ordinal)
                : v.Value;
        }

        int? Number(string key)
        {
            var s = Scalar(key);
            if (s is null)
            {
                return null;
            }

            if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }

            errors.Add($"{file}, line {LineOf(key)}: {key} must be a whole number from 1 to 5, not \"{s}\".");
            return null;
        }

        DateTime? Instant(string key)
        {
            var s = Scalar(key);
            if (s is null)
            {
                return null;
            }

            if (DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
            {
                return DateTime.SpecifyKind(t, DateTimeKind.Utc);
            }

            errors.Add($"{file}, line {LineOf(key)}: {key} must be a UTC time such as 2026-11-25T09:30:00Z.");
            return null;
        }

        var kindText = Scalar("kind");
        var kind = JournalKinds.Parse(kindText);
        if (kind is null)
        {
            errors.Add($"{file}, line {LineOf("kind")}: kind must be one of {string.Join(", ", JournalKinds.All.Select(k => k.Slug()))}{(kindText is null ? "" : $", not \"{kindText}\"")}.");
        }

        DateOnly? date = null;
        var dateText = Scalar("date");
        if (dateText is null || !DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            errors.Add($"{file}, line {LineOf("date")}: date must be a day such as 2026-11-25{(dateText is null ? "" : $", not \"{dateText}\"")}.");
        }
        else
        {
            date = d;
        }

        var tags = ParseTagList(values.TryGetValue("tags", out var tv) ? tv.Value : null, file, LineOf("tags"), errors);
        var input = new JournalEntryInput(kind ?? JournalKind.Note, date, Scalar("week"), Scalar("title"), string.Join('\n', lines[(end + 1)..]).Trim('\n'), Number("mood"), Number("energy"), tags);
        var uid = Scalar("id");
        if (uid is not null && (uid.Length is < 8 or > 64 || !uid.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            errors.Add($"{file}, line {LineOf("id")}: id must be 8 to 64 letters, digits or dashes.");
        }

        var created = Instant("created");
        var updated = Instant("updated");
        if (errors.Count > before || date is null || kind is null)
        {
            return null;
        }

        var (valid, fieldErrors) = JournalRules.Validate(input, clock);
        foreach (var (field, message) in fieldErrors)
        {
            var line = FieldKeys.TryGetValue(field, out var key) ? LineOf(key) : end + 2;
            errors.Add($"{file}, line {line}: {message}");
        }

        return valid is null ? null : new ParsedEntry(file, uid, valid, created, updated);
    }

    /// <summary>"[a, "b c"]" (a YAML flow sequence), or a bare comma-separated list; returns the tags comma-joined for the rules.</summary>
    private static string? ParseTagList(string? value, string file, int line, List<string> errors)
    {
        if (string.IsNullOrWhiteSpace(value) || value is "[]")
        {
            return null;
        }

        if (!value.StartsWith('['))
        {
            return value;
        }

        try
        {
            var list = JsonSerializer.Deserialize<List<string>>(value);
            return list is null ? null : string.Join(",", list.Select(t => t.Replace(",", " ", StringComparison.Ordinal)));
        }
        catch (JsonException)
        {
            if (!value.EndsWith(']'))
            {
                errors.Add($"{file}, line {line}: tags must be a list such as [work, family].");
                return null;
            }

            return value[1..^1];
        }
    }

    private static string Quote(string value) => JsonSerializer.Serialize(value, QuoteOptions);

    private static readonly JsonSerializerOptions QuoteOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
