using System.Reflection;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Web.Components;
using LifeOs.Web.Components.Account;
using LifeOs.Web.Endpoints;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace LifeOs.Web;

/// <summary>The web edge: services and middleware, in the order Program.cs reads them.</summary>
public static class WebApplicationExtensions
{
    public static string Version { get; } =
        typeof(WebApplicationExtensions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static WebApplicationBuilder AddLifeOsWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var dataDirectory = services.AddLifeOsCore(builder.Configuration, builder.Environment.ContentRootPath);
        dataDirectory.EnsureWritable();

        // Keys live in the data directory so cookies and encrypted tokens survive restarts and upgrades.
        services.AddDataProtection()
            .SetApplicationName("LifeOs")
            .PersistKeysToFileSystem(new DirectoryInfo(dataDirectory.KeysPath));

        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        services.AddScoped<IdentityRedirectManager>();
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();

        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthorization();

        services.AddIdentityCore<ApplicationUser>(options =>
            {
                // No mail server is assumed: accounts work as soon as they are created.
                options.SignIn.RequireConfirmedAccount = false;
                options.Stores.SchemaVersion = IdentitySchemaVersions.Version3;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = builder.Configuration.GetValue("LifeOs:Lockout:MaxFailedAttempts", 5);
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(builder.Configuration.GetValue("LifeOs:Lockout:Minutes", 15));
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<LifeOsDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

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

        services.AddSingleton<IEmailSender<ApplicationUser>, IdentityNoOpEmailSender>();
        return builder;
    }

    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync();
    }

    public static WebApplication UseLifeOsPipeline(this WebApplication app)
    {
        // A stack trace never reaches the browser, in any environment: the error page shows a request id.
        app.UseExceptionHandler("/Error", createScopeForErrors: true);
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        // Explicit, so that re-executed error and not-found pages pass through authorization too.
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseMetricsImportUploadLimit();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapHealthEndpoints();
        app.MapIntegrationEndpoints();
        app.MapMetricsImportEndpoints();
        app.MapJournalEndpoints();
        app.MapRazorComponents<App>();
        app.MapAdditionalIdentityEndpoints();
        return app;
    }
}
