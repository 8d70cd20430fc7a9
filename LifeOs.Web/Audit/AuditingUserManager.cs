using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LifeOs.Web.Audit;

/// <summary>
/// Identity's user manager, with the security changes a person makes to their own account written to the audit log
/// (password, two-factor, recovery codes, email) wherever they are made. What an administrator does to someone's
/// account is recorded by <see cref="AdministrationService"/> as an admin action, so it is not written twice.
/// </summary>
public sealed class AuditingUserManager(
    IUserStore<ApplicationUser> store,
    IOptions<IdentityOptions> optionsAccessor,
    IPasswordHasher<ApplicationUser> passwordHasher,
    IEnumerable<IUserValidator<ApplicationUser>> userValidators,
    IEnumerable<IPasswordValidator<ApplicationUser>> passwordValidators,
    ILookupNormalizer keyNormalizer,
    IdentityErrorDescriber errors,
    IServiceProvider services,
    ILogger<UserManager<ApplicationUser>> logger,
    IAuditClient client)
    : UserManager<ApplicationUser>(store, optionsAccessor, passwordHasher, userValidators, passwordValidators, keyNormalizer, errors, services, logger)
{
    public override async Task<IdentityResult> ChangePasswordAsync(ApplicationUser user, string currentPassword, string newPassword) =>
        await RecordAsync(user, await base.ChangePasswordAsync(user, currentPassword, newPassword), AuditKind.PasswordChanged);

    public override async Task<IdentityResult> AddPasswordAsync(ApplicationUser user, string password) =>
        await RecordAsync(user, await base.AddPasswordAsync(user, password), AuditKind.PasswordSet);

    public override async Task<IdentityResult> ResetPasswordAsync(ApplicationUser user, string token, string newPassword) =>
        await RecordAsync(user, await base.ResetPasswordAsync(user, token, newPassword), AuditKind.PasswordReset);

    public override async Task<IdentityResult> SetTwoFactorEnabledAsync(ApplicationUser user, bool enabled) =>
        await RecordAsync(user, await base.SetTwoFactorEnabledAsync(user, enabled), enabled ? AuditKind.TwoFactorEnabled : AuditKind.TwoFactorDisabled);

    public override async Task<IEnumerable<string>?> GenerateNewTwoFactorRecoveryCodesAsync(ApplicationUser user, int number)
    {
        var codes = await base.GenerateNewTwoFactorRecoveryCodesAsync(user, number);
        if (codes is not null)
        {
            await RecordAsync(user, IdentityResult.Success, AuditKind.RecoveryCodesGenerated);
        }

        return codes;
    }

    public override async Task<IdentityResult> ChangeEmailAsync(ApplicationUser user, string newEmail, string token)
    {
        var before = user.Email;
        return await RecordAsync(user, await base.ChangeEmailAsync(user, newEmail, token), AuditKind.EmailChanged, $"From {before} to {newEmail}");
    }

    private async Task<IdentityResult> RecordAsync(ApplicationUser user, IdentityResult result, AuditKind kind, string? detail = null)
    {
        // The person themself, signed in or following their reset link; an administrator's actions are recorded as such.
        var audit = ServiceProvider.GetRequiredService<AuditLog>();
        if (result.Succeeded && audit.ActingAdministratorId is null && (client.ActorUserId is null || client.ActorUserId == user.Id))
        {
            await audit.RecordAsync(kind, user.Id, detail, actorUserId: user.Id);
        }

        return result;
    }
}
