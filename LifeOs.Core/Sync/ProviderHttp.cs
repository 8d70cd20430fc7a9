using System.Net;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace LifeOs.Core.Sync;

public enum ProviderFailureKind
{
    /// <summary>5xx, timeout, connection reset, Withings 522/524 and "an error occurred": retried with backoff.</summary>
    Transient,

    /// <summary>429 or Withings 601: retried after the wait the provider asked for.</summary>
    RateLimited,

    /// <summary>A scope the user did not grant (Oura 403, Withings 214/277/2553/2555): that data type is skipped.</summary>
    NotPermitted,

    /// <summary>An answer LifeOs cannot read: recorded for that data type, the others carry on.</summary>
    Malformed,

    /// <summary>Anything else the provider refused (bad parameters): not retried.</summary>
    Rejected,
}

/// <summary>A failed data request, with a sentence for the sync history. Never carries a token.</summary>
public sealed class ProviderDataException(ProviderFailureKind kind, string message, TimeSpan? retryAfter = null, Exception? inner = null)
    : Exception(message, inner)
{
    public ProviderFailureKind Kind { get; } = kind;

    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>Who a request is for; <see cref="Requests"/> counts the HTTP requests actually sent (retries included).</summary>
public sealed class SyncTarget(long connectionId, string userId, ProviderKind provider)
{
    private int requests;

    public long ConnectionId { get; } = connectionId;
    public string UserId { get; } = userId;
    public ProviderKind Provider { get; } = provider;
    public int Requests => Volatile.Read(ref requests);

    internal void CountRequest() => Interlocked.Increment(ref requests);
}

/// <summary>
/// The request path shared by both data clients: a permit from the provider's rate limiter, a current access
/// token, one refresh after a 401 (a second 401 means the connection needs reconnecting), and retries with
/// jittered exponential backoff (Polly.Core) for timeouts, 5xx, 429 (Retry-After) and Withings 601 (wait_seconds).
/// </summary>
public sealed class ProviderHttp(
    HttpClient http,
    ConnectionTokenService tokens,
    ProviderRateLimiters limiters,
    SyncResilience resilience,
    LifeOsDbContext db,
    ILogger<ProviderHttp> logger)
{
    /// <summary>
    /// Sends the request <paramref name="build"/> makes (again for each attempt) and returns the body.
    /// <paramref name="checkBody"/> turns a provider's in-body error (Withings' envelope) into an exception or an
    /// "unauthorized" answer.
    /// </summary>
    public async Task<string> SendAsync(SyncTarget target, Func<HttpRequestMessage> build, Func<string, BodyVerdict> checkBody, CancellationToken cancellationToken)
    {
        return await resilience.Pipeline.ExecuteAsync(async ct => await AttemptAsync(target, build, checkBody, ct), cancellationToken);
    }

    private async Task<string> AttemptAsync(SyncTarget target, Func<HttpRequestMessage> build, Func<string, BodyVerdict> checkBody, CancellationToken cancellationToken)
    {
        var token = await tokens.GetAccessTokenAsync(target.UserId, target.Provider, cancellationToken);
        for (var attempt = 0; ; attempt++)
        {
            var (unauthorized, body) = await SendOnceAsync(target, build, checkBody, token, cancellationToken);
            if (!unauthorized)
            {
                return body;
            }

            if (attempt == 1)
            {
                // The provider rejected a token it just issued: only a new consent helps.
                var detail = $"{target.Provider.DisplayName()} rejected LifeOs's access even after renewing it. Connect again to resume syncing; your data stays.";
                await db.Set<Connection>().Where(c => c.Id == target.ConnectionId).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.Status, ConnectionStatus.NeedsReconnect)
                    .SetProperty(c => c.StatusDetail, detail)
                    .SetProperty(c => c.Version, c => c.Version + 1), CancellationToken.None);
                throw new ConnectionUnavailableException(target.Provider, needsReconnect: true, detail);
            }

            logger.LogInformation("{Provider} answered 401 for connection {ConnectionId}; refreshing once", target.Provider, target.ConnectionId);
            token = await tokens.RefreshAfterUnauthorizedAsync(target.UserId, target.Provider, token, cancellationToken);
        }
    }

    private async Task<(bool Unauthorized, string Body)> SendOnceAsync(SyncTarget target, Func<HttpRequestMessage> build, Func<string, BodyVerdict> checkBody, string token, CancellationToken cancellationToken)
    {
        await limiters.AcquireAsync(target, cancellationToken);
        using var request = build();
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        target.CountRequest();
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new ProviderDataException(ProviderFailureKind.Transient, $"{target.Provider.DisplayName()} could not be reached.", inner: ex);
        }

        using (response)
        {
            var name = target.Provider.DisplayName();
            switch (response.StatusCode)
            {
                case HttpStatusCode.Unauthorized:
                    return (true, "");
                case HttpStatusCode.Forbidden:
                    throw new ProviderDataException(ProviderFailureKind.NotPermitted, "Permission not granted; connect again and allow it to sync this data.");
                case HttpStatusCode.TooManyRequests:
                    throw new ProviderDataException(ProviderFailureKind.RateLimited, $"{name} asked LifeOs to slow down.", RetryAfter(response));
                case >= HttpStatusCode.InternalServerError:
                    throw new ProviderDataException(ProviderFailureKind.Transient, $"{name} answered {(int)response.StatusCode}.");
                case (HttpStatusCode)426:
                    throw new ProviderDataException(ProviderFailureKind.NotPermitted, $"The {name} app is too old for this data; update it.");
                case >= HttpStatusCode.BadRequest:
                    throw new ProviderDataException(ProviderFailureKind.Rejected, $"{name} refused the request ({(int)response.StatusCode}).");
            }

            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            return checkBody(body) switch
            {
                BodyVerdict.Unauthorized => (true, ""),
                _ => (false, body),
            };
        }
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        return header?.Date is { } date ? date - DateTimeOffset.UtcNow : null;
    }
}

public enum BodyVerdict
{
    Ok,
    Unauthorized,
}

/// <summary>The retry and timeout pipeline, built once from <see cref="SyncOptions"/>.</summary>
public sealed class SyncResilience
{
    private static readonly TimeSpan RateLimitFloor = TimeSpan.FromSeconds(10);

    public SyncResilience(IOptions<SyncOptions> options, ILogger<SyncResilience> logger)
    {
        var o = options.Value;
        var scale = o.RetryDelayScale;
        var baseDelay = TimeSpan.FromSeconds(o.RetryBaseDelaySeconds);
        Pipeline = new ResiliencePipelineBuilder()
            .AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, o.MaxRetries),
                ShouldHandle = new PredicateBuilder()
                    .Handle<ProviderDataException>(e => e.Kind is ProviderFailureKind.Transient or ProviderFailureKind.RateLimited)
                    .Handle<TimeoutRejectedException>(),
                DelayGenerator = args =>
                {
                    TimeSpan delay;
                    if (args.Outcome.Exception is ProviderDataException { RetryAfter: { } told })
                    {
                        // Wait as told, never less than a second (Withings throttles identical calls within 10 s).
                        delay = told < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : told;
                    }
                    else
                    {
                        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, args.AttemptNumber);
                        delay = TimeSpan.FromMilliseconds(exponential * (0.5 + Random.Shared.NextDouble()));
                        if (args.Outcome.Exception is ProviderDataException { Kind: ProviderFailureKind.RateLimited } && delay < RateLimitFloor)
                        {
                            // Told to slow down without a number: Withings answers 601 to an identical call within 10 s.
                            delay = RateLimitFloor;
                        }
                    }

                    RequestedDelays.Enqueue(delay);
                    while (RequestedDelays.Count > 100 && RequestedDelays.TryDequeue(out _))
                    {
                    }

                    return ValueTask.FromResult<TimeSpan?>(delay * scale);
                },
                OnRetry = args =>
                {
                    logger.LogInformation("Retrying a provider request (attempt {Attempt}) in {Delay} after: {Reason}",
                        args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception?.Message);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(o.RequestTimeoutSeconds))
            .Build();
    }

    public ResiliencePipeline Pipeline { get; }

    /// <summary>The waits the pipeline decided on (before scaling), newest last; tests read them.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<TimeSpan> RequestedDelays { get; } = new();
}
