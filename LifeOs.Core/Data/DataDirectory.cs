namespace LifeOs.Core.Data;

/// <summary>
/// The one directory that holds everything a LifeOs install must keep: the SQLite database, the
/// DataProtection key ring and the pre-migration backups.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(string path)
    {
        Root = Path.GetFullPath(path);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "lifeos.db");

    public string KeysPath => Path.Combine(Root, "keys");

    public string BackupsPath => Path.Combine(Root, "backups");

    /// <summary>Creates the directory tree and proves it can be written, or stops start-up with a message a self-hoster can act on.</summary>
    public void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(KeysPath);
            Directory.CreateDirectory(BackupsPath);
            var probe = Path.Combine(Root, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"The data directory '{Root}' cannot be written ({ex.Message}). Set LifeOs:DataDirectory " +
                "(environment variable LifeOs__DataDirectory) to a writable directory, or give the app's user write access to it.",
                ex);
        }
    }
}

/// <summary>A start-up problem the operator must fix; the host prints its message without a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
