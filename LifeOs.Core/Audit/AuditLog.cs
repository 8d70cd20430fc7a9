using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Audit;

/// <summary>An event as a person reads it: <paramref name="ByAnotherPerson"/> when someone else (an administrator) did it.</summary>
public sealed record AuditEntry(long Id, DateTime At, AuditKind Kind, string? Detail, string? IpAddress, string? UserAgent, bool ByAnotherPerson);

/// <summary>An administrator's action, for the admin page: who did it, to which account (by email, kept in the detail).</summary>
public sealed record AdminAuditEntry(long Id, DateTime At, AuditKind Kind, string? ActorEmail, string? Detail, string? IpAddress);

public sealed class AuditOptions
{
    public const string SectionName = "LifeOs:Audit";

    /// <summary>Events older than this many days are deleted once a day.</summary>
    public int RetentionDays { get; set; } = 365;
}

internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options) =>
        options.RetentionDays is >= 1 and <= 3650
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"LifeOs:Audit:RetentionDays (env LifeOs__Audit__RetentionDays) is {options.RetentionDays}; keep the audit log between 1 and 3650 days.");
}

/// <summary>
/// The audit log: sign-ins, security changes, connections, exports and imports, API keys and administrators'
/// actions. Recording never fails the action it records (a failed write is logged), and never takes part in the
/// caller's change tracking: each event is one INSERT.
/// </summary>
public sealed class AuditLog(LifeOsDbContext db, IAuditClient client, TimeProvider time, IOptions<AuditOptions> options, ILogger<AuditLog> logger)
{
    private const int MaxUserAgent = 300;
    private const int MaxDetail = 500;

    /// <summary>
    /// Set while an administrator acts on someone's account in this scope: what Identity then changes (two-factor off,
    /// a new password) is recorded once, as the administrator's action, not also as the person's own change.
    /// </summary>
    public string? ActingAdministratorId { get; set; }

    private static readonly AuditKind[] AdminKinds = [.. Enum.GetValues<AuditKind>().Where(k => k.IsAdminAction() || k == AuditKind.AccountDeleted)];

    /// <param name="actorUserId">Who did it, when the caller knows better than the request (an administrator's action).</param>
    /// <param name="anonymous">Keep nothing about who or where (an account deleted by its owner).</param>
    public async Task RecordAsync(AuditKind kind, string? userId, string? detail = null, string? actorUserId = null, bool anonymous = false)
    {
        var at = time.GetUtcNow().UtcDateTime;
        var kindName = kind.ToString();
        var (actor, ip, agent) = anonymous ? (null, null, null) : (actorUserId ?? client.ActorUserId, Truncate(client.IpAddress, 64), Truncate(client.UserAgent, MaxUserAgent));
        detail = Truncate(detail, MaxDetail);
        try
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""INSERT INTO "AuditEvents" ("At", "Kind", "UserId", "ActorUserId", "IpAddress", "UserAgent", "Detail") VALUES ({at}, {kindName}, {userId}, {actor}, {ip}, {agent}, {detail})""",
                CancellationToken.None);
        }
        catch (Exception ex) when (ex is DbUpdateException or System.Data.Common.DbException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not record the audit event {Kind} for {UserId}", kind, userId);
        }
    }

    /// <summary>The person's own events, newest first: everything about their account, including what an administrator did to it.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ForUserAsync(string userId, int take = 50, CancellationToken cancellationToken = default)
    {
        var rows = await db.Set<AuditEvent>().AsNoTracking()
            .Where(e => e.UserId == userId)
            .OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Take(take)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(e => new AuditEntry(e.Id, e.At, e.Kind, e.Detail, e.IpAddress, e.UserAgent, e.ActorUserId is not null && e.ActorUserId != userId));
    }

    /// <summary>What administrators did (and accounts their owners deleted), newest first.</summary>
    public async Task<IReadOnlyList<AdminAuditEntry>> AdminActionsAsync(int take = 100, CancellationToken cancellationToken = default)
    {
        var rows = await (
            from e in db.Set<AuditEvent>().AsNoTracking()
            where AdminKinds.Contains(e.Kind)
            join u in db.Users on e.ActorUserId equals u.Id into actors
            from actor in actors.DefaultIfEmpty()
            orderby e.At descending, e.Id descending
            select new { e.Id, e.At, e.Kind, ActorEmail = actor == null ? null : actor.Email, e.Detail, e.IpAddress })
            .Take(take)
            .ToListAsync(cancellationToken);
        return rows.ConvertAll(r => new AdminAuditEntry(r.Id, r.At, r.Kind, r.ActorEmail, r.Detail, r.IpAddress));
    }

    /// <summary>Deletes events older than the retention period; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken = default)
    {
        var before = time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        return await db.Set<AuditEvent>().Where(e => e.At < before).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>With the account: the person's own events go (administrators' records of what they did stay).</summary>
    public Task<int> ForgetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        db.Set<AuditEvent>().Where(e => e.UserId == userId && !AdminKinds.Contains(e.Kind)).ExecuteDeleteAsync(cancellationToken);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
