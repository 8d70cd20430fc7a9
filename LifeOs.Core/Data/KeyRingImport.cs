using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Data;

/// <summary>
/// The DataProtection key ring used to live in the data directory's <c>keys/</c> folder; it lives in the database now,
/// so that every instance on one database reads the same keys. At start-up, keys and revocations in the folder that
/// the table lacks are copied in as the EF Core repository stores them (friendly name = file name), so cookies and
/// provider tokens encrypted before the move still open. Each is copied once: a later start finds it by name. The
/// folder is left as it was, so a restored older backup (or an older LifeOs) still finds its keys.
/// </summary>
public sealed class KeyRingImport(LifeOsDbContext db, DataDirectory dataDirectory, ILogger<KeyRingImport> logger)
{
    /// <returns>How many keys (and revocations) were copied.</returns>
    public async Task<int> ImportAsync(CancellationToken cancellationToken = default)
    {
        var files = Directory.Exists(dataDirectory.KeysPath) ? Directory.GetFiles(dataDirectory.KeysPath, "*.xml") : [];
        if (files.Length == 0)
        {
            return 0;
        }

        var stored = (await db.DataProtectionKeys.Select(k => k.FriendlyName).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var missing = files.Where(file => !stored.Contains(Path.GetFileNameWithoutExtension(file))).Order(StringComparer.Ordinal).ToList();
        foreach (var file in missing)
        {
            db.DataProtectionKeys.Add(new DataProtectionKey
            {
                FriendlyName = Path.GetFileNameWithoutExtension(file),
                Xml = XElement.Load(file).ToString(SaveOptions.DisableFormatting),
            });
        }

        if (missing.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            logger.LogInformation("Copied {Count} DataProtection key file(s) from {Folder} into the database, where the key ring is kept now", missing.Count, dataDirectory.KeysPath);
        }

        return missing.Count;
    }
}
