using LifeOs.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifeOs.Core;

internal static class StartupOptions
{
    /// <summary>
    /// Binds a settings section, registers its validator for the host, and validates it right now: a bad key
    /// stops start-up with a <see cref="StartupException"/> that names it, rather than a host stack trace later.
    /// </summary>
    /// <returns>The bound settings, for registrations that depend on them.</returns>
    public static TOptions AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration configuration, string sectionName)
        where TOptions : class, new()
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        services.AddOptions<TOptions>().BindConfiguration(sectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>, TValidator>();
        var options = configuration.GetSection(sectionName).Get<TOptions>() ?? new TOptions();
        var validation = new TValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new StartupException(string.Join(" ", validation.Failures!));
        }

        return options;
    }
}
