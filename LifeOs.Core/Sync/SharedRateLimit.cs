using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Sync;

/// <summary>A token bucket in the database: the permits every LifeOs instance on it shares.</summary>
public sealed class SharedRateBucket
{
    /// <summary>What the bucket limits (<see cref="SharedRateLimit.WithingsKey"/>).</summary>
    public required string Key { get; set; }

    /// <summary>Permits left at <see cref="RefilledAtUnixMs"/> (fractions accrue between requests).</summary>
    public double Tokens { get; set; }

    /// <summary>The instant, in Unix milliseconds on the instances' clocks, up to which refills are counted in <see cref="Tokens"/>.</summary>
    public long RefilledAtUnixMs { get; set; }
}

/// <summary>
/// Withings counts requests per application, so several instances must share one allowance: each permit is taken from
/// a token bucket row by one atomic statement (an upsert whose update applies only while a whole permit is left), and
/// a refused caller waits on the injected clock for the next one. A bucket of B permits refilled at (limit − B) a
/// minute never lets more than the limit through in any 60-second window, whichever instances take them.
/// </summary>
/// <remarks>
/// A bucket rather than per-minute counters: counters of fixed windows let twice the limit through around a window's
/// edge, and a sliding sum over several rows is no longer one statement. The SQL is standard (quoted identifiers,
/// <c>CASE</c> instead of <c>MIN</c>/<c>LEAST</c>, <c>ON CONFLICT … RETURNING</c>) so SQLite and PostgreSQL both run it.
/// A clock that runs ahead on one instance only delays the others (refills never go backwards).
/// </remarks>
public sealed class SharedRateLimit(IServiceScopeFactory scopes, TimeProvider time, IOptions<SyncOptions> options)
{
    public const string WithingsKey = "Withings";

    /// <summary>The bucket's permits at {2} (now, Unix ms): its tokens plus the refill since it was last written, at {3} a millisecond.</summary>
    private const string Refilled = """("SharedRateBuckets"."Tokens" + (CASE WHEN {2} > "SharedRateBuckets"."RefilledAtUnixMs" THEN {2} - "SharedRateBuckets"."RefilledAtUnixMs" ELSE 0 END) * {3})""";

    /// <summary>
    /// Takes a permit of bucket {0} (of {1} at most) and returns a row, or leaves the bucket as it is and returns
    /// nothing. A new bucket starts full.
    /// </summary>
    private const string TakeSql = $$"""
        INSERT INTO "SharedRateBuckets" ("Key", "Tokens", "RefilledAtUnixMs") VALUES ({0}, {1} - 1, {2})
        ON CONFLICT ("Key") DO UPDATE SET
            "Tokens" = (CASE WHEN {{Refilled}} > {1} THEN {1} ELSE {{Refilled}} END) - 1,
            "RefilledAtUnixMs" = CASE WHEN {2} > "SharedRateBuckets"."RefilledAtUnixMs" THEN {2} ELSE "SharedRateBuckets"."RefilledAtUnixMs" END
        WHERE {{Refilled}} >= 1
        RETURNING "Tokens" AS "Value"
        """;

    private bool? enabled = options.Value.SharedWithingsLimit;

    /// <summary>
    /// Whether Withings' permits come from the database: <c>Sync:SharedWithingsLimit</c>, or when unset, whenever the
    /// database is a server several instances can share (not SQLite, which one process owns).
    /// </summary>
    public async ValueTask<bool> IsEnabledAsync()
    {
        if (enabled is not { } known)
        {
            await using var scope = scopes.CreateAsyncScope();
            known = !scope.ServiceProvider.GetRequiredService<LifeOsDbContext>().Database.IsSqlite();
            enabled = known;
        }

        return known;
    }

    /// <summary>Takes a permit of <paramref name="key"/>'s bucket, waiting for the next one while it is empty.</summary>
    public async Task AcquireAsync(string key, int perMinute, CancellationToken cancellationToken)
    {
        while (await TryTakeAsync(key, perMinute, cancellationToken) is { } wait)
        {
            await Task.Delay(wait, time, cancellationToken);
        }
    }

    /// <returns>Null when a permit was taken; otherwise how long until the bucket holds the next one.</returns>
    public async Task<TimeSpan?> TryTakeAsync(string key, int perMinute, CancellationToken cancellationToken)
    {
        var burst = (double)ProviderRateLimiters.Burst(perMinute);
        var perMs = Math.Max(1, perMinute - burst) / 60_000.0;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
        var taken = await db.Database.SqlQueryRaw<double>(TakeSql, key, burst, now, perMs).ToListAsync(cancellationToken);
        if (taken.Count > 0)
        {
            return null;
        }

        // Refused: the row exists and holds less than a permit. How long its refill takes is only a hint (another
        // instance may take the permit first, and the caller asks again).
        var bucket = await db.Set<SharedRateBucket>().AsNoTracking().SingleAsync(b => b.Key == key, cancellationToken);
        var refilled = Math.Min(burst, bucket.Tokens + (Math.Max(0, now - bucket.RefilledAtUnixMs) * perMs));
        return TimeSpan.FromMilliseconds(Math.Max(1, Math.Ceiling((1 - refilled) / perMs)));
    }
}
