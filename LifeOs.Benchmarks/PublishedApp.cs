using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LifeOs.Benchmarks;

/// <param name="PublishDirectory">Holds LifeOs.Web.dll.</param>
/// <param name="ScratchDirectory">Where each run's data directory is created (and deleted).</param>
/// <param name="Environment">Extra variables from --env; they win over the defaults.</param>
internal sealed record AppLaunchSettings(string PublishDirectory, string ScratchDirectory, IReadOnlyDictionary<string, string> Environment);

/// <summary>
/// One run of the published LifeOs.Web as a child process (<c>dotnet LifeOs.Web.dll</c>), in Production,
/// on a free loopback port and a fresh, empty data directory, so every start creates and migrates a new
/// database exactly as a first install does. Disposing kills the whole process tree and deletes the data.
/// </summary>
internal sealed class PublishedApp : IAsyncDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private readonly Process process;
    private readonly string dataDirectory;
    private long startedAt;

    private PublishedApp(AppLaunchSettings settings, string dataDirectory, int port)
    {
        var publishDirectory = settings.PublishDirectory;
        this.dataDirectory = dataDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}");

        var startInfo = new ProcessStartInfo("dotnet")
        {
            // The content root defaults to the working directory: appsettings.json and the static web
            // assets manifest are found there, as they are when the app is deployed.
            WorkingDirectory = publishDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(publishDirectory, WebPublisher.EntryAssembly));
        startInfo.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        startInfo.Environment["LifeOs__DataDirectory"] = dataDirectory;
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in settings.Environment)
        {
            startInfo.Environment[name] = value;
        }

        process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => StandardOutput.Add(e.Data);
        process.ErrorDataReceived += (_, e) => StandardError.Add(e.Data);
    }

    public Uri BaseAddress { get; }

    /// <summary>The run's data directory (database file <c>lifeos.db</c>), for scenarios that seed data in-process.</summary>
    public string DataDirectory => dataDirectory;

    /// <summary>CPU time the app process has used so far (user + system, from /proc; 10 ms resolution), or null where there is no /proc.</summary>
    public TimeSpan? CpuTime
    {
        get
        {
            try
            {
                // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name.
                var stat = File.ReadAllText($"/proc/{process.Id}/stat");
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
                return TimeSpan.FromMilliseconds(ticks * 10);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                return null;
            }
        }
    }

    public OutputTail StandardOutput { get; } = new();

    public OutputTail StandardError { get; } = new();

    public string Tail => OutputTail.Describe(StandardOutput, StandardError);

    /// <summary>The app's process id (the <c>dotnet</c> host runs the app in its own process), for /proc and diagnostics.</summary>
    public int ProcessId => process.Id;

    /// <param name="dataDirectory">A data directory prepared beforehand (it is deleted on disposal like a fresh
    /// one); null for a new, empty one.</param>
    public static PublishedApp Start(AppLaunchSettings settings, string? dataDirectory = null)
    {
        dataDirectory ??= Directory.CreateDirectory(Path.Combine(settings.ScratchDirectory, $"data-{Guid.NewGuid():N}")).FullName;
        var app = new PublishedApp(settings, dataDirectory, FreeLoopbackPort());
        app.startedAt = Stopwatch.GetTimestamp();
        app.process.Start();
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        return app;
    }

    /// <summary>
    /// Polls <paramref name="path"/> every 20 ms until it answers 200 with its full body.
    /// </summary>
    /// <returns>Time from <see cref="Process.Start()"/> to that first 200.</returns>
    public async Task<TimeSpan> WaitUntilServingAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var probe = CreateProbeClient(BaseAddress);
        string lastAnswer = "no answer";
        while (true)
        {
            if (process.HasExited)
            {
                throw new BenchmarkFailure($"The app exited with code {process.ExitCode} before serving {path}.", Tail);
            }

            var remaining = timeout - Stopwatch.GetElapsedTime(startedAt);
            if (remaining <= TimeSpan.Zero)
            {
                throw new BenchmarkFailure($"The app did not serve {path} with 200 within {timeout.TotalSeconds:0} s (last answer: {lastAnswer}).", Tail);
            }

            try
            {
                // No per-attempt limit beyond the overall one: once Kestrel accepts, a slow first
                // render is exactly what is being measured.
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(remaining);
                using var response = await probe.GetAsync(path, attempt.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return Stopwatch.GetElapsedTime(startedAt);
                }

                lastAnswer = $"{(int)response.StatusCode} {response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                lastAnswer = ex.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                lastAnswer = "timed out";
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Sends one doomed request to a closed port. The first HttpClient request of this process pays for
    /// JIT-compiling the client stack; that cost belongs to the benchmark, not to the app's start time.
    /// </summary>
    public static async Task WarmUpProbeAsync(CancellationToken cancellationToken)
    {
        using var probe = CreateProbeClient(new Uri($"http://127.0.0.1:{FreeLoopbackPort()}"));
        try
        {
            using var response = await probe.GetAsync("/", cancellationToken);
        }
        catch (HttpRequestException)
        {
            // Expected: nothing listens there.
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            Log.Info($"Warning: could not confirm that app process {process.Id} exited ({ex.Message}).");
        }
        finally
        {
            process.Dispose();
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.Info($"Warning: could not delete '{dataDirectory}' ({ex.Message}).");
        }
    }

    private static HttpClient CreateProbeClient(Uri baseAddress) =>
        new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
        {
            BaseAddress = baseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };

    /// <summary>
    /// Asks the OS for a free port by binding to port 0. The port is released before the app binds it;
    /// on a quiet machine nothing else grabs it in between.
    /// </summary>
    private static int FreeLoopbackPort()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }
}
