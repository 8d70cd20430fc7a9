using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Api;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 17's figures, on the published app with one user and an API key: GET /api/v1/samples over a year of minute heart
/// rate (525,600 samples, paged by the largest page) with time to first byte, total time and the app's peak resident
/// memory growth; POST /api/v1/samples in 10,000-sample requests against HealthStore.UpsertSamplesAsync in-process, batch
/// for batch in the same run; and GET /api/v1/summary/daily under concurrent clients beside /healthz.
/// </summary>
internal sealed class ApiBenchmark(BenchmarkOptions options)
{
    private const int Minutes = 365 * 24 * 60;
    private const int PageSize = HealthApiBenchmarkLimits.MaxLimit;
    private const int WriteBatch = 10_000;
    private const int WriteBatches = 10;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-api-").FullName;
        try
        {
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            // The per-key limit (600 a minute) would answer the load test with 429s: it is measured elsewhere.
            var environment = new Dictionary<string, string>(options.AppEnvironment, StringComparer.Ordinal) { ["LifeOs__Api__RequestsPerMinute"] = "1000000" };
            await using var app = PublishedApp.Start(new AppLaunchSettings(publishDirectory, scratch, environment));
            await app.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(60), cancellationToken);
            await AccountRegistration.RegisterAsync(app.BaseAddress, cancellationToken);

            await using var store = await BenchStore.CreateAsync(app.DataDirectory, newUserId: null, cancellationToken);
            var userId = await store.Db.Users.Where(u => u.Email == AccountRegistration.Email).Select(u => u.Id).SingleAsync(cancellationToken);
            var created = await store.Scope.GetRequiredService<ApiKeyService>()
                .CreateAsync(userId, "bench", [.. ApiScopes.All.Select(s => s.Scope)], null, cancellationToken);
            var key = created.Key ?? throw new BenchmarkFailure("Could not create an API key: " + string.Join(" ", created.Errors.Values));

            var yearStart = DateTime.UtcNow.Date.AddDays(-365);
            var seedWatch = Stopwatch.StartNew();
            Log.Info("Seeding one year of minute heart rate through HealthStore…");
            await store.UpsertAsync(userId, Enumerable.Range(0, Minutes).Select(i => HeartRate("seed", yearStart, i)), cancellationToken);
            // A rare metric beside them: a time-ordered read of it must not walk the heart rate.
            await store.UpsertAsync(userId, Enumerable.Range(0, 365).Select(d => new SampleInput(MetricCatalogue.Weight, SampleSource.Withings, $"w-{d}", yearStart.AddDays(d).AddHours(7), 70 + (d % 7 * 0.1))), cancellationToken);
            store.Checkpoint();
            var seedSeconds = Math.Round(seedWatch.Elapsed.TotalSeconds, 1);
            Log.Info($"Seeded {Minutes:N0} samples in {seedSeconds} s");

            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
            (await http.GetAsync("/api/v1/me", cancellationToken)).EnsureSuccessStatusCode();

            // Each query once unmeasured (JIT, pools, SQLite's cache), so the memory figure is the read's own.
            foreach (var path in new[] { "/api/v1/samples?metrics=heart_rate", "/api/v1/samples" })
            {
                await FirstPageAsync(http, path, PageSize, 1, cancellationToken);
            }

            var firstPages = new List<FirstPageResult>
            {
                await FirstPageAsync(http, "/api/v1/samples?metrics=heart_rate", 1000, 9, cancellationToken),
                await FirstPageAsync(http, "/api/v1/samples", 1000, 9, cancellationToken),
                await FirstPageAsync(http, "/api/v1/samples?metrics=weight", 1000, 9, cancellationToken),
                await FirstPageAsync(http, "/api/v1/samples?metrics=weight,spo2", 1000, 9, cancellationToken),
                await FirstPageAsync(http, $"/api/v1/samples?since={Uri.EscapeDataString(yearStart.AddDays(182).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}", 1000, 9, cancellationToken),
            };
            var read = new List<ReadResult>
            {
                await ReadAllAsync(http, app.ProcessId, "/api/v1/samples?metrics=heart_rate", Minutes, cancellationToken),
                await ReadAllAsync(http, app.ProcessId, "/api/v1/samples", Minutes + 365, cancellationToken),
            };
            var write = await WriteAsync(http, store, userId, cancellationToken);

            var load = new LoadBenchmark(app.BaseAddress, options.Clients, TimeSpan.FromSeconds(options.Seconds), TimeSpan.FromSeconds(options.WarmupSeconds));
            var floor = await load.MeasureAsync(FoundationBenchmark.HealthPath, cookies: null, cancellationToken);
            var summary = await load.MeasureAsync("/api/v1/summary/daily", cookies: null, cancellationToken, new Dictionary<string, string> { ["Authorization"] = "Bearer " + key });

            var result = new { TimestampUtc = DateTimeOffset.UtcNow, Machine = machine, SeededSamples = Minutes + 365, SeedSeconds = seedSeconds, FirstPages = firstPages, Read = read, Write = write, Clients = options.Clients, Healthz = floor, Summary = summary };
            Console.WriteLine(Table(firstPages, read, write, floor, summary, options.Clients, machine));
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            Log.Info($"JSON written to {jsonPath}");
            return floor.Errors + summary.Errors == 0 && read.Count == 2 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static SampleInput HeartRate(string prefix, DateTime start, int minute) =>
        new(MetricCatalogue.HeartRate, SampleSource.Oura, $"{prefix}-{minute}", start.AddMinutes(minute), 55 + (25 * Math.Abs(Math.Sin(minute / 90.0))));

    /// <param name="FirstByteMs">From sending the first page's request to its first body byte.</param>
    /// <param name="PeakRssGrowthMb">The app's highest resident set while reading, less its resident set just before.</param>
    internal sealed record ReadResult(string Path, int Pages, long Samples, long Bytes, double FirstByteMs, double SlowestFirstByteMs, double TotalSeconds, double SamplesPerSecond, double RssBeforeMb, double PeakRssGrowthMb);

    /// <summary>Every page of <paramref name="path"/> at the largest page size, streamed and counted, while sampling the app's memory.</summary>
    private static async Task<ReadResult> ReadAllAsync(HttpClient http, int processId, string path, long expected, CancellationToken cancellationToken)
    {
        var before = Rss(processId);
        var peak = before;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss(processId));
                await Task.Delay(5, CancellationToken.None);
            }
        }, CancellationToken.None);

        var watch = Stopwatch.StartNew();
        double firstByte = 0, slowest = 0;
        long samples = 0, bytes = 0;
        var pages = 0;
        string? cursor = null;
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        do
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync($"{path}{separator}limit={PageSize}{(cursor is null ? "" : "&cursor=" + cursor)}", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new BenchmarkFailure($"GET {path} answered {(int)response.StatusCode}.", await response.Content.ReadAsStringAsync(cancellationToken));
            }

            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new MemoryStream();
            var chunk = new byte[64 * 1024];
            var read = await body.ReadAsync(chunk, cancellationToken);
            var ttfb = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            (firstByte, slowest) = (pages == 0 ? ttfb : firstByte, Math.Max(slowest, ttfb));
            while (read > 0)
            {
                buffer.Write(chunk, 0, read);
                read = await body.ReadAsync(chunk, cancellationToken);
            }

            bytes += buffer.Length;
            using var page = JsonDocument.Parse(buffer.ToArray());
            samples += page.RootElement.GetProperty("items").GetArrayLength();
            cursor = page.RootElement.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);

        var total = watch.Elapsed.TotalSeconds;
        await stop.CancelAsync();
        if (samples != expected)
        {
            throw new BenchmarkFailure($"GET {path} gave {samples:N0} samples over its pages, expected {expected:N0} (a gap or a repeat between pages).");
        }

        await sampler;
        var result = new ReadResult(path, pages, samples, bytes, Math.Round(firstByte, 1), Math.Round(slowest, 1), Math.Round(total, 2), Math.Round(samples / total), Mb(before), Mb(peak - before));
        Log.Info($"GET {path}: {samples:N0} samples in {pages} pages, first byte {result.FirstByteMs} ms (slowest page {result.SlowestFirstByteMs} ms), {result.TotalSeconds} s, RSS +{result.PeakRssGrowthMb} MB");
        return result;
    }

    internal sealed record FirstPageResult(string Path, int Limit, double FirstByteMs, double TotalMs);

    /// <summary>The first page of <paramref name="path"/>, <paramref name="times"/> times: medians of first byte and whole page.</summary>
    private static async Task<FirstPageResult> FirstPageAsync(HttpClient http, string path, int limit, int times, CancellationToken cancellationToken)
    {
        var firstBytes = new List<double>();
        var totals = new List<double>();
        var url = $"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}limit={limit}";
        for (var i = 0; i < times; i++)
        {
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            response.EnsureSuccessStatusCode();
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var chunk = new byte[64 * 1024];
            var read = await body.ReadAsync(chunk, cancellationToken);
            firstBytes.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            while (read > 0)
            {
                read = await body.ReadAsync(chunk, cancellationToken);
            }

            totals.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
        }

        var result = new FirstPageResult(path, limit, Math.Round(Percentiles.Of([.. firstBytes.Order()], 50), 1), Math.Round(Percentiles.Of([.. totals.Order()], 50), 1));
        Log.Info($"GET {url}: first byte {result.FirstByteMs} ms, whole page {result.TotalMs} ms (median of {times})");
        return result;
    }

    internal sealed record WriteResult(int Batches, int BatchSize, double ApiSamplesPerSecond, double StoreSamplesPerSecond, double Ratio, double ApiMedianBatchMs, double StoreMedianBatchMs);

    /// <summary>
    /// Alternates a 10,000-sample POST with a 10,000-sample in-process upsert of the same shape (new minutes of heart rate,
    /// other years than the seeded one, so neither recomputes the other's days), so both see the same table size.
    /// </summary>
    private static async Task<WriteResult> WriteAsync(HttpClient http, BenchStore store, string userId, CancellationToken cancellationToken)
    {
        var health = store.Scope.GetRequiredService<HealthStore>();
        var apiStart = DateTime.UtcNow.Date.AddDays(-3 * 365);
        var storeStart = DateTime.UtcNow.Date.AddDays(-5 * 365);
        var api = new List<double>();
        var inProcess = new List<double>();
        for (var batch = -1; batch < WriteBatches; batch++)
        {
            // Batch -1 warms both paths up (JIT, prepared statements) and is not counted.
            var offset = (batch + 1) * WriteBatch;
            var body = Body(apiStart, offset);
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            var sent = Stopwatch.GetTimestamp();
            using var response = await http.PostAsync("/api/v1/samples", content, cancellationToken);
            var answer = await response.Content.ReadAsStringAsync(cancellationToken);
            var apiMs = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK || JsonDocument.Parse(answer).RootElement.GetProperty("inserted").GetInt32() != WriteBatch)
            {
                throw new BenchmarkFailure($"POST /api/v1/samples answered {(int)response.StatusCode}.", answer[..Math.Min(answer.Length, 2000)]);
            }

            // As the endpoint writes them: source Api. (Oura's heart rate, which this wrote before, is kept out of the record
            // key on SQLite and inserted without a lookup (SeriesRows): not the same write since 2026-12-02.)
            var inputs = Enumerable.Range(offset, WriteBatch).Select(i => HeartRate("store", storeStart, i) with { Source = SampleSource.Api }).ToList();
            var started = Stopwatch.GetTimestamp();
            await health.UpsertSamplesAsync(userId, inputs, cancellationToken);
            var storeMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (batch >= 0)
            {
                api.Add(apiMs);
                inProcess.Add(storeMs);
            }
        }

        var apiRate = WriteBatch * WriteBatches / (api.Sum() / 1000);
        var storeRate = WriteBatch * WriteBatches / (inProcess.Sum() / 1000);
        var result = new WriteResult(WriteBatches, WriteBatch, Math.Round(apiRate), Math.Round(storeRate), Math.Round(apiRate / storeRate, 3),
            Math.Round(Percentiles.Of([.. api.Order()], 50), 1), Math.Round(Percentiles.Of([.. inProcess.Order()], 50), 1));
        Log.Info($"POST /api/v1/samples: {result.ApiSamplesPerSecond:N0} samples/s; HealthStore in-process: {result.StoreSamplesPerSecond:N0} samples/s; ratio {result.Ratio}");
        return result;
    }

    /// <summary>A POST body of 10,000 minutes of heart rate, serialised before the clock starts.</summary>
    private static byte[] Body(DateTime start, int offset)
    {
        var text = new StringBuilder("{\"samples\":[");
        for (var i = offset; i < offset + WriteBatch; i++)
        {
            var sample = HeartRate("api", start, i);
            text.Append(CultureInfo.InvariantCulture, $"{(i == offset ? "" : ",")}{{\"metric\":\"heart_rate\",\"value\":{sample.Value:R},\"start\":\"{sample.StartUtc:yyyy-MM-dd'T'HH:mm:ss}Z\",\"recordId\":\"{sample.SourceRecordId}\"}}");
        }

        return Encoding.UTF8.GetBytes(text.Append("]}").ToString());
    }

    private static long Rss(int processId)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }

    private static double Mb(long bytes) => Math.Round(bytes / 1024.0 / 1024.0, 1);

    private static string Table(IReadOnlyList<FirstPageResult> firstPages, IReadOnlyList<ReadResult> read, WriteResult write, EndpointResult floor, EndpointResult summary, int clients, MachineInfo machine)
    {
        var text = new StringBuilder();
        text.AppendLine("## LifeOs API benchmark");
        text.AppendLine();
        text.AppendLine($"{machine.Cores} cores ({machine.Cpu}) · {machine.Dotnet} · load average at start {machine.LoadAverage?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}");
        text.AppendLine();
        text.AppendLine("| GET, one page of 1,000 (the default), median of 9 | first byte ms | whole page ms |");
        text.AppendLine("|---|---:|---:|");
        foreach (var p in firstPages)
        {
            text.AppendLine($"| `{p.Path}` | {p.FirstByteMs:0.0} | {p.TotalMs:0.0} |");
        }

        text.AppendLine();
        text.AppendLine($"| GET, {Minutes:N0} heart rate + 365 weights, pages of {PageSize:N0} | pages | first byte ms | slowest page's first byte ms | total s | samples/s | MB | peak RSS growth MB (goal < 50) |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in read)
        {
            text.AppendLine($"| `{r.Path}` | {r.Pages} | {r.FirstByteMs:0.0} | {r.SlowestFirstByteMs:0.0} | {r.TotalSeconds:0.00} | {r.SamplesPerSecond:N0} | {r.Bytes / 1024.0 / 1024.0:0.0} | {r.PeakRssGrowthMb:0.0} |");
        }

        text.AppendLine();
        text.AppendLine($"| write, {write.Batches} batches of {write.BatchSize:N0} | samples/s | median batch ms |");
        text.AppendLine("|---|---:|---:|");
        text.AppendLine($"| POST /api/v1/samples | {write.ApiSamplesPerSecond:N0} | {write.ApiMedianBatchMs:0.0} |");
        text.AppendLine($"| HealthStore.UpsertSamplesAsync in-process | {write.StoreSamplesPerSecond:N0} | {write.StoreMedianBatchMs:0.0} |");
        text.AppendLine($"| ratio (goal ≥ 0.7) | {write.Ratio:0.00} | |");
        text.AppendLine();
        text.AppendLine($"| GET, {clients} concurrent clients | requests | req/s | p50 ms | p95 ms | p99 ms | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in new[] { floor, summary })
        {
            text.AppendLine($"| {r.Path} | {r.Requests} | {r.RequestsPerSecond:0} | {r.P50Ms:0.00} | {r.P95Ms:0.00} | {r.P99Ms:0.00} | {r.Errors} |");
        }

        return text.ToString();
    }
}

/// <summary>The API's largest page (kept in step with HealthApi.MaxLimit in LifeOs.Web, which this project does not reference).</summary>
internal static class HealthApiBenchmarkLimits
{
    public const int MaxLimit = 100_000;
}
