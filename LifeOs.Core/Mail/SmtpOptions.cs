using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace LifeOs.Core.Mail;

/// <summary>
/// The optional <c>LifeOs:Smtp</c> section. Mail is on only when <see cref="Host"/> is set; without it LifeOs sends
/// nothing and its pages say so (forgot password asks people to see their administrator).
/// </summary>
public sealed class SmtpOptions
{
    public const string SectionName = "LifeOs:Smtp";

    /// <summary>The SMTP server's host name; empty turns mail off.</summary>
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.Auto;

    /// <summary>Optional: without a user name LifeOs does not authenticate (a local relay).</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>The address mails come from, such as <c>lifeos@example.org</c>; required when <see cref="Host"/> is set.</summary>
    public string? From { get; set; }

    /// <summary>The name mail programs show beside <see cref="From"/>.</summary>
    public string FromName { get; set; } = "LifeOs";

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);

    /// <summary>
    /// How the connection is secured. Auto is TLS from the first byte on port 465 and a required STARTTLS on any
    /// other port: never a silent fall-back to plain text. Only <see cref="SmtpSecurity.None"/> sends in the clear.
    /// </summary>
    internal SecureSocketOptions SocketOptions() => Security switch
    {
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        SmtpSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
    };
}

public enum SmtpSecurity
{
    /// <summary>SSL on connect on port 465, otherwise STARTTLS (required).</summary>
    Auto,

    /// <summary>Plain connection upgraded with STARTTLS; fails if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>No encryption: only for a relay on the same host or a trusted private network.</summary>
    None,
}

internal sealed class SmtpOptionsValidator : IValidateOptions<SmtpOptions>
{
    private static string Key(string setting) => $"{SmtpOptions.SectionName}:{setting} (env {SmtpOptions.SectionName.Replace(":", "__", StringComparison.Ordinal)}__{setting})";

    public ValidateOptionsResult Validate(string? name, SmtpOptions options)
    {
        var failures = new List<string>();
        if (!options.IsConfigured)
        {
            // A user name or sender without a host is most likely a misspelt host key: say so rather than send nothing silently.
            if (!string.IsNullOrWhiteSpace(options.From) || !string.IsNullOrWhiteSpace(options.Username) || !string.IsNullOrWhiteSpace(options.Password))
            {
                failures.Add($"{Key("Host")} is required when other {SmtpOptions.SectionName} settings are set: set the SMTP server's host name, or remove the other {SmtpOptions.SectionName} settings to send no mail.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }

        if (Uri.CheckHostName(options.Host!.Trim()) == UriHostNameType.Unknown)
        {
            failures.Add($"{Key("Host")} is '{options.Host}', which is not a host name or address; set the server's name only, such as 'smtp.example.org' (no scheme, no port).");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{Key("Port")} is {options.Port}; set a port from 1 to 65535 (usually 587 for STARTTLS or 465 for SSL on connect).");
        }

        if (!Enum.IsDefined(options.Security))
        {
            failures.Add($"{Key("Security")} is '{options.Security}'; set Auto, StartTls, SslOnConnect or None.");
        }

        if (string.IsNullOrWhiteSpace(options.From))
        {
            failures.Add($"{Key("From")} is required when {SmtpOptions.SectionName}:Host is set: the address LifeOs sends mail from, such as 'lifeos@example.org'.");
        }
        else if (!IsMailbox(options.From))
        {
            failures.Add($"{Key("From")} is '{options.From}', which is not an email address such as 'lifeos@example.org'.");
        }

        var hasUser = !string.IsNullOrWhiteSpace(options.Username);
        var hasPassword = !string.IsNullOrEmpty(options.Password);
        if (hasUser && !hasPassword)
        {
            failures.Add($"{Key("Password")} is required when {SmtpOptions.SectionName}:Username is set.");
        }

        if (hasPassword && !hasUser)
        {
            failures.Add($"{Key("Username")} is required when {SmtpOptions.SectionName}:Password is set.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>A bare address (no display name: that is <c>FromName</c>) that MimeKit can put in a From header.</summary>
    private static bool IsMailbox(string value) =>
        MailboxAddress.TryParse(value.Trim(), out var mailbox) && string.IsNullOrEmpty(mailbox.Name) && mailbox.Address.Contains('@', StringComparison.Ordinal);
}
