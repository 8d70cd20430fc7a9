using LifeOs.Core.Audit;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Core.Work;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Accounts;

/// <summary>
/// Deleting an account, whoever asks (the person on their account page, or an administrator): LifeOs's access at
/// Oura and Withings is revoked first, so it cannot outlive the account. A small account goes at once, in one
/// transaction (its rows by cascade). A large one (years of minute heart rate) is closed at once in one transaction
/// (it cannot sign in, is listed nowhere, its connections are gone) and its rows are deleted by background work in
/// short transactions, which a restart resumes. Either way the staged CSV uploads and the person's own audit events go.
/// </summary>
public sealed class AccountDeletion(
    LifeOsDbContext db,
    UserManager<ApplicationUser> users,
    ConnectionService connections,
    HealthStore health,
    CsvImportService imports,
    AuditLog audit,
    WorkQueue work,
    IOptions<WorkOptions> workOptions,
    TimeProvider time)
{
    /// <param name="byOwner">The person deleting their own account (an administrator's deletion is recorded as theirs).</param>
    public async Task<IdentityResult> DeleteAsync(ApplicationUser user, bool byOwner = false, CancellationToken cancellationToken = default)
    {
        await connections.RevokeAllAsync(user.Id, cancellationToken);
        if (!await health.HasAtMostAsync(user.Id, source: null, onlyDatedByLifeOs: false, workOptions.Value.InlineRows, cancellationToken))
        {
            await CloseAndQueueAsync(user, cancellationToken);
        }
        else
        {
            var result = await users.DeleteAsync(user);
            if (!result.Succeeded)
            {
                return result;
            }

            await ForgetAsync(user.Id, cancellationToken);
        }

        if (byOwner)
        {
            await audit.RecordAsync(AuditKind.AccountDeleted, null, anonymous: true);
        }

        return IdentityResult.Success;
    }

    /// <summary>The last step of either way: what lives outside the user's rows.</summary>
    internal async Task ForgetAsync(string userId, CancellationToken cancellationToken)
    {
        imports.DiscardAll(userId);
        await audit.ForgetUserAsync(userId, cancellationToken);
    }

    private async Task CloseAndQueueAsync(ApplicationUser user, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The address is free again at once (someone may sign up with it), and nothing can sign in to the account.
        var gone = $"deleted-{user.Id}@deleted.invalid";
        long workId;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s
                .SetProperty(u => u.DeletedAt, now)
                .SetProperty(u => u.UserName, gone)
                .SetProperty(u => u.NormalizedUserName, gone.ToUpperInvariant())
                .SetProperty(u => u.Email, gone)
                .SetProperty(u => u.NormalizedEmail, gone.ToUpperInvariant())
                .SetProperty(u => u.PasswordHash, (string?)null)
                .SetProperty(u => u.LockoutEnabled, true)
                .SetProperty(u => u.LockoutEnd, AdministrationService.DisabledUntil)
                .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N")), cancellationToken);
            await db.Connections.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
            workId = await work.EnqueueAsync(user.Id, WorkKind.AccountDeletion, cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        work.Wake(workId);
    }
}

/// <summary>Deletes a closed account's rows a chunk per transaction, then the account itself.</summary>
public sealed class AccountDeletionWork(LifeOsDbContext db, UserManager<ApplicationUser> users, AccountDeletion deletion, IOptions<WorkOptions> options) : IWorkHandler
{
    public async Task<string> RunAsync(BackgroundWork work, WorkProgress progress, CancellationToken cancellationToken)
    {
        var userId = work.UserId;
        var chunkRows = options.Value.ChunkRows;
        if (work.Total == 0)
        {
            await progress.SetTotalAsync(await db.SamplesOf(userId).CountAsync(cancellationToken), cancellationToken);
        }

        // Samples are the one big table (minute heart rate); what is left (daily values, journal, goals) is small and
        // goes with the user by cascade in the last transaction.
        var done = work.Done;
        int deleted;
        do
        {
            var chunk = db.SamplesOf(userId).OrderBy(x => x.Id).Select(x => x.Id).Take(chunkRows);
            deleted = await db.Samples.Where(s => chunk.Contains(s.Id)).ExecuteDeleteAsync(cancellationToken);
            done += deleted;
            await progress.ReportAsync(done, done, cancellationToken);
        }
        while (deleted == chunkRows);

        if (await users.FindByIdAsync(userId) is { } user)
        {
            var result = await users.DeleteAsync(user);
            if (!result.Succeeded)
            {
                throw new WorkFailedException(string.Join(" ", result.Errors.Select(e => e.Description)));
            }
        }

        await deletion.ForgetAsync(userId, cancellationToken);
        return $"The account and its {done:N0} values are deleted.";
    }
}
