using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Export;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 14's restore of a large export, in-process against a real SQLite file: an export zip (written to disk) holding
/// <see cref="Rows"/> minute heart-rate samples is checked (the preview) and restored into an empty account through
/// <see cref="AccountRestoreService"/>, with the managed heap sampled throughout: the CSV is streamed, so the peak stays
/// far below what holding every row would take.
/// </summary>
internal sealed class RestoreBenchmark(BenchmarkOptions options)
{
    private const int Rows = 2_000_000;
    private const string UserId = "bench-user";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("lifeos-restore-").FullName;
        try
        {
            var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            await using var store = await BenchStore.CreateAsync(scratch, UserId, cancellationToken);
            var zipPath = Path.Combine(scratch, "export.zip");
            WriteExport(zipPath);
            Log.Info($"Export: {Rows:N0} samples, {new FileInfo(zipPath).Length / 1024.0 / 1024.0:0.0} MB zipped");

            GC.Collect();
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0;
            using var sampling = new CancellationTokenSource();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                    await Task.Delay(50, CancellationToken.None);
                }
            }, CancellationToken.None);

            var restore = store.Scope.GetRequiredService<AccountRestoreService>();
            await using var zip = File.OpenRead(zipPath);
            var watch = Stopwatch.StartNew();
            var preview = await restore.PreviewAsync(UserId, zip, cancellationToken);
            var previewSeconds = watch.Elapsed.TotalSeconds;
            Log.Info($"Preview: {previewSeconds:0.0} s ({preview.Parts[0].Added:N0} measurements)");
            watch.Restart();
            var result = await restore.RestoreAsync(UserId, zip, new RestoreChoices(ReplaceSettings: true), cancellationToken);
            var restoreSeconds = watch.Elapsed.TotalSeconds;
            await sampling.CancelAsync();
            await sampler;
            using var self = Process.GetCurrentProcess();
            Log.Info($"Restore: {restoreSeconds:0.0} s ({result.Parts[0].Added:N0} added), managed heap peak {(peak - baseline) / 1024.0 / 1024.0:0} MB over the baseline");

            var report = new
            {
                TimestampUtc = DateTimeOffset.UtcNow,
                Machine = machine,
                Rows,
                ZipMegabytes = Math.Round(new FileInfo(zipPath).Length / 1024.0 / 1024.0, 1),
                PreviewSeconds = Math.Round(previewSeconds, 1),
                RestoreSeconds = Math.Round(restoreSeconds, 1),
                RowsPerSecond = Math.Round(Rows / restoreSeconds),
                ManagedHeapPeakMegabytes = Math.Round((peak - baseline) / 1024.0 / 1024.0),
                ProcessPeakWorkingSetMegabytes = Math.Round(self.PeakWorkingSet64 / 1024.0 / 1024.0),
                Added = result.Parts[0].Added,
            };
            var json = JsonSerializer.Serialize(report, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            return result.Succeeded && result.Parts[0].Added == Rows ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>The files a restore reads, as the export writes them: minute heart rate from 2020 on, days left to LifeOs.</summary>
    private static void WriteExport(string path)
    {
        using var archive = new ZipArchive(File.Create(path), ZipArchiveMode.Create);
        void Text(string name, string text)
        {
            using var writer = new StreamWriter(archive.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
            writer.Write(text);
        }

        Text("README.txt", "LifeOs export, made for a benchmark.\n");
        Text("account.json", """{"formatVersion": 1, "settings": {"timeZoneId": "UTC", "unitSystem": "Metric", "dayStartHour": 0, "appearance": "System"}}""");
        using var csv = new StreamWriter(archive.CreateEntry("health/samples.csv", CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
        csv.Write("metric,unit,source,source_record_id,start_utc,end_utc,local_date,value,excluded\n");
        var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < Rows; i++)
        {
            var at = start.AddMinutes(i);
            csv.Write(string.Create(CultureInfo.InvariantCulture, $"heart_rate,bpm,Oura,hr-{i},{at:yyyy-MM-dd'T'HH:mm:ss'Z'},,{at:yyyy-MM-dd},{48 + i * 7 % 90},false\n"));
        }
    }
}
