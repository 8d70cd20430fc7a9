using Microsoft.Data.Sqlite;

namespace LifeOs.Tests.TestSupport;

public static class TempDirectory
{
    public static string Create(string prefix)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    public static void Delete(string path)
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finishing host; the OS temp cleaner gets it.
        }
    }
}

/// <summary>A fresh, writable LifeOs data directory that is deleted afterwards.</summary>
public sealed class TempDataDirectory : IDisposable
{
    public TempDataDirectory()
    {
        Directory = new LifeOs.Core.Data.DataDirectory(TempDirectory.Create("lifeos-data"));
        Directory.EnsureWritable();
    }

    public LifeOs.Core.Data.DataDirectory Directory { get; }

    public void Dispose() => TempDirectory.Delete(Directory.Root);
}
