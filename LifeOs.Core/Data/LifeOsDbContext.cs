using LifeOs.Core.Accounts;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace LifeOs.Core.Data;

/// <summary>
/// The database on SQLite (the default). <see cref="PostgresLifeOsDbContext"/> is the same model on PostgreSQL: EF finds
/// migrations by their exact context type, so each engine has its own migrations set and model snapshot.
/// </summary>
/// <remarks>
/// It holds the DataProtection key ring too (<see cref="IDataProtectionKeyContext"/>), so every instance on one database
/// reads and writes the same keys.
/// </remarks>
public class LifeOsDbContext : IdentityDbContext<ApplicationUser>, IDataProtectionKeyContext
{
    public LifeOsDbContext(DbContextOptions<LifeOsDbContext> options)
        : base(options)
    {
    }

    /// <summary>For the engine-specific subclasses, whose options are typed by their own class.</summary>
    protected LifeOsDbContext(DbContextOptions options)
        : base(options)
    {
    }

    /// <summary>The Identity schema the model and its migrations are built with (version 3 adds passkeys).</summary>
    public static readonly Version IdentitySchemaVersion = IdentitySchemaVersions.Version3;

    public DbSet<AppSetting> AppSettings => Set<AppSetting>();

    public DbSet<Invitation> Invitations => Set<Invitation>();

    public DbSet<Health.Sample> Samples => Set<Health.Sample>();

    public DbSet<Health.UserNumber> UserNumbers => Set<Health.UserNumber>();

    /// <summary>
    /// The user's samples. <c>Samples</c> holds each owner's <see cref="Health.UserNumber"/>, not their id: the number is
    /// looked up in the same statement (a constant subquery, so the database still seeks the indexes by it).
    /// </summary>
    public IQueryable<Health.Sample> SamplesOf(string userId) =>
        Samples.Where(s => s.UserNumber == UserNumberOf(userId).FirstOrDefault());

    /// <summary>The user's <see cref="Health.UserNumber"/> (none until their first sample is written).</summary>
    public IQueryable<int> UserNumberOf(string userId) => UserNumbers.Where(n => n.UserId == userId).Select(n => n.Number);

    public DbSet<Health.DailyValue> DailyValues => Set<Health.DailyValue>();

    public DbSet<Health.Import.ImportBatch> ImportBatches => Set<Health.Import.ImportBatch>();

    public DbSet<Connections.Connection> Connections => Set<Connections.Connection>();

    public DbSet<Connections.OAuthState> OAuthStates => Set<Connections.OAuthState>();
    public DbSet<Journal.JournalEntry> JournalEntries => Set<Journal.JournalEntry>();

    public DbSet<Journal.JournalTag> JournalTags => Set<Journal.JournalTag>();

    public DbSet<Journal.JournalTemplate> JournalTemplates => Set<Journal.JournalTemplate>();

    public DbSet<Journal.JournalPreferences> JournalPreferences => Set<Journal.JournalPreferences>();

    public DbSet<Journal.JournalDraft> JournalDrafts => Set<Journal.JournalDraft>();

    public DbSet<Audit.AuditEvent> AuditEvents => Set<Audit.AuditEvent>();

    public DbSet<Work.BackgroundWork> BackgroundWork => Set<Work.BackgroundWork>();

    public DbSet<Api.ApiKey> ApiKeys => Set<Api.ApiKey>();

    public DbSet<Webhooks.ProviderNotification> ProviderNotifications => Set<Webhooks.ProviderNotification>();

    public DbSet<Notifications.NotificationChannel> NotificationChannels => Set<Notifications.NotificationChannel>();

    public DbSet<Notifications.ReminderSetting> ReminderSettings => Set<Notifications.ReminderSetting>();

    public DbSet<Notifications.NotificationPreferences> NotificationPreferences => Set<Notifications.NotificationPreferences>();

    public DbSet<Notifications.NotificationOccurrence> NotificationOccurrences => Set<Notifications.NotificationOccurrence>();

    public DbSet<Notifications.NotificationDelivery> NotificationDeliveries => Set<Notifications.NotificationDelivery>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<Sync.SharedRateBucket> SharedRateBuckets => Set<Sync.SharedRateBucket>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(LifeOsDbContext).Assembly);
        if (this is not PostgresLifeOsDbContext)
        {
            Configurations.SampleConfiguration.UseCompactTimes(builder.Entity<Health.Sample>());
            Configurations.SampleConfiguration.UseSeriesLayout(builder.Entity<Health.Sample>());
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are stored as UTC; SQLite keeps no kind, so give it back on the way out.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));

    private sealed class NullableUtcDateTimeConverter() : ValueConverter<DateTime?, DateTime?>(
        v => v == null ? v : v.Value.Kind == DateTimeKind.Utc ? v : v.Value.ToUniversalTime(),
        v => v == null ? v : DateTime.SpecifyKind(v.Value, DateTimeKind.Utc));
}
