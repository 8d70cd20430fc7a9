using System.IO.Compression;

namespace LifeOs.Core.Export;

/// <summary>Builds the zip of everything LifeOs holds about one user, from every registered exporter.</summary>
public sealed class UserDataExportService(IEnumerable<IUserDataExporter> exporters)
{
    public async Task WriteZipAsync(string userId, Stream destination, CancellationToken cancellationToken)
    {
        using var archive = new ZipArchive(destination, ZipArchiveMode.Create, leaveOpen: true);
        var writer = new UserExportWriter(archive);
        foreach (var exporter in exporters.OrderBy(e => e.Order))
        {
            await exporter.ExportAsync(userId, writer, cancellationToken);
        }
    }
}
