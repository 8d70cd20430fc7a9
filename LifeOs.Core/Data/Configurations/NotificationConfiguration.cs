using LifeOs.Core.Accounts;
using LifeOs.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class NotificationChannelConfiguration : IEntityTypeConfiguration<NotificationChannel>
{
    public void Configure(EntityTypeBuilder<NotificationChannel> builder)
    {
        builder.ToTable("NotificationChannels");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.UserId).IsRequired();
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(c => c.Label).HasMaxLength(NotificationRules.MaxLabelLength).IsRequired();
        builder.Property(c => c.Address).HasMaxLength(NotificationRules.MaxAddressLength).IsRequired();
        builder.Property(c => c.LinkBase).HasMaxLength(300).IsRequired();
        builder.Property(c => c.UnsubscribeTokenHash).HasMaxLength(64);
        builder.Property(c => c.LastError).HasMaxLength(500);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(c => new { c.UserId, c.Kind, c.Address }).IsUnique();
        // An unsubscribe link finds its channel by the token's hash alone.
        builder.HasIndex(c => c.UnsubscribeTokenHash).IsUnique();
    }
}

internal sealed class ReminderSettingConfiguration : IEntityTypeConfiguration<ReminderSetting>
{
    public void Configure(EntityTypeBuilder<ReminderSetting> builder)
    {
        builder.ToTable("ReminderSettings");
        builder.HasKey(r => new { r.UserId, r.Kind });
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(r => r.Day).HasConversion<string>().HasMaxLength(10);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        // The scheduler reads every enabled reminder each minute.
        builder.HasIndex(r => new { r.Enabled, r.Kind });
    }
}

internal sealed class NotificationPreferencesConfiguration : IEntityTypeConfiguration<NotificationPreferences>
{
    public void Configure(EntityTypeBuilder<NotificationPreferences> builder)
    {
        builder.ToTable("NotificationPreferences");
        builder.HasKey(p => p.UserId);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class NotificationOccurrenceConfiguration : IEntityTypeConfiguration<NotificationOccurrence>
{
    public void Configure(EntityTypeBuilder<NotificationOccurrence> builder)
    {
        builder.ToTable("NotificationOccurrences");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.UserId).IsRequired();
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(24).IsRequired();
        builder.Property(o => o.Occurrence).HasMaxLength(10).IsRequired();
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(o => o.Reason).HasMaxLength(200);
        builder.Property(o => o.Title).HasMaxLength(200).IsRequired();
        builder.Property(o => o.Body).HasMaxLength(2000).IsRequired();
        builder.Property(o => o.Url).HasMaxLength(300).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(o => o.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(o => o.Deliveries).WithOne().HasForeignKey(d => d.OccurrenceId).OnDelete(DeleteBehavior.Cascade);
        // The claim: each occurrence of each reminder is written (and so sent) once.
        builder.HasIndex(o => new { o.UserId, o.Kind, o.Occurrence }).IsUnique();
        // The log, newest first.
        builder.HasIndex(o => new { o.UserId, o.CreatedAt });
    }
}

internal sealed class NotificationDeliveryConfiguration : IEntityTypeConfiguration<NotificationDelivery>
{
    public void Configure(EntityTypeBuilder<NotificationDelivery> builder)
    {
        builder.ToTable("NotificationDeliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.UserId).IsRequired();
        builder.Property(d => d.ChannelKind).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(d => d.LastError).HasMaxLength(500);
        builder.HasOne<NotificationChannel>().WithMany().HasForeignKey(d => d.ChannelId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(d => new { d.OccurrenceId, d.ChannelId }).IsUnique();
        // Retries due, and deliveries left mid-send by a stop.
        builder.HasIndex(d => new { d.Status, d.NextAttemptAt });
    }
}
