using System.IO.Compression;
using System.Text;

namespace LifeOs.Core.Export;

/// <summary>Builds the zip of everything LifeOs holds about one user, from every registered exporter.</summary>
public sealed class UserDataExportService(IEnumerable<IUserDataExporter> exporters, TimeProvider time)
{
    /// <summary>
    /// The export's format, in account.json: raised when a file's meaning changes (not when one is added), so a restore
    /// refuses an export it would misread. Exports made before it was written are format 1.
    /// </summary>
    public const int FormatVersion = 1;

    /// <summary>Streams the zip to <paramref name="destination"/>, which need not be seekable (an HTTP response).</summary>
    public async Task WriteZipAsync(string userId, Stream destination, CancellationToken cancellationToken)
    {
        var archive = await ZipArchive.CreateAsync(destination, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: Encoding.UTF8, cancellationToken);
        await using (archive.ConfigureAwait(false))
        {
            var writer = new UserExportWriter(archive);
            await writer.WriteTextAsync("README.txt", $"""
                LifeOs export, made {time.GetUtcNow():yyyy-MM-dd HH:mm} UTC.

                Everything LifeOs holds about your account, except secrets: no password hash, no
                two-factor key and no provider tokens. Times ending in Z are UTC; dates are your
                local days. Health values are in each metric's canonical unit, named in the files.
                """, cancellationToken);
            foreach (var exporter in exporters.OrderBy(e => e.Order))
            {
                await exporter.ExportAsync(userId, writer, cancellationToken);
            }
        }
    }
}
