namespace LifeOs.Benchmarks;

/// <summary>
/// The benchmark cannot produce a trustworthy figure (the app did not start, a form changed shape, a
/// cookie was refused). <see cref="Details"/> carries the evidence, typically the child's output tail.
/// </summary>
internal sealed class BenchmarkFailure(string message, string? details = null) : Exception(message)
{
    public string? Details { get; } = details;
}
