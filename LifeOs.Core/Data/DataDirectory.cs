namespace LifeOs.Core.Data;

/// <summary>
/// The one directory that holds everything a LifeOs install must keep: the SQLite database and the pre-migration
/// backups. The DataProtection key ring is in the database; installs from before that keep a <c>keys/</c> folder,
/// which <see cref="KeyRingImport"/> copies in.
/// </summary>
public sealed class DataDirectory
{
    public DataDirectory(string path)
    {
        Root = Path.GetFullPath(path);
    }

    public string Root { get; }

    public string DatabasePath => Path.Combine(Root, "lifeos.db");

    /// <summary>Where the key ring was kept before it moved into the database.</summary>
    public string KeysPath => Path.Combine(Root, "keys");

    public string BackupsPath => Path.Combine(Root, "backups");

    /// <summary>Creates the directory tree and proves it can be written, or stops start-up with a message a self-hoster can act on.</summary>
    public void EnsureWritable()
    {
        try
        {
            Directory.CreateDirectory(Root);
            Directory.CreateDirectory(BackupsPath);
            var probe = Path.Combine(Root, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllText(probe, "ok");
            File.Delete(probe);
            RestrictToOwner();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException(
                $"The data directory '{Root}' cannot be written ({ex.Message}). Set LifeOs:DataDirectory " +
                "(environment variable LifeOs__DataDirectory) to a writable directory, or give the app's user write access to it.",
                ex);
        }
    }

    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Health data, journal text and the keys that decrypt provider tokens are for the app's user alone: the
    /// directories become rwx------ (so nothing inside is reachable by other users, whatever mode SQLite or
    /// DataProtection create files with) and the files already there rw-------. Best effort: a directory the app
    /// does not own (a mounted volume) keeps its mode, and Windows uses its ACLs.
    /// </summary>
    public void RestrictToOwner()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // keys/ exists only in installs from before the key ring moved into the database.
        var folders = new[] { KeysPath, BackupsPath }.Where(Directory.Exists).ToList();
        foreach (var directory in folders.Prepend(Root))
        {
            TrySetMode(directory, OwnerOnlyDirectory);
        }

        foreach (var file in Directory.EnumerateFiles(Root, "lifeos.db*")
            .Concat(folders.SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))))
        {
            TrySetMode(file, OwnerOnlyFile);
        }
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void TrySetMode(string path, UnixFileMode mode)
    {
        try
        {
            if (File.GetUnixFileMode(path) != mode)
            {
                File.SetUnixFileMode(path, mode);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not ours to change (or gone meanwhile): the directory modes above still keep other users out.
        }
    }
}

/// <summary>A start-up problem the operator must fix; the host prints its message without a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
