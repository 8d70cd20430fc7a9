using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using LifeOs.Core.Connections;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Sync;

/// <summary>
/// App-wide limiters shared by every sync in this process: one for Withings (its limit is per application, all
/// users together) and one per Oura connection (Oura limits each access token).
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
    private readonly int ouraPerMinute;

    public ProviderRateLimiters(IOptions<SyncOptions> options)
    {
        withings = PerMinute(options.Value.WithingsRequestsPerMinute);
        ouraPerMinute = options.Value.OuraRequestsPerMinutePerConnection;
    }

    public RateLimiter For(ProviderKind provider, long connectionId) => provider == ProviderKind.Withings
        ? withings
        : oura.GetOrAdd(connectionId, _ => PerMinute(ouraPerMinute));

    public static RateLimiter PerMinute(int limit)
    {
        var burst = Math.Max(1, limit / 60);
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
