using System.Diagnostics;
using System.Net;
using System.Text;
using Microsoft.Data.Sqlite;

namespace LifeOs.Benchmarks;

/// <param name="Interactive">The prerendered interactive page of this branch.</param>
/// <param name="Static">The same path on the static SSR app of <paramref name="StaticRef"/>.</param>
/// <param name="P95Ratio">Interactive p95 ÷ static p95 (goal ≤ 1.2).</param>
internal sealed record FirstPaintResult(
    string Path,
    string StaticRef,
    string StaticCommit,
    int WarmupRequests,
    FirstPaintSide Interactive,
    FirstPaintSide Static,
    double P95Ratio,
    double GoalRatio,
    long Errors);

/// <param name="HtmlBytes">Body size of the last response.</param>
/// <param name="ServerMarkers">Interactive server component markers in the page (0 on a static page).</param>
/// <param name="PersistedStateBytes">Size of the Blazor-Server-Component-State comment's payload.</param>
internal sealed record FirstPaintSide(int Requests, double P50Ms, double P95Ms, double P99Ms, double MeanMs, long HtmlBytes, int ServerMarkers, long PersistedStateBytes, long Errors);

/// <summary>
/// First paint, side by side: the prerendered interactive page and the static SSR page of another ref, both
/// published, both on the same data (the static app runs on a copy of the seeded database and key ring, so the
/// same sign-in cookie is valid on both), one request at a time, alternating between the two apps so that
/// whatever else the machine does falls on both alike. Latency is to the last byte of the HTML.
/// </summary>
internal sealed class FirstPaintBenchmark(PublishedApp interactiveApp, StaticBuild staticBuild, CookieContainer session, BenchmarkOptions options)
{
    public const double GoalRatio = 1.2;

    public async Task<FirstPaintResult> RunAsync(string scratchDirectory, CancellationToken cancellationToken)
    {
        var dataDirectory = CopyDataDirectory(interactiveApp.DataDirectory, scratchDirectory);
        await using var staticApp = PublishedApp.Start(new AppLaunchSettings(staticBuild.PublishDirectory, scratchDirectory, options.AppEnvironment), dataDirectory);
        await staticApp.WaitUntilServingAsync(ColdStartBenchmark.ProbePath, TimeSpan.FromSeconds(60), cancellationToken);
        Log.Info($"Static app of {staticBuild.Ref} ({staticBuild.Commit[..10]}) serving on {staticApp.BaseAddress} with a copy of the seeded data.");

        using var interactiveHttp = CreateClient(interactiveApp.BaseAddress);
        using var staticHttp = CreateClient(staticApp.BaseAddress);
        var path = options.Page;
        var interactive = new Side(interactiveHttp, path);
        var plain = new Side(staticHttp, path);
        await interactive.PreflightAsync(interactiveApp, cancellationToken);
        await plain.PreflightAsync(staticApp, cancellationToken);
        if (interactive.ServerMarkers == 0)
        {
            Log.Info($"Warning: {path} on this branch has no interactive component markers; it is not the interactive page.");
        }

        if (plain.ServerMarkers > 0)
        {
            Log.Info($"Warning: {path} on {staticBuild.Ref} has interactive component markers; it is not a static page.");
        }

        var warmup = Math.Max(20, options.Requests / 10);
        for (var i = 0; i < warmup; i++)
        {
            await interactive.RequestAsync(measured: false, cancellationToken);
            await plain.RequestAsync(measured: false, cancellationToken);
        }

        for (var i = 0; i < options.Requests; i++)
        {
            // ABBA order: neither app always goes first after the other's request.
            var (first, second) = i % 2 == 0 ? (interactive, plain) : (plain, interactive);
            await first.RequestAsync(measured: true, cancellationToken);
            await second.RequestAsync(measured: true, cancellationToken);
        }

        var interactiveResult = interactive.Result();
        var staticResult = plain.Result();
        var ratio = staticResult.P95Ms == 0 ? 0 : Math.Round(interactiveResult.P95Ms / staticResult.P95Ms, 3);
        Log.Info($"First paint {path}: interactive p95 {interactiveResult.P95Ms:0.00} ms, static p95 {staticResult.P95Ms:0.00} ms, ratio {ratio:0.00}");
        return new FirstPaintResult(path, staticBuild.Ref, staticBuild.Commit, warmup, interactiveResult, staticResult, ratio, GoalRatio, interactiveResult.Errors + staticResult.Errors);
    }

    public static void AppendTable(StringBuilder text, FirstPaintResult paint)
    {
        text.AppendLine();
        text.AppendLine($"### First paint: {paint.Path}, one request at a time, alternating between the two apps ({paint.Interactive.Requests} each after {paint.WarmupRequests} warm-up each)");
        text.AppendLine();
        text.AppendLine("| app | p50 ms | p95 ms | p99 ms | mean ms | HTML bytes | of it persisted state | errors |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine($"| interactive (prerendered, this branch) | {Row(paint.Interactive)}");
        text.AppendLine($"| static SSR ({paint.StaticRef} {paint.StaticCommit[..7]}) | {Row(paint.Static)}");
        var met = paint.P95Ratio <= paint.GoalRatio ? "✓" : "**missed**";
        text.AppendLine($"| interactive ÷ static | | **{paint.P95Ratio:0.00}×** | | | | | goal ≤ {paint.GoalRatio:0.0}× {met} |");
    }

    private static string Row(FirstPaintSide side) =>
        $"{side.P50Ms:0.00} | {side.P95Ms:0.00} | {side.P99Ms:0.00} | {side.MeanMs:0.00} | {side.HtmlBytes:N0} | {side.PersistedStateBytes:N0} | {side.Errors} |";

    /// <summary>A consistent copy of the seeded database (VACUUM INTO, safe while the app runs), key ring included.</summary>
    private static string CopyDataDirectory(string source, string scratchDirectory)
    {
        var destination = Directory.CreateDirectory(Path.Combine(scratchDirectory, $"data-static-{Guid.NewGuid():N}")).FullName;
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(source, "lifeos.db")};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "VACUUM INTO $target;";
            command.Parameters.AddWithValue("$target", Path.Combine(destination, "lifeos.db"));
            command.ExecuteNonQuery();
        }

        return destination;
    }

    private HttpClient CreateClient(Uri baseAddress)
    {
        var cookies = new CookieContainer();
        cookies.Add(session.GetAllCookies());
        var handler = new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = cookies, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        return new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    private sealed class Side(HttpClient http, string path)
    {
        private readonly List<double> latencies = [];
        private long htmlBytes;
        private long errors;
        private long persistedStateBytes;

        public int ServerMarkers { get; private set; }

        /// <summary>One request that must answer 200 (a refused cookie fails here, with the app's log), and what the page is made of.</summary>
        public async Task PreflightAsync(PublishedApp app, CancellationToken cancellationToken)
        {
            using var response = await http.GetAsync(path, cancellationToken);
            var html = await response.Content.ReadAsStringAsync(cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var where = response.Headers.Location is { } location ? $" to {location}" : "";
                throw new BenchmarkFailure($"GET {path} on {app.BaseAddress} answered {(int)response.StatusCode} {response.StatusCode}{where}; expected 200.", app.Tail);
            }

            var page = PrerenderedPage.Parse(new Uri(http.BaseAddress!, path), html);
            ServerMarkers = page.ServerMarkers.Count;
            persistedStateBytes = page.ApplicationState.Length;
        }

        public async Task RequestAsync(bool measured, CancellationToken cancellationToken)
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync(path, cancellationToken);
                var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var milliseconds = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    errors++;
                    return;
                }

                htmlBytes = body.LongLength;
                if (measured)
                {
                    latencies.Add(milliseconds);
                }
            }
            catch (HttpRequestException)
            {
                errors++;
            }
        }

        public FirstPaintSide Result()
        {
            var sorted = latencies.Order().ToArray();
            return new FirstPaintSide(
                sorted.Length,
                Math.Round(Percentiles.Of(sorted, 50), 2),
                Math.Round(Percentiles.Of(sorted, 95), 2),
                Math.Round(Percentiles.Of(sorted, 99), 2),
                sorted.Length == 0 ? 0 : Math.Round(sorted.Average(), 2),
                htmlBytes,
                ServerMarkers,
                persistedStateBytes,
                errors);
        }
    }
}
