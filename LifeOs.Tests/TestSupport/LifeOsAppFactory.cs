using System.Collections.Concurrent;
using LifeOs.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// The real app over a real SQLite file in a temporary data directory of its own.
/// Pass an existing directory to simulate a restart over the same data.
/// </summary>
public sealed class LifeOsAppFactory : WebApplicationFactory<Program>
{
    private readonly bool ownsDirectory;
    private readonly Dictionary<string, string?> settings;

    /// <param name="time">A clock to share with fakes (e.g. provider servers); by default a new one at 2026-11-25 09:30Z.</param>
    public LifeOsAppFactory(Dictionary<string, string?>? settings = null, string? dataDirectory = null, FakeTimeProvider? time = null)
    {
        ownsDirectory = dataDirectory is null;
        DataDirectory = dataDirectory ?? TempDirectory.Create("lifeos-web");
        this.settings = settings ?? [];
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    /// <summary>Every line the app logged (at the levels its configuration lets through).</summary>
    public ConcurrentQueue<string> Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("LifeOs:DataDirectory", DataDirectory);
        // The scheduler is off unless a test is about it (it sets Sync:RunScheduler=true); waits never take real time.
        builder.UseSetting("Sync:RunScheduler", "false");
        builder.UseSetting("Sync:RetryDelayScale", "0");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
        });
    }

    public TestClient CreateTestClient() =>
        new(CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }));

    public async Task<T> WithDbAsync<T>(Func<LifeOsDbContext, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<LifeOsDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (ownsDirectory)
        {
            TempDirectory.Delete(DataDirectory);
        }
    }
}
