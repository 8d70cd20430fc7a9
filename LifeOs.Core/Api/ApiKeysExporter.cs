using LifeOs.Core.Data;
using LifeOs.Core.Export;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Api;

/// <summary>api-keys.json in the export: each key's name, prefix, scopes and use. Never the hash (nor, of course, the key).</summary>
internal sealed class ApiKeysExporter(LifeOsDbContext db) : IUserDataExporter
{
    public int Order => 58;

    public async Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId)
            .OrderBy(k => k.CreatedAt).ThenBy(k => k.Id)
            .Select(k => new { k.Name, k.Prefix, k.Scopes, k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.LastUsedIp, k.RevokedAt })
            .ToListAsync(cancellationToken);
        await writer.WriteJsonAsync("api-keys.json", keys.Select(k => new
        {
            name = k.Name,
            prefix = k.Prefix,
            scopes = ApiScopes.Parse(k.Scopes),
            createdAt = k.CreatedAt,
            expiresAt = k.ExpiresAt,
            lastUsedAt = k.LastUsedAt,
            lastUsedIp = k.LastUsedIp,
            revokedAt = k.RevokedAt,
        }), cancellationToken);
    }
}
