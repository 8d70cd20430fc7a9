using LifeOs.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Accounts;

public enum RegistrationOutcome
{
    Created,

    /// <summary>Registration is invite-only and no invitation came with the request.</summary>
    InvitationRequired,

    /// <summary>The invitation that came with the request cannot be used: see <see cref="RegistrationResult.Invitation"/>.</summary>
    InvitationRefused,

    /// <summary>Identity refused the account (email taken, weak password): see <see cref="RegistrationResult.Errors"/>.</summary>
    Invalid,
}

public sealed record RegistrationResult(RegistrationOutcome Outcome, InvitationState? Invitation = null, IReadOnlyList<IdentityError>? Errors = null)
{
    public bool Succeeded => Outcome == RegistrationOutcome.Created;
}

public sealed record UserSummary(string Id, string Email, DateTime CreatedAt, DateTime? LastSignInAt, bool TwoFactorEnabled, bool IsAdministrator, bool Disabled = false);

/// <summary>Account life cycle around Identity: who may register, the first administrator, sign-in bookkeeping.</summary>
public sealed class AccountService(
    LifeOsDbContext db,
    UserManager<ApplicationUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<LifeOsOptions> options,
    InvitationService invitations,
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

    /// <summary>
    /// The administrator's choice at /admin when they made one (a stored "Closed" is the older name of invite-only),
    /// else LifeOs:Registration, else invite-only.
    /// </summary>
    public async Task<RegistrationMode> GetRegistrationModeAsync(CancellationToken cancellationToken = default)
    {
        var stored = await db.AppSettings.AsNoTracking()
            .Where(s => s.Key == RegistrationSettingKey)
            .Select(s => s.Value)
            .SingleOrDefaultAsync(cancellationToken);
        return RegistrationModes.TryParse(stored, out var mode) ? mode
            : options.Value.ConfiguredRegistration() ?? RegistrationMode.InviteOnly;
    }

    /// <summary>Registration is possible when it is open, and always on an empty install (the first account).</summary>
    public async Task<bool> CanRegisterAsync(CancellationToken cancellationToken = default) =>
        await GetRegistrationModeAsync(cancellationToken) == RegistrationMode.Open
        || !await db.Users.AnyAsync(cancellationToken);

    /// <summary>
    /// Creates the account when registration is open, the install is empty, or <paramref name="invitationToken"/> is
    /// a valid invitation for this email. The invitation is used in the same transaction as the account is created:
    /// a link never creates two accounts, and a refused account (email taken, weak password) leaves it usable.
    /// </summary>
    public async Task<RegistrationResult> RegisterAsync(ApplicationUser user, string password, string? invitationToken, CancellationToken cancellationToken = default)
    {
        // On SQLite this is BEGIN IMMEDIATE: registrations take turns, and the check below sees the last one's account.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var open = await CanRegisterAsync(cancellationToken);
        InvitationCheck? invitation = string.IsNullOrWhiteSpace(invitationToken) ? null : await invitations.CheckAsync(invitationToken, cancellationToken);
        if (!open)
        {
            if (invitation is null)
            {
                return new RegistrationResult(RegistrationOutcome.InvitationRequired);
            }

            if (!invitation.IsValid || !InvitationService.IsFor(invitation, user.Email ?? ""))
            {
                return new RegistrationResult(RegistrationOutcome.InvitationRefused, invitation.IsValid ? InvitationState.OtherEmail : invitation.State);
            }
        }

        var created = await userManager.CreateAsync(user, password);
        if (!created.Succeeded)
        {
            await RollBackAsync(transaction);
            return new RegistrationResult(RegistrationOutcome.Invalid, Errors: [.. created.Errors]);
        }

        // With open registration a valid link is marked used too (the administrator sees who joined with it); a bad one is ignored.
        if (invitation is { IsValid: true } && (!open || InvitationService.IsFor(invitation, user.Email ?? "")))
        {
            var redeemed = await invitations.RedeemAsync(invitationToken!, user.Email ?? "", user.Id, cancellationToken);
            if (redeemed != InvitationState.Valid && !open)
            {
                await RollBackAsync(transaction);
                return new RegistrationResult(RegistrationOutcome.InvitationRefused, redeemed);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new RegistrationResult(RegistrationOutcome.Created);

        async Task RollBackAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction tx)
        {
            await tx.RollbackAsync(CancellationToken.None);
            // The context believed the rolled-back rows saved.
            db.ChangeTracker.Clear();
        }
    }

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
            .Where(u => u.DeletedAt == null)
            .OrderBy(u => u.CreatedAt)
            .Select(u => new { u.Id, u.Email, u.CreatedAt, u.LastSignInAt, u.TwoFactorEnabled, u.LockoutEnd })
            .ToListAsync(cancellationToken);
        return users.Select(u => new UserSummary(u.Id, u.Email ?? "", u.CreatedAt, u.LastSignInAt, u.TwoFactorEnabled, adminIds.Contains(u.Id),
            u.LockoutEnd == AdministrationService.DisabledUntil)).ToList();
    }
}
