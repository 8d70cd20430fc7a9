using System.Threading.Channels;
using LifeOs.Core.Data;
using LifeOs.Core.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Webhooks;

/// <summary>
/// Gives recorded notifications their targeted runs off the request path. An endpoint only records a delivery (one
/// INSERT) and tells this dispatcher which connection it was for; a single loop, woken by that signal, hands each
/// connection named since its last pass to <see cref="WebhookInbox.DispatchAsync"/> (new run, join a queued one, or
/// wait for a running one). A burst thus costs one dispatch per connection per pass instead of three writes and a
/// Quartz trigger per delivery, all inside the provider's request. What a stop or a failed pass leaves
/// <see cref="NotificationStatus.Received"/> is dispatched by <see cref="WebhookMaintenanceJob"/> (at start-up and hourly),
/// and <see cref="SyncService"/> dispatches a connection's waiting notifications whenever one of its runs ends.
/// Woken, the loop first lets a burst settle (<see cref="SyncOptions.WebhookSettleSeconds"/>), so that the deliveries of
/// one phone sync become one run. Without the scheduler (tests) the loop does not run: tests call
/// <see cref="DispatchPendingAsync"/> where the loop would.
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, IOptions<SyncOptions> options, TimeProvider time, ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private long deliveries;
    private readonly Lock gate = new();
    private readonly HashSet<long> named = [];
    private readonly Channel<bool> wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly SemaphoreSlim pass = new(1, 1);
    private TaskCompletionSource idle = Idle();

    /// <summary>A notification for <paramref name="connectionId"/> was recorded: no I/O, so the request answers at once.</summary>
    public void Received(long connectionId)
    {
        Interlocked.Increment(ref deliveries);
        lock (gate)
        {
            named.Add(connectionId);
            if (idle.Task.IsCompleted)
            {
                idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        wake.Writer.TryWrite(true);
    }

    /// <summary>Completes when every connection named so far has been dispatched (tests wait on the loop with it).</summary>
    public Task WhenIdleAsync()
    {
        lock (gate)
        {
            return idle.Task;
        }
    }

    /// <summary>
    /// Dispatches every connection named since the last pass, and those named while it ran, one pass at a time.
    /// A connection whose dispatch fails keeps its notifications <see cref="NotificationStatus.Received"/> for the
    /// hourly housekeeping; the others carry on. Returns how many connections were dispatched.
    /// </summary>
    public async Task<int> DispatchPendingAsync(CancellationToken cancellationToken = default)
    {
        await pass.WaitAsync(cancellationToken);
        try
        {
            var dispatched = 0;
            while (Take() is { Count: > 0 } connections)
            {
                await using var scope = scopes.CreateAsyncScope();
                var inbox = scope.ServiceProvider.GetRequiredService<WebhookInbox>();
                foreach (var connectionId in connections)
                {
                    try
                    {
                        await inbox.DispatchAsync(connectionId, cancellationToken);
                        dispatched++;
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        // Nothing half-added may ride along with the next connection's writes.
                        scope.ServiceProvider.GetRequiredService<LifeOsDbContext>().ChangeTracker.Clear();
                        logger.LogWarning(ex, "Dispatching the notifications of connection {ConnectionId} failed; the webhook housekeeping will retry", connectionId);
                    }
                }
            }

            return dispatched;
        }
        finally
        {
            pass.Release();
        }
    }

    /// <summary>The connections named so far (emptied); none left means idle.</summary>
    private List<long> Take()
    {
        lock (gate)
        {
            var connections = named.ToList();
            named.Clear();
            if (connections.Count == 0)
            {
                idle.TrySetResult();
            }

            return connections;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunScheduler)
        {
            return;
        }

        try
        {
            await foreach (var _ in wake.Reader.ReadAllAsync(stoppingToken))
            {
                await SettleAsync(stoppingToken);
                await DispatchPendingAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is left Received is dispatched by the housekeeping at the next start.
        }
    }

    /// <summary>Waits until no delivery has arrived for the settle time, or three settle times have passed.</summary>
    private async Task SettleAsync(CancellationToken cancellationToken)
    {
        var settle = TimeSpan.FromSeconds(options.Value.WebhookSettleSeconds);
        if (settle <= TimeSpan.Zero)
        {
            return;
        }

        var until = time.GetUtcNow() + (3 * settle);
        long seen;
        do
        {
            seen = Interlocked.Read(ref deliveries);
            await Task.Delay(settle, time, cancellationToken);
        }
        while (Interlocked.Read(ref deliveries) != seen && time.GetUtcNow() < until);
    }

    private static TaskCompletionSource Idle()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    public override void Dispose()
    {
        pass.Dispose();
        base.Dispose();
    }
}
