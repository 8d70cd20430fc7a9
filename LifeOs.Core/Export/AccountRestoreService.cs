using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Core.Journal;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Export;

/// <summary>What one part of an export (samples, workouts, goals…) gave: rows new to the account, rows it already held, rows refused.</summary>
public sealed record RestorePart(string Name, int Added, int AlreadyThere, int Rejected);

/// <summary>
/// The outcome of restoring an export. With errors nothing was written; otherwise <see cref="Parts"/> counts each part, and
/// <see cref="NotRestored"/> names what an export holds that a restore deliberately leaves alone.
/// </summary>
public sealed record RestoreResult(IReadOnlyList<string> Errors, IReadOnlyList<RestorePart> Parts)
{
    public bool Succeeded => Errors.Count == 0;

    /// <summary>Secrets never leave LifeOs, and a copied connection would sync into two accounts, so these are set up again by hand.</summary>
    public static IReadOnlyList<string> NotRestored { get; } =
        ["email, password, roles and two-factor sign-in", "provider connections and their tokens", "API keys", "notification channels", "sync history and the audit log"];
}

/// <summary>
/// Restores the full account export (<see cref="UserDataExportService"/>'s zip) into the signed-in account, empty or not.
/// Every write is an upsert by the exported natural key (metric, source and record id for samples; source and record id for
/// workouts; the journal entry's id; a goal's name and kind), so restoring twice, or on top of the data it came from, adds nothing.
/// The whole zip is read and checked before anything is written: a bad row names its file, line and column and nothing lands.
/// </summary>
public sealed class AccountRestoreService(
    LifeOsDbContext db, TimeProvider time, HealthStore health, WorkoutStore workouts, UserSettingsService settings, JournalArchive journal)
{
    /// <summary>Samples per upsert: one short write transaction each, so years of heart rate never hold the write lock for long.</summary>
    private const int SampleChunk = 5_000;

    /// <summary>Workouts per upsert (their store looks existing ones up with an IN list).</summary>
    private const int WorkoutChunk = 500;

    private const int MaxErrors = 20;

    private static readonly string[] SampleHeader = ["metric", "unit", "source", "source_record_id", "start_utc", "end_utc", "local_date", "value", "excluded"];
    private static readonly string[] WorkoutHeader = ["source", "source_record_id", "activity", "start_utc", "end_utc", "local_date", "calories_kcal", "distance_m"];

    /// <summary>Checks the zip and counts what it holds, writing nothing.</summary>
    /// <param name="zip">A seekable stream (the zip is read more than once).</param>
    public async Task<RestoreResult> PreviewAsync(string userId, Stream zip, CancellationToken cancellationToken = default)
    {
        var (read, errors) = await ReadAsync(zip, cancellationToken);
        if (read is null)
        {
            return new RestoreResult(errors, []);
        }

        return new RestoreResult([], [
            new("Measurements", read.Samples.Count, 0, 0),
            new("Workouts", read.Workouts.Count, 0, 0),
            new("Goals", read.Goals.Count, 0, 0),
            new("Journal entries", read.JournalFiles, 0, 0),
        ]);
    }

    /// <param name="zip">A seekable stream (the zip is read more than once).</param>
    public async Task<RestoreResult> RestoreAsync(string userId, Stream zip, CancellationToken cancellationToken = default)
    {
        var (read, errors) = await ReadAsync(zip, cancellationToken);
        if (read is null)
        {
            return new RestoreResult(errors, []);
        }

        // Settings first: the samples whose day LifeOs works out are dated in the restored zone and day start.
        if (read.Settings is { } s)
        {
            var update = await settings.UpdateAsync(userId, s, cancellationToken);
            if (update.Errors.Count > 0)
            {
                return new RestoreResult(update.Errors.Values.Select(e => $"account.json: {e}").ToList(), []);
            }
        }

        if (read.Theme is { } theme)
        {
            await settings.SetThemeAsync(userId, theme, cancellationToken);
        }

        var parts = new List<RestorePart>
        {
            await RestoreSamplesAsync(userId, read.Samples, cancellationToken),
            await RestoreWorkoutsAsync(userId, read.Workouts, cancellationToken),
            await RestoreGoalsAsync(userId, read.Goals, cancellationToken),
        };
        if (read.JournalFiles > 0)
        {
            zip.Position = 0;
            var imported = await journal.ImportZipAsync(userId, zip, cancellationToken);
            if (!imported.Succeeded)
            {
                return new RestoreResult(imported.Errors.Select(e => $"journal: {e}").ToList(), parts);
            }

            parts.Add(new RestorePart("Journal entries", imported.Imported, imported.Skipped, 0));
        }

        return new RestoreResult([], parts);
    }

    private async Task<RestorePart> RestoreSamplesAsync(string userId, List<RestoredSample> samples, CancellationToken cancellationToken)
    {
        // The export gives every sample's day; one LifeOs would work out the same way is left for LifeOs to work out, so
        // the sample keeps following the user's time zone (a day given as the source's own stays fixed).
        var days = (await db.ClockAsync(userId, time, cancellationToken)).Days();
        int added = 0, there = 0, rejected = 0;
        foreach (var chunk in samples.Chunk(SampleChunk))
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
            var rows = await db.Samples.AsNoTracking()
                .Where(x => x.UserId == userId && recordIds.Contains(x.SourceRecordId))
                .Select(x => new { x.Id, x.MetricCode, x.Source, x.SourceRecordId })
                .ToListAsync(cancellationToken);
            await health.SetExcludedAsync(userId, rows.Where(r => keys.Contains((r.MetricCode, r.Source, r.SourceRecordId))).Select(r => r.Id).ToList(), excluded: true, cancellationToken);
        }

        return new RestorePart("Measurements", added, there, rejected);
    }

    private async Task<RestorePart> RestoreWorkoutsAsync(string userId, List<WorkoutInput> inputs, CancellationToken cancellationToken)
    {
        int added = 0, there = 0, rejected = 0;
        foreach (var chunk in inputs.Chunk(WorkoutChunk))
        {
            var result = await workouts.UpsertAsync(userId, chunk, cancellationToken);
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

    private sealed record RestoredSample(SampleInput Input, bool Excluded);

    private sealed record ExportedGoal(
        string Name, GoalKind Kind, string? Metric, Comparison? Comparison, double? Target, int? DaysPerWeek, string? JournalKind,
        DateOnly StartDate, DateOnly? EndDate, DateTime? CreatedAt, DateTime? ArchivedAt);

    private sealed record ExportedSettings(string? TimeZoneId, UnitSystem? UnitSystem, int? DayStartHour, ThemeMode? Appearance);

    private sealed record ExportedAccount(ExportedSettings? Settings);

    private sealed record ReadExport(
        UserSettings? Settings, ThemeMode? Theme, List<RestoredSample> Samples, List<WorkoutInput> Workouts, List<ExportedGoal> Goals, int JournalFiles);

    /// <summary>Reads and checks every restorable file of the zip; null with the errors when it is not a LifeOs export or a row is bad.</summary>
    private async Task<(ReadExport? Read, List<string> Errors)> ReadAsync(Stream zip, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        try
        {
            zip.Position = 0;
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            var readme = archive.GetEntry("README.txt");
            var accountEntry = archive.GetEntry("account.json");
            if (readme is null || accountEntry is null || !(await ReadTextAsync(readme, cancellationToken)).StartsWith("LifeOs export", StringComparison.Ordinal))
            {
                return (null, ["This zip is not a LifeOs export: it has no README.txt and account.json as Settings → Your data writes them."]);
            }

            var account = await ReadJsonAsync<ExportedAccount>(accountEntry, cancellationToken);
            UserSettings? userSettings = null;
            if (account?.Settings is { TimeZoneId: { } zone, UnitSystem: { } units, DayStartHour: { } dayStart })
            {
                userSettings = new UserSettings(zone, units, dayStart);
                errors.AddRange(UserSettingsService.Validate(userSettings).Values.Select(e => $"account.json: {e}"));
            }

            var samples = await ReadCsvAsync(archive, "health/samples.csv", SampleHeader, ParseSample, errors, cancellationToken);
            var workoutRows = await ReadCsvAsync(archive, "health/workouts.csv", WorkoutHeader, ParseWorkout, errors, cancellationToken);
            var goals = archive.GetEntry("goals.json") is { } goalsEntry ? await ReadJsonAsync<List<ExportedGoal>>(goalsEntry, cancellationToken) ?? [] : [];
            var journalFiles = archive.Entries.Count(e => e.FullName.StartsWith("journal/", StringComparison.Ordinal) && e.FullName.EndsWith(".md", StringComparison.OrdinalIgnoreCase));
            return errors.Count > 0
                ? (null, errors.Take(MaxErrors).ToList())
                : (new ReadExport(userSettings, account?.Settings?.Appearance, samples, workoutRows, goals, journalFiles), errors);
        }
        catch (InvalidDataException)
        {
            return (null, ["This file is not a zip; download the export again from Settings → Your data."]);
        }
        catch (JsonException e)
        {
            return (null, [$"A JSON file of the export cannot be read: {e.Message}"]);
        }
    }

    private delegate T? RowParser<T>(string[] fields, Action<int, string> error);

    private static async Task<List<T>> ReadCsvAsync<T>(ZipArchive archive, string path, string[] header, RowParser<T> parse, List<string> errors, CancellationToken cancellationToken)
    {
        var rows = new List<T>();
        if (archive.GetEntry(path) is not { } entry)
        {
            return rows;
        }

        byte[] bytes;
        var stream = await entry.OpenAsync(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer, cancellationToken);
            bytes = buffer.ToArray();
        }

        var (records, _, error) = CsvText.Read(bytes);
        if (error is not null)
        {
            errors.Add($"{path} line {error.Line}: {error.Message}");
            return rows;
        }

        if (records.Count == 0 || !records[0].Fields.Take(header.Length).SequenceEqual(header.Take(records[0].Fields.Length)) || records[0].Fields.Length < header.Length - 1)
        {
            errors.Add($"{path} line 1: the header is not the one a LifeOs export writes ({string.Join(',', header)}).");
            return rows;
        }

        foreach (var record in records.Skip(1))
        {
            var row = parse(record.Fields, (column, message) => errors.Add($"{path} line {record.Line}, column {column} ({header[column - 1]}): {message}"));
            if (row is not null)
            {
                rows.Add(row);
            }

            if (errors.Count >= MaxErrors)
            {
                break;
            }
        }

        return rows;
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

    private static async Task<T?> ReadJsonAsync<T>(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        var stream = await entry.OpenAsync(cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, UserExportWriter.JsonOptions, cancellationToken);
        }
    }
}
