using Microsoft.Extensions.Options;

namespace LifeOs.Core.Work;

/// <summary>The <c>LifeOs:Work</c> section: when work is done in the background, and in what chunks.</summary>
public sealed class WorkOptions
{
    public const string SectionName = "LifeOs:Work";

    /// <summary>
    /// Work on up to this many rows is done at once, in the request (about 0.1 s of write lock); more goes to the
    /// background worker with progress on the page.
    /// </summary>
    public int InlineRows { get; set; } = 20_000;

    /// <summary>Rows per transaction in background work: each commits in well under a second.</summary>
    public int ChunkRows { get; set; } = 5_000;
}

internal sealed class WorkOptionsValidator : IValidateOptions<WorkOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkOptions options)
    {
        var failures = new List<string>();
        if (options.InlineRows < 0)
        {
            failures.Add($"LifeOs:Work:InlineRows (env LifeOs__Work__InlineRows) is {options.InlineRows}; use 0 or more.");
        }

        if (options.ChunkRows is < 1 or > 1_000_000)
        {
            failures.Add($"LifeOs:Work:ChunkRows (env LifeOs__Work__ChunkRows) is {options.ChunkRows}; use 1 to 1,000,000.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
