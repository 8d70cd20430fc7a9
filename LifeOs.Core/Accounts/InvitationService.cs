using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using LifeOs.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Accounts;

/// <summary>What an invitation is now, for the administrator's list.</summary>
public enum InvitationStatus
{
    Pending,
    Used,
    Expired,
    Revoked,
}

/// <summary>What a link is worth to the person who opened it.</summary>
public enum InvitationState
{
    Valid,

    /// <summary>No invitation has this token (mistyped, cut off, or never made).</summary>
    Unknown,
    Used,
    Expired,
    Revoked,

    /// <summary>The invitation names another email than the one given.</summary>
    OtherEmail,
}

/// <param name="Email">The email the invitation is for, when it names one (only said for a valid link).</param>
public sealed record InvitationCheck(InvitationState State, string? Email = null)
{
    public bool IsValid => State == InvitationState.Valid;
}

/// <param name="Token">For a new invitation: the token of its link, shown this once (only its hash is kept).</param>
public sealed record InvitationResult(AdminOutcome Outcome, string Message, string? Token = null)
{
    public bool Succeeded => Outcome == AdminOutcome.Done;
}

public sealed record InvitationSummary(
    int Id,
    string? Email,
    InvitationStatus Status,
    DateTime CreatedAt,
    string? CreatedByEmail,
    DateTime ExpiresAt,
    DateTime? UsedAt,
    string? UsedByEmail,
    DateTime? RevokedAt);

/// <summary>
/// Invitations: single-use links with an expiry that let someone create an account while registration is
/// invite-only. An administrator makes one (optionally for one email), sends the link, and can revoke it until it is
/// used. Redeeming is one conditional UPDATE, so a link creates at most one account however many people use it at
/// once. Administrator actions go through this class (a place for an audit hook).
/// </summary>
public sealed class InvitationService(
    LifeOsDbContext db,
    UserManager<ApplicationUser> users,
    TimeProvider time,
    Audit.AuditLog audit,
    ILogger<InvitationService> logger)
{
    public const int DefaultDays = 7;
    public const int MinDays = 1;
    public const int MaxDays = 30;

    public async Task<InvitationResult> CreateAsync(string actorId, string? email, int days = DefaultDays, CancellationToken cancellationToken = default)
    {
        if (!await IsAdministratorAsync(actorId))
        {
            return new InvitationResult(AdminOutcome.Refused, "Only an administrator can invite people.");
        }

        if (days is < MinDays or > MaxDays)
        {
            return new InvitationResult(AdminOutcome.Invalid, $"An invitation lasts between {MinDays} and {MaxDays} days.");
        }

        email = string.IsNullOrWhiteSpace(email) ? null : email.Trim();
        if (email is not null)
        {
            if (!new System.ComponentModel.DataAnnotations.EmailAddressAttribute().IsValid(email) || email.Length > 256)
            {
                return new InvitationResult(AdminOutcome.Invalid, $"'{email}' is not an email address.");
            }

            if (await users.FindByEmailAsync(email) is not null)
            {
                return new InvitationResult(AdminOutcome.Invalid, $"{email} already has an account.");
            }
        }

        var token = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var now = Now();
        db.Invitations.Add(new Invitation
        {
            TokenHash = Hash(token),
            Email = email,
            CreatedByUserId = actorId,
            CreatedAt = now,
            ExpiresAt = now.AddDays(days),
        });
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Administrator {ActorId} made an invitation valid for {Days} days", actorId, days);
        await audit.RecordAsync(Audit.AuditKind.AdminCreatedInvitation, null, email is null ? $"For anyone, {days} days" : $"For {email}, {days} days", actorId);
        var lasts = days == 1 ? "1 day" : $"{days} days";
        return new InvitationResult(AdminOutcome.Done,
            email is null
                ? $"Send this link to the person you invite: it creates one account, within {lasts}. It is shown only now."
                : $"Send this link to {email}: it creates their account, within {lasts}. It is shown only now.",
            token);
    }

    /// <summary>Every invitation, newest first, with what became of it.</summary>
    public async Task<IReadOnlyList<InvitationSummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = Now();
        var rows = await (
            from i in db.Invitations.AsNoTracking()
            join c in db.Users on i.CreatedByUserId equals c.Id into creators
            from c in creators.DefaultIfEmpty()
            join u in db.Users on i.UsedByUserId equals u.Id into usedBy
            from u in usedBy.DefaultIfEmpty()
            orderby i.CreatedAt descending, i.Id descending
            select new { Invitation = i, CreatedByEmail = c.Email, UsedByEmail = u.Email }).ToListAsync(cancellationToken);
        return rows.Select(r => new InvitationSummary(r.Invitation.Id, r.Invitation.Email, StatusOf(r.Invitation, now), r.Invitation.CreatedAt,
            r.CreatedByEmail, r.Invitation.ExpiresAt, r.Invitation.UsedAt, r.UsedByEmail, r.Invitation.RevokedAt)).ToList();
    }

    /// <summary>Stops a pending invitation's link from working.</summary>
    public async Task<InvitationResult> RevokeAsync(string actorId, int invitationId, CancellationToken cancellationToken = default)
    {
        if (!await IsAdministratorAsync(actorId))
        {
            return new InvitationResult(AdminOutcome.Refused, "Only an administrator can revoke invitations.");
        }

        var now = Now();
        var revoked = await db.Invitations
            .Where(i => i.Id == invitationId && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now), cancellationToken);
        if (revoked == 1)
        {
            logger.LogInformation("Administrator {ActorId} revoked the invitation {InvitationId}", actorId, invitationId);
            await audit.RecordAsync(Audit.AuditKind.AdminRevokedInvitation, null, $"Invitation {invitationId}", actorId);
            return new InvitationResult(AdminOutcome.Done, "Invitation revoked: its link no longer works.");
        }

        var invitation = await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == invitationId, cancellationToken);
        return invitation is null
            ? new InvitationResult(AdminOutcome.NotFound, "There is no such invitation.")
            : new InvitationResult(AdminOutcome.Refused, StatusOf(invitation, now) switch
            {
                InvitationStatus.Used => "This invitation was already used.",
                InvitationStatus.Expired => "This invitation has already expired.",
                _ => "This invitation was already revoked.",
            });
    }

    /// <summary>What the link with this token is worth now (without using it).</summary>
    public async Task<InvitationCheck> CheckAsync(string? token, CancellationToken cancellationToken = default)
    {
        var invitation = await FindAsync(token, cancellationToken);
        if (invitation is null)
        {
            return new InvitationCheck(InvitationState.Unknown);
        }

        return StatusOf(invitation, Now()) switch
        {
            InvitationStatus.Pending => new InvitationCheck(InvitationState.Valid, invitation.Email),
            InvitationStatus.Used => new InvitationCheck(InvitationState.Used),
            InvitationStatus.Expired => new InvitationCheck(InvitationState.Expired),
            _ => new InvitationCheck(InvitationState.Revoked),
        };
    }

    /// <summary>
    /// Uses the invitation for the account <paramref name="userId"/> with <paramref name="email"/>: exactly one caller
    /// gets <see cref="InvitationState.Valid"/>, even when several try the same link at once. Call it in the
    /// transaction that creates the account, so that a failed creation leaves the link usable.
    /// </summary>
    public async Task<InvitationState> RedeemAsync(string token, string email, string userId, CancellationToken cancellationToken = default)
    {
        token = token.Trim();
        var check = await CheckAsync(token, cancellationToken);
        if (!check.IsValid)
        {
            return check.State;
        }

        if (!IsFor(check, email))
        {
            return InvitationState.OtherEmail;
        }

        var hash = Hash(token);
        var now = Now();
        var used = await db.Invitations
            .Where(i => i.TokenHash == hash && i.UsedAt == null && i.RevokedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.UsedAt, now).SetProperty(i => i.UsedByUserId, userId), cancellationToken);
        if (used == 1)
        {
            logger.LogInformation("The invitation for the new account {UserId} is used", userId);
            return InvitationState.Valid;
        }

        // Someone else got there first (or it was revoked or expired meanwhile): say which.
        var after = await CheckAsync(token, cancellationToken);
        return after.IsValid ? InvitationState.Used : after.State;
    }

    /// <summary>Whether a valid invitation lets <paramref name="email"/> register: it names no email, or this one.</summary>
    public static bool IsFor(InvitationCheck check, string email) =>
        check.Email is null || string.Equals(check.Email.Trim(), email.Trim(), StringComparison.OrdinalIgnoreCase);

    internal static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private async Task<Invitation?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        // Tokens are 43 characters of base64url; anything much longer is not one (and is not hashed).
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token.Trim());
        return await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
    }

    private static InvitationStatus StatusOf(Invitation invitation, DateTime now) =>
        invitation.UsedAt is not null ? InvitationStatus.Used
        : invitation.RevokedAt is not null ? InvitationStatus.Revoked
        : invitation.ExpiresAt <= now ? InvitationStatus.Expired
        : InvitationStatus.Pending;

    private async Task<bool> IsAdministratorAsync(string actorId) =>
        await users.FindByIdAsync(actorId) is { } actor
        && !AdministrationService.IsDisabled(actor)
        && await users.IsInRoleAsync(actor, Roles.Administrator);

    private DateTime Now() => time.GetUtcNow().UtcDateTime;
}
