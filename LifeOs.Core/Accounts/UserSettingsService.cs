using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Accounts;

public sealed record UserSettings(string TimeZoneId, UnitSystem UnitSystem, int DayStartHour);

/// <summary>Field name → message; empty when the settings were saved.</summary>
/// <param name="SamplesMoved">Measurements put on another day because the time zone or the day start changed.</param>
/// <param name="RedateWorkId">Set when there were too many to move at once: the background work moving them.</param>
public sealed record SettingsUpdateResult(IReadOnlyDictionary<string, string> Errors, bool NotFound = false, int SamplesMoved = 0, long? RedateWorkId = null)
{
    public bool Succeeded => Errors.Count == 0 && !NotFound;
}

public sealed class UserSettingsService(LifeOsDbContext db, HealthStore health, WorkQueue work, IOptions<WorkOptions> workOptions)
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

        // A new zone or day start moves every measurement whose day LifeOs worked out. Up to InlineRows of them
        // move in the same transaction: the days on every page agree with the settings as soon as they are saved.
        // More (years of minute heart rate) move in the background, a chunk per transaction, so saving never holds
        // the write lock for seconds. The settings before the change are read under the write lock, so two saves
        // cannot both miss it.
        var small = await health.HasAtMostAsync(userId, source: null, onlyDatedByLifeOs: true, workOptions.Value.InlineRows, cancellationToken);
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
        var (moved, workId) = (0, (long?)null);
        if (before.TimeZoneId != settings.TimeZoneId || before.DayStartHour != settings.DayStartHour)
        {
            // Work on the old settings is pointless now; the new work reads the settings as they are.
            await db.Set<BackgroundWork>()
                .Where(w => w.UserId == userId && w.Kind == WorkKind.Redate && (w.Status == WorkStatus.Queued || w.Status == WorkStatus.Running))
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.Status, WorkStatus.Superseded), cancellationToken);
            if (small)
            {
                moved = await health.RedateAsync(userId, cancellationToken);
            }
            else
            {
                workId = await work.EnqueueAsync(userId, WorkKind.Redate, cancellationToken: cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        if (workId is { } id)
        {
            work.Wake(id);
        }

        return new SettingsUpdateResult(errors, SamplesMoved: moved, RedateWorkId: workId);
    }
}
