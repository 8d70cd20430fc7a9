using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 14's CSV figure, in-process against a real SQLite file built by the app's migrations: the preview of a
/// 400,000-row upload (about 16 MB, under the 20 MB limit) through <see cref="CsvImportService"/>, as the import page
/// asks for it (read the staged file, parse through CsvHelper and the mapping, check every date and value, count
/// what LifeOs already holds); then the same preview once every row is in LifeOs (the re-import that adds nothing).
/// </summary>
internal sealed class CsvImportBenchmark(BenchmarkOptions options)
{
    private const int Rows = 400_000;
    private const int Runs = 3;
    private const string UserId = "bench-user";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("lifeos-csv-").FullName;
        try
        {
            var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            await using var store = await BenchStore.CreateAsync(scratch, UserId, cancellationToken);
            var csv = File();
            Log.Info($"CSV: {Rows:N0} rows, {csv.Length / 1024.0 / 1024.0:0.0} MB");

            var imports = store.Scope.GetRequiredService<CsvImportService>();
            var staged = await imports.StageAsync(UserId, new MemoryStream(csv), "heart-rate.csv", cancellationToken);
            var fresh = new List<double>();
            var cpu = new List<double>();
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            ImportPreview? preview = null;
            var progressReports = 0;
            for (var run = 0; run < Runs; run++)
            {
                self.Refresh();
                var cpuBefore = self.TotalProcessorTime;
                var watch = Stopwatch.StartNew();
                preview = await imports.PreviewAsync(UserId, staged.UploadId!, cancellationToken, _ => progressReports++);
                fresh.Add(watch.Elapsed.TotalSeconds);
                self.Refresh();
                cpu.Add((self.TotalProcessorTime - cpuBefore).TotalSeconds);
                Log.Info($"Preview of {Rows:N0} rows: {watch.Elapsed.TotalSeconds:0.00} s, CPU {cpu[^1]:0.00} s ({preview!.Measurements:N0} measurements, {preview.ErrorCount} errors)");
            }

            var import = Stopwatch.StartNew();
            var outcome = await imports.ImportAsync(UserId, staged.UploadId!, cancellationToken);
            import.Stop();
            Log.Info($"Import: {import.Elapsed.TotalSeconds:0.00} s ({outcome.Result?.Inserted:N0} inserted)");

            var again = await imports.StageAsync(UserId, new MemoryStream(csv), "heart-rate copy.csv", cancellationToken);
            var repeat = new List<double>();
            ImportPreview? repeated = null;
            for (var run = 0; run < Runs; run++)
            {
                var watch = Stopwatch.StartNew();
                repeated = await imports.PreviewAsync(UserId, again.UploadId!, cancellationToken);
                repeat.Add(watch.Elapsed.TotalSeconds);
                Log.Info($"Preview when all are already in LifeOs: {watch.Elapsed.TotalSeconds:0.00} s ({repeated!.AlreadyImported:N0} already)");
            }

            var result = new
            {
                TimestampUtc = DateTimeOffset.UtcNow,
                Machine = machine,
                Rows,
                Megabytes = Math.Round(csv.Length / 1024.0 / 1024.0, 1),
                PreviewSeconds = fresh.Select(s => Math.Round(s, 2)).ToArray(),
                PreviewMedianSeconds = Math.Round(fresh.Order().ElementAt(Runs / 2), 2),
                // CPU time of the process during each preview: what the preview costs, whatever else the machine runs.
                PreviewCpuSeconds = cpu.Select(s => Math.Round(s, 2)).ToArray(),
                ProgressReports = progressReports / Runs,
                ImportSeconds = Math.Round(import.Elapsed.TotalSeconds, 2),
                PreviewAllAlreadyImportedSeconds = repeat.Select(s => Math.Round(s, 2)).ToArray(),
                AlreadyImported = repeated!.AlreadyImported,
                OfferedImportAgain = repeated.CanImport,
            };
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await System.IO.File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            return preview!.Measurements == Rows && preview.ErrorCount == 0 && repeated.AlreadyImported == Rows && !repeated.CanImport ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(scratch, recursive: true);
        }
    }

    /// <summary>Minute heart rate in the long layout, UTC timestamps, ending before the machine's today.</summary>
    private static byte[] File()
    {
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var csv = new StringBuilder("timestamp,metric,value,unit\n", Rows * 42);
        for (var i = 0; i < Rows; i++)
        {
            csv.Append(start.AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))
                .Append(",heart_rate,").Append(48 + (i * 7 % 90)).Append(",bpm\n");
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }
}
