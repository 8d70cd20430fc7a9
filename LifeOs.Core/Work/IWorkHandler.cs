namespace LifeOs.Core.Work;

/// <summary>
/// Does one kind of <see cref="BackgroundWork"/>, a chunk at a time, reporting after each. Registered keyed by its
/// <see cref="WorkKind"/> (WorkServiceCollectionExtensions).
/// </summary>
public interface IWorkHandler
{
    /// <summary>
    /// Runs (or resumes after <see cref="BackgroundWork.Cursor"/>) the work. Each chunk commits on its own and
    /// reports through <paramref name="progress"/>, so a restart resumes after the last chunk.
    /// </summary>
    /// <returns>What it did, for people.</returns>
    Task<string> RunAsync(BackgroundWork work, WorkProgress progress, CancellationToken cancellationToken);
}

/// <summary>Thrown by a handler for a failure to tell the person as it is (a file that no longer passes its checks).</summary>
public sealed class WorkFailedException(string message) : Exception(message);
