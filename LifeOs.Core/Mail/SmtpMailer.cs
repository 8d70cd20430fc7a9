using MailKit.Net.Smtp;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LifeOs.Core.Mail;

/// <summary>
/// <see cref="IMailer"/> over MailKit: one connection per mail (password resets are rare, and a connection kept open
/// would only time out between them). Nothing of the message is logged: its body holds one-time links.
/// </summary>
internal sealed class SmtpMailer(IOptions<SmtpOptions> options, ILogger<SmtpMailer> logger) : IMailer
{
    /// <summary>Per network operation: a person is waiting on the form that sends the mail.</summary>
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public async Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default)
    {
        var settings = options.Value;
        using var client = new SmtpClient { Timeout = (int)Timeout.TotalMilliseconds };
        try
        {
            // Inside the try: an address MimeKit cannot parse is a mail not sent, like any other.
            using var message = new MimeMessage();
            message.From.Add(new MailboxAddress(settings.FromName, settings.From!.Trim()));
            message.To.Add(MailboxAddress.Parse(mail.To));
            message.Subject = mail.Subject;
            foreach (var (name, value) in mail.Headers ?? new Dictionary<string, string>())
            {
                message.Headers.Add(name, value);
            }

            message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();

            await client.ConnectAsync(settings.Host!.Trim(), settings.Port, settings.SocketOptions(), cancellationToken);
            if (!string.IsNullOrWhiteSpace(settings.Username))
            {
                await client.AuthenticateAsync(settings.Username, settings.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The server, the port and what went wrong (MailKit's messages carry the server's reply, never the
            // password); not the recipient's link or the credentials.
            logger.LogWarning("Sending mail through {Host}:{Port} ({Security}) failed: {ErrorType}: {Error}",
                settings.Host, settings.Port, settings.Security, ex.GetType().Name, ex.Message);
            throw new MailDeliveryException("The mail could not be handed to the SMTP server.", ex);
        }
    }
}
