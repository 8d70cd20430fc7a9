using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using LifeOs.Core.Connections;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Sync;

/// <summary>
/// App-wide limiters shared by every sync in this process: one for Withings (its limit is per application, all
/// users together) and one per Oura connection (Oura limits each access token). With several instances, Withings'
/// permits also come from <see cref="SharedRateLimit"/>, after this process's own limiter so that one instance does not
/// query the database for permits it could not use anyway. Oura's stay in-process: a connection syncs on one instance
/// at a time, far below Oura's own limit.
/// </summary>
/// <remarks>
/// A token bucket sized so that no 60-second window can hold more than the limit: a burst of B tokens plus
/// B tokens every period P, with P chosen so that B + B·(60 s / P + 1) = limit. It runs at about
/// (limit − 2B) requests a minute, i.e. 97% of the limit with B = limit / 60.
/// </remarks>
public sealed class ProviderRateLimiters : IDisposable
{
    private readonly RateLimiter withings;
    private readonly ConcurrentDictionary<long, RateLimiter> oura = new();
    private readonly int withingsPerMinute;
    private readonly int ouraPerMinute;
    private readonly SharedRateLimit shared;

    public ProviderRateLimiters(IOptions<SyncOptions> options, SharedRateLimit shared)
    {
        withingsPerMinute = options.Value.WithingsRequestsPerMinute;
        withings = PerMinute(withingsPerMinute);
        ouraPerMinute = options.Value.OuraRequestsPerMinutePerConnection;
        this.shared = shared;
    }

    /// <summary>Waits for a permit to send one request for <paramref name="target"/>.</summary>
    public async Task AcquireAsync(SyncTarget target, CancellationToken cancellationToken)
    {
        using (var lease = await For(target.Provider, target.ConnectionId).AcquireAsync(1, cancellationToken))
        {
            if (!lease.IsAcquired)
            {
                throw new ProviderDataException(ProviderFailureKind.RateLimited, "LifeOs's own rate limit queue is full.");
            }
        }

        if (target.Provider == ProviderKind.Withings && await shared.IsEnabledAsync())
        {
            await shared.AcquireAsync(SharedRateLimit.WithingsKey, withingsPerMinute, cancellationToken);
        }
    }

    private RateLimiter For(ProviderKind provider, long connectionId) => provider == ProviderKind.Withings
        ? withings
        : oura.GetOrAdd(connectionId, _ => PerMinute(ouraPerMinute));

    /// <summary>How many requests may go at once: a second's worth of the limit, at least one.</summary>
    public static int Burst(int limit) => Math.Max(1, limit / 60);

    public static RateLimiter PerMinute(int limit)
    {
        var burst = Burst(limit);
        if (limit < 3 * burst)
        {
            // Tiny limits: one request per (60 s / limit), never a burst.
            return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = 1,
                TokensPerPeriod = 1,
                ReplenishmentPeriod = TimeSpan.FromSeconds(60.0 / limit),
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                AutoReplenishment = true,
            });
        }

        var period = TimeSpan.FromSeconds(60.0 * burst / (limit - (2 * burst)));
        return new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = burst,
            ReplenishmentPeriod = period,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    public void Dispose()
    {
        withings.Dispose();
        foreach (var limiter in oura.Values)
        {
            limiter.Dispose();
        }
    }
}
