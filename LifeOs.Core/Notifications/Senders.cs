using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LifeOs.Core.Connections;
using LifeOs.Core.Mail;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Notifications;

/// <summary>One message: what it says and the app-relative page a click opens.</summary>
public sealed record NotificationMessage(string Title, string Body, string Url);

/// <summary>
/// The channel did not take the message. <paramref name="Permanent"/>: trying again cannot help (the push subscription
/// is gone, the topic refuses the token), so no retry is made. The message is for the user: never a secret.
/// </summary>
public sealed class ChannelDeliveryException(string message, bool permanent = false, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}

/// <summary>Hands one message to one kind of channel, or throws <see cref="ChannelDeliveryException"/>.</summary>
public interface INotificationSender
{
    ChannelKind Kind { get; }

    Task SendAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken);
}

/// <summary>Absolute links for messages read outside the app.</summary>
internal static class MessageLinks
{
    public static string Absolute(NotificationChannel channel, string relative) => channel.LinkBase.TrimEnd('/') + "/" + relative.TrimStart('/');
}

/// <summary>
/// ntfy: a POST of the text to the topic URL, with the title and click-through link as headers and the optional
/// access token as a bearer token (ntfy's own API, https://docs.ntfy.sh/publish/).
/// </summary>
internal sealed class NtfySender(HttpClient http, TokenProtector protector) : INotificationSender
{
    public ChannelKind Kind => ChannelKind.Ntfy;

    public async Task SendAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, channel.Address)
        {
            Content = new StringContent(message.Body, Encoding.UTF8, "text/plain"),
        };
        // ntfy reads RFC 2047 encoded headers, so titles with accents survive HTTP/1.1's Latin-1 headers.
        request.Headers.TryAddWithoutValidation("Title", EncodeHeader(message.Title));
        request.Headers.TryAddWithoutValidation("Click", MessageLinks.Absolute(channel, message.Url));
        request.Headers.TryAddWithoutValidation("Tags", "bell");
        if (channel.ProtectedSecret is { } secret)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", protector.Unprotect(secret));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ChannelDeliveryException("The ntfy server could not be reached.", inner: ex);
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                var permanent = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound;
                throw new ChannelDeliveryException(response.StatusCode switch
                {
                    HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => $"The ntfy server refused the access token (HTTP {status}).",
                    _ => $"The ntfy server answered HTTP {status}.",
                }, permanent);
            }
        }
    }

    private static string EncodeHeader(string value) =>
        value.All(c => c < 128) ? value : $"=?UTF-8?B?{Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}?=";
}

/// <summary>Email through <see cref="IMailer"/>, with a one-click unsubscribe link (and List-Unsubscribe headers) in every message.</summary>
internal sealed class EmailSender(IServiceProvider services, TokenProtector protector) : INotificationSender
{
    public ChannelKind Kind => ChannelKind.Email;

    public async Task SendAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var mailer = services.GetService<IMailer>() ?? throw new ChannelDeliveryException("This server sends no mail (LifeOs:Smtp:Host is not set).");
        var open = MessageLinks.Absolute(channel, message.Url);
        var unsubscribe = MessageLinks.Absolute(channel, NotificationLinks.UnsubscribePath(protector.Unprotect(channel.ProtectedSecret!)));
        var html = HtmlEncoder.Default;
        var mail = new OutgoingMail(
            channel.Address,
            message.Title,
            $"{message.Body}\n\nOpen LifeOs: {open}\n\nStop these emails: {unsubscribe}\n",
            $"<p>{html.Encode(message.Body)}</p><p><a href=\"{html.Encode(open)}\">Open LifeOs</a></p>" +
            $"<p style=\"color:#666;font-size:12px\">You get this because you turned on reminders by email. <a href=\"{html.Encode(unsubscribe)}\">Unsubscribe</a></p>")
        {
            Headers = new Dictionary<string, string>
            {
                ["List-Unsubscribe"] = $"<{unsubscribe}>",
                ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
            },
        };
        try
        {
            await mailer.SendAsync(mail, cancellationToken);
        }
        catch (MailDeliveryException ex)
        {
            throw new ChannelDeliveryException("The SMTP server did not take the mail.", inner: ex);
        }
    }
}

/// <summary>App-relative links the notification pages and messages share.</summary>
public static class NotificationLinks
{
    public const string UnsubscribeBase = "/notifications/unsubscribe";

    public static string UnsubscribePath(string token) => $"{UnsubscribeBase}/{Uri.EscapeDataString(token)}";
}

/// <summary>
/// Web Push (RFC 8030) with VAPID (RFC 8292) and aes128gcm payload encryption (RFC 8291), through Lib.Net.Http.WebPush.
/// The payload is a small JSON object the service worker shows: title, body and the page to open.
/// </summary>
internal sealed class WebPushSender(HttpClient http, VapidKeys keys, TokenProtector protector) : INotificationSender
{
    public ChannelKind Kind => ChannelKind.WebPush;

    public async Task SendAsync(NotificationChannel channel, NotificationMessage message, CancellationToken cancellationToken)
    {
        var secret = JsonSerializer.Deserialize<PushKeys>(protector.Unprotect(channel.ProtectedSecret!))!;
        var subscription = new PushSubscription { Endpoint = channel.Address };
        subscription.SetKey(PushEncryptionKeyName.P256DH, secret.P256dh);
        subscription.SetKey(PushEncryptionKeyName.Auth, secret.Auth);
        var payload = JsonSerializer.Serialize(new { title = message.Title, body = message.Body, url = message.Url }, JsonSerializerOptions.Web);
        using var vapid = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = keys.Subject(channel.LinkBase) };
        var client = new PushServiceClient(http) { DefaultAuthentication = vapid, DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid };
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, new PushMessage(payload) { TimeToLive = 12 * 3600, Topic = null }, cancellationToken);
        }
        catch (PushServiceClientException ex)
        {
            // 404 and 410: the browser dropped the subscription; it will never work again.
            var gone = ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Gone;
            throw new ChannelDeliveryException(gone
                ? "This browser's subscription has ended; turn notifications on again in that browser."
                : $"The push service answered HTTP {(int)ex.StatusCode}.", gone, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ChannelDeliveryException("The push service could not be reached.", inner: ex);
        }
    }
}

/// <summary>A push subscription's keys, as the browser gives them (base64url).</summary>
public sealed record PushKeys(string P256dh, string Auth);
