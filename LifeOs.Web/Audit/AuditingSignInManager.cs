using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LifeOs.Web.Audit;

/// <summary>
/// Identity's sign-in, with every attempt written to the audit log: each way in (password, authenticator code,
/// recovery code) succeeds or fails here, whichever page asked.
/// </summary>
public sealed class AuditingSignInManager(
    UserManager<ApplicationUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<ApplicationUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<ApplicationUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<ApplicationUser> confirmation,
    AuditLog audit)
    : SignInManager<ApplicationUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<SignInResult> PasswordSignInAsync(string userName, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var user = await UserManager.FindByNameAsync(userName);
        if (user is null)
        {
            // Not tied to any account; the administrator sees these only through the server's own log.
            await audit.RecordAsync(AuditKind.SignInFailed, null, "No account with this email");
            return SignInResult.Failed;
        }

        return await PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
    }

    public override async Task<SignInResult> PasswordSignInAsync(ApplicationUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var wasLockedOut = await UserManager.IsLockedOutAsync(user);
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        await RecordAsync(user, result, wasLockedOut, "password", "Wrong password");
        return result;
    }

    public override Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient) =>
        SecondFactorAsync(() => base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient), "password and authenticator app", "Wrong authenticator code");

    public override Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode) =>
        SecondFactorAsync(() => base.TwoFactorRecoveryCodeSignInAsync(recoveryCode), "password and a recovery code", "Wrong recovery code");

    /// <summary>The second step of a sign-in: the person is known from the first step's cookie (and gone from it after).</summary>
    private async Task<SignInResult> SecondFactorAsync(Func<Task<SignInResult>> signIn, string how, string wrong)
    {
        var user = await GetTwoFactorAuthenticationUserAsync();
        var wasLockedOut = user is not null && await UserManager.IsLockedOutAsync(user);
        var result = await signIn();
        if (user is not null)
        {
            await RecordAsync(user, result, wasLockedOut, how, wrong);
        }

        return result;
    }

    private async Task RecordAsync(ApplicationUser user, SignInResult result, bool wasLockedOut, string how, string wrong)
    {
        // A password that is right but waits for the second factor is not a sign-in yet: the second step records it.
        if (result.RequiresTwoFactor)
        {
            return;
        }

        var (kind, detail) = result switch
        {
            { Succeeded: true } => (AuditKind.SignedIn, $"With {how}"),
            { IsLockedOut: true } when AdministrationService.IsDisabled(user) => (AuditKind.SignInFailed, "The account is disabled"),
            { IsLockedOut: true } when wasLockedOut => (AuditKind.SignInFailed, "The account was locked after failed attempts"),
            { IsLockedOut: true } => (AuditKind.LockedOut, $"{wrong}; locked for a while after too many attempts"),
            { IsNotAllowed: true } => (AuditKind.SignInFailed, "Not allowed to sign in"),
            _ => (AuditKind.SignInFailed, wrong),
        };
        await audit.RecordAsync(kind, user.Id, detail, actorUserId: user.Id);
    }
}
