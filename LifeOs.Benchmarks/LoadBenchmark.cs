using System.Diagnostics;
using System.Net;

namespace LifeOs.Benchmarks;

/// <summary>
/// Closed-loop load over loopback: each client sends a GET, reads the whole body, records the latency and
/// sends the next, for a fixed time after an unmeasured warm-up (JIT, connection pools, caches).
/// </summary>
internal sealed class LoadBenchmark(Uri baseAddress, int clients, TimeSpan duration, TimeSpan warmup)
{
    public const string LoginPath = "/Account/Login";

    /// <param name="cookies">The signed-in session to send, or null for an anonymous endpoint.</param>
    /// <param name="headers">Headers every request carries, such as an API key.</param>
    public async Task<EndpointResult> MeasureAsync(string path, CookieContainer? cookies, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? headers = null)
    {
        var httpClients = Enumerable.Range(0, clients).Select(_ => CreateClient(cookies, headers)).ToList();
        try
        {
            // One request first, so a refused cookie or a broken page fails with a clear reason
            // instead of as thousands of identical errors.
            var responseBytes = await PreflightAsync(httpClients[0], path, cancellationToken);

            var warm = await RunPhaseAsync(httpClients, path, warmup, cancellationToken);
            var measured = await RunPhaseAsync(httpClients, path, duration, cancellationToken);
            var latencies = measured.Latencies;
            var result = new EndpointResult(
                path,
                measured.Requests,
                Math.Round(measured.Requests / measured.Elapsed.TotalSeconds, 1),
                Math.Round(Percentiles.Of(latencies, 50), 2),
                Math.Round(Percentiles.Of(latencies, 95), 2),
                Math.Round(Percentiles.Of(latencies, 99), 2),
                measured.Errors,
                warm.Errors,
                responseBytes,
                measured.ErrorKinds.Count + warm.ErrorKinds.Count == 0 ? null : Merge([warm.ErrorKinds, measured.ErrorKinds]));
            Log.Info($"{path}: {result.Requests} requests, {result.RequestsPerSecond:0} req/s, p95 {result.P95Ms:0.00} ms, {result.Errors} errors");
            return result;
        }
        finally
        {
            foreach (var client in httpClients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>
    /// Each client is its own HttpClient with its own connection pool, like separate browsers, and its
    /// own copy of the session cookies (auth and antiforgery, as a browser would send both).
    /// </summary>
    private HttpClient CreateClient(CookieContainer? sharedCookies, IReadOnlyDictionary<string, string>? headers)
    {
        var handler = new SocketsHttpHandler
        {
            // A redirect is an answer to judge (to the login page means the cookie failed), not to follow.
            AllowAutoRedirect = false,
            UseCookies = sharedCookies is not null,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        if (sharedCookies is not null)
        {
            handler.CookieContainer = new CookieContainer();
            handler.CookieContainer.Add(sharedCookies.GetAllCookies());
        }

        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            client.DefaultRequestHeaders.Add(name, value);
        }

        return client;
    }

    private static async Task<long> PreflightAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync(path, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchmarkFailure($"GET {path} (just before the load) answered {Describe(response)}; expected 200.");
        }

        return body.LongLength;
    }

    private static async Task<PhaseResult> RunPhaseAsync(IReadOnlyList<HttpClient> httpClients, string path, TimeSpan length, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var deadline = started + (long)(length.TotalSeconds * Stopwatch.Frequency);
        var perClient = await Task.WhenAll(httpClients.Select(client => Task.Run(() => LoopAsync(client, path, deadline, cancellationToken), cancellationToken)));

        // Elapsed runs until the last in-flight request finished, so requests/elapsed is honest.
        var elapsed = Stopwatch.GetElapsedTime(started);
        var latencies = perClient.SelectMany(c => c.Latencies).Order().ToArray();
        return new PhaseResult(
            perClient.Sum(c => c.Latencies.Count + c.Errors),
            perClient.Sum(c => (long)c.Errors),
            latencies,
            Merge(perClient.Select(c => c.ErrorKinds)),
            elapsed);
    }

    private static async Task<ClientSamples> LoopAsync(HttpClient client, string path, long deadline, CancellationToken cancellationToken)
    {
        var samples = new ClientSamples();
        while (Stopwatch.GetTimestamp() < deadline)
        {
            var sent = Stopwatch.GetTimestamp();
            try
            {
                // GetAsync buffers the whole body: the latency is to the last byte, as a page load is.
                using var response = await client.GetAsync(path, cancellationToken);
                var milliseconds = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    samples.Latencies.Add(milliseconds);
                }
                else
                {
                    samples.Fail(Describe(response));
                }
            }
            catch (HttpRequestException ex)
            {
                samples.Fail($"{nameof(HttpRequestException)}: {ex.Message}");
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                samples.Fail("timeout (30 s)");
            }
        }

        return samples;
    }

    private static string Describe(HttpResponseMessage response)
    {
        var status = $"{(int)response.StatusCode} {response.StatusCode}";
        var location = response.Headers.Location?.OriginalString;
        if (location is null)
        {
            return status;
        }

        return location.Contains(LoginPath, StringComparison.OrdinalIgnoreCase)
            ? $"{status} to {LoginPath}: the auth cookie was not accepted"
            : $"{status} to {location}";
    }

    private static Dictionary<string, long> Merge(IEnumerable<IReadOnlyDictionary<string, long>> counts)
    {
        var merged = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (kind, count) in counts.SelectMany(c => c))
        {
            merged[kind] = merged.GetValueOrDefault(kind) + count;
        }

        return merged;
    }

    private sealed record PhaseResult(long Requests, long Errors, double[] Latencies, IReadOnlyDictionary<string, long> ErrorKinds, TimeSpan Elapsed);

    /// <summary>One client's results; never shared between tasks, so no locking on the hot path.</summary>
    private sealed class ClientSamples
    {
        private readonly Dictionary<string, long> errorKinds = new(StringComparer.Ordinal);

        public List<double> Latencies { get; } = new(capacity: 16_384);

        public int Errors { get; private set; }

        public IReadOnlyDictionary<string, long> ErrorKinds => errorKinds;

        public void Fail(string kind)
        {
            Errors++;
            errorKinds[kind] = errorKinds.GetValueOrDefault(kind) + 1;
        }
    }
}
