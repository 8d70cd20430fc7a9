using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Audit;

/// <summary>The person's security activity (as on their account page), in the export.</summary>
public sealed class AuditUserDataExporter(LifeOsDbContext db) : IUserDataExporter
{
    public int Order => 60;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var events = await db.AuditEvents.AsNoTracking().Where(e => e.UserId == userId)
            .OrderBy(e => e.At).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        await writer.WriteJsonAsync("security-activity.json", events.Select(e => new
        {
            at = e.At,
            @event = e.Kind.ToString(),
            description = e.Kind.Describe(),
            detail = e.Detail,
            byAnotherPerson = e.ActorUserId is not null && e.ActorUserId != userId,
            ipAddress = e.IpAddress,
            userAgent = e.UserAgent,
        }), cancellationToken);
    }
}
