namespace LifeOs.Core.Mail;

/// <summary>
/// Sends one mail, or throws <see cref="MailDeliveryException"/>: callers tell people a mail was sent only after this
/// returned. Registered only when <c>LifeOs:Smtp:Host</c> is set (see <see cref="MailServiceCollectionExtensions.AddMail"/>).
/// </summary>
public interface IMailer
{
    Task SendAsync(OutgoingMail mail, CancellationToken cancellationToken = default);
}

/// <summary>One mail to one person, as plain text and as HTML (the HTML is already encoded by whoever built it).</summary>
public sealed record OutgoingMail(string To, string Subject, string TextBody, string HtmlBody)
{
    /// <summary>Extra headers, such as List-Unsubscribe on reminders (RFC 8058); none by default.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }
}

/// <summary>The mail was not handed to the SMTP server (unreachable, refused the login or the message). The message says no more than that.</summary>
public sealed class MailDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
