using LifeOs.Core.Accounts;
using LifeOs.Core.Api;
using LifeOs.Core.Audit;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Core.Mail;
using LifeOs.Core.Notifications;
using LifeOs.Core.Sync;
using LifeOs.Core.Webhooks;
using LifeOs.Core.Work;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers options, the data directory, the database and the account services.
    /// <paramref name="contentRoot"/> anchors a relative <c>LifeOs:DataDirectory</c>.
    /// </summary>
    public static DataDirectory AddLifeOsCore(this IServiceCollection services, IConfiguration configuration, string contentRoot)
    {
        // Fail before the host starts, so the operator reads which key to fix rather than a host stack trace.
        var options = services.AddValidatedOptions<LifeOsOptions, LifeOsOptionsValidator>(configuration, LifeOsOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);

        var dataDirectory = new DataDirectory(Path.Combine(contentRoot, string.IsNullOrWhiteSpace(options.DataDirectory) ? "data" : options.DataDirectory));
        services.AddSingleton(dataDirectory);

        // The database model depends on Identity's schema version (version 3 has passkeys), so whoever hosts Core
        // (the app, the benchmarks' seeding, dotnet ef) builds the one model the migrations were made from.
        services.Configure<IdentityOptions>(o => o.Stores.SchemaVersion = LifeOsDbContext.IdentitySchemaVersion);
        services.AddSingleton<SqlitePragmaInterceptor>();
        services.AddSingleton<WriteLockMonitor>();
        services.AddSingleton<WriteLockCommandMonitor>();
        if (options.Database.ParsedProvider() == DatabaseProvider.PostgreSql)
        {
            var postgres = options.Database.ConnectionString!;
            services.AddDbContext<LifeOsDbContext, PostgresLifeOsDbContext>(db => db.UseNpgsql(postgres));
        }
        else
        {
            var connectionString = FirstSet(options.Database.ConnectionString, options.ConnectionString) ?? $"Data Source={dataDirectory.DatabasePath};Pooling=True";
            services.AddDbContext<LifeOsDbContext>((sp, db) => db
                .UseSqlite(connectionString)
                .AddInterceptors(
                    sp.GetRequiredService<SqlitePragmaInterceptor>(),
                    sp.GetRequiredService<WriteLockMonitor>(),
                    sp.GetRequiredService<WriteLockCommandMonitor>()));
            services.AddSingleton(sp => new SqliteCheckpointer(connectionString, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<SqliteCheckpointer>>()));
            services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
        }

        services.AddScoped<DatabaseMigrator>();
        services.AddAudit(configuration);
        services.AddBackgroundWork(configuration);
        services.AddScoped<AccountService>();
        services.AddScoped<AdministrationService>();
        services.AddScoped<InvitationService>();
        services.AddScoped<AccountDeletion>();
        services.AddScoped<UserSettingsService>();
        services.AddScoped<Export.UserDataExportService>();
        services.AddScoped<Export.AccountRestoreService>();
        services.AddScoped<Export.IUserDataExporter, AccountExporter>();
        services.AddHealth();
        services.AddConnections(configuration);
        services.AddJournal();
        services.AddSync(configuration);
        services.AddWebhooks(configuration);
        services.AddMail(configuration);
        services.AddNotifications(configuration);
        services.AddScoped<Dashboard.DashboardService>();
        services.AddScoped<Dashboard.MetricHistoryService>();
        services.AddScoped<Goals.GoalService>();
        services.AddApi();
        services.AddScoped<Export.IUserDataExporter, Goals.GoalsExporter>();

        // Where the areas meet: the journal feeds the dashboard and goals; health and goals feed the weekly review.
        services.AddScoped<Dashboard.IDailySeriesProvider, Journal.JournalDashboardSeries>();
        services.AddScoped<Goals.IGoalJournalSource, Journal.JournalGoalSource>();
        services.AddScoped<Journal.IWeeklyReviewFactsProvider, Health.HealthWeekFacts>();
        services.AddScoped<Journal.IWeeklyReviewFactsProvider, Goals.GoalWeekFacts>();
        return dataDirectory;
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
