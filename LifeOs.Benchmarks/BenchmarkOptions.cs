using System.Globalization;

namespace LifeOs.Benchmarks;

/// <summary>Command-line options. The defaults are the ones the published figures are quoted with.</summary>
internal sealed record BenchmarkOptions
{
    public static readonly string Usage = $"""
        Usage: dotnet run -c Release --project LifeOs.Benchmarks -- [scenario] [options]

          scenario             one of: {Scenarios.Names} (default foundation)

          --cold-runs N        cold starts to time (default 5)
          --clients N          concurrent HTTP clients in the load test (default 32)
          --seconds N          measured seconds per endpoint (default 10)
          --warmup N           warm-up seconds per endpoint, not measured (default 2; dashboard 10)
          --json PATH          where to write the JSON result (default BenchmarkResults/<scenario>.json)
          --skip-publish DIR   reuse an existing publish directory instead of publishing
          --keep-publish       keep the publish directory and print its path (for --skip-publish)
          --env KEY=VALUE      extra environment variable for the app, repeatable
                               (e.g. --env DOTNET_gcServer=0, as the Dockerfile sets)
          --postgres           dashboard scenario: the app and its data on PostgreSQL (a throwaway
                               cluster, as the tests start one) instead of SQLite

          circuits scenario:
          --page PATH          the interactive page under test (default /)
          --circuits N,M,...   concurrent circuits to hold, ascending (default 100,500)
          --requests N         measured first-paint requests per app (default 200)
          --switches N         measured range switches in the browser (default 30)
          --switch-to SEL      Playwright selector of the control that switches to 1 year (default text="1 year")
          --switch-back SEL    ... and back to 30 days (default text="30 days")
          --static-ref REF     git ref of the static SSR app to compare first paint with (default main)
          --skip-static-publish DIR  reuse a publish of that ref instead of publishing it
          --hold N             keep the most circuits open N more seconds before closing them, to
                               inspect the app (e.g. dotnet-gcdump collect -p PID; the PID is logged)
          --only PARTS         run only some parts: cold,paint,memory,interaction (comma-separated);
                               ingest scenario: sqlite or postgres
          -h, --help           show this help
        """;

    public string Scenario { get; init; } = "foundation";
    public int ColdRuns { get; init; } = 5;
    public int Clients { get; init; } = 32;
    public int Seconds { get; init; } = 10;
    public int WarmupSeconds => Warmup ?? 2;

    /// <summary>--warmup when given; <see cref="WarmupSeconds"/> otherwise, or a scenario's own default (<see cref="WarmupOr"/>).</summary>
    public int? Warmup { get; init; }

    public int WarmupOr(int scenarioDefault) => Warmup ?? scenarioDefault;
    public string JsonPath
    {
        get => jsonPath ?? Path.Combine("BenchmarkResults", Scenario + ".json");
        init => jsonPath = value;
    }

    private readonly string? jsonPath;
    public string? SkipPublishDirectory { get; init; }
    public bool KeepPublish { get; init; }
    public IReadOnlyDictionary<string, string> AppEnvironment { get; init; } = new Dictionary<string, string>();
    public bool ShowHelp { get; init; }
    public bool Postgres { get; init; }
    public string Page { get; init; } = "/";
    public IReadOnlyList<int> CircuitCounts { get; init; } = [100, 500];
    public int Requests { get; init; } = 200;
    public int Switches { get; init; } = 30;
    public int HoldSeconds { get; init; }
    public string SwitchTo { get; init; } = "text=\"1 year\"";
    public string SwitchBack { get; init; } = "text=\"30 days\"";
    public string StaticRef { get; init; } = "main";
    public string? SkipStaticPublishDirectory { get; init; }
    public IReadOnlySet<string> Only { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>True when no --only was given or it names <paramref name="part"/>.</summary>
    public bool Runs(string part) => Only.Count == 0 || Only.Contains(part);

    /// <exception cref="UsageException">An option is unknown, lacks its value or has a bad value.</exception>
    public static BenchmarkOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchmarkOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (i == 0 && !name.StartsWith('-'))
            {
                options = options with { Scenario = Scenarios.IsKnown(name) ? name : throw new UsageException($"Unknown scenario '{name}'. Known: {Scenarios.Names}.") };
                continue;
            }

            options = name switch
            {
                "--cold-runs" => options with { ColdRuns = PositiveInt(name, ValueOf(args, ref i)) },
                "--clients" => options with { Clients = PositiveInt(name, ValueOf(args, ref i)) },
                "--seconds" => options with { Seconds = PositiveInt(name, ValueOf(args, ref i)) },
                "--warmup" => options with { Warmup = NonNegativeInt(name, ValueOf(args, ref i)) },
                "--json" => options with { JsonPath = ValueOf(args, ref i) },
                "--skip-publish" => options with { SkipPublishDirectory = ValueOf(args, ref i) },
                "--keep-publish" => options with { KeepPublish = true },
                "--env" => options with { AppEnvironment = WithVariable(options.AppEnvironment, ValueOf(args, ref i)) },
                "--page" => options with { Page = PagePath(ValueOf(args, ref i)) },
                "--circuits" => options with { CircuitCounts = Ascending(name, ValueOf(args, ref i)) },
                "--requests" => options with { Requests = PositiveInt(name, ValueOf(args, ref i)) },
                "--switches" => options with { Switches = PositiveInt(name, ValueOf(args, ref i)) },
                "--hold" => options with { HoldSeconds = NonNegativeInt(name, ValueOf(args, ref i)) },
                "--switch-to" => options with { SwitchTo = ValueOf(args, ref i) },
                "--switch-back" => options with { SwitchBack = ValueOf(args, ref i) },
                "--static-ref" => options with { StaticRef = ValueOf(args, ref i) },
                "--skip-static-publish" => options with { SkipStaticPublishDirectory = ValueOf(args, ref i) },
                "--only" => options with { Only = Parts(ValueOf(args, ref i)) },
                "--postgres" => options with { Postgres = true },
                "-h" or "--help" => options with { ShowHelp = true },
                _ => throw new UsageException($"Unknown option '{name}'."),
            };
        }

        return options;
    }

    private static string ValueOf(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new UsageException($"Option '{args[i]}' needs a value.");
        }

        return args[++i];
    }

    private static Dictionary<string, string> WithVariable(IReadOnlyDictionary<string, string> environment, string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            throw new UsageException($"Option '--env' needs KEY=VALUE, not '{assignment}'.");
        }

        return new Dictionary<string, string>(environment, StringComparer.Ordinal) { [assignment[..equals]] = assignment[(equals + 1)..] };
    }

    private static string PagePath(string value) =>
        value.StartsWith('/') ? value : throw new UsageException($"Option '--page' needs a path starting with '/', not '{value}'.");

    private static int[] Ascending(string name, string value)
    {
        var counts = value.Split(',', StringSplitOptions.TrimEntries).Select(part => PositiveInt(name, part)).ToArray();
        return counts.SequenceEqual(counts.Order().Distinct())
            ? counts
            : throw new UsageException($"Option '{name}' needs ascending whole numbers, e.g. 100,500, not '{value}'.");
    }

    private static readonly string[] KnownParts = ["cold", "paint", "memory", "interaction", "sqlite", "postgres", "both", "killed"];

    private static HashSet<string> Parts(string value)
    {
        var parts = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = parts.Except(KnownParts).ToList();
        return unknown.Count == 0 && parts.Count > 0
            ? parts
            : throw new UsageException($"Option '--only' takes {string.Join(", ", KnownParts)}, not '{value}'.");
    }

    private static int PositiveInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new UsageException($"Option '{name}' needs a whole number above zero, not '{value}'.");

    private static int NonNegativeInt(string name, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new UsageException($"Option '{name}' needs a whole number, not '{value}'.");
}

internal sealed class UsageException(string message) : Exception(message);
