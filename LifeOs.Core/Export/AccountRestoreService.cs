using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;
using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;
using LifeOs.Core.Data;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Export;

/// <summary>What one part of an export (samples, workouts, goals…) gave: rows new to the account, rows it already held, rows refused.</summary>
public sealed record RestorePart(string Name, int Added, int AlreadyThere, int Rejected);

/// <summary>How to restore: <paramref name="ReplaceSettings"/> takes the export's settings over the account's own.</summary>
/// <param name="FileName">The zip's name, for the audit log.</param>
public sealed record RestoreChoices(bool ReplaceSettings, string FileName = "export.zip");

/// <summary>
/// The outcome of checking or restoring an export. With errors nothing was written; otherwise <see cref="Parts"/> counts each part, and
/// <see cref="NotRestored"/> names what an export holds that a restore deliberately leaves alone.
/// </summary>
public sealed record RestoreResult(IReadOnlyList<string> Errors, IReadOnlyList<RestorePart> Parts)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>The settings the export holds, as people read them ("time zone Europe/Paris"); empty when it holds none.</summary>
    public IReadOnlyList<string> Settings { get; init; } = [];

    /// <summary>On the preview: the account already holds data of its own, so the page proposes keeping its settings.</summary>
    public bool AccountInUse { get; init; }

    /// <summary>After a restore: the export's settings replaced the account's.</summary>
    public bool SettingsReplaced { get; init; }

    /// <summary>Secrets never leave LifeOs, a copied connection would sync into two accounts, and history belongs to the account it happened to.</summary>
    public static IReadOnlyList<string> NotRestored { get; } =
    [
        "email, password, roles and two-factor sign-in", "provider connections and their tokens", "API keys", "notification channels and their log",
        "sync history, the import history and the audit log",
    ];
}

/// <summary>
/// Restores the full account export (<see cref="UserDataExportService"/>'s zip) into the signed-in account, empty or not.
/// Every write is an upsert by the exported natural key (metric, source and record id for samples; source and record id for
/// workouts; the journal entry's id; a goal's name and kind; a draft's editor screen), so restoring twice, or on top of the data it
/// came from, adds nothing. Settings (time zone, units, day start, appearance, source order, journal templates, reminders) replace the
/// account's own only when the person chooses so: an account in use keeps what its owner set.
/// </summary>
/// <remarks>
/// All or nothing by checking first: the whole zip is read and checked, its CSVs streamed row by row, before anything is written, so a
/// bad row names its file, line and column and nothing lands. The writing then streams the CSVs again in chunks, a short transaction
/// each: years of minute heart rate never sit in memory, and never hold the database's single write lock (which every other
/// account's sync waits for) for the minute a few million rows take. A restore stopped midway (a restart) is finished by restoring the
/// same zip again, since what is already here is matched, not doubled.
/// </remarks>
public sealed class AccountRestoreService(
    LifeOsDbContext db, TimeProvider time, HealthStore health, WorkoutStore workouts, UserSettingsService settings, JournalArchive journal,
    JournalSettingsService journalSettings, NotificationService notifications, AuditLog audit)
{
    /// <summary>Samples per upsert: one short write transaction each, so years of heart rate never hold the write lock for long.</summary>
    private const int SampleChunk = 5_000;

    /// <summary>Workouts per upsert (their store looks existing ones up with an IN list).</summary>
    private const int WorkoutChunk = 500;

    private const int MaxErrors = 20;

    /// <summary>The JSON files are small (goals, drafts, settings); a zip that inflates one beyond this is not an export.</summary>
    private const long MaxJsonBytes = 64L * 1024 * 1024;

    private const string SamplesPath = "health/samples.csv";
    private const string WorkoutsPath = "health/workouts.csv";

    private static readonly string[] SampleHeader = ["metric", "unit", "source", "source_record_id", "start_utc", "end_utc", "local_date", "value", "excluded"];
    private static readonly string[] WorkoutHeader = ["source", "source_record_id", "activity", "start_utc", "end_utc", "local_date", "calories_kcal", "distance_m"];

    /// <summary>Checks the zip and counts what it holds, writing nothing.</summary>
    /// <param name="zip">A seekable stream (the zip is read more than once).</param>
    public async Task<RestoreResult> PreviewAsync(string userId, Stream zip, CancellationToken cancellationToken = default)
    {
        var (read, errors) = await CheckAsync(userId, zip, cancellationToken);
        if (read is null)
        {
            return new RestoreResult(errors, []);
        }

        var inUse = await db.SamplesOf(userId).AnyAsync(cancellationToken)
            || await db.JournalEntries.AnyAsync(e => e.UserId == userId, cancellationToken)
            || await db.Set<Goal>().AnyAsync(g => g.UserId == userId, cancellationToken)
            || await db.Set<Workout>().AnyAsync(w => w.UserId == userId, cancellationToken);
        return new RestoreResult([], [
            new("Measurements", read.Samples, 0, 0),
            new("Workouts", read.Workouts, 0, 0),
            new("Goals", read.Goals.Count, 0, 0),
            new("Journal entries", read.Journal?.Entries ?? 0, 0, 0),
            new("Journal drafts", read.Drafts.Count, 0, 0),
        ]) { Settings = Describe(read), AccountInUse = inUse };
    }

    /// <param name="zip">A seekable stream (the zip is read more than once).</param>
    public async Task<RestoreResult> RestoreAsync(string userId, Stream zip, RestoreChoices choices, CancellationToken cancellationToken = default)
    {
        var (read, errors) = await CheckAsync(userId, zip, cancellationToken);
        if (read is null)
        {
            return new RestoreResult(errors, []);
        }

        // Settings first: the samples whose day LifeOs works out are dated in the restored zone and day start, and each day's
        // value is chosen by the restored source order.
        var replace = choices.ReplaceSettings && Describe(read).Count > 0;
        if (replace)
        {
            await ReplaceSettingsAsync(userId, read, cancellationToken);
        }

        zip.Position = 0;
        using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
        var parts = new List<RestorePart>
        {
            await RestoreSamplesAsync(userId, archive, cancellationToken),
            await RestoreWorkoutsAsync(userId, archive, cancellationToken),
            await RestoreGoalsAsync(userId, read.Goals, cancellationToken),
        };
        if (read.Journal is not null)
        {
            zip.Position = 0;
            var imported = await journal.ImportZipAsync(userId, zip, cancellationToken);
            if (!imported.Succeeded)
            {
                // Checked above; only an entry made meanwhile for a day that is now refused could land here.
                return new RestoreResult(imported.Errors.Select(e => $"journal: {e}").ToList(), parts);
            }

            parts.Add(new RestorePart("Journal entries", imported.Imported, imported.Skipped, 0));
        }

        parts.Add(await RestoreDraftsAsync(userId, read.Drafts, cancellationToken));
        var added = parts.Where(p => p.Added > 0).Select(p => $"{p.Added:N0} {p.Name.ToLowerInvariant()}").ToList();
        await audit.RecordAsync(AuditKind.AccountRestored, userId,
            $"{choices.FileName}: {(added.Count == 0 ? "nothing new" : string.Join(", ", added) + " added")}{(replace ? "; settings replaced" : "")}", actorUserId: userId);
        return new RestoreResult([], parts) { SettingsReplaced = replace };
    }

    private async Task ReplaceSettingsAsync(string userId, ReadExport read, CancellationToken cancellationToken)
    {
        if (read.Settings is { } s)
        {
            // Checked with the same rules before anything was written.
            await settings.UpdateAsync(userId, s, cancellationToken);
        }

        if (read.Theme is { } theme)
        {
            await settings.SetThemeAsync(userId, theme, cancellationToken);
        }

        foreach (var priority in read.Priorities)
        {
            await health.SetSourcesAsync(userId, priority.Group, priority.IsDefault ? null : priority.Order, cancellationToken);
        }

        if (read.JournalSettings is { } journalOwn)
        {
            // Every kind: one without a template of its own in the export goes back to the default one.
            var templates = JournalKinds.All.ToDictionary(k => k, k => journalOwn.Templates?.GetValueOrDefault(k.Slug()) ?? k.DefaultTemplate());
            await journalSettings.UpdateAsync(userId, new JournalSettings(journalOwn.StreakGraceRule, templates), cancellationToken);
        }

        if (read.Reminders is { } reminders)
        {
            await notifications.SaveAsync(userId, reminders.Reminders, reminders.QuietFrom, reminders.QuietUntil, cancellationToken);
        }
    }

    private async Task<RestorePart> RestoreSamplesAsync(string userId, ZipArchive archive, CancellationToken cancellationToken)
    {
        // The export gives every sample's day; one LifeOs would work out the same way is left for LifeOs to work out, so
        // the sample keeps following the user's time zone (a day given as the source's own stays fixed).
        var days = (await db.ClockAsync(userId, time, cancellationToken)).Days();
        int added = 0, there = 0, rejected = 0;
        // The check read these same bytes without an error, so none is added here.
        var errors = new List<string>();
        await foreach (var chunk in ReadRowsAsync(archive, SamplesPath, SampleHeader, ParseSample, errors, cancellationToken).Chunk(SampleChunk).WithCancellation(cancellationToken))
        {
            var inputs = chunk.Select(c => c.Input.LocalDate == days.Of(c.Input.StartUtc) ? c.Input with { LocalDate = null } : c.Input).ToList();
            var result = await health.UpsertSamplesAsync(userId, inputs, cancellationToken);
            (added, there, rejected) = (added + result.Inserted, there + result.Updated + result.Unchanged, rejected + result.Rejected);
            var excluded = chunk.Where(c => c.Excluded).Select(c => c.Input).ToList();
            if (excluded.Count == 0)
            {
                continue;
            }

            var recordIds = excluded.Select(e => e.SourceRecordId).Distinct().ToList();
            var keys = excluded.Select(e => (e.MetricCode, e.Source, e.SourceRecordId)).ToHashSet();
            // Oura's heart rate is found by its instants (SeriesRows), the rest by record id.
            var seriesStarts = excluded.Where(e => SeriesRows.IsSeries(e.MetricCode, e.Source)).Select(e => e.StartUtc).Distinct().ToList();
            var rows = await db.SamplesOf(userId).AsNoTracking().Others()
                .Where(x => recordIds.Contains(x.SourceRecordId))
                .Select(x => new { x.Id, x.MetricCode, x.Source, x.SourceRecordId })
                .ToListAsync(cancellationToken);
            if (seriesStarts.Count > 0)
            {
                // With their record ids as the export gave them: SQLite stores a series reading's without its instant (SeriesRows.Stored).
                var series = await db.SamplesOf(userId).AsNoTracking().Series()
                    .Where(x => seriesStarts.Contains(x.StartUtc))
                    .Select(x => new { x.Id, x.MetricCode, x.Source, x.StartUtc, x.SourceRecordId })
                    .ToListAsync(cancellationToken);
                rows.AddRange(series.Select(x => new { x.Id, x.MetricCode, x.Source, SourceRecordId = SeriesRows.RecordIdOf(x.MetricCode, x.Source, x.StartUtc, x.SourceRecordId) }));
            }

            await health.SetExcludedAsync(userId, rows.Where(r => keys.Contains((r.MetricCode, r.Source, r.SourceRecordId))).Select(r => r.Id).ToList(), excluded: true, cancellationToken);
        }

        return new RestorePart("Measurements", added, there, rejected);
    }

    private async Task<RestorePart> RestoreWorkoutsAsync(string userId, ZipArchive archive, CancellationToken cancellationToken)
    {
        int added = 0, there = 0, rejected = 0;
        var errors = new List<string>();
        await foreach (var chunk in ReadRowsAsync(archive, WorkoutsPath, WorkoutHeader, ParseWorkout, errors, cancellationToken).Chunk(WorkoutChunk).WithCancellation(cancellationToken))
        {
            var result = await workouts.UpsertAsync(userId, chunk, cancellationToken);
            db.ChangeTracker.Clear();
            (added, there, rejected) = (added + result.Inserted, there + result.Updated + result.Unchanged, rejected + result.Rejected);
        }

        return new RestorePart("Workouts", added, there, rejected);
    }

    private async Task<RestorePart> RestoreGoalsAsync(string userId, List<ExportedGoal> goals, CancellationToken cancellationToken)
    {
        var existing = (await db.Set<Goal>().AsNoTracking().Where(g => g.UserId == userId).Select(g => new { g.Name, g.Kind }).ToListAsync(cancellationToken))
            .Select(g => (g.Name, g.Kind)).ToHashSet();
        int added = 0, there = 0;
        foreach (var g in goals)
        {
            if (!existing.Add((g.Name, g.Kind)))
            {
                there++;
                continue;
            }

            db.Add(new Goal
            {
                UserId = userId, Name = g.Name, Kind = g.Kind, MetricCode = g.Metric, Comparison = g.Comparison ?? default, Target = g.Target ?? 0,
                DaysPerWeek = g.DaysPerWeek, JournalKind = g.JournalKind, StartDate = g.StartDate, EndDate = g.EndDate,
                CreatedAt = g.CreatedAt ?? time.GetUtcNow().UtcDateTime, ArchivedAt = g.ArchivedAt,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new RestorePart("Goals", added, there, 0);
    }

    /// <summary>
    /// Drafts by their editor screen: a new entry of a kind, or the edit of an entry (found by the id the export gives it, restored just
    /// before). A screen that already has a draft here keeps it: it is what the person typed last in this account.
    /// </summary>
    private async Task<RestorePart> RestoreDraftsAsync(string userId, List<ExportedDraft> drafts, CancellationToken cancellationToken)
    {
        var uids = drafts.Where(d => d.EntryId is not null).Select(d => d.EntryId!).Distinct().ToList();
        var entryIds = await db.JournalEntries.AsNoTracking().Where(e => e.UserId == userId && uids.Contains(e.Uid))
            .ToDictionaryAsync(e => e.Uid, e => (e.Id, e.Kind), cancellationToken);
        var keys = (await db.JournalDrafts.AsNoTracking().Where(d => d.UserId == userId).Select(d => d.Key).ToListAsync(cancellationToken)).ToHashSet();
        int added = 0, there = 0, rejected = 0;
        foreach (var d in drafts)
        {
            var kind = JournalKinds.Parse(d.Kind)!.Value;
            long? entryId = null;
            if (d.EntryId is { } uid)
            {
                if (!entryIds.TryGetValue(uid, out var entry))
                {
                    rejected++;
                    continue;
                }

                (entryId, kind) = entry;
            }

            var target = new JournalDraftTarget(kind, entryId);
            if (!keys.Add(target.Key))
            {
                there++;
                continue;
            }

            db.JournalDrafts.Add(new JournalDraft
            {
                UserId = userId, Key = target.Key, EntryId = entryId, Kind = kind, LocalDate = d.Date, Week = d.Week, Title = d.Title, Body = d.Body ?? "",
                Mood = d.Mood, Energy = d.Energy, Tags = d.Tags, UpdatedAt = d.UpdatedAt,
            });
            added++;
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new RestorePart("Journal drafts", added, there, rejected);
    }

    /// <summary>The export's settings as the page lists them.</summary>
    private static List<string> Describe(ReadExport read)
    {
        var lines = new List<string>();
        if (read.Settings is { } s)
        {
            lines.Add($"time zone {s.TimeZoneId}, {s.UnitSystem.ToString().ToLowerInvariant()} units, days starting at {s.DayStartHour}:00");
        }

        // What is as LifeOs starts it (no reminder, the default templates…) is left out of the list; it is restored all the same.
        if (read.Theme is { } theme and not ThemeMode.System)
        {
            lines.Add($"appearance: {theme.ToString().ToLowerInvariant()}");
        }

        if (read.Priorities.Where(p => !p.IsDefault).Select(p => p.Group.ToString()).ToList() is { Count: > 0 } own)
        {
            lines.Add($"your own source order for {string.Join(", ", own)}");
        }

        var templates = read.JournalSettings?.Templates?.Keys.Select(k => JournalKinds.Parse(k)?.DisplayName()).OfType<string>().ToList() ?? [];
        if (templates.Count > 0 || read.JournalSettings is { StreakGraceRule: true })
        {
            lines.Add($"journal: {(templates.Count == 0 ? "default templates" : "your own templates for " + string.Join(", ", templates))}, streak grace rule {(read.JournalSettings!.StreakGraceRule ? "on" : "off")}");
        }

        var on = read.Reminders?.Reminders.Count(r => r.Enabled) ?? 0;
        if (on > 0 || read.Reminders?.QuietFrom is not null)
        {
            lines.Add($"{on} {(on == 1 ? "reminder" : "reminders")} on{(read.Reminders!.QuietFrom is { } from && read.Reminders.QuietUntil is { } until ? $", quiet hours {from:HH\\:mm}–{until:HH\\:mm}" : "")}");
        }

        return lines;
    }

    private sealed record RestoredSample(SampleInput Input, bool Excluded);

    private sealed record ExportedGoal(
        string Name, GoalKind Kind, string? Metric, Comparison? Comparison, double? Target, int? DaysPerWeek, string? JournalKind,
        DateOnly StartDate, DateOnly? EndDate, DateTime? CreatedAt, DateTime? ArchivedAt);

    private sealed record ExportedPriority(MetricGroup Group, List<SampleSource> Order, bool IsDefault);

    private sealed record ExportedSettings(string? TimeZoneId, UnitSystem? UnitSystem, int? DayStartHour, ThemeMode? Appearance, List<ExportedPriority>? SourcePriorities);

    private sealed record ExportedAccount(int? FormatVersion, ExportedSettings? Settings);

    private sealed record ExportedDraft(
        string? EntryId, string? Kind, DateOnly? Date, string? Week, string? Title, string? Body, int? Mood, int? Energy, string? Tags, DateTime UpdatedAt);

    private sealed record ExportedJournalSettings(bool StreakGraceRule, Dictionary<string, string>? Templates);

    private sealed record ExportedReminder(string Kind, bool Enabled, TimeOnly LocalTime, string? Day);

    private sealed record ExportedQuietHours(TimeOnly? From, TimeOnly? Until);

    private sealed record ExportedNotifications(List<ExportedReminder>? Reminders, ExportedQuietHours? QuietHours);

    private sealed record RestoredReminders(IReadOnlyList<ReminderView> Reminders, TimeOnly? QuietFrom, TimeOnly? QuietUntil);

    /// <summary>What the check found: the CSVs only counted (they are streamed again to be written), the small files whole.</summary>
    private sealed record ReadExport(
        UserSettings? Settings, ThemeMode? Theme, List<ExportedPriority> Priorities, int Samples, int Workouts, List<ExportedGoal> Goals,
        JournalImportPreview? Journal, List<ExportedDraft> Drafts, ExportedJournalSettings? JournalSettings, RestoredReminders? Reminders);

    /// <summary>Reads and checks every restorable file of the zip; null with the errors when it is not a LifeOs export or anything in it is bad.</summary>
    private async Task<(ReadExport? Read, List<string> Errors)> CheckAsync(string userId, Stream zip, CancellationToken cancellationToken)
    {
        if (zip.Length == 0)
        {
            return (null, ["The file is empty. Download the export again from Account → Your data, and choose the zip it gives."]);
        }

        var errors = new List<string>();
        try
        {
            zip.Position = 0;
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var readme = archive.GetEntry("README.txt");
            var accountEntry = archive.GetEntry("account.json");
            if (readme is null || accountEntry is null || !(await ReadTextAsync(readme, cancellationToken)).StartsWith("LifeOs export", StringComparison.Ordinal))
            {
                return (null, ["This zip is not a LifeOs export: it has no README.txt and account.json as Account → Your data writes them."]);
            }

            var account = await ReadJsonAsync<ExportedAccount>(accountEntry, cancellationToken);
            if (account?.FormatVersion is > UserDataExportService.FormatVersion)
            {
                return (null, [$"This export was made by a newer LifeOs (export format {account.FormatVersion}); this server reads format {UserDataExportService.FormatVersion}. Update LifeOs, then restore it."]);
            }

            UserSettings? userSettings = null;
            if (account?.Settings is { TimeZoneId: { } zone, UnitSystem: { } units, DayStartHour: { } dayStart })
            {
                userSettings = new UserSettings(zone, units, dayStart);
                errors.AddRange(UserSettingsService.Validate(userSettings).Values.Select(e => $"account.json: {e}"));
            }

            var samples = await CountAsync(ReadRowsAsync(archive, SamplesPath, SampleHeader, ParseSample, errors, cancellationToken), cancellationToken);
            var workoutRows = await CountAsync(ReadRowsAsync(archive, WorkoutsPath, WorkoutHeader, ParseWorkout, errors, cancellationToken), cancellationToken);
            var goals = await ReadJsonAsync<List<ExportedGoal>>(archive, "goals.json", cancellationToken) ?? [];
            var drafts = await ReadJsonAsync<List<ExportedDraft>>(archive, "journal/drafts.json", cancellationToken) ?? [];
            errors.AddRange(drafts.Where(d => JournalKinds.Parse(d.Kind) is null).Select(d => $"journal/drafts.json: '{d.Kind}' is not a kind of journal entry."));
            var journalOwn = await ReadJsonAsync<ExportedJournalSettings>(archive, "journal/settings.json", cancellationToken);
            errors.AddRange((journalOwn?.Templates?.Keys.ToList() ?? []).Where(k => JournalKinds.Parse(k) is null).Select(k => $"journal/settings.json: '{k}' is not a kind of journal entry."));
            var reminders = ReadReminders(await ReadJsonAsync<ExportedNotifications>(archive, "notifications.json", cancellationToken), errors);

            // The journal's own import reads the Markdown files and applies its rules (no entry after today…); a zip without any
            // is not read by it, since the export's other JSON files would look like a Day One journal to it.
            JournalImportPreview? journalRead = null;
            if (archive.Entries.Any(e => e.FullName.StartsWith("journal/", StringComparison.Ordinal) && e.FullName.EndsWith(".md", StringComparison.OrdinalIgnoreCase)))
            {
                zip.Position = 0;
                journalRead = await journal.PreviewZipAsync(userId, zip, cancellationToken);
                errors.AddRange(journalRead.Errors.Select(e => $"journal: {e}"));
                errors.AddRange(journalRead.Undated.Select(f => $"journal: {f} gives no date."));
            }

            return errors.Count > 0
                ? (null, errors.Take(MaxErrors).ToList())
                : (new ReadExport(userSettings, account?.Settings?.Appearance, account?.Settings?.SourcePriorities ?? [], samples, workoutRows, goals,
                    journalRead, drafts, journalOwn, reminders), errors);
        }
        catch (InvalidDataException)
        {
            return (null, ["This file is not a zip. Download the export again from Account → Your data, and choose the zip it gives."]);
        }
        catch (JsonException e)
        {
            return (null, [$"A JSON file of the export cannot be read: {e.Message}"]);
        }
    }

    private static RestoredReminders? ReadReminders(ExportedNotifications? exported, List<string> errors)
    {
        if (exported is null)
        {
            return null;
        }

        var reminders = new List<ReminderView>();
        foreach (var r in exported.Reminders ?? [])
        {
            if (!Enum.TryParse<ReminderKind>(r.Kind, out var kind) || !Enum.IsDefined(kind) || int.TryParse(r.Kind, out _))
            {
                errors.Add($"notifications.json: '{r.Kind}' is not a LifeOs reminder.");
                continue;
            }

            DayOfWeek? day = string.IsNullOrEmpty(r.Day) ? null : Enum.TryParse<DayOfWeek>(r.Day, out var d) ? d : null;
            reminders.Add(new ReminderView(kind, r.Enabled, r.LocalTime, day));
        }

        var restored = new RestoredReminders(reminders, exported.QuietHours?.From, exported.QuietHours?.Until);
        if (NotificationService.Check(restored.Reminders, restored.QuietFrom, restored.QuietUntil) is { } refused)
        {
            errors.AddRange(refused.Errors.Values.Select(e => $"notifications.json: {e}"));
        }

        return restored;
    }

    private static async Task<int> CountAsync<T>(IAsyncEnumerable<T> rows, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var _ in rows.WithCancellation(cancellationToken))
        {
            count++;
        }

        return count;
    }

    private delegate T? RowParser<T>(string[] fields, Action<int, string> error);

    /// <summary>
    /// The good rows of one CSV of the zip, read as they come (a few million samples never sit in memory); a bad row adds "file line n,
    /// column c (name): what is wrong" to <paramref name="errors"/>, and the reading stops at <see cref="MaxErrors"/>.
    /// </summary>
    private static async IAsyncEnumerable<T> ReadRowsAsync<T>(
        ZipArchive archive, string path, string[] header, RowParser<T> parse, List<string> errors, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (archive.GetEntry(path) is not { } entry)
        {
            yield break;
        }

        string? malformed = null;
        var options = CsvReaderOptions.Default with
        {
            Separator = ',',
            HasHeader = false,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            // Metric, unit and source repeat on every row: one string each for the rows a chunk holds.
            PoolStrings = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = m => malformed ??= m.Reason == CsvMalformedReason.UnterminatedQuote
                ? $"{path} line {m.LineNumber}: a quoted value starts here but its closing quote (\") is missing."
                : null,
        };
        var stream = await entry.OpenAsync(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            var reader = CsvReader.Create(stream, options, leaveOpen: true);
            await using (reader.ConfigureAwait(false))
            {
                var first = true;
                while (await reader.ReadAsync(cancellationToken))
                {
                    var fields = new string[reader.FieldCount];
                    for (var i = 0; i < fields.Length; i++)
                    {
                        fields[i] = reader.GetString(i) ?? "";
                    }

                    if (malformed is not null)
                    {
                        errors.Add(malformed);
                        yield break;
                    }

                    if (first)
                    {
                        first = false;
                        if (!fields.Take(header.Length).SequenceEqual(header.Take(fields.Length)) || fields.Length < header.Length - 1)
                        {
                            errors.Add($"{path} line 1: the header is not the one a LifeOs export writes ({string.Join(',', header)}).");
                            yield break;
                        }

                        continue;
                    }

                    var line = reader.LineNumber;
                    var row = parse(fields, (column, message) => errors.Add($"{path} line {line}, column {column} ({header[column - 1]}): {message}"));
                    if (row is not null)
                    {
                        yield return row;
                    }

                    if (errors.Count >= MaxErrors)
                    {
                        yield break;
                    }
                }

                if (first)
                {
                    errors.Add($"{path} line 1: the file is empty; a LifeOs export writes at least its header ({string.Join(',', header)}).");
                }
            }
        }
    }

    private static RestoredSample? ParseSample(string[] f, Action<int, string> error)
    {
        var failed = false;
        void Fail(int column, string message)
        {
            failed = true;
            error(column, message);
        }

        var metric = MetricCatalogue.Find(Field(f, 0));
        if (metric is null)
        {
            Fail(1, $"'{Field(f, 0)}' is not a LifeOs metric.");
        }

        var source = ParseSource(Field(f, 2), 3, Fail);
        if (string.IsNullOrWhiteSpace(Field(f, 3)))
        {
            Fail(4, "the record id is empty.");
        }

        var start = ParseTime(Field(f, 4), 5, Fail);
        DateTime? end = Field(f, 5).Length == 0 ? null : ParseTime(Field(f, 5), 6, Fail);
        DateOnly? day = Field(f, 6).Length == 0 ? null : ParseDay(Field(f, 6), 7, Fail);
        if (!double.TryParse(Field(f, 7), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || metric is not null && !metric.IsValid(value))
        {
            Fail(8, $"'{Field(f, 7)}' is not a valid {metric?.Code ?? "metric"} value.");
        }

        // Exports made before exclusions were exported have no "excluded" column: nothing was excluded then.
        var excludedText = Field(f, 8);
        if (excludedText is not ("" or "true" or "false"))
        {
            Fail(9, $"'{excludedText}' is neither true nor false.");
        }

        return failed ? null : new RestoredSample(new SampleInput(metric!.Code, source, Field(f, 3), start, value, end, day), excludedText == "true");
    }

    private static WorkoutInput? ParseWorkout(string[] f, Action<int, string> error)
    {
        var failed = false;
        void Fail(int column, string message)
        {
            failed = true;
            error(column, message);
        }

        var source = ParseSource(Field(f, 0), 1, Fail);
        var start = ParseTime(Field(f, 3), 4, Fail);
        var end = ParseTime(Field(f, 4), 5, Fail);
        var day = ParseDay(Field(f, 5), 6, Fail);
        var calories = ParseOptional(Field(f, 6), 7, Fail);
        var distance = ParseOptional(Field(f, 7), 8, Fail);
        if (string.IsNullOrWhiteSpace(Field(f, 1)))
        {
            Fail(2, "the record id is empty.");
        }

        return failed ? null : new WorkoutInput(source, Field(f, 1), Field(f, 2), start, end, day, calories, distance);
    }

    private static string Field(string[] fields, int index) => index < fields.Length ? fields[index] : "";

    private static SampleSource ParseSource(string text, int column, Action<int, string> fail)
    {
        if (Enum.TryParse<SampleSource>(text, out var source) && Enum.IsDefined(source) && !int.TryParse(text, out _))
        {
            return source;
        }

        fail(column, $"'{text}' is not a LifeOs source.");
        return default;
    }

    private static DateTime ParseTime(string text, int column, Action<int, string> fail)
    {
        if (DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            return utc;
        }

        fail(column, $"'{text}' is not a UTC time such as 2025-03-01T07:30:00Z.");
        return default;
    }

    private static DateOnly ParseDay(string text, int column, Action<int, string> fail)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return day;
        }

        fail(column, $"'{text}' is not a date such as 2025-03-01.");
        return default;
    }

    private static double? ParseOptional(string text, int column, Action<int, string> fail)
    {
        if (text.Length == 0)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        fail(column, $"'{text}' is not a number.");
        return null;
    }

    private static async Task<string> ReadTextAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        var stream = await entry.OpenAsync(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream);
            return await reader.ReadToEndAsync(cancellationToken);
        }
    }

    /// <returns>Default when the zip has no such file (an export made before it was written).</returns>
    private static async Task<T?> ReadJsonAsync<T>(ZipArchive archive, string path, CancellationToken cancellationToken) =>
        archive.GetEntry(path) is { } entry ? await ReadJsonAsync<T>(entry, cancellationToken) : default;

    private static async Task<T?> ReadJsonAsync<T>(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        if (entry.Length > MaxJsonBytes)
        {
            throw new JsonException($"{entry.FullName} is over {MaxJsonBytes / 1024 / 1024} MB, larger than any LifeOs export writes.");
        }

        var stream = await entry.OpenAsync(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, UserExportWriter.JsonOptions, cancellationToken);
        }
    }
}
