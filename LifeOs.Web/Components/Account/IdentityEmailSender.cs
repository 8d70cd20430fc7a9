using System.Net;
using LifeOs.Core.Accounts;
using LifeOs.Core.Mail;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LifeOs.Web.Components.Account;

/// <summary>
/// Identity's mails through <see cref="IMailer"/>, used when LifeOs:Smtp:Host is set. Each method returns only once
/// the SMTP server accepted the mail and throws <see cref="MailDeliveryException"/> otherwise, so a page can say
/// "sent" truthfully. Links arrive HTML-encoded (Identity's contract for these methods): the HTML part uses them as
/// they are, the text part decodes them.
/// </summary>
internal sealed class IdentityEmailSender(IMailer mailer, IOptions<DataProtectionTokenProviderOptions> tokens) : IEmailSender<ApplicationUser>
{
    public const string PasswordResetSubject = "Reset your LifeOs password";

    private string LinkLifetime => tokens.Value.TokenLifespan switch
    {
        { TotalHours: 1 } => "an hour",
        { TotalHours: >= 1 } lifespan when lifespan.TotalHours % 1 == 0 => $"{lifespan.TotalHours:0} hours",
        var lifespan => $"{lifespan.TotalMinutes:0} minutes",
    };

    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) =>
        mailer.SendAsync(new OutgoingMail(
            email,
            PasswordResetSubject,
            $"""
            Someone, hopefully you, asked to reset the password of your LifeOs account.

            Choose a new password here (the link works once, for {LinkLifetime}):
            {WebUtility.HtmlDecode(resetLink)}

            If you did not ask for this, ignore this mail: your password stays as it is.
            """,
            $"""
            <p>Someone, hopefully you, asked to reset the password of your LifeOs account.</p>
            <p><a href="{resetLink}">Choose a new password</a> (the link works once, for {LinkLifetime}).</p>
            <p>If the link does not work, copy this address into your browser:<br>{resetLink}</p>
            <p>If you did not ask for this, ignore this mail: your password stays as it is.</p>
            """));

    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) =>
        mailer.SendAsync(new OutgoingMail(
            email,
            "Confirm your LifeOs email address",
            $"""
            Confirm that this address belongs to your LifeOs account:
            {WebUtility.HtmlDecode(confirmationLink)}

            If you did not ask for this, ignore this mail.
            """,
            $"""
            <p><a href="{confirmationLink}">Confirm that this address belongs to your LifeOs account</a>.</p>
            <p>If the link does not work, copy this address into your browser:<br>{confirmationLink}</p>
            <p>If you did not ask for this, ignore this mail.</p>
            """));

    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) =>
        mailer.SendAsync(new OutgoingMail(
            email,
            PasswordResetSubject,
            $"""
            Your LifeOs password reset code is: {resetCode}

            If you did not ask for this, ignore this mail: your password stays as it is.
            """,
            $"""
            <p>Your LifeOs password reset code is: <strong>{WebUtility.HtmlEncode(resetCode)}</strong></p>
            <p>If you did not ask for this, ignore this mail: your password stays as it is.</p>
            """));
}
