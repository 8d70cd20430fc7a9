using System.Xml.Linq;

namespace LifeOs.Benchmarks;

/// <summary>
/// Publishes LifeOs.Web the way it ships (Release, linux-x64, framework-dependent) into a scratch directory.
/// </summary>
/// <remarks>
/// The publish runs on a snapshot of the sources, not in the working tree: `-r linux-x64` restores every
/// project for that RID, which adds a "net10.0/linux-x64" section to LifeOs.Core/packages.lock.json, and
/// it rewrites obj/project.assets.json under whatever else is building there (tests, an IDE). A snapshot
/// leaves the tree exactly as it was and measures one consistent state of the code even mid-edit.
/// </remarks>
internal static class WebPublisher
{
    public const string SolutionFile = "LifeOs.sln";
    public const string WebProject = "LifeOs.Web/LifeOs.Web.csproj";
    public const string EntryAssembly = "LifeOs.Web.dll";

    // Build output, IDE state, and anything that is neither source nor needed to build it.
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.Ordinal)
    {
        "bin", "obj", ".git", ".vs", ".idea", "node_modules", "TestResults",
    };

    /// <summary>Walks up from <paramref name="start"/> to the directory holding LifeOs.sln.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, SolutionFile)))
            {
                return directory.FullName;
            }
        }

        throw new BenchmarkFailure($"No {SolutionFile} in '{start}' or any directory above it; run from inside the repository.");
    }

    /// <returns>The publish directory.</returns>
    public static async Task<string> PublishAsync(string repositoryRoot, string scratchDirectory, CancellationToken cancellationToken)
    {
        var sourceRoot = Path.Combine(scratchDirectory, "src");
        SnapshotSources(repositoryRoot, sourceRoot);
        return await PublishSourcesAsync(sourceRoot, Path.Combine(scratchDirectory, "publish"), cancellationToken);
    }

    /// <summary>Publishes the web project of a source tree laid out like the repository (a snapshot, or another ref's files).</summary>
    /// <returns>The publish directory.</returns>
    public static async Task<string> PublishSourcesAsync(string sourceRoot, string publishDirectory, CancellationToken cancellationToken)
    {
        string[] arguments =
        [
            "publish", WebProject, "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", publishDirectory, "-nologo",
        ];
        Log.Info($"dotnet {string.Join(' ', arguments)}   (in a snapshot of the sources: {sourceRoot})");
        var outcome = await ChildProcess.RunAsync("dotnet", arguments, sourceRoot, cancellationToken);
        if (outcome.ExitCode != 0)
        {
            throw new BenchmarkFailure($"dotnet publish failed with exit code {outcome.ExitCode}.", outcome.Tail);
        }

        Log.Info($"Published in {outcome.Elapsed.TotalSeconds:0.0} s.");
        return RequirePublishDirectory(publishDirectory);
    }

    public static string RequirePublishDirectory(string directory)
    {
        var fullPath = Path.GetFullPath(directory);
        return File.Exists(Path.Combine(fullPath, EntryAssembly))
            ? fullPath
            : throw new BenchmarkFailure($"'{fullPath}' is not a LifeOs.Web publish directory: it has no {EntryAssembly}.");
    }

    /// <summary>
    /// Copies the repository's top-level files (Directory.*.props, global.json, .editorconfig, ...) and the
    /// directories of LifeOs.Web and every project it references, keeping the relative layout.
    /// </summary>
    private static void SnapshotSources(string repositoryRoot, string destinationRoot)
    {
        Directory.CreateDirectory(destinationRoot);
        foreach (var file in Directory.EnumerateFiles(repositoryRoot))
        {
            File.Copy(file, Path.Combine(destinationRoot, Path.GetFileName(file)));
        }

        foreach (var projectDirectory in ProjectClosure(Path.Combine(repositoryRoot, WebProject)))
        {
            var relative = Path.GetRelativePath(repositoryRoot, projectDirectory);
            if (relative.StartsWith("..", StringComparison.Ordinal))
            {
                throw new BenchmarkFailure($"Project directory '{projectDirectory}' lies outside the repository; cannot snapshot it.");
            }

            // A project's own "data" directory is the app's default LifeOs:DataDirectory in development:
            // a live database and key ring, not source. It may be in use, and it must not reach the build.
            CopyDirectory(projectDirectory, Path.Combine(destinationRoot, relative), skip: Path.Combine(projectDirectory, "data"));
        }
    }

    private static IEnumerable<string> ProjectClosure(string projectFile)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(projectFile)]);
        while (pending.TryPop(out var project))
        {
            if (!seen.Add(project))
            {
                continue;
            }

            var projectDirectory = Path.GetDirectoryName(project)!;
            yield return projectDirectory;
            foreach (var reference in XDocument.Load(project).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")?.Value;
                if (!string.IsNullOrWhiteSpace(include))
                {
                    // Project files write Windows separators; normalise them for Linux.
                    pending.Push(Path.GetFullPath(Path.Combine(projectDirectory, include.Replace('\\', Path.DirectorySeparatorChar))));
                }
            }
        }
    }

    private static void CopyDirectory(string source, string destination, string skip)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            if (!SkippedDirectories.Contains(Path.GetFileName(directory)) && directory != skip)
            {
                CopyDirectory(directory, Path.Combine(destination, Path.GetFileName(directory)), skip);
            }
        }
    }
}
