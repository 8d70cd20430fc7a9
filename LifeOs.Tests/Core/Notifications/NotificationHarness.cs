using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Journal;
using LifeOs.Core.Notifications;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Notifications;

/// <summary>
/// Core's real services (AddLifeOsCore) over a migrated SQLite file in a temporary data directory and a fake clock,
/// with Quartz off: tests run the scheduler themselves. A "restart" is a second harness over the same directory.
/// </summary>
internal sealed class NotificationHarness : IAsyncDisposable
{
    private readonly ServiceProvider services;
    private readonly bool ownsDirectory;

    private NotificationHarness(ServiceProvider services, FakeTimeProvider time, string directory, bool ownsDirectory)
    {
        this.services = services;
        this.ownsDirectory = ownsDirectory;
        Time = time;
        Directory = directory;
    }

    public FakeTimeProvider Time { get; }

    public string Directory { get; }

    public static async Task<NotificationHarness> StartAsync(DateTimeOffset now, string? directory = null, Dictionary<string, string?>? settings = null)
    {
        var owns = directory is null;
        directory ??= TempDirectory.Create("lifeos-notify");
        var all = new Dictionary<string, string?>
        {
            ["LifeOs:DataDirectory"] = directory,
            ["Sync:RunScheduler"] = "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(all).Build();
        var time = new FakeTimeProvider(now);
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        // One key ring in the directory, so a restarted harness still decrypts the channels' secrets.
        collection.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(directory, "keys"))).SetApplicationName("LifeOs");
        collection.AddLifeOsCore(configuration, directory).EnsureWritable();
        // After Core: Quartz's registration sets the system clock, and the last registration wins.
        collection.AddSingleton<TimeProvider>(time);
        var provider = collection.BuildServiceProvider();
        await using (var scope = provider.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<LifeOsDbContext>().Database.MigrateAsync();
        }

        return new NotificationHarness(provider, time, directory, owns);
    }

    public async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<T> DbAsync<T>(Func<LifeOsDbContext, Task<T>> action) => WithAsync(action);

    public Task<ReminderRunResult> RunAsync(CancellationToken cancellationToken = default) =>
        WithAsync<ReminderRunResult, ReminderScheduler>(s => s.RunAsync(cancellationToken));

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    public Task<int> AddUserAsync(string id, string zone) => DbAsync(db =>
    {
        db.Users.Add(new ApplicationUser { Id = id, UserName = id, Email = $"{id}@example.com", TimeZoneId = zone, CreatedAt = DateTime.UtcNow });
        return db.SaveChangesAsync();
    });

    public Task<int> RemindAsync(string userId, ReminderKind kind, TimeOnly at, DayOfWeek? day = null) => DbAsync(db =>
    {
        db.ReminderSettings.Add(new ReminderSetting { UserId = userId, Kind = kind, Enabled = true, LocalTime = at, Day = day ?? ReminderDefaults.Day(kind) });
        return db.SaveChangesAsync();
    });

    public async Task<long> AddNtfyAsync(string userId, string topicUrl, string? token = null)
    {
        var result = await WithAsync<NotificationResult, NotificationService>(s => s.AddNtfyAsync(userId, topicUrl, token, "https://life.example.org/"));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return result.Id!.Value;
    }

    public Task<int> WriteAsync(string userId, JournalKind kind, DateOnly day) => DbAsync(db =>
    {
        db.JournalEntries.Add(new JournalEntry { Uid = Guid.NewGuid().ToString("N"), UserId = userId, Kind = kind, LocalDate = day, Body = "Words.", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
        return db.SaveChangesAsync();
    });

    public Task<List<NotificationOccurrence>> OccurrencesAsync(string userId) =>
        DbAsync(db => db.NotificationOccurrences.AsNoTracking().Include(o => o.Deliveries).Where(o => o.UserId == userId).OrderBy(o => o.Id).ToListAsync());

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        if (ownsDirectory)
        {
            TempDirectory.Delete(Directory);
        }
    }
}
