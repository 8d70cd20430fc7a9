using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Sync;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 6's figures, against a minimal in-process fake of Oura and Withings served by Kestrel on loopback (the test
/// fakes live in LifeOs.Tests and carry OAuth and failure scripting this needs none of):
/// 1. a one-year Oura backfill for one user, heart rate included: wall time, requests made against the minimum
///    (every collection in one window, full pages), samples written;
/// 2. a nightly run of 1,000 Withings users × 1 day with 50 ms fake latency under an app-wide limit of 1,200
///    requests/minute: total time against the lower bound the limit implies, peak memory, and the most requests the
///    fake saw in any 60-second window.
/// Sync runs in-process through LifeOs.Core exactly as the Quartz job calls it (SyncService.RunAsync per queued run).
/// </summary>
internal sealed class SyncBenchmark(BenchmarkOptions options)
{
    private const int OuraDailyPageSize = 100;
    private const int OuraHeartRatePageSize = 1_000;
    private const int HeartRateEveryMinutes = 5;
    private const int NightlyUsers = 1_000;
    private const int WithingsPerMinute = 1_200;
    private const int NightlyConcurrency = 8;
    private static readonly string[] OuraDaily = ["daily_sleep", "sleep", "daily_readiness", "daily_activity", "daily_spo2"];

    /// <summary>Withings' data types (SyncDataTypes): a nightly run makes one request for each.</summary>
    internal static readonly string[] WithingsTypes = ["measures", "activity", "workouts", "sleep_summary"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
        var scratch = Directory.CreateTempSubdirectory("lifeos-sync-").FullName;
        try
        {
            await using var fake = await FakeServer.StartAsync(cancellationToken);
            var backfill = await BackfillAsync(Path.Combine(scratch, "backfill"), fake, ouraPerMinute: null, cancellationToken);
            var unthrottled = await BackfillAsync(Path.Combine(scratch, "backfill-unthrottled"), fake, ouraPerMinute: 1_000_000, cancellationToken);
            var nightly = await NightlyAsync(Path.Combine(scratch, "nightly"), fake, cancellationToken);
            var result = new { TimestampUtc = DateTimeOffset.UtcNow, Machine = machine, Backfill = backfill, BackfillWithoutOuraLimiter = unthrottled, Nightly = nightly };
            Console.WriteLine(Table(backfill, unthrottled, nightly, machine));
            var json = JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
            Console.WriteLine(json);
            _ = options;
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(scratch, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private sealed record BackfillResult(double Seconds, int Requests, int MinimumRequests, long SamplesWritten, long HeartRateRows, string Status);

    private sealed record NightlyResult(int Users, int Requests, double Seconds, double LowerBoundSeconds, double Ratio, int MaxRequestsInAnyMinute, int Limit,
        long PeakWorkingSetMb, long PeakManagedMb, int Succeeded);

    private static async Task<BackfillResult> BackfillAsync(string directory, FakeServer fake, int? ouraPerMinute, CancellationToken cancellationToken)
    {
        var days = 365;
        var settings = new Dictionary<string, string?> { ["Sync:BackfillDays"] = days.ToString(CultureInfo.InvariantCulture) };
        if (ouraPerMinute is { } limit)
        {
            settings["Sync:OuraRequestsPerMinutePerConnection"] = limit.ToString(CultureInfo.InvariantCulture);
        }

        await using var core = await Core.CreateAsync(directory, fake.BaseUrl, settings, cancellationToken);
        var connections = await core.SeedAsync(1, ProviderKind.Oura, cursorsComplete: false, cancellationToken);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        fake.OuraFrom = today.AddDays(-days - 2);
        fake.OuraTo = today.AddDays(1);
        fake.ResetCounters();
        Log.Info("One-year Oura backfill…");
        var watch = Stopwatch.StartNew();
        var run = await core.RunAsync(connections[0], SyncTrigger.Backfill, cancellationToken);
        watch.Stop();

        // The minimum: every collection in one request window, pages full. Heart rate: one row every 5 minutes.
        var heartRateRows = (long)(days + 1) * 24 * 60 / HeartRateEveryMinutes;
        var minimum = (OuraDaily.Length * (int)Math.Ceiling((days + 1) / (double)OuraDailyPageSize)) + (int)Math.Ceiling(heartRateRows / (double)OuraHeartRatePageSize);
        var result = new BackfillResult(Math.Round(watch.Elapsed.TotalSeconds, 2), fake.Requests, minimum, run.SamplesWritten, heartRateRows, run.Status.ToString());
        Log.Info($"Backfill: {result.Seconds} s, {result.Requests} requests (minimum {minimum}), {result.SamplesWritten:N0} samples, {run.Status}");
        return result;
    }

    private static async Task<NightlyResult> NightlyAsync(string directory, FakeServer fake, CancellationToken cancellationToken)
    {
        await using var core = await Core.CreateAsync(directory, fake.BaseUrl, new()
        {
            ["Sync:WithingsRequestsPerMinute"] = WithingsPerMinute.ToString(CultureInfo.InvariantCulture),
            ["Sync:MaxConcurrency"] = NightlyConcurrency.ToString(CultureInfo.InvariantCulture),
        }, cancellationToken);
        var connections = await core.SeedAsync(NightlyUsers, ProviderKind.Withings, cursorsComplete: true, cancellationToken);
        fake.LatencyMs = 50;
        fake.ResetCounters();
        Log.Info($"Nightly run: {NightlyUsers} Withings users, 50 ms latency, {WithingsPerMinute}/min app-wide…");
        GC.Collect();
        long peakManaged = 0;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
                await Task.Delay(100, CancellationToken.None);
            }
        }, CancellationToken.None);
        var succeeded = 0;
        var watch = Stopwatch.StartNew();
        // What Quartz does with Sync:MaxConcurrency worker threads: each queued run in its own scope.
        await Parallel.ForEachAsync(connections, new ParallelOptions { MaxDegreeOfParallelism = NightlyConcurrency, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            var run = await core.RunAsync(id, SyncTrigger.Nightly, ct);
            if (run.Status == SyncRunStatus.Succeeded)
            {
                Interlocked.Increment(ref succeeded);
            }
        });
        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        var requests = fake.Requests;
        // At the limit's steady rate: requests / (limit per minute).
        var lowerBound = requests / (double)WithingsPerMinute * 60;
        var maxInMinute = fake.MaxInAnyWindow(TimeSpan.FromMinutes(1));
        var result = new NightlyResult(NightlyUsers, requests, Math.Round(watch.Elapsed.TotalSeconds, 1), Math.Round(lowerBound, 1),
            Math.Round(watch.Elapsed.TotalSeconds / Math.Max(1, lowerBound), 3), maxInMinute, WithingsPerMinute,
            Process.GetCurrentProcess().PeakWorkingSet64 / (1024 * 1024), peakManaged / (1024 * 1024), succeeded);
        Log.Info($"Nightly: {result.Seconds} s for {requests} requests (lower bound {result.LowerBoundSeconds} s, ×{result.Ratio}), max {maxInMinute} in any minute, {succeeded} runs succeeded");
        return result;
    }

    private static string Table(BackfillResult backfill, BackfillResult unthrottled, NightlyResult nightly, MachineInfo machine)
    {
        var text = new StringBuilder();
        text.AppendLine("## LifeOs sync benchmark");
        text.AppendLine();
        text.AppendLine($"{machine.Cores} cores ({machine.Cpu}) · {machine.Dotnet} · load average at start {machine.LoadAverage?.ToString("0.00", CultureInfo.InvariantCulture) ?? "n/a"}");
        text.AppendLine();
        text.AppendLine("| one-year Oura backfill (heart rate every 5 min) | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine($"| wall time (Oura limiter at its default) | {backfill.Seconds:0.00} s |");
        text.AppendLine($"| wall time (Oura limiter lifted) | {unthrottled.Seconds:0.00} s |");
        text.AppendLine($"| requests made / minimum | {backfill.Requests} / {backfill.MinimumRequests} |");
        text.AppendLine($"| samples written | {backfill.SamplesWritten:N0} |");
        text.AppendLine();
        text.AppendLine($"| nightly: {nightly.Users:N0} Withings users × 1 day, 50 ms latency, {nightly.Limit:N0}/min | value |");
        text.AppendLine("|---|---:|");
        text.AppendLine($"| requests | {nightly.Requests:N0} |");
        text.AppendLine($"| total time / lower bound | {nightly.Seconds:0.0} s / {nightly.LowerBoundSeconds:0.0} s (×{nightly.Ratio:0.00}; goal ≤ 1.2) |");
        text.AppendLine($"| most requests in any 60 s window | {nightly.MaxRequestsInAnyMinute:N0} (limit {nightly.Limit:N0}) |");
        text.AppendLine($"| peak working set (process, fake included) / peak managed heap | {nightly.PeakWorkingSetMb} MB / {nightly.PeakManagedMb} MB |");
        text.AppendLine($"| runs succeeded | {nightly.Succeeded:N0} |");
        return text.ToString();
    }

    /// <summary>LifeOs.Core composed as the app composes it, pointed at the fake, with the scheduler off.</summary>
    internal sealed class Core(ServiceProvider provider) : IAsyncDisposable
    {
        public static async Task<Core> CreateAsync(string directory, string fakeUrl, Dictionary<string, string?> settings, CancellationToken cancellationToken)
        {
            var all = new Dictionary<string, string?>
            {
                ["LifeOs:DataDirectory"] = directory,
                ["Sync:RunScheduler"] = "false",
                ["Providers:Oura:ClientId"] = "bench",
                ["Providers:Oura:ClientSecret"] = "bench",
                ["Providers:Oura:ApiBaseUrl"] = fakeUrl,
                ["Providers:Withings:ClientId"] = "bench",
                ["Providers:Withings:ClientSecret"] = "bench",
                ["Providers:Withings:ApiBaseUrl"] = fakeUrl,
            };
            foreach (var (key, value) in settings)
            {
                all[key] = value;
            }

            var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
            var services = new ServiceCollection().AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
            services.AddSingleton<IConfiguration>(configuration);
            var dataDirectory = services.AddLifeOsCore(configuration, directory);
            dataDirectory.EnsureWritable();
            // The app keeps its key ring in the database: tokens sealed here must open there.
            services.AddDataProtection().SetApplicationName("LifeOs").PersistKeysToDbContext<LifeOsDbContext>();
            var provider = services.BuildServiceProvider();
            await using var scope = provider.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            return new Core(provider);
        }

        /// <summary><paramref name="users"/> users in UTC, each connected to <paramref name="provider"/>; complete cursors make the next run a nightly one.</summary>
        public async Task<List<long>> SeedAsync(int users, ProviderKind provider, bool cursorsComplete, CancellationToken cancellationToken)
        {
            await using var scope = provider1.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
            var protector = scope.ServiceProvider.GetRequiredService<TokenProtector>();
            var now = DateTime.UtcNow;
            var today = DateOnly.FromDateTime(now);
            var connections = new List<Connection>();
            for (var i = 0; i < users; i++)
            {
                var userId = $"bench-{provider}-{i}";
                db.Users.Add(new ApplicationUser { Id = userId, UserName = userId, Email = $"{userId}@example.com", TimeZoneId = "UTC", CreatedAt = now });
                var connection = new Connection
                {
                    UserId = userId,
                    Provider = provider,
                    ProviderUserId = i.ToString(CultureInfo.InvariantCulture),
                    Status = ConnectionStatus.Connected,
                    ProtectedAccessToken = protector.Protect($"token-{i}"),
                    ProtectedRefreshToken = protector.Protect($"refresh-{i}"),
                    AccessTokenExpiresAt = now.AddDays(1),
                    ConnectedAt = now.AddDays(-30),
                    UpdatedAt = now,
                };
                connections.Add(connection);
                db.Add(connection);
            }

            await db.SaveChangesAsync(cancellationToken);
            if (cursorsComplete)
            {
                foreach (var connection in connections)
                {
                    foreach (var type in provider == ProviderKind.Withings ? WithingsTypes : [.. OuraDaily, "workout", "heartrate"])
                    {
                        db.Add(new SyncCursor { ConnectionId = connection.Id, DataType = type, HistoryFrom = today.AddDays(-365), CompleteThrough = today.AddDays(-1), UpdatedAt = now });
                    }
                }

                await db.SaveChangesAsync(cancellationToken);
            }

            return connections.Select(c => c.Id).ToList();
        }

        private ServiceProvider provider1 => provider;

        public IServiceProvider Services => provider;

        /// <summary>A succeeded nightly run queued at <paramref name="at"/> for each connection: the planner's history of it.</summary>
        public Task<int> SeedNightlyRunsAsync(IReadOnlyList<long> connections, DateTime at, CancellationToken cancellationToken) => WithDbAsync(async db =>
        {
            var users = await db.Connections.AsNoTracking().Where(c => connections.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.UserId, cancellationToken);
            db.AddRange(connections.Select(id => new SyncRun { ConnectionId = id, UserId = users[id], Trigger = SyncTrigger.Nightly, Status = SyncRunStatus.Succeeded, QueuedAt = at, StartedAt = at, FinishedAt = at }));
            return await db.SaveChangesAsync(cancellationToken);
        });

        /// <summary>Runs <paramref name="action"/> on a context of its own scope.</summary>
        public async Task<T> WithDbAsync<T>(Func<LifeOsDbContext, Task<T>> action)
        {
            await using var scope = provider.CreateAsyncScope();
            return await action(scope.ServiceProvider.GetRequiredService<LifeOsDbContext>());
        }

        /// <summary>Queue and run one connection's sync, as the Quartz job does.</summary>
        public async Task<SyncRun> RunAsync(long connectionId, SyncTrigger trigger, CancellationToken cancellationToken)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
            var userId = await db.Connections.Where(c => c.Id == connectionId).Select(c => c.UserId).SingleAsync(cancellationToken);
            var queued = await scope.ServiceProvider.GetRequiredService<SyncQueue>().EnqueueConnectionAsync(connectionId, userId, trigger, cancellationToken);
            await scope.ServiceProvider.GetRequiredService<SyncService>().RunAsync(queued.RunId!.Value, cancellationToken);
            return await db.Set<SyncRun>().AsNoTracking().SingleAsync(r => r.Id == queued.RunId, cancellationToken);
        }

        public async ValueTask DisposeAsync() => await provider.DisposeAsync();
    }

    /// <summary>
    /// Oura collections generated on the fly (one document per day, heart rate every 5 minutes, pages of 100 and 1,000)
    /// and Withings' three services (one record per user and day), with optional latency and a timestamp per request.
    /// The notification side (issue 18's webhook benchmark): Withings' <c>/notify</c> and Oura's subscription API keep
    /// subscriptions in memory, and every data request is counted per provider, user (from the bearer token
    /// <c>token-{user}</c>) and service, with Withings' own timestamps for its app-wide limit.
    /// </summary>
    internal sealed class FakeServer : IAsyncDisposable
    {
        private readonly ConcurrentQueue<long> stamps = new();
        private readonly ConcurrentQueue<long> withingsStamps = new();
        private readonly ConcurrentDictionary<string, int> fetches = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, (int Appli, string CallbackUrl)> withingsSubscriptions = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, string> ouraSubscriptions = new(StringComparer.Ordinal);
        private WebApplication app = default!;
        private int requests;
        private (long Stamp, DateTime Utc) resetAt = (Stopwatch.GetTimestamp(), DateTime.UtcNow);

        public string BaseUrl { get; private set; } = "";

        public DateOnly OuraFrom { get; set; }

        public DateOnly OuraTo { get; set; }

        public int LatencyMs { get; set; }

        public int Requests => Volatile.Read(ref requests);

        /// <summary>Data requests by "provider|user|service" (Withings services as path:action).</summary>
        public IReadOnlyDictionary<string, int> Fetches => fetches;

        /// <summary>Withings <c>/notify</c> calls (list, subscribe, revoke) since the last reset.</summary>
        public int NotifyCalls => fetches.Where(f => f.Key.EndsWith("|/notify", StringComparison.Ordinal)).Sum(f => f.Value);

        public void ResetCounters()
        {
            Interlocked.Exchange(ref requests, 0);
            stamps.Clear();
            withingsStamps.Clear();
            fetches.Clear();
            resetAt = (Stopwatch.GetTimestamp(), DateTime.UtcNow);
        }

        /// <summary>When each Withings request since the last reset arrived, in UTC (to line up with the database's timestamps).</summary>
        public IReadOnlyList<DateTime> WithingsTimesUtc() =>
            withingsStamps.Order().Select(s => resetAt.Utc + Stopwatch.GetElapsedTime(resetAt.Stamp, s)).ToList();

        public int MaxInAnyWindow(TimeSpan window) => MaxIn(stamps, window);

        /// <summary>The most Withings requests (data and <c>/notify</c>) in any window: what its app-wide limit counts.</summary>
        public int MaxWithingsInAnyWindow(TimeSpan window) => MaxIn(withingsStamps, window);

        private static int MaxIn(ConcurrentQueue<long> stamps, TimeSpan window)
        {
            var sorted = stamps.Order().ToArray();
            var ticks = (long)(window.TotalSeconds * Stopwatch.Frequency);
            int best = 0, start = 0;
            for (var end = 0; end < sorted.Length; end++)
            {
                while (sorted[end] - sorted[start] >= ticks)
                {
                    start++;
                }

                best = Math.Max(best, end - start + 1);
            }

            return best;
        }

        public static async Task<FakeServer> StartAsync(CancellationToken cancellationToken)
        {
            var fake = new FakeServer();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            fake.app = builder.Build();
            fake.app.MapGet("/v2/usercollection/{collection}", fake.OuraAsync);
            fake.app.MapPost("/measure", fake.WithingsAsync);
            fake.app.MapPost("/v2/measure", fake.WithingsAsync);
            fake.app.MapPost("/v2/sleep", fake.WithingsAsync);
            fake.app.MapPost("/notify", fake.NotifyAsync);
            fake.app.MapGet("/v2/webhook/subscription", () => Results.Json(fake.ouraSubscriptions.Select(s => Subscription(s.Key, s.Value))));
            fake.app.MapPost("/v2/webhook/subscription", async (HttpRequest r) =>
            {
                using var body = await JsonDocument.ParseAsync(r.Body);
                var key = $"{body.RootElement.GetProperty("event_type").GetString()}|{body.RootElement.GetProperty("data_type").GetString()}|{body.RootElement.GetProperty("callback_url").GetString()}";
                var id = Guid.NewGuid().ToString();
                fake.ouraSubscriptions[id] = key;
                return Results.Json(Subscription(id, key), statusCode: StatusCodes.Status201Created);
            });
            fake.app.MapPut("/v2/webhook/subscription/renew/{id}", (string id) =>
                fake.ouraSubscriptions.TryGetValue(id, out var key) ? Results.Json(Subscription(id, key)) : Results.NotFound());
            await fake.app.StartAsync(cancellationToken);
            fake.BaseUrl = fake.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return fake;
        }

        private static object Subscription(string id, string key)
        {
            var parts = key.Split('|');
            return new { id, event_type = parts[0], data_type = parts[1], callback_url = parts[2], expiration_time = DateTimeOffset.UtcNow.AddDays(90).ToString("O", CultureInfo.InvariantCulture) };
        }

        private static string UserOf(HttpRequest request) =>
            request.Headers.Authorization.ToString().Replace("Bearer token-", "", StringComparison.Ordinal);

        /// <summary>Withings' subscriptions per user: list, subscribe (idempotent here), revoke.</summary>
        private async Task<IResult> NotifyAsync(HttpRequest request)
        {
            var form = await request.ReadFormAsync();
            var user = UserOf(request);
            await EnterAsync("withings", user, "/notify");
            var action = form["action"].ToString();
            if (action == "list")
            {
                var profiles = withingsSubscriptions.Where(s => s.Key.StartsWith(user + "|", StringComparison.Ordinal))
                    .Select(s => new { appli = s.Value.Appli, callbackurl = s.Value.CallbackUrl, expires = 2147483647, comment = "LifeOs live updates" });
                return Results.Json(new { status = 0, body = new { profiles } });
            }

            var appli = int.Parse(form["appli"].ToString(), CultureInfo.InvariantCulture);
            var callback = form["callbackurl"].ToString();
            if (action == "subscribe")
            {
                withingsSubscriptions[$"{user}|{appli}|{callback}"] = (appli, callback);
            }
            else if (action == "revoke")
            {
                withingsSubscriptions.TryRemove($"{user}|{appli}|{callback}", out _);
            }

            return Results.Json(new { status = 0, body = new { } });
        }

        private async Task EnterAsync(string provider, string user, string service)
        {
            Interlocked.Increment(ref requests);
            var now = Stopwatch.GetTimestamp();
            stamps.Enqueue(now);
            if (provider == "withings")
            {
                withingsStamps.Enqueue(now);
            }

            fetches.AddOrUpdate($"{provider}|{user}|{service}", 1, (_, n) => n + 1);
            if (LatencyMs > 0)
            {
                await Task.Delay(LatencyMs);
            }
        }

        private async Task<IResult> OuraAsync(string collection, HttpRequest request)
        {
            await EnterAsync("oura", UserOf(request), collection);
            var offset = request.Query["next_token"].FirstOrDefault() is { Length: > 0 } token ? int.Parse(token, CultureInfo.InvariantCulture) : 0;
            if (collection == "heartrate")
            {
                var from = DateTimeOffset.Parse(request.Query["start_datetime"]!, CultureInfo.InvariantCulture);
                var to = DateTimeOffset.Parse(request.Query["end_datetime"]!, CultureInfo.InvariantCulture);
                var first = new DateTimeOffset(OuraFrom.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                var last = new DateTimeOffset(OuraTo.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                if (from < first)
                {
                    from = first;
                }

                if (to > last)
                {
                    to = last;
                }

                var total = Math.Max(0, (int)((to - from).TotalMinutes / HeartRateEveryMinutes));
                var rows = Enumerable.Range(offset, Math.Max(0, Math.Min(OuraHeartRatePageSize, total - offset)))
                    .Select(i => from.AddMinutes(i * HeartRateEveryMinutes))
                    .Select(t => new { bpm = 55 + (t.Minute % 30), source = "awake", timestamp = t.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) });
                var next = offset + OuraHeartRatePageSize < total ? (offset + OuraHeartRatePageSize).ToString(CultureInfo.InvariantCulture) : null;
                return Results.Json(new { data = rows, next_token = next });
            }

            var start = DateOnly.Parse(request.Query["start_date"]!, CultureInfo.InvariantCulture);
            var end = DateOnly.Parse(request.Query["end_date"]!, CultureInfo.InvariantCulture);
            start = start < OuraFrom ? OuraFrom : start;
            end = end > OuraTo ? OuraTo : end;
            var count = Math.Max(0, end.DayNumber - start.DayNumber + 1);
            var docs = Enumerable.Range(offset, Math.Max(0, Math.Min(OuraDailyPageSize, count - offset))).Select(i => start.AddDays(i)).Select(day => Document(collection, day));
            var more = offset + OuraDailyPageSize < count ? (offset + OuraDailyPageSize).ToString(CultureInfo.InvariantCulture) : null;
            return Results.Json(new { data = docs, next_token = more });
        }

        private static object Document(string collection, DateOnly day)
        {
            var id = $"{collection}-{day:yyyyMMdd}";
            var d = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var at = $"{d}T04:00:00+00:00";
            return collection switch
            {
                "sleep" => new
                {
                    id, day = d, type = "long_sleep", bedtime_start = $"{day.AddDays(-1):yyyy-MM-dd}T23:00:00+00:00", bedtime_end = $"{d}T07:00:00+00:00",
                    total_sleep_duration = 25200, awake_time = 1800, light_sleep_duration = 14400, deep_sleep_duration = 5400, rem_sleep_duration = 5400,
                    efficiency = 90, latency = 600, average_heart_rate = 54.0, lowest_heart_rate = 48, average_hrv = 45, average_breath = 14.5,
                },
                "daily_readiness" => new { id, day = d, score = 80, timestamp = at, temperature_deviation = 0.1 },
                "daily_activity" => new { id, day = d, timestamp = at, score = 85, steps = 9000, active_calories = 450, total_calories = 2500 },
                "daily_spo2" => new { id, day = d, spo2_percentage = new { average = 97.0 } } as object,
                _ => new { id, day = d, score = 82, timestamp = at },
            };
        }

        /// <summary>One record of yesterday per user for each service, chosen by the form's action.</summary>
        private async Task<IResult> WithingsAsync(HttpRequest request)
        {
            var form = await request.ReadFormAsync();
            var user = UserOf(request);
            var action = form["action"].ToString();
            await EnterAsync("withings", user, $"{request.Path}:{action}");
            var yesterday = DateTimeOffset.UtcNow.Date.AddDays(-1).AddHours(7);
            var id = long.Parse(user, CultureInfo.InvariantCulture);
            var day = yesterday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var end = new DateTimeOffset(yesterday).ToUnixTimeSeconds();
            var (list, item) = action switch
            {
                "getmeas" => ("measuregrps", (object)new { grpid = 1_000_000L + id, attrib = 0, date = end, category = 1, measures = new[] { new { value = 78000, type = 1, unit = -3 } } }),
                "getactivity" => ("activities", new { date = day, timezone = "UTC", deviceid = "d", brand = 1, steps = 8000, distance = 6000.0, calories = 400.0, totalcalories = 2400.0 }),
                "getworkouts" => ("series", new { id = 3_000_000L + id, category = 1, timezone = "UTC", startdate = end - 3600, enddate = end, date = day, data = new { calories = 250.0, distance = 5000.0 } }),
                _ => ("series", new { id = 2_000_000L + id, timezone = "UTC", startdate = end - (8 * 3600), enddate = end, date = day, data = new { total_sleep_time = 25000, sleep_efficiency = 0.9, hr_min = 50 } }),
            };
            var body = new Dictionary<string, object> { [list] = new[] { item }, ["more"] = list == "measuregrps" ? 0 : false, ["offset"] = 0 };
            if (list == "measuregrps")
            {
                body["timezone"] = "UTC";
            }

            return Results.Json(new { status = 0, body });
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
