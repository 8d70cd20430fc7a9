namespace LifeOs.Core.Export;

/// <summary>
/// One area of the app (accounts, health, journal, connections, goals…) writing its share of a
/// user's data into the export zip. Every registered exporter runs for every export, so a new
/// table joins the export by registering one of these, not by editing the export service.
/// </summary>
public interface IUserDataExporter
{
    /// <summary>Runs in ascending order; ties by registration order.</summary>
    int Order => 0;

    Task ExportAsync(string userId, UserExportWriter writer, CancellationToken cancellationToken);
}
