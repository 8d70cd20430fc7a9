using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Accounts;

public sealed record UserSettings(string TimeZoneId, UnitSystem UnitSystem, int DayStartHour);

/// <summary>Field name → message; empty when the settings were saved.</summary>
/// <param name="SamplesMoved">Measurements put on another day because the time zone or the day start changed.</param>
public sealed record SettingsUpdateResult(IReadOnlyDictionary<string, string> Errors, bool NotFound = false, int SamplesMoved = 0)
{
    public bool Succeeded => Errors.Count == 0 && !NotFound;
}

public sealed class UserSettingsService(LifeOsDbContext db, HealthStore health)
{
    public const int MaxDayStartHour = 6;

    public async Task<UserSettings?> GetAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new UserSettings(u.TimeZoneId, u.UnitSystem, u.DayStartHour))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>The user's light/dark choice; <see cref="ThemeMode.System"/> for an unknown user.</summary>
    public async Task<ThemeMode> GetThemeAsync(string userId, CancellationToken cancellationToken = default) =>
        await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => (ThemeMode?)u.ThemeMode).SingleOrDefaultAsync(cancellationToken) ?? ThemeMode.System;

    /// <returns>False when the mode is not one LifeOs knows or the user does not exist.</returns>
    public async Task<bool> SetThemeAsync(string userId, ThemeMode mode, CancellationToken cancellationToken = default) =>
        Enum.IsDefined(mode)
        && await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.ThemeMode, mode), cancellationToken) == 1;

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

        // A new zone or day start moves every measurement whose day LifeOs worked out, in the same
        // transaction: the days on every page agree with the settings as soon as they are saved. The
        // settings before the change are read under the write lock, so two saves cannot both miss it.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var before = await GetAsync(userId, cancellationToken);
        if (before is null)
        {
            return new SettingsUpdateResult(errors, NotFound: true);
        }

        await db.Users
            .Where(u => u.Id == userId)
            .ExecuteUpdateAsync(
                s => s.SetProperty(u => u.TimeZoneId, settings.TimeZoneId)
                      .SetProperty(u => u.UnitSystem, settings.UnitSystem)
                      .SetProperty(u => u.DayStartHour, settings.DayStartHour),
                cancellationToken);
        var moved = before.TimeZoneId != settings.TimeZoneId || before.DayStartHour != settings.DayStartHour
            ? await health.RedateAsync(userId, cancellationToken)
            : 0;
        await transaction.CommitAsync(cancellationToken);
        return new SettingsUpdateResult(errors, SamplesMoved: moved);
    }
}
