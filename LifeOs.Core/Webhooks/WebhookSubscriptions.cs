using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Providers.Withings;
using LifeOs.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Webhooks;

/// <summary>The last subscription check of one provider, for the administrator.</summary>
public sealed record SubscriptionStatus(DateTime CheckedAt, int Active, int Created, int Renewed, int Failed, string? LastError);

/// <summary>
/// Keeps the providers' subscriptions in place: Withings per connection (list, then subscribe the categories
/// missing for LifeOs's callback; revoke on disconnect), Oura per application (one subscription per data type and
/// event type, renewed a week before it expires). Runs after a connect and daily (<see cref="WebhookMaintenanceJob"/>);
/// the administrator can run it from /admin. Withings requests go through <see cref="ProviderHttp"/>, so they take
/// permits from the app-wide Withings limiter like any sync request.
/// </summary>
public sealed class WebhookSubscriptions(
    LifeOsDbContext db,
    ProviderHttp http,
    OuraWebhookClient oura,
    WebhookSettings settings,
    IOptions<ProvidersOptions> providers,
    TimeProvider time,
    ILogger<WebhookSubscriptions> logger) : IConnectionLifecycle
{
    /// <summary>Renew an Oura subscription when it expires within this.</summary>
    public static readonly TimeSpan RenewBefore = TimeSpan.FromDays(7);

    private const string StatusKeyPrefix = "Webhooks:Subscriptions:";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Both providers, every connection. Failures are recorded in the status, never thrown.</summary>
    public async Task EnsureAllAsync(CancellationToken cancellationToken = default)
    {
        if (settings.EnabledFor(ProviderKind.Oura))
        {
            await EnsureOuraAsync(cancellationToken);
        }

        if (settings.EnabledFor(ProviderKind.Withings))
        {
            var ids = await db.Connections.AsNoTracking()
                .Where(c => c.Provider == ProviderKind.Withings && c.Status != ConnectionStatus.NeedsReconnect)
                .OrderBy(c => c.Id).Select(c => c.Id).ToListAsync(cancellationToken);
            int active = 0, created = 0, failed = 0;
            string? lastError = null;
            foreach (var id in ids)
            {
                var (a, c, error) = await EnsureWithingsCoreAsync(id, cancellationToken);
                active += a;
                created += c;
                if (error is not null)
                {
                    failed++;
                    lastError = error;
                }
            }

            await SaveStatusAsync(ProviderKind.Withings, new SubscriptionStatus(Now(), active, created, 0, failed, lastError), cancellationToken);
        }
    }

    /// <summary>After a connect: that connection's Withings categories, or Oura's application subscriptions.</summary>
    public async Task EnsureConnectionAsync(long connectionId, CancellationToken cancellationToken = default)
    {
        var provider = await db.Connections.AsNoTracking().Where(c => c.Id == connectionId).Select(c => (ProviderKind?)c.Provider).SingleOrDefaultAsync(cancellationToken);
        if (provider is not { } kind || !settings.EnabledFor(kind))
        {
            return;
        }

        if (kind == ProviderKind.Oura)
        {
            await EnsureOuraAsync(cancellationToken);
        }
        else
        {
            await EnsureWithingsCoreAsync(connectionId, cancellationToken);
        }
    }

    /// <summary>Withings: list, then subscribe each category LifeOs reads that is missing for its callback. Returns (active, created).</summary>
    public async Task<(int Active, int Created, string? Error)> EnsureWithingsCoreAsync(long connectionId, CancellationToken cancellationToken = default)
    {
        var connection = await db.Connections.AsNoTracking().SingleOrDefaultAsync(c => c.Id == connectionId && c.Provider == ProviderKind.Withings, cancellationToken);
        if (connection is null || connection.Status == ConnectionStatus.NeedsReconnect)
        {
            return (0, 0, null);
        }

        var target = new SyncTarget(connection.Id, connection.UserId, ProviderKind.Withings);
        var callback = settings.WithingsCallbackUrl;
        try
        {
            var profiles = await ListWithingsAsync(target, cancellationToken);
            var present = profiles.Where(p => p.CallbackUrl == callback).Select(p => p.Appli).ToHashSet();
            int active = 0, created = 0;
            string? error = null;
            foreach (var appli in WebhookInbox.WithingsCategories.Keys.Order())
            {
                if (present.Contains(appli))
                {
                    active++;
                    continue;
                }

                try
                {
                    await PostWithingsAsync(target, new()
                    {
                        ["action"] = "subscribe",
                        ["callbackurl"] = callback,
                        ["appli"] = appli.ToString(CultureInfo.InvariantCulture),
                        ["comment"] = "LifeOs live updates",
                    }, cancellationToken);
                    active++;
                    created++;
                }
                catch (ProviderDataException ex)
                {
                    // A scope not granted (activity without user.activity) or a callback Withings could not reach.
                    error = $"Category {appli}: {ex.Message}";
                }
            }

            if (created > 0)
            {
                logger.LogInformation("Subscribed {Count} Withings categories for connection {ConnectionId}", created, connectionId);
            }

            return (active, created, error);
        }
        catch (Exception ex) when (ex is ProviderDataException or ConnectionUnavailableException or ProviderAuthException or Polly.Timeout.TimeoutRejectedException)
        {
            logger.LogWarning("Checking the Withings subscriptions of connection {ConnectionId} failed: {Reason}", connectionId, ex.Message);
            return (0, 0, ex.Message);
        }
    }

    /// <summary>Oura: one subscription per data type and event type LifeOs reads; created when missing, renewed when it expires within a week.</summary>
    public async Task<SubscriptionStatus> EnsureOuraAsync(CancellationToken cancellationToken = default)
    {
        var callback = settings.OuraCallbackUrl;
        var now = time.GetUtcNow();
        int active = 0, created = 0, renewed = 0, failed = 0;
        string? lastError = null;
        List<OuraSubscription> existing;
        try
        {
            existing = await oura.ListAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OuraWebhookException or HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Listing Oura's webhook subscriptions failed: {Reason}", ex.Message);
            var status = new SubscriptionStatus(Now(), 0, 0, 0, 1, "Listing the subscriptions failed: " + ex.Message);
            await SaveStatusAsync(ProviderKind.Oura, status, cancellationToken);
            return status;
        }

        foreach (var dataType in WebhookInbox.OuraDataTypes.Order(StringComparer.Ordinal))
        {
            foreach (var eventType in WebhookInbox.OuraEventTypes)
            {
                var mine = existing.FirstOrDefault(s => s.CallbackUrl == callback && s.DataType == dataType && s.EventType == eventType);
                try
                {
                    if (mine is null)
                    {
                        await oura.CreateAsync(callback, settings.OuraVerificationToken, eventType, dataType, cancellationToken);
                        created++;
                    }
                    else if (mine.ExpirationTime is not { } expires || expires - now < RenewBefore)
                    {
                        try
                        {
                            await oura.RenewAsync(mine.Id, cancellationToken);
                        }
                        catch (OuraWebhookException ex) when (ex.Status == 404)
                        {
                            // Gone at Oura although listed a moment ago: make it again.
                            await oura.CreateAsync(callback, settings.OuraVerificationToken, eventType, dataType, cancellationToken);
                        }

                        renewed++;
                    }

                    active++;
                }
                catch (Exception ex) when (ex is OuraWebhookException or HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    failed++;
                    lastError = $"{dataType}/{eventType}: {ex.Message}";
                }
            }
        }

        if (created + renewed + failed > 0)
        {
            logger.LogInformation("Oura webhook subscriptions: {Created} created, {Renewed} renewed, {Failed} failed", created, renewed, failed);
        }

        var result = new SubscriptionStatus(Now(), active, created, renewed, failed, lastError);
        await SaveStatusAsync(ProviderKind.Oura, result, cancellationToken);
        return result;
    }

    /// <summary>Before a Withings connection goes: revoke LifeOs's subscriptions (best effort; its tokens still work now).</summary>
    public async Task DisconnectingAsync(Connection connection, CancellationToken cancellationToken)
    {
        // Without a public https address no subscription of this server can exist: no request.
        if (connection.Provider != ProviderKind.Withings || !providers.Value.Withings.IsConfigured || !settings.HasHttpsBaseUrl)
        {
            return;
        }

        var target = new SyncTarget(connection.Id, connection.UserId, ProviderKind.Withings);
        try
        {
            var profiles = await ListWithingsAsync(target, cancellationToken);
            // Every callback of this server's webhook path, including ones with an older secret (not another server's).
            foreach (var profile in profiles.Where(p => p.CallbackUrl is not null && IsOurs(p.CallbackUrl)))
            {
                await PostWithingsAsync(target, new()
                {
                    ["action"] = "revoke",
                    ["callbackurl"] = profile.CallbackUrl!,
                    ["appli"] = profile.Appli.ToString(CultureInfo.InvariantCulture),
                }, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is ProviderDataException or ConnectionUnavailableException or ProviderAuthException or Polly.Timeout.TimeoutRejectedException)
        {
            logger.LogWarning("Revoking the Withings subscriptions of connection {ConnectionId} failed: {Reason}", connection.Id, ex.Message);
        }
    }

    public async Task<SubscriptionStatus?> GetStatusAsync(ProviderKind provider, CancellationToken cancellationToken = default)
    {
        var value = await db.Set<AppSetting>().AsNoTracking().Where(s => s.Key == StatusKeyPrefix + provider).Select(s => s.Value).SingleOrDefaultAsync(cancellationToken);
        return value is null ? null : JsonSerializer.Deserialize<SubscriptionStatus>(value, Json);
    }

    private bool IsOurs(string callbackUrl) =>
        callbackUrl.StartsWith(settings.WithingsCallbackUrl.Split('?')[0], StringComparison.OrdinalIgnoreCase);

    private async Task SaveStatusAsync(ProviderKind provider, SubscriptionStatus status, CancellationToken cancellationToken)
    {
        var key = StatusKeyPrefix + provider;
        var value = JsonSerializer.Serialize(status with { LastError = status.LastError is { Length: > 300 } e ? e[..300] : status.LastError }, Json);
        var row = await db.Set<AppSetting>().SingleOrDefaultAsync(s => s.Key == key, cancellationToken);
        if (row is null)
        {
            db.Add(new AppSetting { Key = key, Value = value, UpdatedAt = Now() });
        }
        else
        {
            row.Value = value;
            row.UpdatedAt = Now();
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<List<WithingsProfile>> ListWithingsAsync(SyncTarget target, CancellationToken cancellationToken)
    {
        var body = await PostWithingsAsync(target, new() { ["action"] = "list" }, cancellationToken);
        using var document = JsonDocument.Parse(body);
        if (!document.RootElement.TryGetProperty("body", out var b) || !b.TryGetProperty("profiles", out var profiles) || profiles.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return profiles.Deserialize<List<WithingsProfile>>(Json) ?? [];
    }

    private async Task<string> PostWithingsAsync(SyncTarget target, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var url = providers.Value.Withings.ApiBaseUrl.TrimEnd('/') + "/notify";
        return await http.SendAsync(target, () => new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) },
            WithingsDataClient.CheckEnvelope, cancellationToken);
    }

    private DateTime Now() => time.GetUtcNow().UtcDateTime;

    private sealed record WithingsProfile(
        [property: JsonPropertyName("appli")] int Appli,
        [property: JsonPropertyName("callbackurl")] string? CallbackUrl,
        [property: JsonPropertyName("expires")] long? Expires);
}
