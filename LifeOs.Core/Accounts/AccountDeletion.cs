using LifeOs.Core.Connections;
using LifeOs.Core.Health.Import;
using Microsoft.AspNetCore.Identity;

namespace LifeOs.Core.Accounts;

/// <summary>
/// Deleting an account, whoever asks (the person on their account page, or an administrator): LifeOs's access at
/// Oura and Withings is revoked first, so it cannot outlive the account; the rows go with the user by cascade; the
/// files staged for a CSV import are removed.
/// </summary>
public sealed class AccountDeletion(UserManager<ApplicationUser> users, ConnectionService connections, CsvImportService imports)
{
    public async Task<IdentityResult> DeleteAsync(ApplicationUser user, CancellationToken cancellationToken = default)
    {
        await connections.RevokeAllAsync(user.Id, cancellationToken);
        var result = await users.DeleteAsync(user);
        if (result.Succeeded)
        {
            imports.DiscardAll(user.Id);
        }

        return result;
    }
}
