using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;

namespace LifeOs.Benchmarks;

/// <param name="ToFirstBatchMs">From the browser sending the event (the first invocation other than an
/// acknowledgement after the click) to receiving the first render batch: the server handling the event,
/// loading the data and rendering the diff, plus a loopback hop.</param>
/// <param name="ToSettledMs">From that send to the last message the server sent for it: also the browser
/// applying the batches and answering the JS interop calls (chart updates) the render caused.</param>
/// <param name="ReceivedBytes">Everything the server sent for the switch, as blazorpack messages on the socket.</param>
internal sealed record InteractionSample(
    double ToFirstBatchMs,
    double ToSettledMs,
    long ReceivedBytes,
    long RenderBatchBytes,
    long InteropBytes,
    int RenderBatches,
    int InteropCalls,
    long SentBytes,
    string Trigger);

internal sealed record InteractionStats(
    int Switches,
    double ToFirstBatchP50Ms,
    double ToFirstBatchP95Ms,
    double ToSettledP50Ms,
    double ToSettledP95Ms,
    double ReceivedP50Kb,
    double ReceivedP95Kb,
    double RenderBatchP95Kb,
    double InteropP95Kb,
    IReadOnlyList<InteractionSample> Samples);

internal sealed record InteractionResult(
    string Page,
    string SwitchTo,
    string SwitchBack,
    int WarmupSwitches,
    InteractionStats To,
    InteractionStats Back,
    double GoalP95Ms,
    double GoalKb,
    IReadOnlyList<string> ConsoleErrors,
    long Errors);

/// <summary>
/// The range switch on a live circuit, in Debian's Chromium through Playwright: open the page signed in, wait
/// for the circuit, then click the "1 year" control and the "30 days" one in turn. Chrome's DevTools protocol
/// reports every WebSocket frame the page sends and receives with its bytes and a timestamp
/// (Network.webSocketFrameSent / Received), so each switch is timed and weighed on the wire, exactly.
/// </summary>
internal sealed class InteractionBenchmark(PublishedApp app, CookieContainer session, BenchmarkOptions options)
{
    public const double GoalP95Ms = 50;
    public const double GoalKb = 100;
    private const int WarmupSwitches = 3;
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SwitchTimeout = TimeSpan.FromSeconds(20);

    // What the browser sends on its own, not as the user's action: acknowledgements and keep-alives.
    private static readonly HashSet<string> Replies = new(StringComparer.Ordinal)
    {
        "OnRenderCompleted", "EndInvokeJSFromDotNet", "(ping)", "(completion)", "(handshake)",
    };

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("LIFEOS_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public async Task<InteractionResult> RunAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new BenchmarkFailure($"Chromium not found at {ChromiumPath}. Install Debian's chromium package or set LIFEOS_CHROMIUM.");
        }

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
        });
        await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        await context.AddCookiesAsync(session.GetAllCookies().Select(c => new Microsoft.Playwright.Cookie
        {
            Name = c.Name,
            Value = c.Value,
            Url = app.BaseAddress.ToString(),
        }));
        var page = await context.NewPageAsync();
        var consoleErrors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (consoleErrors)
                {
                    consoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (consoleErrors)
            {
                consoleErrors.Add(error);
            }
        };

        var wire = new WireLog();
        var cdp = await context.NewCDPSessionAsync(page);
        cdp.Event("Network.webSocketFrameSent").OnEvent += (_, e) => wire.Add(e, sent: true);
        cdp.Event("Network.webSocketFrameReceived").OnEvent += (_, e) => wire.Add(e, sent: false);
        await cdp.SendAsync("Network.enable");

        var address = new Uri(app.BaseAddress, options.Page).ToString();
        var response = await page.GotoAsync(address);
        if (response is null || response.Status != (int)HttpStatusCode.OK)
        {
            throw new BenchmarkFailure($"The browser's GET {options.Page} answered {response?.Status.ToString() ?? "nothing"}; expected 200.", app.Tail);
        }

        try
        {
            // The shell marks its main element once it renders on a live circuit (BrowserApp.WaitForInteractiveAsync).
            await page.Locator("main[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        }
        catch (TimeoutException)
        {
            throw new BenchmarkFailure($"{options.Page} did not become interactive in the browser within 30 s. Console: {string.Join(" | ", consoleErrors.DefaultIfEmpty("(nothing)"))}", app.Tail);
        }

        await wire.WaitForQuietAsync(Quiet, SwitchTimeout, cancellationToken);
        var to = new List<InteractionSample>();
        var back = new List<InteractionSample>();
        var errors = 0L;
        for (var i = 0; i < WarmupSwitches + options.Switches; i++)
        {
            var measured = i >= WarmupSwitches;
            foreach (var (selector, samples) in new[] { (options.SwitchTo, to), (options.SwitchBack, back) })
            {
                var sample = await SwitchAsync(page, wire, selector, cancellationToken);
                if (sample is null)
                {
                    errors++;
                }
                else if (measured)
                {
                    samples.Add(sample);
                }
            }
        }

        var result = new InteractionResult(options.Page, options.SwitchTo, options.SwitchBack, WarmupSwitches, Stats(to), Stats(back), GoalP95Ms, GoalKb, consoleErrors, errors);
        Log.Info($"Switch {options.SwitchTo}: first batch p95 {result.To.ToFirstBatchP95Ms:0.0} ms, settled p95 {result.To.ToSettledP95Ms:0.0} ms, received p95 {result.To.ReceivedP95Kb:0.0} KB");
        return result;
    }

    public static void AppendTable(StringBuilder text, InteractionResult interaction)
    {
        text.AppendLine();
        text.AppendLine($"### Switching on a live circuit ({interaction.Page}, Chromium, wire timings from the DevTools protocol; {interaction.To.Switches} switches each way after {interaction.WarmupSwitches} warm-up)");
        text.AppendLine();
        text.AppendLine("| click | event → first render batch p50 / p95 ms | event → settled p50 / p95 ms | received p50 / p95 KB | of it render batches p95 KB | JS interop p95 KB | goal |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var (label, stats, goal) in new[] { (interaction.SwitchTo, interaction.To, true), (interaction.SwitchBack, interaction.Back, false) })
        {
            var verdict = goal
                ? $"p95 < {interaction.GoalP95Ms:0} ms {(stats.ToSettledP95Ms < interaction.GoalP95Ms ? "✓" : "**missed**")}, < {interaction.GoalKb:0} KB {(stats.ReceivedP95Kb < interaction.GoalKb ? "✓" : "**missed**")}"
                : "";
            text.AppendLine($"| `{label}` | {stats.ToFirstBatchP50Ms:0.0} / {stats.ToFirstBatchP95Ms:0.0} | {stats.ToSettledP50Ms:0.0} / {stats.ToSettledP95Ms:0.0} | {stats.ReceivedP50Kb:0.0} / {stats.ReceivedP95Kb:0.0} | {stats.RenderBatchP95Kb:0.0} | {stats.InteropP95Kb:0.0} | {verdict} |");
        }

        if (interaction.ConsoleErrors.Count > 0 || interaction.Errors > 0)
        {
            text.AppendLine();
            text.AppendLine($"**{interaction.Errors} switch(es) failed; console errors: {string.Join(" | ", interaction.ConsoleErrors.Take(5))}**");
        }
    }

    private async Task<InteractionSample?> SwitchAsync(IPage page, WireLog wire, string selector, CancellationToken cancellationToken)
    {
        var mark = wire.Count;
        try
        {
            await page.Locator(selector).First.ClickAsync(new LocatorClickOptions { Timeout = 10_000 });
        }
        catch (TimeoutException)
        {
            throw new BenchmarkFailure($"Could not click {selector} on {options.Page} within 10 s (no such visible control?).", app.Tail);
        }

        await wire.WaitForQuietAsync(Quiet, SwitchTimeout, cancellationToken);
        var messages = wire.Since(mark);
        var trigger = messages.FirstOrDefault(m => m.Sent && !Replies.Contains(m.Target));
        if (trigger.Target is null)
        {
            Log.Info($"Warning: clicking {selector} sent nothing to the server.");
            return null;
        }

        var answer = messages.Where(m => !m.Sent && m.Timestamp >= trigger.Timestamp && m.Target != "(ping)").ToList();
        var firstBatch = answer.FirstOrDefault(m => m.Target == "JS.RenderBatch");
        if (firstBatch.Target is null)
        {
            Log.Info($"Warning: clicking {selector} sent {trigger.Target} but no render batch came back.");
            return null;
        }

        var renders = answer.Where(m => m.Target == "JS.RenderBatch").ToList();
        var interop = answer.Where(m => m.Target == "JS.BeginInvokeJS").ToList();
        return new InteractionSample(
            Math.Round((firstBatch.Timestamp - trigger.Timestamp) * 1000, 2),
            Math.Round((answer[^1].Timestamp - trigger.Timestamp) * 1000, 2),
            answer.Sum(m => (long)m.Bytes),
            renders.Sum(m => (long)m.Bytes),
            interop.Sum(m => (long)m.Bytes),
            renders.Count,
            interop.Count,
            messages.Where(m => m.Sent && m.Timestamp >= trigger.Timestamp).Sum(m => (long)m.Bytes),
            trigger.Target);
    }

    private static InteractionStats Stats(List<InteractionSample> samples)
    {
        double P(Func<InteractionSample, double> value, double percentile) =>
            Math.Round(Percentiles.Of(samples.Select(value).Order().ToArray(), percentile), 2);

        return new InteractionStats(
            samples.Count,
            P(s => s.ToFirstBatchMs, 50),
            P(s => s.ToFirstBatchMs, 95),
            P(s => s.ToSettledMs, 50),
            P(s => s.ToSettledMs, 95),
            P(s => s.ReceivedBytes / 1024.0, 50),
            P(s => s.ReceivedBytes / 1024.0, 95),
            P(s => s.RenderBatchBytes / 1024.0, 95),
            P(s => s.InteropBytes / 1024.0, 95),
            samples);
    }

    private readonly record struct WireMessage(bool Sent, double Timestamp, string Target, int Bytes);

    /// <summary>Every blazorpack message on the page's WebSockets, in order, with CDP's monotonic timestamps (seconds).</summary>
    private sealed class WireLog
    {
        private readonly Lock gate = new();
        private readonly List<WireMessage> messages = [];
        private readonly Dictionary<(string RequestId, bool Sent), BlazorPackFrames> streams = [];
        private long lastFrameAt = Stopwatch.GetTimestamp();

        public int Count
        {
            get
            {
                lock (gate)
                {
                    return messages.Count;
                }
            }
        }

        public void Add(JsonElement? e, bool sent)
        {
            if (e is not { } frame || !frame.TryGetProperty("response", out var response))
            {
                return;
            }

            var requestId = frame.GetProperty("requestId").GetString() ?? "";
            var timestamp = frame.GetProperty("timestamp").GetDouble();
            var payload = response.GetProperty("payloadData").GetString() ?? "";
            var binary = response.GetProperty("opcode").GetDouble() == 2;
            var bytes = binary ? Convert.FromBase64String(payload) : Encoding.UTF8.GetBytes(payload);
            lock (gate)
            {
                Volatile.Write(ref lastFrameAt, Stopwatch.GetTimestamp());
                if (!streams.TryGetValue((requestId, sent), out var stream))
                {
                    streams[(requestId, sent)] = stream = new BlazorPackFrames();
                }

                foreach (var message in stream.Add(bytes))
                {
                    messages.Add(new WireMessage(sent, timestamp, message.Target, message.Bytes));
                }
            }
        }

        public List<WireMessage> Since(int mark)
        {
            lock (gate)
            {
                return messages[mark..];
            }
        }

        public async Task WaitForQuietAsync(TimeSpan quiet, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var started = Stopwatch.GetTimestamp();
            // Give the click's first frame a moment to leave before judging silence.
            await Task.Delay(100, cancellationToken);
            while (Stopwatch.GetElapsedTime(Volatile.Read(ref lastFrameAt)) < quiet)
            {
                if (Stopwatch.GetElapsedTime(started) > timeout)
                {
                    throw new BenchmarkFailure($"The page's WebSocket did not go quiet for {quiet.TotalMilliseconds:0} ms within {timeout.TotalSeconds:0} s.");
                }

                await Task.Delay(50, cancellationToken);
            }
        }
    }
}
