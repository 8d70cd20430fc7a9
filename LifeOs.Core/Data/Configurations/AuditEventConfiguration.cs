using LifeOs.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("AuditEvents");
        // No foreign keys: an administrator's record of deleting an account outlives the account (and the administrator).
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(40);
        builder.Property(e => e.UserId).HasMaxLength(450);
        builder.Property(e => e.ActorUserId).HasMaxLength(450);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(300);
        builder.Property(e => e.Detail).HasMaxLength(500);
        // A person's page reads their newest events; the admin page reads by kind; pruning deletes by age.
        builder.HasIndex(e => new { e.UserId, e.At });
        builder.HasIndex(e => new { e.Kind, e.At });
        builder.HasIndex(e => e.At);
    }
}
