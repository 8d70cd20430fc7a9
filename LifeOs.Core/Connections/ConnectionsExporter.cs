using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Connections;

/// <summary>connections.json in the export: which accounts are linked and how, never the tokens.</summary>
internal sealed class ConnectionsExporter(LifeOsDbContext db) : IUserDataExporter
{
    public int Order => 50;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var connections = await db.Set<Connection>().AsNoTracking()
            .Where(c => c.UserId == userId)
            .OrderBy(c => c.Provider)
            .Select(c => new
            {
                c.Provider,
                c.ProviderUserId,
                c.Status,
                c.StatusDetail,
                c.GrantedScopes,
                c.ConnectedAt,
                c.LastRefreshedAt,
                c.LastSyncedAt,
            })
            .ToListAsync(cancellationToken);
        await writer.WriteJsonAsync("connections.json", connections, cancellationToken);
    }
}
