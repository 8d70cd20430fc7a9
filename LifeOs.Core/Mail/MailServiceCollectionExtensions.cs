using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Core.Mail;

public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// SMTP settings (validated now) and, only when <c>LifeOs:Smtp:Host</c> is set, an <see cref="IMailer"/>. Without
    /// one, nothing can claim to have sent a mail: callers ask for <see cref="IMailer"/> and find none.
    /// </summary>
    /// <returns>The settings, so the web edge can choose Identity's email sender.</returns>
    public static SmtpOptions AddMail(this IServiceCollection services, IConfiguration configuration)
    {
        var options = services.AddValidatedOptions<SmtpOptions, SmtpOptionsValidator>(configuration, SmtpOptions.SectionName);
        if (options.IsConfigured)
        {
            services.AddSingleton<IMailer, SmtpMailer>();
        }

        return options;
    }
}
