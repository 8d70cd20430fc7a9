using System.Diagnostics;
using System.Net;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// One LifeOs instance of a cluster as a real child process: the built LifeOs.Web on a free loopback port, on the same
/// PostgreSQL database and Quartz cluster as its peers. Settings use configuration keys (<c>Sync:MaxConcurrency</c>)
/// and become environment variables. Killed with its process tree on dispose.
/// </summary>
public sealed class ClusterInstance : IDisposable
{
    private readonly ChildProcess process;
    private bool ended;

    public ClusterInstance(string name, IReadOnlyDictionary<string, string?> settings)
    {
        Name = name;
        var port = ChildProcess.FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var bin = Path.Combine(RepositoryRoot.Path, "LifeOs.Web", "bin", "Debug", "net10.0");
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/'),
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (key, value) in settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value ?? "";
        }

        process = new ChildProcess("dotnet", [Path.Combine(bin, "LifeOs.Web.dll")], environment, bin);
    }

    public string Name { get; }

    public Uri BaseAddress { get; }

    /// <summary>What the instance logged so far, for assertion messages and to see which instance did what.</summary>
    public string Output => process.Output;

    /// <summary>Waits for /healthz to answer (polling, as a load balancer would).</summary>
    public async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            Assert.False(process.HasExited, $"instance {Name} exited:\n{Output}");
            try
            {
                if ((await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, cancellationToken);
        }

        throw new TimeoutException($"instance {Name} did not become healthy:\n{Output}");
    }

    /// <summary>
    /// Whether one of <paramref name="instances"/> logs <paramref name="text"/> within <paramref name="within"/>. The console
    /// logger writes from its own queue and the test reads the pipe on another thread, so a line logged just after a
    /// database write can reach <see cref="Output"/> a moment after the test sees that write.
    /// </summary>
    public static async Task<bool> AnyLogsAsync(IReadOnlyCollection<ClusterInstance> instances, string text, TimeSpan within, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!instances.Any(i => i.Output.Contains(text, StringComparison.Ordinal)))
        {
            if (clock.Elapsed > within)
            {
                return false;
            }

            await Task.Delay(50, cancellationToken);
        }

        return true;
    }

    /// <summary>Ends the process at once, as a crash or an OOM kill would: no shutdown, no cleanup.</summary>
    public void Kill() => Dispose();

    public void Dispose()
    {
        if (!ended)
        {
            ended = true;
            process.Dispose();
        }
    }
}
