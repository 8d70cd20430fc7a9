using LifeOs.Core.Data;
using LifeOs.Core.Export;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Accounts;

/// <summary>
/// account.json in the export: the account, its roles, sign-in methods and settings. Secrets stay out: the
/// password hash, security and concurrency stamps, the authenticator key and recovery codes (AspNetUserTokens),
/// and passkeys' key material.
/// </summary>
internal sealed class AccountExporter(LifeOsDbContext db, SourcePriorityService priorities) : IUserDataExporter
{
    public int Order => -100;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, cancellationToken);
        var roles = await db.UserRoles.Where(r => r.UserId == userId)
            .Join(db.Roles, ur => ur.RoleId, r => r.Id, (_, r) => r.Name)
            .ToListAsync(cancellationToken);
        var logins = await db.UserLogins.Where(l => l.UserId == userId).Select(l => l.LoginProvider).ToListAsync(cancellationToken);
        var claims = await db.UserClaims.Where(c => c.UserId == userId).OrderBy(c => c.Id)
            .Select(c => new { Type = c.ClaimType, Value = c.ClaimValue })
            .ToListAsync(cancellationToken);
        var passkeys = (await db.UserPasskeys.AsNoTracking().Where(p => p.UserId == userId).ToListAsync(cancellationToken))
            .Select(p => new { p.Data.Name, p.Data.CreatedAt, p.Data.Transports })
            .OrderBy(p => p.CreatedAt)
            .ToList();
        var sources = await priorities.GetGroupsAsync(userId, cancellationToken);

        await writer.WriteJsonAsync("account.json", new
        {
            // Read by the restore, which refuses an export of a format newer than it knows.
            UserDataExportService.FormatVersion,
            user.Email,
            user.UserName,
            user.PhoneNumber,
            user.CreatedAt,
            user.LastSignInAt,
            TwoFactorEnabled = user.TwoFactorEnabled,
            Roles = roles,
            ExternalLogins = logins,
            Passkeys = passkeys,
            Claims = claims,
            Settings = new
            {
                user.TimeZoneId,
                user.UnitSystem,
                user.DayStartHour,
                Appearance = user.ThemeMode,
                SourcePriorities = sources.Select(g => new { g.Group, Order = g.Order, g.IsDefault }),
            },
        }, cancellationToken);
    }
}
