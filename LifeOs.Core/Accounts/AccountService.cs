using LifeOs.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Accounts;

public sealed record UserSummary(string Id, string Email, DateTime CreatedAt, DateTime? LastSignInAt, bool TwoFactorEnabled, bool IsAdministrator, bool Disabled = false);

/// <summary>Account life cycle around Identity: who may register, the first administrator, sign-in bookkeeping.</summary>
public sealed class AccountService(
    LifeOsDbContext db,
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<LifeOsOptions> options,
    TimeProvider time)
{
    internal const string RegistrationSettingKey = "Registration";

    /// <summary>
    /// A new, unsaved user with this install's defaults. <paramref name="timeZoneId"/> is the zone the person
    /// chose at sign-up (proposed from their browser); without a known IANA id, LifeOs:DefaultTimeZone applies.
    /// </summary>
    public ApplicationUser NewUser(string email, string? timeZoneId = null) => new()
    {
        UserName = email,
        Email = email,
        // No mail server is assumed, so addresses are not confirmed by mail.
        EmailConfirmed = true,
        TimeZoneId = TimeZones.IsKnown(timeZoneId) ? timeZoneId! : options.Value.DefaultTimeZone,
        UnitSystem = UnitSystem.Metric,
        CreatedAt = time.GetUtcNow().UtcDateTime,
    };

    public async Task<RegistrationMode> GetRegistrationModeAsync(CancellationToken cancellationToken = default)
    {
        var stored = await db.AppSettings.AsNoTracking()
            .Where(s => s.Key == RegistrationSettingKey)
            .Select(s => s.Value)
            .SingleOrDefaultAsync(cancellationToken);
        return Enum.TryParse<RegistrationMode>(stored, out var mode) ? mode : options.Value.Registration;
    }

    /// <summary>Registration is possible when it is open, and always on an empty install (the first account).</summary>
    public async Task<bool> CanRegisterAsync(CancellationToken cancellationToken = default) =>
        await GetRegistrationModeAsync(cancellationToken) == RegistrationMode.Open
        || !await db.Users.AnyAsync(cancellationToken);

    public async Task SetRegistrationModeAsync(RegistrationMode mode, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var setting = await db.AppSettings.SingleOrDefaultAsync(s => s.Key == RegistrationSettingKey, cancellationToken);
        if (setting is null)
        {
            db.AppSettings.Add(new AppSetting { Key = RegistrationSettingKey, Value = mode.ToString(), UpdatedAt = now });
        }
        else
        {
            setting.Value = mode.ToString();
            setting.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Called right after a user is created: the earliest account becomes the administrator while
    /// there is none (two simultaneous first sign-ups cannot both win).
    /// </summary>
    public async Task<bool> PromoteIfFirstAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        if ((await userManager.GetUsersInRoleAsync(Roles.Administrator)).Count > 0)
        {
            return false;
        }

        var firstId = await db.Users.AsNoTracking()
            .OrderBy(u => u.CreatedAt).ThenBy(u => u.Id)
            .Select(u => u.Id)
            .FirstAsync(cancellationToken);
        if (firstId != user.Id)
        {
            return false;
        }

        if (!await roleManager.RoleExistsAsync(Roles.Administrator))
        {
            await roleManager.CreateAsync(new IdentityRole(Roles.Administrator));
        }

        var result = await userManager.AddToRoleAsync(user, Roles.Administrator);
        return result.Succeeded;
    }

    public async Task RecordSignInAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.LastSignInAt, now), cancellationToken);
    }

    public async Task<IReadOnlyList<UserSummary>> ListUsersAsync(CancellationToken cancellationToken = default)
    {
        var adminIds = await (
            from ur in db.UserRoles
            join r in db.Roles on ur.RoleId equals r.Id
            where r.Name == Roles.Administrator
            select ur.UserId).ToListAsync(cancellationToken);
        var users = await db.Users.AsNoTracking()
            .OrderBy(u => u.CreatedAt)
            .Select(u => new { u.Id, u.Email, u.CreatedAt, u.LastSignInAt, u.TwoFactorEnabled, u.LockoutEnd })
            .ToListAsync(cancellationToken);
        return users.Select(u => new UserSummary(u.Id, u.Email ?? "", u.CreatedAt, u.LastSignInAt, u.TwoFactorEnabled, adminIds.Contains(u.Id),
            u.LockoutEnd == AdministrationService.DisabledUntil)).ToList();
    }
}
