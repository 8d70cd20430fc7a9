using LifeOs.Core.Connections;
using LifeOs.Core.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class ProviderNotificationConfiguration : IEntityTypeConfiguration<ProviderNotification>
{
    public void Configure(EntityTypeBuilder<ProviderNotification> builder)
    {
        builder.ToTable("ProviderNotifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Provider).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(n => n.DedupKey).HasMaxLength(300).IsRequired();
        builder.Property(n => n.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(n => n.DataType).HasMaxLength(32);
        builder.Property(n => n.EventType).HasMaxLength(16);
        builder.Property(n => n.ObjectId).HasMaxLength(128);
        builder.Property(n => n.Error).HasMaxLength(500);
        // The same delivery twice is recorded once: the second insert fails and triggers nothing.
        builder.HasIndex(n => new { n.Provider, n.DedupKey }).IsUnique();
        // A disconnect keeps the record (for the 30 days) but not the link.
        builder.HasOne<Connection>().WithMany().HasForeignKey(n => n.ConnectionId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(n => new { n.ConnectionId, n.Status });
        builder.HasIndex(n => n.SyncRunId);
        builder.HasIndex(n => n.ReceivedAt);
    }
}
