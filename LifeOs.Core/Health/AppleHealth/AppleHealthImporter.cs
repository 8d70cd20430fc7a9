using System.Globalization;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health.AppleHealth;

/// <summary>
/// The import of one Apple Health export, resumable: a single streaming pass over the file, writing point records
/// (heart rate, weight, blood pressure...) through <see cref="HealthStore.UpsertSamplesAsync"/> and workouts through
/// <see cref="WorkoutStore.UpsertAsync"/> a chunk at a time, then
/// a closing phase for what can only be known once the whole file is read: summed metrics per hour and sleep per night.
/// </summary>
/// <remarks>
/// <para><b>Devices.</b> Everything is one source, <see cref="SampleSource.AppleHealth"/>; the device or app that wrote a
/// record into Health (its <c>sourceName</c>) is kept in the record id (<c>Apple Watch|20240131T061522|60|72</c>), so
/// the same reading from two devices is two records, and the same reading in a later export is the same record.</para>
/// <para><b>Summed metrics</b> (steps, distance, energy, flights): a watch and a phone count the same steps, so adding
/// both would double them. For each hour, the device that counted the most that hour is kept and the others' records
/// are skipped as overlapping; the hour's total is one sample (<c>hour|2024-01-31T06</c>), so a later export only
/// updates hours that grew.</para>
/// <para><b>Sleep</b>: the stages of every source are laid on one time line, the most specific stage winning where they
/// overlap (<see cref="SleepStage"/>), so a night recorded by a watch and a phone counts once; each night is the day the
/// person woke (a period ending after 18:00 local time belongs to the next day).</para>
/// <para><b>Synced directly</b>: records Oura or Withings (Health Mate) wrote into Health are skipped while that provider
/// is connected to LifeOs, which already has them from the source.</para>
/// </remarks>
public sealed class AppleHealthImporter(HealthStore store, WorkoutStore workoutStore, Data.LifeOsDbContext db, TimeProvider time)
{
    /// <summary>How often progress is saved and reported at the least, whatever the chunk size (the page polls each second).</summary>
    public static readonly TimeSpan ReportEvery = TimeSpan.FromSeconds(1);

    private const int ClosingChunkRows = 1_000;
    private const string HourPrefix = "hour|";
    private const string NightPrefix = "night|";
    /// <summary>Sleep's summary line: records rejected, and nights imported or already here.</summary>
    public const string SleepKey = MetricCatalogue.SleepDuration;
    public const string WorkoutsKey = "workouts";
    public const string SummariesKey = "activity summaries";

    /// <param name="synced">Providers connected to LifeOs now: their records in the export are skipped.</param>
    /// <param name="save">Saves the state (after each committed chunk, before <paramref name="report"/>).</param>
    /// <param name="report">Told the state after each chunk; false stops the import (superseded).</param>
    public async Task<bool> RunAsync(
        string userId, string path, AppleImportState state, UserClock clock, IReadOnlySet<Connections.ProviderKind> synced, int chunkRows,
        Action<AppleImportState> save, Func<AppleImportState, Task<bool>> report, CancellationToken cancellationToken)
    {
        using var reader = AppleHealthReader.Open(path);
        state.FileBytes = reader.Length;
        var devices = new Dictionary<string, int>(StringComparer.Ordinal);
        var hours = new Dictionary<long, (double Sum, int Count)>();
        var sleep = new List<SleepPiece>();
        var batch = new List<(SampleInput Input, string Key)>(chunkRows);
        var workouts = new List<WorkoutInput>();
        var lastReport = time.GetTimestamp();
        long index = 0;

        async Task<bool> FlushAsync()
        {
            await WriteAsync(userId, batch, state, cancellationToken);
            await WriteWorkoutsAsync(userId, workouts, state, cancellationToken);
            batch.Clear();
            workouts.Clear();
            state.Cursor = index;
            state.BytesRead = reader.Position;
            save(state);
            lastReport = time.GetTimestamp();
            return await report(state);
        }

        Task<bool> HeartbeatAsync()
        {
            lastReport = time.GetTimestamp();
            return report(state);
        }

        while (reader.Next(out var item))
        {
            cancellationToken.ThrowIfCancellationRequested();
            index++;
            var fresh = index > state.Cursor;
            if (fresh)
            {
                state.Read++;
            }

            Read(item, fresh, clock, synced, state, devices, hours, sleep, batch, workouts);
            if (batch.Count + workouts.Count >= chunkRows || time.GetElapsedTime(lastReport) >= ReportEvery)
            {
                // A resumed import reads up to its cursor again without writing: it reports the saved state then (the
                // work's heartbeat), so a long replay never looks stalled, and its cursor stays where it was.
                if (!await (fresh ? FlushAsync() : HeartbeatAsync()))
                {
                    return false;
                }
            }
        }

        if (!await FlushAsync())
        {
            return false;
        }

        // The closing phase, in a fixed order so that a resumed import skips exactly the chunks already committed.
        // Its chunks are smaller: each sample is an hour's or a night's total, read back before it is written, and the
        // page must hear from the import at least every 2 s.
        var closing = Closing(clock, hours, sleep);
        var closingRows = Math.Max(1, Math.Min(chunkRows, ClosingChunkRows));
        for (var chunk = 0; chunk * closingRows < closing.Count; chunk++)
        {
            if (chunk < state.ClosingChunksDone)
            {
                continue;
            }

            var part = closing.GetRange(chunk * closingRows, Math.Min(closingRows, closing.Count - (chunk * closingRows)));
            var results = await WriteGroupsAsync(userId, part.Select(p => (p.Input, p.Key)).ToList(), cancellationToken);
            foreach (var (record, written) in part.Zip(results))
            {
                if (record.Key is null)
                {
                    continue;
                }

                var tally = state.For(record.Key);
                if (written)
                {
                    tally.Imported += record.Records;
                    state.Written += record.Records;
                }
                else
                {
                    tally.Duplicates += record.Records;
                    state.Skipped += record.Records;
                }

                if (record.Overlapping > 0)
                {
                    tally.Reject(AppleSkip.Overlap, record.Overlapping);
                    state.Skipped += record.Overlapping;
                }
            }

            state.ClosingChunksDone = chunk + 1;
            save(state);
            if (!await report(state))
            {
                return false;
            }
        }

        return true;
    }

    private static void Read(
        AppleItem item, bool fresh, UserClock clock, IReadOnlySet<Connections.ProviderKind> synced, AppleImportState state,
        Dictionary<string, int> devices, Dictionary<long, (double Sum, int Count)> hours, List<SleepPiece> sleep, List<(SampleInput, string)> batch,
        List<WorkoutInput> workouts)
    {
        void Reject(string key, string reason)
        {
            if (fresh)
            {
                state.For(key).Reject(reason);
                state.Skipped++;
            }
        }

        if (item.Kind == AppleItemKind.ActivitySummary)
        {
            Reject(SummariesKey, AppleSkip.NotMapped);
            return;
        }

        var isWorkout = item.Kind == AppleItemKind.Workout;
        var isSleep = !isWorkout && item.Type == AppleHealthMapping.SleepType;
        string? code = null;
        if (!isWorkout && !isSleep && !AppleHealthMapping.Quantities.TryGetValue(item.Type, out code))
        {
            Reject(item.Type.Length == 0 ? "(no type)" : item.Type, AppleSkip.NotMapped);
            return;
        }

        var key = isWorkout ? WorkoutsKey : code ?? SleepKey;
        if (SyncedDirectly(item.SourceName, synced))
        {
            Reject(key, AppleSkip.SyncedDirectly);
            return;
        }

        if (!AppleHealthMapping.TryParseDate(item.StartDate, out var start) || !AppleHealthMapping.TryParseDate(item.EndDate ?? item.StartDate, out var end))
        {
            Reject(key, AppleSkip.BadValue);
            return;
        }

        if (end < start)
        {
            end = start;
        }

        // The date rule is asked only near its edges (a time zone lookup per record would cost more than the rest).
        if ((Near(start, clock) && RecordDates.Problem(start, clock) is not null) || (Near(end, clock) && RecordDates.Problem(end, clock) is not null))
        {
            Reject(key, AppleSkip.FutureDate);
            return;
        }

        if (isWorkout)
        {
            // Written with the chunk of point records it falls in, so the cursor covers it like them.
            var workout = fresh ? ToWorkout(item, start, end) : null;
            if (workout is not null)
            {
                workouts.Add(workout);
            }
            else
            {
                Reject(key, AppleSkip.UnknownUnit);
            }

            return;
        }

        if (!devices.TryGetValue(item.SourceName, out var device))
        {
            devices[item.SourceName] = device = devices.Count;
        }

        if (isSleep)
        {
            if (AppleHealthMapping.Stage(item.Value) is not { } stage)
            {
                Reject(key, AppleSkip.BadValue);
                return;
            }

            if (end > start)
            {
                sleep.Add(new SleepPiece(start, end, stage));
            }

            return;
        }

        var (value, problem) = AppleHealthMapping.ToCanonical(code!, item.Unit, item.Value);
        var metric = MetricCatalogue.Get(code!);
        if (problem is not null || !metric.IsValid(value))
        {
            Reject(key, problem ?? AppleSkip.OutOfRange);
            return;
        }

        if (metric.Aggregation == Aggregation.Sum)
        {
            // Every run adds every record (also those before the cursor): the hours are written at the end.
            var hour = (long)((start - DateTime.UnixEpoch).Ticks / TimeSpan.TicksPerHour);
            var bucket = (hour << 24) | ((long)SumIndex(code!) << 16) | (uint)(device & 0xFFFF);
            var (sum, count) = hours.GetValueOrDefault(bucket);
            hours[bucket] = (sum + value, count + 1);
            return;
        }

        if (fresh)
        {
            var recordId = string.Create(CultureInfo.InvariantCulture, $"{item.SourceName}|{start:yyyyMMdd'T'HHmmss}|{(long)(end - start).TotalSeconds}|{item.Value}");
            batch.Add((new SampleInput(code!, SampleSource.AppleHealth, recordId, start, value, end > start ? end : null), key));
        }
    }

    /// <summary>
    /// A workout in LifeOs' units (kcal, metres), on the local day of its own offset; null when its energy or distance
    /// is in a unit LifeOs does not read. Its id is the device, start, length and type, so a later export re-states it.
    /// </summary>
    private static WorkoutInput? ToWorkout(AppleItem item, DateTime start, DateTime end)
    {
        static bool TryTotal(string metric, string? value, string? unit, out double? total)
        {
            total = null;
            if (value is null)
            {
                return true;
            }

            var (converted, problem) = AppleHealthMapping.ToCanonical(metric, unit, value);
            total = converted;
            return problem is null;
        }

        if (!TryTotal(MetricCatalogue.ActiveCalories, item.Energy, item.EnergyUnit, out var calories) || !TryTotal(MetricCatalogue.Distance, item.Distance, item.DistanceUnit, out var distance))
        {
            return null;
        }

        var id = string.Create(CultureInfo.InvariantCulture, $"{item.SourceName}|{start:yyyyMMdd'T'HHmmss}|{(long)(end - start).TotalSeconds}|{item.Type}");
        var day = DateOnly.ParseExact(item.StartDate.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new WorkoutInput(SampleSource.AppleHealth, id, AppleHealthMapping.Activity(item.Type), start, end, day, calories, distance);
    }

    private static bool Near(DateTime utc, UserClock clock) =>
        utc.Year <= RecordDates.Earliest.Year || utc >= clock.Now.UtcDateTime.AddDays(-2);

    private static bool SyncedDirectly(string sourceName, IReadOnlySet<Connections.ProviderKind> synced) =>
        (synced.Contains(Connections.ProviderKind.Oura) && sourceName.Contains("Oura", StringComparison.OrdinalIgnoreCase))
        || (synced.Contains(Connections.ProviderKind.Withings)
            && (sourceName.Contains("Withings", StringComparison.OrdinalIgnoreCase) || sourceName.Contains("Health Mate", StringComparison.OrdinalIgnoreCase)));

    private static readonly string[] Summed = MetricCatalogue.All.Where(m => m.Aggregation == Aggregation.Sum).Select(m => m.Code).ToArray();

    private static int SumIndex(string code) => Array.IndexOf(Summed, code);

    /// <summary>Writes the chunk's point records, a metric at a time (so each line of the summary gets its own counts).</summary>
    private async Task WriteAsync(string userId, List<(SampleInput Input, string Key)> batch, AppleImportState state, CancellationToken cancellationToken)
    {
        foreach (var group in batch.GroupBy(b => b.Key))
        {
            var inputs = group.Select(g => g.Input).ToList();
            var result = await store.UpsertSamplesAsync(userId, inputs, cancellationToken);
            Count(state, group.Key, inputs.Count, result.Inserted + result.Updated, result.Rejected);
        }
    }

    /// <summary>A written chunk on its summary line: new or changed are imported, refused are out of range, the rest already here.</summary>
    private static void Count(AppleImportState state, string key, int sent, int written, int rejected)
    {
        var tally = state.For(key);
        tally.Imported += written;
        tally.Duplicates += sent - written - rejected;
        if (rejected > 0)
        {
            tally.Reject(AppleSkip.OutOfRange, rejected);
        }

        state.Written += written;
        state.Skipped += sent - written;
    }

    /// <summary>Writes the chunk's workouts, counted on their own line of the summary.</summary>
    private async Task WriteWorkoutsAsync(string userId, List<WorkoutInput> workouts, AppleImportState state, CancellationToken cancellationToken)
    {
        if (workouts.Count == 0)
        {
            return;
        }

        var result = await workoutStore.UpsertAsync(userId, workouts, cancellationToken);
        Count(state, WorkoutsKey, workouts.Count, result.Inserted + result.Updated, result.Rejected);
    }

    /// <summary>Writes closing samples (one record id each) and says, per sample, whether it was new or changed.</summary>
    private async Task<List<bool>> WriteGroupsAsync(string userId, List<(SampleInput Input, string? Key)> part, CancellationToken cancellationToken)
    {
        // The store reports totals per call; each closing sample's own outcome is what was there before it.
        var before = new Dictionary<(string, string), double>();
        foreach (var group in part.GroupBy(p => p.Input.MetricCode))
        {
            var ids = group.Select(g => g.Input.SourceRecordId).ToList();
            foreach (var old in await db.SamplesOf(userId).AsNoTracking().Others()
                .Where(s => s.MetricCode == group.Key && s.Source == SampleSource.AppleHealth && ids.Contains(s.SourceRecordId))
                .Select(s => new { s.SourceRecordId, s.Value }).ToListAsync(cancellationToken))
            {
                before[(group.Key, old.SourceRecordId)] = old.Value;
            }

            await store.UpsertSamplesAsync(userId, group.Select(g => g.Input).ToList(), cancellationToken);
        }

        return part.Select(p => !before.TryGetValue((p.Input.MetricCode, p.Input.SourceRecordId), out var old) || !old.Equals(p.Input.Value)).ToList();
    }

    /// <param name="Key">The summary line it counts on; null for a night's stages (the night counts once, on sleep).</param>
    private sealed record ClosingSample(SampleInput Input, string? Key, long Records, long Overlapping);

    private readonly record struct SleepPiece(DateTime Start, DateTime End, SleepStage Stage);

    /// <summary>Hourly totals (the device with the most that hour) and nightly sleep, in a fixed order.</summary>
    private static List<ClosingSample> Closing(UserClock clock, Dictionary<long, (double Sum, int Count)> hours, List<SleepPiece> sleep)
    {
        var closing = new List<ClosingSample>();
        foreach (var group in hours.GroupBy(h => h.Key >> 16).OrderBy(g => g.Key))
        {
            var hour = group.Key >> 8;
            var code = Summed[(int)(group.Key & 0xFF)];
            var best = group.MaxBy(g => (g.Value.Sum, -(g.Key & 0xFFFF)));
            var others = group.Where(g => g.Key != best.Key).Sum(g => (long)g.Value.Count);
            var start = DateTime.UnixEpoch.AddHours(hour);
            var id = string.Create(CultureInfo.InvariantCulture, $"{HourPrefix}{start:yyyy-MM-dd'T'HH}");
            closing.Add(new ClosingSample(new SampleInput(code, SampleSource.AppleHealth, id, start, best.Value.Sum, start.AddHours(1)), code, best.Value.Count, others));
        }

        foreach (var night in sleep.GroupBy(p => DateOnly.FromDateTime(clock.ToLocal(p.End).AddHours(6))).OrderBy(n => n.Key))
        {
            closing.AddRange(Night(night.Key, night.ToList()));
        }

        return closing;
    }

    /// <summary>One night's stages on one time line: each stretch of time counted once, as its most specific stage.</summary>
    private static IEnumerable<ClosingSample> Night(DateOnly night, List<SleepPiece> pieces)
    {
        var edges = pieces.SelectMany(p => new[] { p.Start, p.End }).Distinct().Order().ToList();
        var seconds = new double[Enum.GetValues<SleepStage>().Length];
        var covered = 0.0;
        for (var i = 0; i + 1 < edges.Count; i++)
        {
            var (from, to) = (edges[i], edges[i + 1]);
            SleepStage? top = null;
            foreach (var p in pieces)
            {
                if (p.Start <= from && p.End >= to && (top is null || p.Stage > top))
                {
                    top = p.Stage;
                }
            }

            if (top is { } stage)
            {
                var length = (to - from).TotalSeconds;
                seconds[(int)stage] += length;
                covered += length;
            }
        }

        var asleep = seconds[(int)SleepStage.Asleep] + seconds[(int)SleepStage.Core] + seconds[(int)SleepStage.Rem] + seconds[(int)SleepStage.Deep];
        if (asleep <= 0)
        {
            // Only "in bed" or "awake" (an older phone without a watch): no sleep to record.
            yield break;
        }

        var start = pieces.Min(p => p.Start);
        var end = pieces.Max(p => p.End);
        var id = string.Create(CultureInfo.InvariantCulture, $"{NightPrefix}{night:yyyy-MM-dd}");
        ClosingSample Sample(string code, double value, string? key = null) =>
            new(new SampleInput(code, SampleSource.AppleHealth, id, start, value, end, night), key, 1, 0);

        yield return Sample(MetricCatalogue.SleepDuration, Math.Round(asleep), SleepKey);
        var staged = seconds[(int)SleepStage.Core] + seconds[(int)SleepStage.Rem] + seconds[(int)SleepStage.Deep] > 0;
        if (staged)
        {
            yield return Sample(MetricCatalogue.SleepDeep, Math.Round(seconds[(int)SleepStage.Deep]));
            yield return Sample(MetricCatalogue.SleepRem, Math.Round(seconds[(int)SleepStage.Rem]));
            yield return Sample(MetricCatalogue.SleepLight, Math.Round(seconds[(int)SleepStage.Core]));
        }

        if (seconds[(int)SleepStage.Awake] > 0 || staged)
        {
            yield return Sample(MetricCatalogue.SleepAwake, Math.Round(seconds[(int)SleepStage.Awake]));
        }

        if (seconds[(int)SleepStage.InBed] > 0 || seconds[(int)SleepStage.Awake] > 0)
        {
            yield return Sample(MetricCatalogue.SleepEfficiency, Math.Round(100 * asleep / covered, 1));
        }
    }
}
