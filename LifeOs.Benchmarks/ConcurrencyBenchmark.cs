using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Core.Sync;
using LifeOs.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 16's figures: SQLite has one writer, and nothing may hold it long. The published app serves 20 people
/// signing in over and over while, on the same database, a one-year Oura backfill runs, a 100,000-row CSV import is
/// confirmed and a time zone change moves five years of minute heart rate. The import and the zone change are what a
/// request starts (timed as requests) and what the background worker then does in chunks; the sync runs as its job
/// does. Reported: errors (5xx, "database is locked"; goal 0), the longest write transaction of a request in the app
/// and here (goal under 1 s), the longest chunk of background work, and sign-in p50/p95 idle and under that load.
/// </summary>
internal sealed partial class ConcurrencyBenchmark(BenchmarkOptions options)
{
    private const int Years = 5;
    private const int People = 20;
    private const int CsvRows = 100_000;
    private const string Password = "Bench-Passw0rd!";

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var scratch = Directory.CreateTempSubdirectory("lifeos-concurrency-").FullName;
        try
        {
            var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
            var publishDirectory = options.SkipPublishDirectory is { } existing
                ? WebPublisher.RequirePublishDirectory(existing)
                : await WebPublisher.PublishAsync(repositoryRoot, scratch, cancellationToken);
            var dataDirectory = Path.Combine(scratch, "data");
            await using var fake = await SyncBenchmark.FakeServer.StartAsync(cancellationToken);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            fake.OuraFrom = today.AddDays(-367);
            fake.OuraTo = today.AddDays(1);
            await using var core = await SyncBenchmark.Core.CreateAsync(dataDirectory, fake.BaseUrl, new() { ["Sync:BackfillDays"] = "365" }, cancellationToken);
            var connectionId = (await core.SeedAsync(1, ProviderKind.Oura, cursorsComplete: false, cancellationToken))[0];
            var heavy = await WithAsync(core, db => db.Connections.Where(c => c.Id == connectionId).Select(c => c.UserId).SingleAsync(cancellationToken));
            var seedWatch = Stopwatch.StartNew();
            Log.Info($"Seeding {Years} years of minute heart rate for one person…");
            var days = (Years * 365) + 1;
            await using (var scope = core.Services.CreateAsyncScope())
            {
                var store = scope.ServiceProvider.GetRequiredService<HealthStore>();
                // Minute heart rate comes as a time series with no day attached (as Oura's does): LifeOs dates it, and a
                // time zone change moves it.
                var data = DemoData.Days(today.AddDays(-days + 1), today, minuteHeartRateDays: days)
                    .Select(s => s.MetricCode == MetricCatalogue.HeartRate ? s with { LocalDate = null } : s);
                foreach (var chunk in data.Chunk(200_000))
                {
                    await store.UpsertSamplesAsync(heavy, chunk, cancellationToken);
                }
            }

            var samples = await WithAsync(core, db => db.Samples.LongCountAsync(cancellationToken));
            Log.Info($"Seeded {samples:N0} samples in {seedWatch.Elapsed.TotalSeconds:F0} s");

            var environment = new Dictionary<string, string>(options.AppEnvironment) { ["LifeOs__Registration"] = "Open", ["Sync__RunScheduler"] = "false", ["LifeOs__RateLimits__Scale"] = "1000" };
            await using var app = PublishedApp.Start(new AppLaunchSettings(publishDirectory, scratch, environment), dataDirectory);
            var appRequestHold = 0.0;
            var appLockErrors = 0;
            app.StandardOutput.Watch = line => Watch(line, ref appRequestHold, ref appLockErrors);
            app.StandardError.Watch = line => Watch(line, ref appRequestHold, ref appLockErrors);
            await app.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(60), cancellationToken);

            var people = new List<(HttpClient Http, string Email)>();
            for (var i = 0; i < People; i++)
            {
                var http = NewClient(app.BaseAddress);
                var email = $"person{i}@example.com";
                await PostFormAsync(http, "/Account/Register", "register", new() { ["Input.Email"] = email, ["Input.Password"] = Password, ["Input.ConfirmPassword"] = Password }, cancellationToken);
                people.Add((http, email));
            }

            Log.Info("Sign-ins with nothing else running…");
            var idle = await SignInRoundsAsync(people, rounds: 3, until: null, cancellationToken);

            // A CSV of 100,000 rows, staged as the upload would be.
            var csv = new StringBuilder("timestamp,metric,value,unit\n");
            var start = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < CsvRows; i++)
            {
                csv.Append(start.AddMinutes(i * 20).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(",weight,81.5,kg\n");
            }

            var staged = await WithServiceAsync<CsvImportService, StageResult>(core, i => i.StageAsync(heavy, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "weights.csv", cancellationToken));
            var worker = core.Services.GetRequiredService<BackgroundWorker>();
            await worker.StartAsync(cancellationToken);
            var monitor = core.Services.GetRequiredService<WriteLockMonitor>();

            Log.Info("Under load: a one-year backfill, a 100,000-row import and a time zone change over five years, with 20 people signing in…");
            var loadWatch = Stopwatch.StartNew();
            var sync = Task.Run(() =>
            {
                WriteLockMonitor.Origin = "sync";
                return core.RunAsync(connectionId, SyncTrigger.Backfill, cancellationToken);
            }, cancellationToken);
            // What the import page and the settings page do in their request: queue the work (or do it, if small).
            var requests = Task.Run(async () =>
            {
                WriteLockMonitor.Origin = "request";
                var importWork = await WithServiceAsync<WorkQueue, long>(core, w => w.EnqueueAsync(heavy, WorkKind.CsvImport, staged.UploadId, total: CsvRows, cancellationToken));
                var saved = await WithServiceAsync<UserSettingsService, SettingsUpdateResult>(core, s => s.UpdateAsync(heavy, new UserSettings("America/Chicago", UnitSystem.Metric, 3), cancellationToken));
                return (importWork, saved.RedateWorkId);
            }, cancellationToken);
            var backgroundDone = Task.Run(async () =>
            {
                await requests;
                await worker.WhenIdleAsync();
                await sync;
            }, cancellationToken);
            var loaded = await SignInRoundsAsync(people, rounds: null, until: backgroundDone, cancellationToken);
            await backgroundDone;
            loadWatch.Stop();
            await worker.StopAsync(CancellationToken.None);

            var (importId, redateId) = await requests;
            var run = await sync;
            var importWorkRow = await WithAsync(core, db => db.BackgroundWork.AsNoTracking().SingleAsync(w => w.Id == importId, cancellationToken));
            var redateWorkRow = redateId is { } r ? await WithAsync(core, db => db.BackgroundWork.AsNoTracking().SingleAsync(w => w.Id == r, cancellationToken)) : null;
            var longest = monitor.Longest;
            var result = new
            {
                TimestampUtc = DateTimeOffset.UtcNow,
                Machine = machine,
                SeededSamples = samples,
                Idle = idle,
                Loaded = loaded,
                LoadSeconds = Math.Round(loadWatch.Elapsed.TotalSeconds, 1),
                Sync = new { Status = run.Status.ToString(), run.SamplesWritten },
                Import = Describe(importWorkRow),
                Redate = redateWorkRow is null ? null : Describe(redateWorkRow),
                LongestRequestHoldMsHere = Ms(longest, "request"),
                LongestRequestHoldMsApp = Math.Round(appRequestHold, 1),
                LongestBackgroundChunkMs = Ms(longest, "background work"),
                LongestSyncTransactionMs = Ms(longest, "sync"),
                LockErrors = monitor.BusyErrors + appLockErrors,
                ServerErrors = idle.ServerErrors + loaded.ServerErrors,
            };
            Console.WriteLine(Table(result.Idle, result.Loaded, result.LongestRequestHoldMsHere, result.LongestRequestHoldMsApp, result.LongestBackgroundChunkMs, result.LongestSyncTransactionMs,
                result.LockErrors, result.ServerErrors, result.LoadSeconds, samples, machine));
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            var jsonPath = Path.GetFullPath(options.JsonPath);
            Directory.CreateDirectory(Path.GetDirectoryName(jsonPath)!);
            await File.WriteAllTextAsync(jsonPath, json + Environment.NewLine, cancellationToken);
            people.ForEach(p => p.Http.Dispose());
            var ok = result.LockErrors == 0 && result.ServerErrors == 0 && run.Status == SyncRunStatus.Succeeded && importWorkRow.Status == WorkStatus.Succeeded && redateWorkRow?.Status == WorkStatus.Succeeded;
            return ok ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(scratch, recursive: true);
        }
    }

    internal sealed record SignIns(int Count, int ServerErrors, int Refused, double P50Ms, double P95Ms, double MaxMs);

    private static object Describe(BackgroundWork work) => new
    {
        Status = work.Status.ToString(),
        work.Done,
        Seconds = work.FinishedAt is { } end && work.StartedAt is { } begin ? Math.Round((end - begin).TotalSeconds, 1) : (double?)null,
        work.Result,
        work.Error,
    };

    private static double? Ms(IReadOnlyDictionary<string, TimeSpan> longest, string origin) =>
        longest.TryGetValue(origin, out var held) ? Math.Round(held.TotalMilliseconds, 1) : null;

    /// <summary>The app logs its longest write transaction per origin as it grows, and any lock failure.</summary>
    private static void Watch(string line, ref double longestRequest, ref int lockErrors)
    {
        if (LongestLine().Match(line) is { Success: true } match && match.Groups[2].Value == "request")
        {
            var ms = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (ms > longestRequest)
            {
                longestRequest = ms;
            }
        }

        if (line.Contains("database was locked", StringComparison.OrdinalIgnoreCase) || line.Contains("database is locked", StringComparison.OrdinalIgnoreCase))
        {
            Interlocked.Increment(ref lockErrors);
        }
    }

    [GeneratedRegex(@"(?:Longest write transaction so far|held the database for):? (\d+(?:\.\d+)?) ms \(([^)]+)\)")]
    private static partial Regex LongestLine();

    /// <summary>Every person signs out and in again, in parallel, for the given rounds or until the work is done.</summary>
    private static async Task<SignIns> SignInRoundsAsync(List<(HttpClient Http, string Email)> people, int? rounds, Task? until, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        int errors = 0, refused = 0;
        var gate = new Lock();
        await Parallel.ForEachAsync(people, new ParallelOptions { MaxDegreeOfParallelism = people.Count, CancellationToken = cancellationToken }, async (person, ct) =>
        {
            for (var round = 0; rounds is null ? until is { IsCompleted: false } : round < rounds; round++)
            {
                var watch = Stopwatch.StartNew();
                var status = await PostFormAsync(person.Http, "/Account/Login", "login", new() { ["Input.Email"] = person.Email, ["Input.Password"] = Password }, ct, expectRedirect: false);
                watch.Stop();
                lock (gate)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                    errors += (int)status >= 500 ? 1 : 0;
                    refused += status is not HttpStatusCode.Redirect and < HttpStatusCode.InternalServerError ? 1 : 0;
                }
            }
        });
        times.Sort();
        return new SignIns(times.Count, errors, refused, Math.Round(Percentiles.Of(times, 50), 1), Math.Round(Percentiles.Of(times, 95), 1), Math.Round(times.LastOrDefault(), 1));
    }

    private static HttpClient NewClient(Uri baseAddress) =>
        new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>GETs the page for its antiforgery token, posts the named form, and answers the status (the whole exchange is timed by the caller).</summary>
    private static async Task<HttpStatusCode> PostFormAsync(HttpClient http, string path, string formName, Dictionary<string, string> fields, CancellationToken cancellationToken, bool expectRedirect = true)
    {
        using var page = await http.GetAsync(path, cancellationToken);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        var input = TokenInput().Match(html);
        var token = input.Success ? ValueAttribute().Match(input.Value) : Match.Empty;
        if (!token.Success)
        {
            return page.StatusCode is HttpStatusCode.OK ? HttpStatusCode.UnprocessableEntity : page.StatusCode;
        }

        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        fields["_handler"] = formName;
        using var post = await http.PostAsync(path, new FormUrlEncodedContent(fields), cancellationToken);
        if (expectRedirect && post.StatusCode != HttpStatusCode.Redirect)
        {
            throw new BenchmarkFailure($"POST {path} answered {(int)post.StatusCode}, expected a redirect.");
        }

        return post.StatusCode;
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*>")]
    private static partial Regex TokenInput();

    [GeneratedRegex("value=\"([^\"]+)\"")]
    private static partial Regex ValueAttribute();

    private static async Task<T> WithAsync<T>(SyncBenchmark.Core core, Func<LifeOsDbContext, Task<T>> action)
    {
        await using var scope = core.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LifeOsDbContext>());
    }

    private static async Task<TResult> WithServiceAsync<TService, TResult>(SyncBenchmark.Core core, Func<TService, Task<TResult>> action)
        where TService : notnull
    {
        await using var scope = core.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private static string Table(SignIns idle, SignIns loaded, double? requestHere, double requestApp, double? chunk, double? sync, long lockErrors, int serverErrors, double seconds, long samples, MachineInfo machine)
    {
        var text = new StringBuilder();
        text.AppendLine("## LifeOs concurrent writers benchmark");
        text.AppendLine();
        text.AppendLine($"{machine.Cores} cores ({machine.Cpu}) · {machine.Dotnet} · {samples:N0} samples (five years of minute heart rate) · load phase {seconds} s");
        text.AppendLine();
        text.AppendLine("| figure | value | goal |");
        text.AppendLine("|---|---:|---|");
        text.AppendLine($"| errors: 5xx + \"database is locked\" | {serverErrors + lockErrors} | 0 |");
        text.AppendLine($"| longest write lock held by a request (app / import and zone-change requests) | {requestApp:0.0} / {requestHere?.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} ms | < 1,000 ms |");
        text.AppendLine($"| longest background-work chunk · longest sync transaction | {chunk?.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} · {sync?.ToString("0.0", CultureInfo.InvariantCulture) ?? "n/a"} ms | |");
        text.AppendLine($"| sign-in p50 / p95, idle ({idle.Count}) | {idle.P50Ms:0} / {idle.P95Ms:0} ms | |");
        text.AppendLine($"| sign-in p50 / p95 / max, under load ({loaded.Count}, {People} at once) | {loaded.P50Ms:0} / {loaded.P95Ms:0} / {loaded.MaxMs:0} ms | |");
        return text.ToString();
    }
}
