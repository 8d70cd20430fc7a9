using LifeOs.Core.Accounts;
using LifeOs.Core.Goals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class GoalConfiguration : IEntityTypeConfiguration<Goal>
{
    public void Configure(EntityTypeBuilder<Goal> builder)
    {
        builder.ToTable("Goals");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.UserId).IsRequired();
        builder.Property(g => g.Name).HasMaxLength(80).IsRequired();
        builder.Property(g => g.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(g => g.MetricCode).HasMaxLength(32);
        builder.Property(g => g.Comparison).HasConversion<string>().HasMaxLength(8);
        builder.Property(g => g.JournalKind).HasMaxLength(32);
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(g => g.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(g => g.UserId);
    }
}
