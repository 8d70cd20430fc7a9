using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.ToTable("SyncRuns");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.UserId).IsRequired();
        builder.Property(r => r.Trigger).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(r => r.CountsJson).IsRequired();
        builder.Property(r => r.Error).HasMaxLength(1000);
        // History goes with the connection (and the connection with its user).
        builder.HasOne<Connection>().WithMany().HasForeignKey(r => r.ConnectionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(r => new { r.ConnectionId, r.QueuedAt });
        // At most one queued or running run per connection, across app instances: the second insert fails.
        builder.HasIndex(r => r.ConnectionId).IsUnique().HasDatabaseName("IX_SyncRuns_ConnectionId_Active")
            .HasFilter("\"Status\" IN ('Queued', 'Running')");
        builder.HasIndex(r => r.QueuedAt);
    }
}

internal sealed class SyncCursorConfiguration : IEntityTypeConfiguration<SyncCursor>
{
    public void Configure(EntityTypeBuilder<SyncCursor> builder)
    {
        builder.ToTable("SyncCursors");
        builder.HasKey(c => new { c.ConnectionId, c.DataType });
        builder.Property(c => c.DataType).HasMaxLength(32).IsRequired();
        builder.HasOne<Connection>().WithMany().HasForeignKey(c => c.ConnectionId).OnDelete(DeleteBehavior.Cascade);
    }
}
