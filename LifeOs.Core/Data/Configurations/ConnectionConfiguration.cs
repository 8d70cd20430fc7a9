using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class ConnectionConfiguration : IEntityTypeConfiguration<Connection>
{
    public void Configure(EntityTypeBuilder<Connection> builder)
    {
        builder.ToTable("Connections");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.UserId).IsRequired();
        builder.Property(c => c.Provider).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(c => c.ProviderUserId).HasMaxLength(128).IsRequired();
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(c => c.StatusDetail).HasMaxLength(500);
        builder.Property(c => c.GrantedScopes).HasMaxLength(500).IsRequired();
        builder.Property(c => c.ProtectedAccessToken).IsRequired();
        builder.Property(c => c.ProtectedRefreshToken).IsRequired();
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        // One connection per user and provider; one LifeOs user per provider account.
        builder.HasIndex(c => new { c.UserId, c.Provider }).IsUnique();
        builder.HasIndex(c => new { c.Provider, c.ProviderUserId }).IsUnique();
    }
}
