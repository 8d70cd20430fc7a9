using LifeOs.Core.Data;
using LifeOs.Core.Export;
using LifeOs.Core.Providers.Oura;
using LifeOs.Core.Providers.Withings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Connections;

public static class ConnectionsServiceCollectionExtensions
{
    /// <summary>
    /// Provider settings (validated now: a bad key stops start-up and is named), the OAuth clients, the
    /// connection services and the export of connections. Needs an <c>IDataProtectionProvider</c> from the host.
    /// </summary>
    public static IServiceCollection AddConnections(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ProvidersOptions, ProvidersOptionsValidator>(configuration, ProvidersOptions.SectionName);

        // Token calls are never retried automatically (not idempotent); a slow provider fails in 30 s, not 100.
        services.AddHttpClient<OuraOAuthClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddHttpClient<WithingsOAuthClient>(http => http.Timeout = TimeSpan.FromSeconds(30));
        services.AddTransient<IOAuthProviderClient>(sp => sp.GetRequiredService<OuraOAuthClient>());
        services.AddTransient<IOAuthProviderClient>(sp => sp.GetRequiredService<WithingsOAuthClient>());

        services.AddSingleton<TokenProtector>();
        services.AddSingleton<RefreshLocks>();
        services.AddScoped<ConnectionService>();
        services.AddScoped<ConnectionTokenService>();
        services.AddScoped<IUserDataExporter, ConnectionsExporter>();
        return services;
    }
}
