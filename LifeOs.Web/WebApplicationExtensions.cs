using System.Reflection;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;
using LifeOs.Core.Data;
using LifeOs.Core.Mail;
using LifeOs.Web.Api;
using LifeOs.Web.Authorization;
using LifeOs.Web.Components;
using LifeOs.Web.Components.Account;
using LifeOs.Web.Endpoints;
using LifeOs.Web.Components.Pages.Home;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;

namespace LifeOs.Web;

/// <summary>The web edge: services and middleware, in the order Program.cs reads them.</summary>
public static class WebApplicationExtensions
{
    public static string Version { get; } =
        typeof(WebApplicationExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static WebApplicationBuilder AddLifeOsWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddLifeOsWeb(builder.Configuration, builder.Environment);
        return builder;
    }

    /// <summary>Every service the web app uses; component tests build their services from this too.</summary>
    public static IServiceCollection AddLifeOsWeb(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var dataDirectory = services.AddLifeOsCore(configuration, environment.ContentRootPath);
        dataDirectory.EnsureWritable();

        // Keys live in the database so cookies and encrypted tokens survive restarts and upgrades and open on every
        // instance (the fixed application name keeps them valid whatever path the app runs from); with
        // LifeOs:DataProtection:CertificatePath they are encrypted there with that certificate. An install's older
        // keys/ folder is copied in at start-up (MigrateDatabaseAsync).
        services.AddDataProtection()
            .SetApplicationName("LifeOs")
            .PersistKeysToDbContext<LifeOsDbContext>()
            .ProtectKeysWithConfiguredCertificate(configuration, environment.ContentRootPath);
        services.AddScoped<KeyRingImport>();

        services.AddLifeOsRateLimits(configuration);
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<LifeOsOptions>>(ConfigureForwardedHeaders);

        services.AddRazorComponents()
            .AddInteractiveServerComponents(options => ConfigureCircuits(options, environment))
            // A text field sends its whole value with each change (a journal entry may hold 100,000 characters, up to
            // 300 KB of UTF-8), and the browser hands the prerendered pages' state back over the hub when the circuit
            // starts (a year of dashboard charts is ~35 KB): both are past SignalR's 32 KB default, which drops the circuit.
            .AddHubOptions(options => options.MaximumReceiveMessageSize = MaximumReceiveMessageSize);
        services.AddMudServices(options =>
        {
            options.SnackbarConfiguration.PositionClass = Defaults.Classes.Position.BottomCenter;
            options.SnackbarConfiguration.PreventDuplicates = true;
            options.SnackbarConfiguration.VisibleStateDuration = 5000;
            options.SnackbarConfiguration.ShowCloseIcon = true;
        });
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddScoped<IdentityRedirectManager>();
        services.AddScoped<CurrentUser>();
        services.AddTransient(typeof(Scoped<>));
        // The Today page's prerendered state travels compressed (it is encrypted in the page, so nothing else would shrink it).
        services.AddSingleton<PersistentComponentStateSerializer<TodayView>, TodayViewStateSerializer>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddLifeOsAuthorization();
        services.AddLifeOsApi(configuration);

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                // No mail server is assumed: accounts work as soon as they are created.
                options.SignIn.RequireConfirmedAccount = false;
                options.Stores.SchemaVersion = LifeOsDbContext.IdentitySchemaVersion;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = configuration.GetValue("LifeOs:Lockout:MaxFailedAttempts", 5);
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(configuration.GetValue("LifeOs:Lockout:Minutes", 15));
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<LifeOsDbContext>()
            .AddUserManager<Audit.AuditingUserManager>()
            .AddSignInManager<Audit.AuditingSignInManager>()
            .AddDefaultTokenProviders();
        services.AddHttpContextAccessor();
        services.AddScoped<IAuditClient, Audit.HttpAuditClient>();

        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "LifeOs.Auth";
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
            options.SlidingExpiration = true;
            options.Events.OnSignedIn = async context =>
            {
                var userId = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
                if (userId is not null)
                {
                    await context.HttpContext.RequestServices.GetRequiredService<AccountService>().RecordSignInAsync(userId, context.HttpContext.RequestAborted);
                }
            };
        });

        // A disabled account, a reset authenticator or a changed role reaches the person's cookies and open pages
        // within this interval (each check is one read of their security stamp).
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = SecurityStampInterval);
        // Password links an administrator hands out (and the forgot-password flow) work for a day, and once.
        services.Configure<DataProtectionTokenProviderOptions>(options => options.TokenLifespan = TimeSpan.FromHours(24));

        // Mail goes out only when LifeOs:Smtp:Host is set (Core then registers an IMailer); otherwise the no-op sender
        // stays, and the pages that would mail something send people to their administrator instead.
        services.AddSingleton<IEmailSender<ApplicationUser>>(sp => sp.GetService<IMailer>() is { } mailer
            ? ActivatorUtilities.CreateInstance<IdentityEmailSender>(sp, mailer)
            : new IdentityNoOpEmailSender());
        return services;
    }

    /// <summary>How often a signed-in cookie (and an open page's circuit) is checked against the account's security stamp.</summary>
    public static readonly TimeSpan SecurityStampInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The largest message a browser may send over the circuit (SignalR's default is 32 KB): a whole journal entry
    /// as typed, or the prerendered pages' state handed back when the circuit starts. Only signed-in people reach the hub.
    /// </summary>
    public const int MaximumReceiveMessageSize = 1024 * 1024;

    /// <summary>
    /// Circuit settings, chosen for a household server whose people use phones that sleep (README: "Interactive
    /// pages and circuits"). A dropped connection reconnects to its live circuit for 3 minutes; after that the
    /// circuit is evicted and its persisted page state ([PersistentState]) is kept for 12 hours, so a phone that
    /// slept overnight resumes on the page it left instead of starting over. Both bounds cap memory.
    /// </summary>
    public static void ConfigureCircuits(CircuitOptions options, IHostEnvironment environment)
    {
        options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(3);
        options.DisconnectedCircuitMaxRetained = 100;
        options.PersistedCircuitInMemoryRetentionPeriod = TimeSpan.FromHours(12);
        options.PersistedCircuitInMemoryMaxRetained = 1000;
        options.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(30);
        // Detailed errors reach the browser only on a developer's machine; people see the error UI.
        options.DetailedErrors = environment.IsDevelopment();
    }

    /// <summary>
    /// Behind a TLS proxy the app sees plain HTTP from the proxy: the scheme, host and client address the browser
    /// used arrive in X-Forwarded-* headers, believed only from <see cref="LifeOsOptions.TrustedProxies"/>. With
    /// them, cookies are Secure, HSTS is sent and redirects keep the public address; from anyone else they are
    /// ignored, so a client cannot claim another address (which the rate limits key on) or host.
    /// </summary>
    public static void ConfigureForwardedHeaders(ForwardedHeadersOptions options, IOptions<LifeOsOptions> lifeOs)
    {
        options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in lifeOs.Value.TrustedProxyNetworks())
        {
            options.KnownIPNetworks.Add(network);
        }

        // A chain of trusted proxies (a CDN in front of nginx) is unwound hop by hop, stopping at the first address
        // that is not trusted.
        options.ForwardLimit = null;
    }

    /// <summary>Brings the database up to date, then copies in a key ring kept in the data directory before it moved there.</summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
        await scope.ServiceProvider.GetRequiredService<KeyRingImport>().ImportAsync();
    }

    public static WebApplication UseLifeOsPipeline(this WebApplication app)
    {
        app.UseWebhookServerTiming();
        app.UseForwardedHeaders();
        // Whatever a request (or an interactive page's circuit) writes is counted as the request's.
        app.Use((context, next) =>
        {
            WriteLockMonitor.Origin = "request";
            return next(context);
        });
        app.UseLifeOsSecurityHeaders();
        // A stack trace never reaches the browser, in any environment: the error page shows a request id.
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        // Sent only on HTTPS (directly or through a trusted proxy), and never for localhost, so it is safe everywhere.
        app.UseHsts();

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // /api answers errors as problem details instead of the pages above, and limits request bodies.
        app.UseLifeOsApiErrors();
        // Explicit, so that re-executed error and not-found pages pass through authorization too.
        app.UseAuthentication();
        app.UseAuthorization();
        // After authentication: the per-account limits key on the signed-in user.
        app.UseRateLimiter();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthEndpoints();
        app.MapIntegrationEndpoints();
        app.MapWebhookEndpoints();
        app.MapMetricsImportEndpoints();
        app.MapJournalEndpoints();
        app.MapNotificationEndpoints();
        app.MapLifeOsApi();
        app.MapLifeOsApiDocs();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }
}
