using LifeOs.Core.Accounts;
using LifeOs.Core.Api;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.HasKey(k => k.Id);
        builder.Property(k => k.UserId).IsRequired();
        builder.Property(k => k.Name).HasMaxLength(ApiKeyService.MaxNameLength).IsRequired();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeyService.PrefixLength).IsRequired();
        builder.Property(k => k.SecretHash).HasMaxLength(32).IsRequired();
        builder.Property(k => k.Scopes).HasMaxLength(200).IsRequired();
        builder.Property(k => k.LastUsedIp).HasMaxLength(64);
        // A deleted account takes its keys with it.
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        // Every API request finds its key by prefix.
        builder.HasIndex(k => k.Prefix).IsUnique();
        builder.HasIndex(k => new { k.UserId, k.CreatedAt });
    }
}
