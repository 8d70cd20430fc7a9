using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class WorkoutConfiguration : IEntityTypeConfiguration<Workout>
{
    public void Configure(EntityTypeBuilder<Workout> builder)
    {
        builder.ToTable("Workouts");
        builder.HasKey(w => w.Id);
        builder.Property(w => w.UserId).IsRequired();
        builder.Property(w => w.Source).HasConversion<string>().HasMaxLength(16).IsRequired();
        builder.Property(w => w.SourceRecordId).HasMaxLength(128).IsRequired();
        builder.Property(w => w.Activity).HasMaxLength(64).IsRequired();
        // Goes with its user (account deletion) by cascade.
        builder.HasOne<ApplicationUser>().WithMany().HasForeignKey(w => w.UserId).OnDelete(DeleteBehavior.Cascade);
        // The idempotency key of the upsert.
        builder.HasIndex(w => new { w.UserId, w.Source, w.SourceRecordId }).IsUnique();
        // The list, newest first.
        builder.HasIndex(w => new { w.UserId, w.StartUtc });
    }
}
