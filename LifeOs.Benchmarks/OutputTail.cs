namespace LifeOs.Benchmarks;

/// <summary>
/// The last lines a child process wrote. Children's output is drained continuously (a full pipe would
/// stall them, and the stall would be measured) but only the tail is worth showing when something fails.
/// </summary>
internal sealed class OutputTail(int capacity = 40)
{
    private readonly Queue<string> lines = new();
    private readonly Lock gate = new();

    /// <summary>Sees every line as it arrives (a benchmark reading figures the child logs).</summary>
    public Action<string>? Watch { get; set; }

    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        Watch?.Invoke(line);

        lock (gate)
        {
            lines.Enqueue(line);
            while (lines.Count > capacity)
            {
                lines.Dequeue();
            }
        }
    }

    public override string ToString()
    {
        lock (gate)
        {
            return lines.Count == 0 ? "(nothing)" : string.Join(Environment.NewLine, lines);
        }
    }

    /// <summary>Both streams of a child, labelled, for a failure message.</summary>
    public static string Describe(OutputTail standardOutput, OutputTail standardError) =>
        $"--- child stdout (tail) ---{Environment.NewLine}{standardOutput}{Environment.NewLine}" +
        $"--- child stderr (tail) ---{Environment.NewLine}{standardError}";
}
