using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace LifeOs.Web;

/// <summary>
/// Limits on what someone guessing passwords or codes, or filling the disk, would repeat: sign-in and its second
/// factors, registration, password and authenticator changes (per client address and per account), and uploads
/// (per account; they arrive over the circuit, see <see cref="UploadLimiter"/>), and provider notifications at
/// /webhooks (per sending address; Withings deliveries that carry the callback secret are not limited). A refused request gets 429 with
/// <c>Retry-After</c> and a page that says when to try again. Per-account failed passwords are also bounded by
/// Identity's lockout (<c>LifeOs:Lockout:*</c>).
/// </summary>
public static class RateLimits
{
    /// <summary>Which limit a POST falls under, by its path; null for requests that are not limited.</summary>
    public static RateLimitBucket? BucketOf(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        var path = request.Path.Value?.TrimEnd('/') ?? "";
        return path.ToLowerInvariant() switch
        {
            "/account/login" or "/account/loginwith2fa" or "/account/loginwithrecoverycode" => RateLimitBucket.SignIn,
            "/account/register" => RateLimitBucket.Registration,
            "/account/forgotpassword" or "/account/resetpassword" or "/account/manage/changepassword" or "/account/manage/setpassword"
                or "/account/manage/enableauthenticator" or "/account/manage/disable2fa" or "/account/manage/deletepersonaldata"
                => RateLimitBucket.Credentials,
            "/webhooks/withings" or "/webhooks/oura" => RateLimitBucket.Webhook,
            _ => null,
        };
    }

    public static IServiceCollection AddLifeOsRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = RateLimitSettings.From(configuration);
        services.AddSingleton(limits);
        services.AddSingleton<UploadLimiter>();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context => PerAddress(context, limits)),
                PartitionedRateLimiter.Create<HttpContext, string>(context => PerAccount(context, limits)),
                PartitionedRateLimiter.Create<HttpContext, string>(PerApiKey));
            options.OnRejected = (context, cancellationToken) => RejectAsync(context.HttpContext, context.Lease, cancellationToken);
        });
        return services;
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, RateLimitSettings limits)
    {
        if (BucketOf(context.Request) is not { } bucket || (bucket == RateLimitBucket.Webhook && IsWithingsDelivery(context)))
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        // The client's address after trusted forwarded headers (ConfigureForwardedHeaders): behind a proxy, the browser's.
        var address = context.Connection.RemoteIpAddress ?? IPAddress.None;
        var key = $"{bucket}:{Network(address)}";
        return RateLimitPartition.GetSlidingWindowLimiter(key, _ => Window(limits.PerAddress(bucket)));
    }

    /// <summary>
    /// A post that carries this server's Withings callback secret comes from Withings, which delivers every user's
    /// notifications from a few addresses: a burst for a hundred users exceeds any per-address limit, and a refused
    /// delivery is retried and, after repeated failures, costs the subscription (the webhook benchmark's burst of 1,000
    /// lost 482 to 429s). The secret is checked without reading the body; only posts without it are limited.
    /// Oura's signature covers the body, so its posts stay under the limit (Oura retries a refused one within the hour).
    /// </summary>
    private static bool IsWithingsDelivery(HttpContext context) =>
        string.Equals(context.Request.Path.Value?.TrimEnd('/'), "/webhooks/withings", StringComparison.OrdinalIgnoreCase)
        && context.RequestServices.GetRequiredService<Core.Webhooks.WebhookSettings>() is var settings
        && settings.EnabledFor(Core.Connections.ProviderKind.Withings) && settings.IsWithingsToken(context.Request.Query["token"]);

    /// <summary>
    /// /api, per key: <c>LifeOs:Api:RequestsPerMinute</c> (not scaled: a key is one client, not a shared address). The
    /// key is known here because the API's authorization ran before the limiter and set the request's user.
    /// </summary>
    private static RateLimitPartition<string> PerApiKey(HttpContext context)
    {
        if (!Api.ApiServiceCollectionExtensions.IsApi(context) || context.User.FindFirstValue(Api.ApiKeyAuthenticationHandler.KeyIdClaim) is not { } keyId)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        var perMinute = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<Api.ApiOptions>>().Value.RequestsPerMinute;
        return RateLimitPartition.GetSlidingWindowLimiter("api:" + keyId, _ => Window(new RateLimitWindow(perMinute, TimeSpan.FromMinutes(1))));
    }

    private static RateLimitPartition<string> PerAccount(HttpContext context, RateLimitSettings limits)
    {
        if (BucketOf(context.Request) is not { } bucket || AccountOf(context) is not { } account)
        {
            return RateLimitPartition.GetNoLimiter("");
        }

        return RateLimitPartition.GetSlidingWindowLimiter($"{bucket}:{account}", _ => Window(limits.PerAccount(bucket)));
    }

    /// <summary>
    /// The account a request acts for: the signed-in user, or, between the password and the second factor, the
    /// two-factor cookie Identity issued for that sign-in (only someone who knew the password has one).
    /// </summary>
    private static string? AccountOf(HttpContext context) =>
        context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId ? "user:" + userId
        : context.Request.Cookies[TwoFactorCookieName] is { Length: > 0 } twoFactor ? "2fa:" + twoFactor.GetHashCode(StringComparison.Ordinal)
        : null;

    private const string TwoFactorCookieName = ".AspNetCore.Identity.TwoFactorUserId";

    /// <summary>IPv6 clients usually hold a whole /64: limiting one address of it would limit nothing.</summary>
    private static string Network(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4().ToString()
        : address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? new IPNetwork(MaskTo64(address), 64).ToString()
        : address.ToString();

    private static IPAddress MaskTo64(IPAddress address)
    {
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }

    internal static SlidingWindowRateLimiterOptions Window(RateLimitWindow window) => new()
    {
        PermitLimit = window.Permits,
        Window = window.Window,
        SegmentsPerWindow = 5,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static async ValueTask RejectAsync(HttpContext context, RateLimitLease lease, CancellationToken cancellationToken)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits))
            .LogWarning("Rate limit reached for {Path} from {Address}; retry after {Seconds} s", context.Request.Path, context.Connection.RemoteIpAddress, seconds);
        if (Api.ApiServiceCollectionExtensions.IsApi(context))
        {
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status429TooManyRequests,
                    Title = "Too many requests",
                    Detail = $"This key has made too many requests in the last minute; try again in {seconds} s.",
                },
            });
            return;
        }

        await TooManyRequestsPage.WriteAsync(context, seconds, cancellationToken);
    }
}

public enum RateLimitBucket
{
    SignIn,
    Registration,
    Credentials,
    Upload,

    /// <summary>Provider notifications (anonymous, per sending address): generous, as one provider address delivers for every user.</summary>
    Webhook,
}

public readonly record struct RateLimitWindow(int Permits, TimeSpan Window);

/// <summary>
/// The limits, each scaled by <c>LifeOs:RateLimits:Scale</c> (default 1): raise it for a household or office whose
/// people share one public address, lower it to be stricter.
/// </summary>
public sealed class RateLimitSettings(double scale)
{
    public static RateLimitSettings From(IConfiguration configuration) =>
        new(Math.Max(0.01, configuration.GetValue("LifeOs:RateLimits:Scale", 1.0)));

    public RateLimitWindow PerAddress(RateLimitBucket bucket) => bucket switch
    {
        RateLimitBucket.SignIn => Scaled(20, TimeSpan.FromMinutes(5)),
        RateLimitBucket.Registration => Scaled(10, TimeSpan.FromHours(1)),
        RateLimitBucket.Credentials => Scaled(20, TimeSpan.FromMinutes(5)),
        RateLimitBucket.Webhook => Scaled(600, TimeSpan.FromMinutes(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };

    public RateLimitWindow PerAccount(RateLimitBucket bucket) => bucket switch
    {
        RateLimitBucket.SignIn => Scaled(10, TimeSpan.FromMinutes(5)),
        RateLimitBucket.Registration => Scaled(10, TimeSpan.FromHours(1)),
        RateLimitBucket.Credentials => Scaled(10, TimeSpan.FromMinutes(5)),
        RateLimitBucket.Upload => Scaled(30, TimeSpan.FromHours(1)),
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };

    private RateLimitWindow Scaled(int permits, TimeSpan window) => new(Math.Max(1, (int)Math.Round(permits * scale)), window);
}

/// <summary>
/// Uploads (CSV and journal imports) travel over the page's circuit, not as HTTP requests the rate limiting
/// middleware sees, so the pages ask this limiter before reading a file.
/// </summary>
public sealed class UploadLimiter(RateLimitSettings limits) : IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(userId =>
        RateLimitPartition.GetSlidingWindowLimiter(userId, _ => RateLimits.Window(limits.PerAccount(RateLimitBucket.Upload))));

    /// <returns>Null when the upload may go ahead; otherwise how long to wait.</returns>
    public TimeSpan? TryStart(string userId)
    {
        using var lease = limiter.AttemptAcquire(userId);
        return lease.IsAcquired ? null
            : lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(10);
    }

    /// <summary>What the page says when an upload is refused.</summary>
    public static string Refusal(TimeSpan wait) =>
        $"You have uploaded many files in the last hour. To keep the server responsive for everyone, try again in {Math.Max(1, (int)Math.Ceiling(wait.TotalMinutes))} minutes.";

    public void Dispose() => limiter.Dispose();
}
