using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LifeOs.Benchmarks;

/// <summary>LifeOs.Core composed as the app composes it, on one data directory, for seeding and in-process timings.</summary>
internal sealed class BenchStore(ServiceProvider provider, AsyncServiceScope scope, string databasePath, IHostedService? checkpointer) : IAsyncDisposable
{
    public string DatabasePath => databasePath;

    public IServiceProvider Scope => scope.ServiceProvider;

    public LifeOsDbContext Db => scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();

    /// <summary>Opens (migrating if needed) the database in <paramref name="directory"/>; creates a user when <paramref name="newUserId"/> is given.</summary>
    /// <param name="settings">More configuration, e.g. <c>LifeOs:Database:Provider</c> and its connection string for PostgreSQL.</param>
    public static async Task<BenchStore> CreateAsync(string directory, string? newUserId, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["LifeOs:DataDirectory"] = directory })
            .Build();
        // IConfiguration too: services that bind options from it (API keys) resolve as they do in the app.
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        // The app's host adds it; services that seal secrets (notification channels, used by a restore) need it.
        services.AddDataProtection();
        var dataDirectory = services.AddLifeOsCore(configuration, directory);
        dataDirectory.EnsureWritable();
        var provider = services.BuildServiceProvider();
        var scope = provider.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
        if (newUserId is not null)
        {
            var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
            db.Users.Add(new ApplicationUser { Id = newUserId, UserName = "bench", Email = "bench@example.com", TimeZoneId = "UTC", CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
        }

        // The app checkpoints SQLite's log beside its writers (SqliteCheckpointer); so do the in-process timings.
        var checkpointer = provider.GetService<SqliteCheckpointer>();
        if (checkpointer is not null)
        {
            await checkpointer.StartAsync(cancellationToken);
        }

        return new BenchStore(provider, scope, dataDirectory.DatabasePath, checkpointer);
    }

    public Task<long> CountSamplesAsync(CancellationToken cancellationToken) => Db.Samples.LongCountAsync(cancellationToken);

    /// <summary>Writes samples through the app's one upsert path, in sync-sized batches.</summary>
    public async Task UpsertAsync(string userId, IEnumerable<SampleInput> samples, CancellationToken cancellationToken, int batchSize = 10_000)
    {
        var health = Scope.GetRequiredService<HealthStore>();
        foreach (var batch in samples.Chunk(batchSize))
        {
            await health.UpsertSamplesAsync(userId, batch, cancellationToken);
        }
    }

    /// <summary>Folds the WAL into the file and returns the file's size.</summary>
    public long Checkpoint()
    {
        using (var connection = new SqliteConnection($"Data Source={databasePath}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            command.ExecuteNonQuery();
        }

        return new FileInfo(databasePath).Length;
    }

    public async Task UpsertDailyMetricsAsync(string userId, IEnumerable<string> metrics, DateTime start, int days, CancellationToken cancellationToken)
    {
        var inputs = metrics.SelectMany(code =>
        {
            var metric = MetricCatalogue.Get(code);
            return Enumerable.Range(0, days).Select(day => new SampleInput(code, SampleSource.Oura, $"{code}-{day}", start.AddDays(day).AddHours(8),
                metric.MinValue + ((metric.MaxValue - metric.MinValue) * (0.3 + (0.4 * (day * 37 % 100 / 100.0))))));
        }).ToList();
        await Scope.GetRequiredService<HealthStore>().UpsertSamplesAsync(userId, inputs, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (checkpointer is not null)
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }

        await scope.DisposeAsync();
        await provider.DisposeAsync();
    }
}
