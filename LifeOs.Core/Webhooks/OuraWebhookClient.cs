using System.Net.Http.Json;
using System.Text.Json.Serialization;
using LifeOs.Core.Connections;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Webhooks;

/// <summary>One of Oura's application-level webhook subscriptions (oura.md §7).</summary>
public sealed record OuraSubscription(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("callback_url")] string? CallbackUrl,
    [property: JsonPropertyName("event_type")] string? EventType,
    [property: JsonPropertyName("data_type")] string? DataType,
    [property: JsonPropertyName("expiration_time")] DateTimeOffset? ExpirationTime);

/// <summary>
/// Oura's subscription API, authenticated with the app's client id and secret in <c>x-client-id</c> and
/// <c>x-client-secret</c> (no user token). Creating one makes Oura call the callback with a challenge first.
/// </summary>
public sealed class OuraWebhookClient(HttpClient http, IOptions<ProvidersOptions> providers)
{
    private const string Path = "/v2/webhook/subscription";

    public async Task<List<OuraSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, Path, null, cancellationToken);
        return await response.Content.ReadFromJsonAsync<List<OuraSubscription>>(cancellationToken) ?? [];
    }

    public async Task<OuraSubscription> CreateAsync(string callbackUrl, string verificationToken, string eventType, string dataType, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Post, Path, JsonContent.Create(new Dictionary<string, string>
        {
            ["callback_url"] = callbackUrl,
            ["verification_token"] = verificationToken,
            ["event_type"] = eventType,
            ["data_type"] = dataType,
        }), cancellationToken);
        return await response.Content.ReadFromJsonAsync<OuraSubscription>(cancellationToken) ?? throw new InvalidOperationException("Oura answered no subscription.");
    }

    public async Task<OuraSubscription> RenewAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Put, $"{Path}/renew/{Uri.EscapeDataString(id)}", null, cancellationToken);
        return await response.Content.ReadFromJsonAsync<OuraSubscription>(cancellationToken) ?? throw new InvalidOperationException("Oura answered no subscription.");
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, CancellationToken cancellationToken)
    {
        var settings = providers.Value.Oura;
        using var request = new HttpRequestMessage(method, settings.ApiBaseUrl.TrimEnd('/') + path) { Content = content };
        request.Headers.Add("x-client-id", settings.ClientId);
        request.Headers.Add("x-client-secret", settings.ClientSecret);
        var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            var status = (int)response.StatusCode;
            response.Dispose();
            throw new OuraWebhookException(status, $"Oura answered {status} to a webhook subscription request.");
        }

        return response;
    }
}

public sealed class OuraWebhookException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
