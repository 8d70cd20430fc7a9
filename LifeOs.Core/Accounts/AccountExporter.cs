using LifeOs.Core.Data;
using LifeOs.Core.Export;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Accounts;

/// <summary>The account and its settings, for the export zip. Secrets (hashes, keys, stamps) stay out.</summary>
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
        var sources = await priorities.GetGroupsAsync(userId, cancellationToken);

        await writer.WriteJsonAsync("account.json", new
        {
            user.Email,
            user.UserName,
            user.CreatedAt,
            user.LastSignInAt,
            TwoFactorEnabled = user.TwoFactorEnabled,
            Roles = roles,
            ExternalLogins = logins,
            Settings = new
            {
                user.TimeZoneId,
                user.UnitSystem,
                user.DayStartHour,
                SourcePriorities = sources.Select(g => new { g.Group, Order = g.Order, g.IsDefault }),
            },
        }, cancellationToken);
    }
}
