using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class UserSourcePriorityConfiguration : IEntityTypeConfiguration<UserSourcePriority>
{
    public void Configure(EntityTypeBuilder<UserSourcePriority> builder)
    {
        builder.ToTable("SourcePriorities");
        builder.HasKey(p => new { p.UserId, p.Group });
        builder.Property(p => p.Group).HasConversion<string>().HasMaxLength(16);
        builder.Property(p => p.Sources).HasMaxLength(128).IsRequired();
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
