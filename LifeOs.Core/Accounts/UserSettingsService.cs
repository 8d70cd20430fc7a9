using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Accounts;

public sealed record UserSettings(string TimeZoneId, UnitSystem UnitSystem, int DayStartHour);

/// <summary>Field name → message; empty when the settings were saved.</summary>
public sealed record SettingsUpdateResult(IReadOnlyDictionary<string, string> Errors, bool NotFound = false)
{
    public bool Succeeded => Errors.Count == 0 && !NotFound;
}

public sealed class UserSettingsService(LifeOsDbContext db)
{
    public const int MaxDayStartHour = 6;

    public async Task<UserSettings?> GetAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new UserSettings(u.TimeZoneId, u.UnitSystem, u.DayStartHour))
            .SingleOrDefaultAsync(cancellationToken);

    public static Dictionary<string, string> Validate(UserSettings settings)
    {
        var errors = new Dictionary<string, string>();
        if (!TimeZones.IsKnown(settings.TimeZoneId))
        {
            errors[nameof(UserSettings.TimeZoneId)] = $"'{settings.TimeZoneId}' is not a time zone. Choose one from the list, such as Europe/Paris.";
        }

        if (!Enum.IsDefined(settings.UnitSystem))
        {
            errors[nameof(UserSettings.UnitSystem)] = "Choose metric or imperial units.";
        }

        if (settings.DayStartHour is < 0 or > MaxDayStartHour)
        {
            errors[nameof(UserSettings.DayStartHour)] = $"A day can start between 0:00 and {MaxDayStartHour}:00.";
        }

        return errors;
    }

    public async Task<SettingsUpdateResult> UpdateAsync(string userId, UserSettings settings, CancellationToken cancellationToken = default)
    {
        var errors = Validate(settings);
        if (errors.Count > 0)
        {
            return new SettingsUpdateResult(errors);
        }

        var updated = await db.Users
            .Where(u => u.Id == userId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.TimeZoneId, settings.TimeZoneId)
                      .SetProperty(u => u.UnitSystem, settings.UnitSystem)
                      .SetProperty(u => u.DayStartHour, settings.DayStartHour),
                cancellationToken);
        return new SettingsUpdateResult(errors, NotFound: updated == 0);
    }
}
