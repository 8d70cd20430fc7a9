using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Data;
using LifeOs.Core.Health.AppleHealth;
using LifeOs.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 15's figures: a generated Apple Health export.xml of about 1 GB (about 4 million records: heart rate with its
/// metadata, steps from a watch and a phone, active and resting energy, distance, sleep stages, weight, resting heart
/// rate, HRV) imported through the real path, in process: <see cref="AppleHealthImportService.StartAsync"/> copies the
/// file into the data directory and checks it, and the app's background worker runs the import. Reported: the copy
/// and the import time, the peak working set of this process during the import (VmHWM, reset after generating the
/// file), and the longest gap between two progress updates (the work row's heartbeat, written with each saved state,
/// polled every 50 ms).
/// Environment LIFEOS_BENCH_APPLE_RECORDS changes the number of records (for a quick run).
/// </summary>
internal sealed class AppleHealthBenchmark(BenchmarkOptions options)
{
    private const string UserId = "bench-user";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var target = long.TryParse(Environment.GetEnvironmentVariable("LIFEOS_BENCH_APPLE_RECORDS"), out var n) ? n : 4_000_000;
        var scratch = Directory.CreateTempSubdirectory("lifeos-applehealth-").FullName;
        try
        {
            var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            var exportPath = Path.Combine(scratch, "export.xml");
            var generate = Stopwatch.StartNew();
            var (records, days) = Generate(exportPath, target);
            var bytes = new FileInfo(exportPath).Length;
            Log.Info($"Generated {records:N0} records over {days:N0} days, {bytes / 1024.0 / 1024:N0} MB, in {generate.Elapsed.TotalSeconds:F0} s");

            await using var store = await BenchStore.CreateAsync(Path.Combine(scratch, "data"), UserId, cancellationToken);
            var worker = store.Scope.GetRequiredService<BackgroundWorker>();
            ResetPeakWorkingSet();
            var baselineRss = Environment.WorkingSet;

            var copy = Stopwatch.StartNew();
            AppleStartResult started;
            await using (var file = File.OpenRead(exportPath))
            {
                started = await store.Scope.GetRequiredService<AppleHealthImportService>().StartAsync(UserId, file, "export.xml", cancellationToken);
            }

            copy.Stop();
            if (started.Status != AppleStartStatus.Started)
            {
                throw new BenchmarkFailure($"The export was refused: {started.Problem}");
            }

            Log.Info($"Copied and checked in {copy.Elapsed.TotalSeconds:F1} s; importing…");
            var import = Stopwatch.StartNew();
            await worker.StartAsync(cancellationToken);
            var longestGap = TimeSpan.Zero;
            var lastChange = Stopwatch.StartNew();
            long lastDone = -1;
            long peakSampled = 0;
            var idle = worker.WhenIdleAsync();
            var lastLog = Stopwatch.StartNew();
            while (!idle.IsCompleted)
            {
                await Task.WhenAny(idle, Task.Delay(50, cancellationToken));
                peakSampled = Math.Max(peakSampled, Environment.WorkingSet);
                var done = await ReadDoneAsync(store, started.WorkId!.Value, cancellationToken);
                if (done != lastDone)
                {
                    if (lastDone >= 0)
                    {
                        longestGap = TimeSpan.FromTicks(Math.Max(longestGap.Ticks, lastChange.Elapsed.Ticks));
                    }

                    (lastDone, lastChange) = (done, Stopwatch.StartNew());
                }

                if (lastLog.Elapsed > TimeSpan.FromSeconds(10))
                {
                    Log.Info($"  {import.Elapsed.TotalSeconds:F0} s, working set {Environment.WorkingSet / 1024 / 1024:N0} MB");
                    lastLog.Restart();
                }
            }

            import.Stop();
            await worker.StopAsync(CancellationToken.None);
            var peak = Math.Max(PeakWorkingSet() ?? 0, peakSampled);
            var view = await store.Scope.GetRequiredService<AppleHealthImportService>().GetAsync(UserId, started.WorkId!.Value, cancellationToken)
                ?? throw new BenchmarkFailure("The import's work is gone.");
            if (view.Work.Status != WorkStatus.Succeeded)
            {
                throw new BenchmarkFailure($"The import ended {view.Work.Status}: {view.Work.Error}");
            }

            var samples = await store.CountSamplesAsync(cancellationToken);
            var state = view.State!;
            var result = new
            {
                scenario = "applehealth",
                machine,
                records,
                days,
                fileBytes = bytes,
                copySeconds = Math.Round(copy.Elapsed.TotalSeconds, 1),
                importSeconds = Math.Round(import.Elapsed.TotalSeconds, 1),
                totalSeconds = Math.Round(copy.Elapsed.TotalSeconds + import.Elapsed.TotalSeconds, 1),
                recordsPerSecond = Math.Round(records / import.Elapsed.TotalSeconds),
                baselineWorkingSetMb = baselineRss / 1024 / 1024,
                peakWorkingSetMb = peak / 1024 / 1024,
                longestProgressGapSeconds = Math.Round(longestGap.TotalSeconds, 2),
                read = state.Read,
                written = state.Written,
                skipped = state.Skipped,
                samples,
                goal = "under 90 s and under 300 MB; progress at least every 2 s",
            };
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true });
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(options.JsonPath))!);
            await File.WriteAllTextAsync(options.JsonPath, json, cancellationToken);

            Console.WriteLine();
            Console.WriteLine($"| figure | value | goal |");
            Console.WriteLine($"|---|---:|---|");
            Console.WriteLine($"| export.xml | {bytes / 1024.0 / 1024:N0} MB, {records:N0} records, {days:N0} days | |");
            Console.WriteLine($"| upload copied into the data directory and checked | {copy.Elapsed.TotalSeconds:F1} s | |");
            Console.WriteLine($"| import (background work, start to end) | {import.Elapsed.TotalSeconds:F1} s ({result.recordsPerSecond:N0} records/s) | |");
            Console.WriteLine($"| total | {result.totalSeconds:F1} s | < 90 s |");
            Console.WriteLine($"| peak working set of the process | {peak / 1024 / 1024:N0} MB (before: {baselineRss / 1024 / 1024:N0} MB) | < 300 MB |");
            Console.WriteLine($"| longest gap between progress updates | {longestGap.TotalSeconds:F2} s | ≤ 2 s |");
            Console.WriteLine($"| records read / written / skipped | {state.Read:N0} / {state.Written:N0} / {state.Skipped:N0} ({samples:N0} samples stored) | |");
            Console.WriteLine($"| machine | {machine} | |");
            return 0;
        }
        finally
        {
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS's temp cleaner.
            }
        }
    }

    private static async Task<long> ReadDoneAsync(BenchStore store, long workId, CancellationToken cancellationToken)
    {
        await using var scope = store.Scope.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
        return await db.BackgroundWork.AsNoTracking().Where(w => w.Id == workId).Select(w => w.HeartbeatAt == null ? 0 : w.HeartbeatAt.Value.Ticks).SingleAsync(cancellationToken);
    }

    /// <summary>Linux: writing 5 to clear_refs resets VmHWM, so the peak is the import's, not the generator's.</summary>
    private static void ResetPeakWorkingSet()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Info("Could not reset the peak working set; the sampled peak is reported.");
        }
    }

    private static long? PeakWorkingSet()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private const string Watch = "Bench’s Apple Watch";
    private const string Phone = "Bench’s iPhone";
    private const string WatchDevice = "&lt;&lt;HKDevice: 0x28104b8e0&gt;, name:Apple Watch, manufacturer:Apple Inc., model:Watch, hardware:Watch6,2, software:10.1&gt;";
    private const string PhoneDevice = "&lt;&lt;HKDevice: 0x28105c2d0&gt;, name:iPhone, manufacturer:Apple Inc., model:iPhone, hardware:iPhone14,2, software:17.1&gt;";

    /// <summary>Writes the export day by day, as the Health app lays it out; returns the records written and the days.</summary>
    private static (long Records, int Days) Generate(string path, long target)
    {
        const int PerDay = 1_200 + 150 + 100 + 400 + 150 + 100 + 20 + 1 + 1 + 5;
        var days = (int)Math.Max(1, target / PerDay);
        var first = new DateTime(2026, 11, 1).AddDays(-days);
        long records = 0;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.Write("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE HealthData [
            <!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
            <!ATTLIST HealthData locale CDATA #REQUIRED>
            ]>
            <HealthData locale="en_GB">
             <ExportDate value="2026-11-30 08:00:00 +0100"/>

            """);
        var text = new StringBuilder(512);
        void Record(string type, string source, string device, string unit, DateTime start, DateTime end, string value, string? metadata = null)
        {
            text.Clear();
            text.Append(" <Record type=\"").Append(type).Append("\" sourceName=\"").Append(source).Append("\" sourceVersion=\"10.1\" device=\"").Append(device)
                .Append("\" unit=\"").Append(unit).Append("\" creationDate=\"").Append(Stamp(end)).Append("\" startDate=\"").Append(Stamp(start))
                .Append("\" endDate=\"").Append(Stamp(end)).Append("\" value=\"").Append(value).Append('"');
            if (metadata is null)
            {
                text.Append("/>\n");
            }
            else
            {
                text.Append(">\n  <MetadataEntry key=\"").Append(metadata).Append("\" value=\"0\"/>\n </Record>\n");
            }

            writer.Write(text);
            records++;
        }

        for (var d = 0; d < days; d++)
        {
            var day = first.AddDays(d);
            for (var i = 0; i < 1_200; i++)
            {
                var at = day.AddSeconds(i * 72);
                Record("HKQuantityTypeIdentifierHeartRate", Watch, WatchDevice, "count/min", at, at, (58 + ((i * 7) % 50)).ToString(CultureInfo.InvariantCulture), "HKMetadataKeyHeartRateMotionContext");
            }

            for (var i = 0; i < 150; i++)
            {
                var at = day.AddHours(7).AddMinutes(i * 6);
                Record("HKQuantityTypeIdentifierStepCount", Watch, WatchDevice, "count", at, at.AddMinutes(5), (40 + (i % 60)).ToString(CultureInfo.InvariantCulture));
            }

            for (var i = 0; i < 100; i++)
            {
                var at = day.AddHours(7).AddMinutes(i * 9);
                Record("HKQuantityTypeIdentifierStepCount", Phone, PhoneDevice, "count", at, at.AddMinutes(8), (50 + (i % 70)).ToString(CultureInfo.InvariantCulture));
                Record("HKQuantityTypeIdentifierDistanceWalkingRunning", Phone, PhoneDevice, "km", at, at.AddMinutes(8), "0.0" + (31 + (i % 60)).ToString(CultureInfo.InvariantCulture));
            }

            for (var i = 0; i < 400; i++)
            {
                var at = day.AddMinutes(i * 3.6);
                Record("HKQuantityTypeIdentifierActiveEnergyBurned", Watch, WatchDevice, "kcal", at, at.AddMinutes(1), "0." + (100 + (i % 800)).ToString(CultureInfo.InvariantCulture));
            }

            for (var i = 0; i < 150; i++)
            {
                var at = day.AddMinutes(i * 9.6);
                Record("HKQuantityTypeIdentifierBasalEnergyBurned", Watch, WatchDevice, "kcal", at, at.AddMinutes(9), "10." + (i % 90).ToString(CultureInfo.InvariantCulture));
            }

            // A night: the phone's in bed, the watch's stages.
            var night = day.AddHours(-1.5);
            Record("HKCategoryTypeIdentifierSleepAnalysis", Phone, PhoneDevice, "", night, night.AddHours(8.5), "HKCategoryValueSleepAnalysisInBed");
            string[] stages = ["AsleepCore", "AsleepDeep", "AsleepCore", "AsleepREM", "Awake"];
            for (var i = 0; i < 19; i++)
            {
                var at = night.AddMinutes(15 + (i * 24));
                Record("HKCategoryTypeIdentifierSleepAnalysis", Watch, WatchDevice, "", at, at.AddMinutes(24), "HKCategoryValueSleepAnalysis" + stages[i % stages.Length]);
            }

            Record("HKQuantityTypeIdentifierBodyMass", "Scale", "", "kg", day.AddHours(7), day.AddHours(7), (70 + ((d % 50) / 10.0)).ToString(CultureInfo.InvariantCulture));
            Record("HKQuantityTypeIdentifierRestingHeartRate", Watch, WatchDevice, "count/min", day, day.AddHours(23), (52 + (d % 9)).ToString(CultureInfo.InvariantCulture));
            for (var i = 0; i < 5; i++)
            {
                var at = day.AddHours(2 + (i * 4));
                Record("HKQuantityTypeIdentifierHeartRateVariabilitySDNN", Watch, WatchDevice, "ms", at, at.AddMinutes(1), (35 + (i * 3) + (d % 11)).ToString(CultureInfo.InvariantCulture));
            }
        }

        writer.Write("</HealthData>\n");
        return (records, days);

        static string Stamp(DateTime local) => local.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " +0100";
    }
}
