using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Journal;

/// <summary>Which kind of journal zip it is.</summary>
public enum JournalImportFormat
{
    /// <summary>LifeOs's own export (front matter with a kind).</summary>
    LifeOs,

    /// <summary>Plain Markdown notes: Obsidian daily notes, Logseq journals, any folder of .md files.</summary>
    Markdown,

    /// <summary>Day One's JSON export (Journal.json, photos beside it).</summary>
    DayOne,
}

/// <summary>What a journal zip would import, before anything is written.</summary>
/// <param name="Undated">Markdown files that give no date: the page asks for one.</param>
/// <param name="NotImported">What the zip holds that is not imported ("12 photos").</param>
public sealed record JournalImportPreview(
    JournalImportFormat Format, int Entries, int New, int AlreadyHere, DateOnly? From, DateOnly? To,
    IReadOnlyList<string> Undated, IReadOnlyList<string> NotImported, IReadOnlyList<string> Errors)
{
    public bool CanImport => Errors.Count == 0 && Entries > 0;
}

public sealed partial class JournalArchive
{
    private const int MaxJsonBytes = 64 * 1024 * 1024;

    private sealed record ArchiveRead(
        JournalImportFormat Format, List<ParsedEntry> Entries, List<string> Errors, List<string> Undated, List<string> NotImported, int EmptySkipped);

    /// <summary>Reads a journal zip as the import would, and says what it would do; writes nothing.</summary>
    public async Task<JournalImportPreview> PreviewZipAsync(string userId, Stream zip, CancellationToken cancellationToken = default)
    {
        var read = await ReadArchiveAsync(zip, undatedDay: null, await db.ClockAsync(userId, time, cancellationToken), cancellationToken);
        var alreadyHere = 0;
        if (read.Errors.Count == 0)
        {
            var uids = read.Entries.Where(p => p.Uid is not null).Select(p => p.Uid!).ToList();
            foreach (var chunk in uids.Chunk(500))
            {
                alreadyHere += await db.JournalEntries.CountAsync(e => e.UserId == userId && chunk.Contains(e.Uid), cancellationToken);
            }

            foreach (var p in read.Entries.Where(p => p.Uid is null))
            {
                if (await db.JournalEntries.AnyAsync(e => e.UserId == userId && e.LocalDate == p.Entry.LocalDate && e.Kind == p.Entry.Kind && e.Title == p.Entry.Title && e.Body == p.Entry.Body, cancellationToken))
                {
                    alreadyHere++;
                }
            }
        }

        var days = read.Entries.Select(e => e.Entry.LocalDate).ToList();
        var notImported = read.NotImported.ToList();
        if (read.EmptySkipped > 0)
        {
            notImported.Add($"{read.EmptySkipped} empty {(read.EmptySkipped == 1 ? "file" : "files")}");
        }

        return new JournalImportPreview(read.Format, read.Entries.Count + read.Undated.Count, read.Entries.Count - alreadyHere, alreadyHere,
            days.Count > 0 ? days.Min() : null, days.Count > 0 ? days.Max() : null, read.Undated, notImported, read.Errors);
    }

    private async Task<ArchiveRead> ReadArchiveAsync(Stream zip, DateOnly? undatedDay, UserClock clock, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        var parsed = new List<ParsedEntry>();
        var undated = new List<string>();
        var notImported = new List<string>();
        var empty = 0;
        var format = JournalImportFormat.LifeOs;
        ArchiveRead Failed(string message) => new(format, [], [message], [], [], 0);
        try
        {
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            var json = files.Where(e => e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/', StringComparison.Ordinal)).ToList();
            var markdown = files.Where(e => e.FullName.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && !e.FullName.StartsWith("__MACOSX/", StringComparison.Ordinal)).ToList();
            if (json.Count > 0 && markdown.Count == 0)
            {
                format = JournalImportFormat.DayOne;
                var media = files.Count(e => !e.FullName.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
                foreach (var file in json)
                {
                    var stream = await file.OpenAsync(cancellationToken);
                    await using (stream.ConfigureAwait(false))
                    {
                        var bytes = await ReadAtMostAsync(stream, MaxJsonBytes, cancellationToken);
                        if (bytes is null)
                        {
                            return Failed($"{file.FullName} is larger than {MaxJsonBytes / 1024 / 1024} MB; export fewer journals at a time from Day One.");
                        }

                        ReadDayOne(file.FullName, bytes, clock, parsed, errors, notImported);
                    }
                }

                if (media > 0 && notImported.Count == 0)
                {
                    notImported.Add($"{media} photos or other media files");
                }
            }
            else
            {
                if (markdown.Count == 0)
                {
                    return Failed("The zip holds no .md files and no Day One Journal.json. Choose a zip of Markdown notes, Day One's JSON export, or a LifeOs journal export.");
                }

                if (markdown.Count > MaxFiles)
                {
                    return Failed($"The zip holds {markdown.Count:N0} Markdown files; at most {MaxFiles:N0} can be imported at once.");
                }

                // The sizes a zip declares are not trusted: every file is read through a bound on the bytes it
                // actually inflates to, and so is the whole archive, so a crafted zip cannot fill memory.
                var texts = new List<(string Name, string Text)>();
                var totalRead = 0L;
                foreach (var file in markdown)
                {
                    var stream = await file.OpenAsync(cancellationToken);
                    await using (stream.ConfigureAwait(false))
                    {
                        var bytes = await ReadAtMostAsync(stream, MaxFileBytes, cancellationToken);
                        if (bytes is null)
                        {
                            errors.Add($"{file.FullName}: the file is larger than {MaxFileBytes / 1024} KB.");
                            continue;
                        }

                        totalRead += bytes.Length;
                        if (totalRead > MaxUnpackedBytes)
                        {
                            return Failed($"The zip unpacks to more than {MaxUnpackedBytes / 1024 / 1024} MB of Markdown; import it in parts.");
                        }

                        texts.Add((file.FullName, Encoding.UTF8.GetString(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? bytes.AsSpan(Encoding.UTF8.Preamble.Length) : bytes)));
                    }
                }

                // LifeOs's own files carry a kind in their front matter; anything else is plain notes, read leniently.
                format = texts.Any(t => HasFrontMatterKey(t.Text, "kind")) ? JournalImportFormat.LifeOs : JournalImportFormat.Markdown;
                foreach (var (name, text) in texts)
                {
                    if (format == JournalImportFormat.LifeOs)
                    {
                        if (Parse(name, text, clock, errors) is { } entry)
                        {
                            parsed.Add(entry);
                        }
                    }
                    else
                    {
                        var before = errors.Count;
                        if (ParsePlain(name, text, undatedDay, clock, errors) is { } entry)
                        {
                            parsed.Add(entry);
                        }
                        else if (errors.Count == before)
                        {
                            // Not an error: an empty note (Logseq makes one a day) is skipped, an undated one is asked about.
                            if (IsEmpty(text))
                            {
                                empty++;
                            }
                            else
                            {
                                undated.Add(name);
                            }
                        }
                    }
                }
            }
        }
        catch (InvalidDataException)
        {
            return Failed("The file is not a readable zip archive.");
        }

        foreach (var duplicate in parsed.Where(p => p.Uid is not null).GroupBy(p => p.Uid).Where(g => g.Count() > 1))
        {
            errors.Add($"{string.Join(" and ", duplicate.Select(d => d.File))}: the same id {duplicate.Key} appears more than once.");
        }

        return new ArchiveRead(format, parsed, errors, undated, notImported, empty);
    }

    private static bool HasFrontMatterKey(string text, string key)
    {
        var (values, _) = FrontMatter(text);
        return values.ContainsKey(key);
    }

    /// <summary>The front matter's "key: value" lines (YAML block lists become "a, b") and the line the body starts after.</summary>
    private static (Dictionary<string, string> Values, int BodyStart) FrontMatter(string text)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimStart('\uFEFF').Split('\n');
        if (lines.Length == 0 || lines[0].Trim() != "---")
        {
            return (values, 0);
        }

        var end = Array.FindIndex(lines, 1, l => l.Trim() == "---");
        if (end < 0)
        {
            return (values, 0);
        }

        string? listKey = null;
        for (var i = 1; i < end; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (listKey is not null && trimmed.StartsWith("- ", StringComparison.Ordinal))
            {
                values[listKey] = values[listKey].Length == 0 ? trimmed[2..].Trim() : values[listKey] + ", " + trimmed[2..].Trim();
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || char.IsWhiteSpace(line[0]))
            {
                continue;
            }

            var key = line[..colon].Trim();
            values[key] = line[(colon + 1)..].Trim();
            listKey = values[key].Length == 0 ? key : null;
        }

        return (values, end + 1);
    }

    [GeneratedRegex(@"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)")]
    private static partial Regex DateInName();

    private static DateOnly? DayOf(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var match = DateInName().Match(text);
        return match.Success && DateOnly.TryParseExact($"{match.Groups[1].Value}-{match.Groups[2].Value}-{match.Groups[3].Value}", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)
            ? day
            : null;
    }

    private static bool HasDate(string file, string text) =>
        DayOf(Unquote(FrontMatter(text).Values.GetValueOrDefault("date"))) is not null || DayOf(Path.GetFileNameWithoutExtension(file)) is not null;

    private static bool IsEmpty(string text)
    {
        var (_, bodyStart) = FrontMatter(text);
        return string.IsNullOrWhiteSpace(string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Skip(bodyStart)));
    }

    private static string? Unquote(string? value) =>
        value is { Length: >= 2 } && (value[0] is '"' or '\'') && value[^1] == value[0] ? value[1..^1] : value;

    /// <summary>
    /// A plain Markdown note: the day from the front matter's <c>date:</c>, else from a YYYY-MM-DD (or YYYY_MM_DD, as
    /// Logseq names its journals) file name, else <paramref name="undatedDay"/>; the title from the front matter, else
    /// the file name unless it is only the date; tags from the front matter. Null when undated, empty or invalid.
    /// </summary>
    private static ParsedEntry? ParsePlain(string file, string text, DateOnly? undatedDay, UserClock clock, List<string> errors)
    {
        if (IsEmpty(text))
        {
            return null;
        }

        var (values, bodyStart) = FrontMatter(text);
        var name = Path.GetFileNameWithoutExtension(file);
        var frontDate = Unquote(values.GetValueOrDefault("date"));
        var day = DayOf(frontDate) ?? DayOf(name) ?? undatedDay;
        if (frontDate is not null && DayOf(frontDate) is null)
        {
            errors.Add($"{file}, line 2: date must be a day such as 2024-01-31, not \"{frontDate}\".");
            return null;
        }

        if (day is null)
        {
            return null;
        }

        var title = Unquote(values.GetValueOrDefault("title"));
        if (string.IsNullOrWhiteSpace(title) && DayOf(name) is null)
        {
            title = name;
        }

        var tags = values.GetValueOrDefault("tags") is { Length: > 0 } list ? list.Trim('[', ']').Replace("\"", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal) : null;
        var body = string.Join('\n', text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Skip(bodyStart)).Trim('\n');
        var (valid, fieldErrors) = JournalRules.Validate(new JournalEntryInput(JournalKind.Note, day, null, title, body, null, null, tags), clock);
        foreach (var (_, message) in fieldErrors)
        {
            errors.Add($"{file}: {message}");
        }

        return valid is null ? null : new ParsedEntry(file, null, valid, null, null);
    }

    [GeneratedRegex(@"!\[[^\]]*\]\(dayone-moment:[^)]*\)\s*")]
    private static partial Regex DayOneMoment();

    [GeneratedRegex(@"\\([\\`*_{}\[\]()#+\-.!>|~])")]
    private static partial Regex MarkdownEscape();

    /// <summary>
    /// Day One's JSON: each entry's day in its own time zone, its text (photo placeholders removed, Day One's Markdown
    /// escapes undone), its tags, and "starred" as a tag. Its uuid is the entry's id, so importing again adds nothing.
    /// </summary>
    private static void ReadDayOne(string file, byte[] bytes, UserClock clock, List<ParsedEntry> parsed, List<string> errors, List<string> notImported)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes);
        }
        catch (JsonException ex)
        {
            errors.Add($"{file}: not readable JSON ({ex.Message})");
            return;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                errors.Add($"{file}: this is not a Day One export (it has no \"entries\" list). In Day One, choose File › Export › JSON.");
                return;
            }

            int photos = 0, others = 0, number = 0;
            foreach (var entry in entries.EnumerateArray())
            {
                number++;
                var where = $"{file}, entry {number}";
                photos += Count(entry, "photos");
                others += Count(entry, "videos") + Count(entry, "audios") + Count(entry, "pdfAttachments");
                var uuid = entry.TryGetProperty("uuid", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString()!.ToLowerInvariant() : null;
                if (!entry.TryGetProperty("creationDate", out var created) || created.ValueKind != JsonValueKind.String
                    || !DateTime.TryParse(created.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var createdUtc))
                {
                    errors.Add($"{where}: it has no creationDate.");
                    continue;
                }

                createdUtc = DateTime.SpecifyKind(createdUtc, DateTimeKind.Utc);
                var zone = entry.TryGetProperty("timeZone", out var z) && z.ValueKind == JsonValueKind.String ? TimeZones.Find(z.GetString()) : TimeZoneInfo.Utc;
                var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(createdUtc, zone));
                var text = entry.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "";
                text = MarkdownEscape().Replace(DayOneMoment().Replace(text, ""), "$1").Trim();
                if (text.Length == 0)
                {
                    // A photo-only entry: nothing to import but its photos, which are counted below.
                    continue;
                }

                var tags = entry.TryGetProperty("tags", out var tagList) && tagList.ValueKind == JsonValueKind.Array
                    ? tagList.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!.Replace(",", " ", StringComparison.Ordinal)).ToList()
                    : [];
                if (entry.TryGetProperty("starred", out var starred) && starred.ValueKind == JsonValueKind.True)
                {
                    tags.Add("starred");
                }

                var (valid, fieldErrors) = JournalRules.Validate(new JournalEntryInput(JournalKind.Note, day, null, null, text, null, null, string.Join(",", tags)), clock);
                foreach (var (_, message) in fieldErrors)
                {
                    errors.Add($"{where} ({day:yyyy-MM-dd}): {message}");
                }

                if (uuid is not null && (uuid.Length is < 8 or > 64 || !uuid.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
                {
                    uuid = null;
                }

                var modified = entry.TryGetProperty("modifiedDate", out var m) && m.ValueKind == JsonValueKind.String
                    && DateTime.TryParse(m.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var modifiedUtc)
                    ? DateTime.SpecifyKind(modifiedUtc, DateTimeKind.Utc)
                    : (DateTime?)null;
                if (valid is not null)
                {
                    parsed.Add(new ParsedEntry(where, uuid, valid, createdUtc, modified ?? createdUtc));
                }
            }

            if (photos > 0)
            {
                notImported.Add($"{photos} {(photos == 1 ? "photo" : "photos")}");
            }

            if (others > 0)
            {
                notImported.Add($"{others} videos, recordings or PDFs");
            }
        }
    }

    private static int Count(JsonElement entry, string property) =>
        entry.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array ? list.GetArrayLength() : 0;
}
