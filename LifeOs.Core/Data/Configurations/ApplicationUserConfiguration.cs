using LifeOs.Core.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace LifeOs.Core.Data.Configurations;

internal sealed class ApplicationUserConfiguration : IEntityTypeConfiguration<ApplicationUser>
{
    public void Configure(EntityTypeBuilder<ApplicationUser> builder)
    {
        builder.Property(u => u.TimeZoneId).HasMaxLength(64).IsRequired().HasDefaultValue("UTC");
        builder.Property(u => u.UnitSystem).HasConversion<string>().HasMaxLength(16).IsRequired().HasDefaultValue(UnitSystem.Metric);
        builder.Property(u => u.DayStartHour).HasDefaultValue(0);
        // Existing rows got this placeholder when the column was added (SQLite needs a constant default).
        builder.Property(u => u.CreatedAt).HasDefaultValue(AccountDefaults.CreatedAtPlaceholder);
        builder.Property(u => u.LastSignInAt);
        builder.Property(u => u.ThemeMode).HasConversion<string>().HasMaxLength(16).IsRequired().HasDefaultValue(ThemeMode.System);
    }
}
