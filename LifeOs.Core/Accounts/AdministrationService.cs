using System.Buffers.Text;
using System.Text;
using LifeOs.Core.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Accounts;

public enum AdminOutcome
{
    Done,

    /// <summary>No such user (or not one an administrator may act on this way).</summary>
    NotFound,

    /// <summary>Refused: it would leave the server without an administrator, or lock the acting administrator out.</summary>
    Refused,

    /// <summary>The email is not valid or already has an account.</summary>
    Invalid,
}

/// <param name="ResetCode">For a new account or a password reset: the code of the one-time link to /Account/ResetPassword.</param>
public sealed record AdminResult(AdminOutcome Outcome, string Message, string? ResetCode = null)
{
    public bool Succeeded => Outcome == AdminOutcome.Done;
}

/// <summary>
/// What an administrator can do for the people on the server without a mail server: create an account with a
/// one-time link to choose a password, reset a forgotten password the same way (the link is valid for 24 hours and
/// once: Identity's token is bound to the security stamp, which the reset changes), reset a lost authenticator,
/// disable and enable, delete, and promote or demote administrators. Nothing here can leave the server without an
/// administrator, and an administrator cannot disable or delete themself (their own account page does that).
/// </summary>
public sealed class AdministrationService(
    UserManager<ApplicationUser> users,
    RoleManager<IdentityRole> roles,
    AccountService accounts,
    AccountDeletion deletion,
    AuditLog audit,
    ILogger<AdministrationService> logger)
{
    /// <summary>Disabled accounts are locked out until the end of time; the Login page tells them apart from a lockout.</summary>
    public static readonly DateTimeOffset DisabledUntil = DateTimeOffset.MaxValue;

    public static bool IsDisabled(ApplicationUser user) => user.LockoutEnd == DisabledUntil;

    public async Task<AdminResult> CreateUserAsync(string actorId, string email, CancellationToken cancellationToken = default)
    {
        audit.ActingAdministratorId = actorId;
        email = email.Trim();
        if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email) || email.Length > 256)
        {
            return new AdminResult(AdminOutcome.Invalid, $"'{email}' is not an email address.");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return new AdminResult(AdminOutcome.Invalid, $"{email} already has an account.");
        }

        var user = accounts.NewUser(email);
        var created = await users.CreateAsync(user);
        if (!created.Succeeded)
        {
            return new AdminResult(AdminOutcome.Invalid, string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        logger.LogInformation("Administrator {ActorId} created the account {UserId}", actorId, user.Id);
        await audit.RecordAsync(AuditKind.AdminCreatedUser, user.Id, email, actorId);
        return new AdminResult(AdminOutcome.Done, $"Created an account for {email}. Send them this link to choose a password; it works once, for 24 hours.",
            await ResetCodeAsync(user));
    }

    public Task<AdminResult> PasswordResetLinkAsync(string actorId, string userId) =>
        WithUserAsync(actorId, userId, async user =>
        {
            logger.LogInformation("Administrator {ActorId} made a password reset link for {UserId}", actorId, user.Id);
            await audit.RecordAsync(AuditKind.AdminCreatedPasswordLink, user.Id, user.Email, actorId);
            return new AdminResult(AdminOutcome.Done, $"Send {user.Email} this link to choose a new password; it works once, for 24 hours. Their current password keeps working until then.",
                await ResetCodeAsync(user));
        });

    public Task<AdminResult> ResetTwoFactorAsync(string actorId, string userId) =>
        WithUserAsync(actorId, userId, async user =>
        {
            if (!user.TwoFactorEnabled)
            {
                return new AdminResult(AdminOutcome.Refused, $"{user.Email} does not use two-factor sign-in.");
            }

            await users.SetTwoFactorEnabledAsync(user, false);
            // A new key (and security stamp): the lost authenticator's codes and the old recovery codes stop working.
            await users.ResetAuthenticatorKeyAsync(user);
            logger.LogInformation("Administrator {ActorId} reset two-factor sign-in of {UserId}", actorId, user.Id);
            await audit.RecordAsync(AuditKind.AdminResetTwoFactor, user.Id, user.Email, actorId);
            return new AdminResult(AdminOutcome.Done, $"{user.Email} signs in with their password alone until they set up an authenticator again.");
        });

    public Task<AdminResult> SetDisabledAsync(string actorId, string userId, bool disabled) =>
        WithUserAsync(actorId, userId, async user =>
        {
            if (user.Id == actorId)
            {
                return new AdminResult(AdminOutcome.Refused, "You cannot disable your own account.");
            }

            await users.SetLockoutEnabledAsync(user, true);
            await users.SetLockoutEndDateAsync(user, disabled ? DisabledUntil : null);
            await users.ResetAccessFailedCountAsync(user);
            // Signs them out everywhere: cookies and open pages are checked against the stamp.
            await users.UpdateSecurityStampAsync(user);
            logger.LogInformation("Administrator {ActorId} {Action} {UserId}", actorId, disabled ? "disabled" : "enabled", user.Id);
            await audit.RecordAsync(disabled ? AuditKind.AdminDisabledUser : AuditKind.AdminEnabledUser, user.Id, user.Email, actorId);
            return new AdminResult(AdminOutcome.Done, disabled
                ? $"{user.Email} is disabled: signed out everywhere and cannot sign in. Their data is kept."
                : $"{user.Email} can sign in again.");
        });

    public Task<AdminResult> DeleteAsync(string actorId, string userId, CancellationToken cancellationToken = default) =>
        WithUserAsync(actorId, userId, async user =>
        {
            if (user.Id == actorId)
            {
                return new AdminResult(AdminOutcome.Refused, "Delete your own account from your account page.");
            }

            if (await users.IsInRoleAsync(user, Roles.Administrator) && await AdministratorCountAsync() <= 1)
            {
                return new AdminResult(AdminOutcome.Refused, "The last administrator cannot be deleted.");
            }

            var result = await deletion.DeleteAsync(user, cancellationToken: cancellationToken);
            if (!result.Succeeded)
            {
                return new AdminResult(AdminOutcome.Refused, string.Join(" ", result.Errors.Select(e => e.Description)));
            }

            logger.LogInformation("Administrator {ActorId} deleted the account {UserId}", actorId, user.Id);
            await audit.RecordAsync(AuditKind.AdminDeletedUser, user.Id, user.Email, actorId);
            return new AdminResult(AdminOutcome.Done, $"Deleted {user.Email} and everything it held.");
        });

    public Task<AdminResult> SetAdministratorAsync(string actorId, string userId, bool administrator) =>
        WithUserAsync(actorId, userId, async user =>
        {
            var isAdministrator = await users.IsInRoleAsync(user, Roles.Administrator);
            if (isAdministrator == administrator)
            {
                return new AdminResult(AdminOutcome.Done, administrator ? $"{user.Email} is already an administrator." : $"{user.Email} is not an administrator.");
            }

            if (!administrator && await AdministratorCountAsync() <= 1)
            {
                return new AdminResult(AdminOutcome.Refused, "The last administrator cannot stop being one: make someone else an administrator first.");
            }

            if (administrator && !await roles.RoleExistsAsync(Roles.Administrator))
            {
                await roles.CreateAsync(new IdentityRole(Roles.Administrator));
            }

            var result = administrator
                ? await users.AddToRoleAsync(user, Roles.Administrator)
                : await users.RemoveFromRoleAsync(user, Roles.Administrator);
            if (!result.Succeeded)
            {
                return new AdminResult(AdminOutcome.Refused, string.Join(" ", result.Errors.Select(e => e.Description)));
            }

            // The role is a claim in their cookie: a new stamp makes it follow at their next request.
            await users.UpdateSecurityStampAsync(user);
            logger.LogInformation("Administrator {ActorId} {Action} {UserId}", actorId, administrator ? "promoted" : "demoted", user.Id);
            await audit.RecordAsync(administrator ? AuditKind.AdminPromotedUser : AuditKind.AdminDemotedUser, user.Id, user.Email, actorId);
            return new AdminResult(AdminOutcome.Done, administrator ? $"{user.Email} is now an administrator." : $"{user.Email} is no longer an administrator.");
        });

    private async Task<int> AdministratorCountAsync() => (await users.GetUsersInRoleAsync(Roles.Administrator)).Count;

    private async Task<string> ResetCodeAsync(ApplicationUser user) =>
        Base64Url.EncodeToString(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));

    private async Task<AdminResult> WithUserAsync(string actorId, string userId, Func<ApplicationUser, Task<AdminResult>> action)
    {
        audit.ActingAdministratorId = actorId;
        return await users.FindByIdAsync(userId) is { } user
            ? await action(user)
            : new AdminResult(AdminOutcome.NotFound, "There is no such account.");
    }
}
