using System.Collections.Concurrent;
using LifeOs.Core.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
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
        // Many tests register and sign in several people from one address; the rate-limit tests set their own scale.
        builder.UseSetting("LifeOs:RateLimits:Scale", "100");
        // Many tests register several people; the invite-only default after the first account is tested where a test
        // names LifeOs:Registration itself (null leaves it unset, as on a fresh install).
        if (!settings.ContainsKey("LifeOs:Registration"))
        {
            builder.UseSetting("LifeOs:Registration", "Open");
        }

        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<TimeProvider>(Time);
            services.AddTransient<IStartupFilter, PeerAddressStartupFilter>();
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

/// <summary>
/// The in-memory test server has no network peer. Requests come from <see cref="DefaultPeer"/>, a public address
/// that is not a trusted proxy, unless a test names another in the <see cref="Header"/> header, as a
/// reverse proxy or another client would connect from it. It runs before the app's own pipeline.
/// </summary>
public sealed class PeerAddressStartupFilter : IStartupFilter
{
    public const string Header = "X-Test-Peer";

    public static readonly System.Net.IPAddress DefaultPeer = System.Net.IPAddress.Parse("198.51.100.7");

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = context.Request.Headers.TryGetValue(Header, out var peer)
                ? System.Net.IPAddress.Parse(peer.ToString())
                : context.Connection.RemoteIpAddress ?? DefaultPeer;
            context.Request.Headers.Remove(Header);
            return nextMiddleware(context);
        });
        next(app);
    };
}
