using System.Security.Cryptography;
using System.Text;
using LifeOs.Core.Connections;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Webhooks;

/// <summary>The <c>Providers:Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Providers:Webhooks";

    /// <summary>
    /// Live updates through provider notifications. Unset: on when <c>LifeOs:PublicBaseUrl</c> is an https address
    /// (both providers only call public HTTPS URLs). False turns them off; true cannot turn them on without one.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>
    /// Each webhook answer carries a <c>Server-Timing</c> header with where its time went (read, queue, write lock, GC),
    /// for load tests (LifeOs.Benchmarks' webhooks scenario turns it on). Off by default: the answers go to the
    /// providers' servers, which have no use for them.
    /// </summary>
    public bool ServerTiming { get; set; }
}

/// <summary>What the webhook code needs to know about this server: whether live updates can work, the callback URLs and their secrets.</summary>
public sealed class WebhookSettings(IOptions<WebhookOptions> webhooks, IOptions<LifeOsOptions> lifeOs, IOptions<ProvidersOptions> providers)
{
    /// <summary>A public https address is set and webhooks are not switched off.</summary>
    public bool Enabled => webhooks.Value.Enabled != false && HasHttpsBaseUrl;

    public bool HasHttpsBaseUrl =>
        Uri.TryCreate(lifeOs.Value.PublicBaseUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    /// <summary>Webhook answers carry a <c>Server-Timing</c> header (<see cref="WebhookOptions.ServerTiming"/>).</summary>
    public bool ServerTiming => webhooks.Value.ServerTiming;

    /// <summary>Live updates are on and the provider has an app registration.</summary>
    public bool EnabledFor(ProviderKind provider) => Enabled && providers.Value.For(provider).IsConfigured;

    /// <summary>
    /// Withings signs nothing, so its callback URL carries a secret (withings.md §6) that the endpoint checks.
    /// </summary>
    public string WithingsCallbackUrl => $"{BaseUrl}/webhooks/withings?token={Secret(ProviderKind.Withings)}";

    public string OuraCallbackUrl => $"{BaseUrl}/webhooks/oura";

    /// <summary>The token Oura repeats in its verification GET.</summary>
    public string OuraVerificationToken => Secret(ProviderKind.Oura);

    public string? OuraClientSecret => providers.Value.Oura.ClientSecret;

    public bool IsWithingsToken(string? token) => token is not null && FixedTimeEquals(token, Secret(ProviderKind.Withings));

    public bool IsOuraVerificationToken(string? token) => token is not null && FixedTimeEquals(token, Secret(ProviderKind.Oura));

    private string BaseUrl => (lifeOs.Value.PublicBaseUrl ?? "").TrimEnd('/');

    /// <summary>
    /// Derived from the provider's client secret, so every instance and every restart agrees without another setting,
    /// and a new client secret makes new callback URLs (the daily check then subscribes them again).
    /// </summary>
    private string Secret(ProviderKind provider)
    {
        var key = Encoding.UTF8.GetBytes(providers.Value.For(provider).ClientSecret ?? "");
        var mac = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"LifeOs.Webhooks.v1:{provider}"));
        return Convert.ToBase64String(mac, 0, 24).Replace('+', '-').Replace('/', '_');
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
