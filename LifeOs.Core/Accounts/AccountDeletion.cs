using LifeOs.Core.Connections;
using LifeOs.Core.Health.Import;
using LifeOs.Core.Audit;
using Microsoft.AspNetCore.Identity;

namespace LifeOs.Core.Accounts;

/// <summary>
/// Deleting an account, whoever asks (the person on their account page, or an administrator): LifeOs's access at
/// Oura and Withings is revoked first, so it cannot outlive the account; the rows go with the user by cascade; the
/// files staged for a CSV import are removed.
/// </summary>
public sealed class AccountDeletion(UserManager<ApplicationUser> users, ConnectionService connections, CsvImportService imports, AuditLog audit)
{
    /// <param name="byOwner">The person deleting their own account (an administrator's deletion is recorded as theirs).</param>
    public async Task<IdentityResult> DeleteAsync(ApplicationUser user, bool byOwner = false, CancellationToken cancellationToken = default)
    {
        await connections.RevokeAllAsync(user.Id, cancellationToken);
        var result = await users.DeleteAsync(user);
        if (result.Succeeded)
        {
            imports.DiscardAll(user.Id);
            // Their own security events go with them; that an account was deleted stays, without who it was.
            await audit.ForgetUserAsync(user.Id, cancellationToken);
            if (byOwner)
            {
                await audit.RecordAsync(AuditKind.AccountDeleted, null, anonymous: true);
            }
        }

        return result;
    }
}
