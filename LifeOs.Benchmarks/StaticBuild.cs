namespace LifeOs.Benchmarks;

/// <summary>
/// The static SSR LifeOs to compare first paint with: another git ref of this repository (main), exported with
/// <c>git archive</c> into the scratch directory (the repository, its worktrees and branches are left alone)
/// and published exactly as <see cref="WebPublisher"/> publishes this one.
/// </summary>
/// <param name="Commit">The commit the ref pointed to, so the figures say what they were compared with.</param>
internal sealed record StaticBuild(string Ref, string Commit, string PublishDirectory)
{
    /// <summary>The first static-SSR commit of main the comparison is meant against (issue 13).</summary>
    public const string OldestComparable = "40daa69";

    public static async Task<StaticBuild> PrepareAsync(string repositoryRoot, string gitRef, string? existingPublish, string scratchDirectory, CancellationToken cancellationToken)
    {
        var commit = (await GitAsync(repositoryRoot, ["rev-parse", "--verify", "--quiet", gitRef + "^{commit}"], cancellationToken)).Trim();
        var ancestor = await ChildProcess.RunAsync("git", ["merge-base", "--is-ancestor", OldestComparable, commit], repositoryRoot, cancellationToken);
        if (ancestor.ExitCode != 0)
        {
            Log.Info($"Warning: {gitRef} ({commit[..10]}) does not contain {OldestComparable}; the static figures are from an older main than issue 13 compares with.");
        }

        if (existingPublish is not null)
        {
            Log.Info($"Static app: reusing {existingPublish} as the publish of {gitRef} ({commit[..10]}).");
            return new StaticBuild(gitRef, commit, WebPublisher.RequirePublishDirectory(existingPublish));
        }

        var sourceRoot = Directory.CreateDirectory(Path.Combine(scratchDirectory, "static-src")).FullName;
        var archive = Path.Combine(scratchDirectory, "static-src.tar");
        Log.Info($"Static app: git archive {gitRef} ({commit[..10]}) → {sourceRoot}");
        await GitAsync(repositoryRoot, ["archive", "--format=tar", "-o", archive, commit], cancellationToken);
        var untar = await ChildProcess.RunAsync("tar", ["-xf", archive, "-C", sourceRoot], scratchDirectory, cancellationToken);
        if (untar.ExitCode != 0)
        {
            throw new BenchmarkFailure($"Could not unpack the archive of {gitRef}.", untar.Tail);
        }

        File.Delete(archive);
        var publish = await WebPublisher.PublishSourcesAsync(sourceRoot, Path.Combine(scratchDirectory, "static-publish"), cancellationToken);
        return new StaticBuild(gitRef, commit, publish);
    }

    private static async Task<string> GitAsync(string repositoryRoot, string[] arguments, CancellationToken cancellationToken)
    {
        var outcome = await ChildProcess.RunAsync("git", arguments, repositoryRoot, cancellationToken);
        return outcome.ExitCode == 0
            ? outcome.StandardOutput.ToString()
            : throw new BenchmarkFailure($"git {string.Join(' ', arguments)} failed with exit code {outcome.ExitCode}.", outcome.Tail);
    }
}
