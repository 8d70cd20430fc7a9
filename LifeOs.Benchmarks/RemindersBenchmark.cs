using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LifeOs.Benchmarks;

/// <summary>
/// Issue 19's figure: 10,000 users with a morning-pages reminder at 07:30 local, spread over five zones that share
/// one offset (so every reminder is due at the same instant: the worst minute), each with an ntfy channel on a fake
/// ntfy server on loopback. Core is composed as the app composes it, on a SQLite file; the scheduler runs as the
/// Quartz job runs it. Measures the time from the run's start until the last message reached the server (goal
/// &lt; 60 s), and checks that none was sent twice and none missed, also after a second run.
/// </summary>
internal sealed class RemindersBenchmark(BenchmarkOptions options)
{
    private const int Users = 10_000;
    private static readonly string[] Zones = ["Europe/Berlin", "Europe/Paris", "Europe/Madrid", "Europe/Rome", "Europe/Warsaw"];

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        _ = options;
        var repositoryRoot = WebPublisher.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var machine = await MachineInfo.DescribeAsync(repositoryRoot, cancellationToken);
        var scratch = Directory.CreateTempSubdirectory("lifeos-bench-reminders-").FullName;
        using var ntfy = new LoopbackNtfy();
        try
        {
            // 2026-12-01 07:30 in Central European Time is 06:30 UTC.
            var clock = new SettableTime(new DateTimeOffset(2026, 12, 1, 6, 0, 0, TimeSpan.Zero));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LifeOs:DataDirectory"] = scratch,
                ["Sync:RunScheduler"] = "false",
            }).Build();
            var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
            services.AddDataProtection();
            services.AddLifeOsCore(configuration, scratch).EnsureWritable();
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
            // Loopback: the default handler's per-host connection pool is the limit to lift, as a busy server would.
            services.ConfigureHttpClientDefaults(http => http.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { MaxConnectionsPerServer = 256 }));
            await using var provider = services.BuildServiceProvider();
            await using (var scope = provider.CreateAsyncScope())
            {
                await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            }

            var seed = Stopwatch.StartNew();
            await SeedAsync(provider, ntfy.BaseUrl, cancellationToken);
            Log.Info($"Seeded {Users:N0} users with a reminder and an ntfy channel in {seed.Elapsed.TotalSeconds:0.0} s.");

            // A run a minute early sends nothing; then the minute itself.
            clock.Now = new DateTimeOffset(2026, 12, 1, 6, 29, 0, TimeSpan.Zero);
            var early = await RunOnceAsync(provider, cancellationToken);
            clock.Now = new DateTimeOffset(2026, 12, 1, 6, 30, 0, TimeSpan.Zero);
            var started = Stopwatch.GetTimestamp();
            var watch = Stopwatch.StartNew();
            var result = await RunOnceAsync(provider, cancellationToken);
            watch.Stop();
            var lastReceived = ntfy.LastTimestamp == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(started, ntfy.LastTimestamp);
            clock.Now = clock.Now.AddSeconds(20);
            var again = await RunOnceAsync(provider, cancellationToken);

            var counts = ntfy.Counts;
            var twice = counts.Count(c => c.Value > 1);
            var missed = Users - counts.Count;
            Console.WriteLine("## Reminders benchmark");
            Console.WriteLine();
            Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC · {machine.Cores} cores · {machine.Os} · load average at start {machine.LoadAverage?.ToString("0.00") ?? "n/a"}");
            Console.WriteLine();
            Console.WriteLine("| users due in one minute | zones | run (claim + send + record) s | until the last one arrived s | sent | sent twice | missed | early run sent | second run sent | goal |");
            Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---|");
            Console.WriteLine($"| {Users:N0} | {string.Join(", ", Zones)} | {watch.Elapsed.TotalSeconds:0.0} | {lastReceived.TotalSeconds:0.0} | {result.Sent:N0} | {twice} | {missed} | {early.Sent} | {again.Sent} | < 60 s: {(lastReceived.TotalSeconds < 60 && twice == 0 && missed == 0 ? "met" : "**missed**")} |");
            return twice == 0 && missed == 0 && early.Sent == 0 && again.Sent == 0 && lastReceived.TotalSeconds < 60 ? 0 : 1;
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

    private static async Task<ReminderRunResult> RunOnceAsync(IServiceProvider provider, CancellationToken cancellationToken)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ReminderScheduler>().RunAsync(cancellationToken);
    }

    private static async Task SeedAsync(IServiceProvider provider, string ntfyBase, CancellationToken cancellationToken)
    {
        for (var start = 0; start < Users; start += 1000)
        {
            await using var scope = provider.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
            for (var i = start; i < Math.Min(Users, start + 1000); i++)
            {
                var id = $"user-{i:00000}";
                db.Users.Add(new ApplicationUser { Id = id, UserName = id, NormalizedUserName = id.ToUpperInvariant(), Email = $"{id}@example.com", TimeZoneId = Zones[i % Zones.Length], CreatedAt = DateTime.UtcNow });
                db.ReminderSettings.Add(new ReminderSetting { UserId = id, Kind = ReminderKind.MorningPages, Enabled = true, LocalTime = new TimeOnly(7, 30) });
                db.NotificationChannels.Add(new NotificationChannel { UserId = id, Kind = ChannelKind.Ntfy, Label = "ntfy", Address = $"{ntfyBase}/{id}", LinkBase = "https://life.example.org/", CreatedAt = DateTime.UtcNow });
            }

            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private sealed class SettableTime(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    /// <summary>ntfy's publish endpoint, reduced to counting: every POST is recorded by topic and answered 200.</summary>
    private sealed class LoopbackNtfy : IDisposable
    {
        private readonly HttpListener listener = new();
        private readonly ConcurrentDictionary<string, int> counts = new(StringComparer.Ordinal);
        private long lastTicks;

        public LoopbackNtfy()
        {
            var port = FreePort();
            BaseUrl = $"http://127.0.0.1:{port}";
            listener.Prefixes.Add(BaseUrl + "/");
            listener.Start();
            for (var i = 0; i < 32; i++)
            {
                _ = Task.Run(AcceptAsync);
            }
        }

        public string BaseUrl { get; }

        public IReadOnlyDictionary<string, int> Counts => counts;

        /// <summary>When the last message arrived (a Stopwatch timestamp); 0 before the first.</summary>
        public long LastTimestamp => Interlocked.Read(ref lastTicks);

        private async Task AcceptAsync()
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await listener.GetContextAsync();
                }
                catch (Exception) when (!listener.IsListening)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream))
                {
                    await reader.ReadToEndAsync();
                }

                counts.AddOrUpdate(context.Request.Url!.AbsolutePath, 1, (_, n) => n + 1);
                Interlocked.Exchange(ref lastTicks, Stopwatch.GetTimestamp());
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        public void Dispose() => listener.Close();
    }
}
