using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LifeOs.Benchmarks;

/// <summary>
/// One Blazor Server circuit driven the way blazor.web.js drives it, without a browser: negotiate and a
/// WebSocket to /_blazor with the user's cookies, the "blazorpack" protocol, <c>StartCircuit(baseUri, uri, "[]",
/// state)</c>, and once the server has attached its renderer (a <c>Blazor._internal.attachWebRendererInterop</c>
/// call), <c>UpdateRootComponents</c> with an "add" for each server marker of the prerendered page (a Blazor
/// Web App's circuit starts empty and gets its root components this way; <c>StartCircuit</c>'s component list
/// is for the older blazor.server.js). Every render batch is acknowledged with <c>OnRenderCompleted(id, null)</c>
/// and every JS interop call answered through <c>EndInvokeJSFromDotNet</c> as a browser would (see
/// <see cref="BrowserStandIn"/>), so the circuit settles as it does behind a real page and then stays open.
/// </summary>
internal sealed class BlazorCircuit : IAsyncDisposable
{
    public const string AttachRendererIdentifier = "Blazor._internal.attachWebRendererInterop";
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(60);

    private readonly HubConnection connection;
    private readonly PrerenderedPage page;
    private readonly BrowserStandIn browser;
    private readonly HttpClient http;
    private readonly TaskCompletionSource rendererAttached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource firstRender = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long lastMessageAt = Stopwatch.GetTimestamp();
    private int pendingInterop;
    private string? circuitSecret;
    private bool disposed;

    private BlazorCircuit(HubConnection connection, PrerenderedPage page, BrowserStandIn browser, HttpClient http)
    {
        this.connection = connection;
        this.page = page;
        this.browser = browser;
        this.http = http;
    }

    /// <summary>Render batches received (and acknowledged) so far.</summary>
    public int RenderBatches { get; private set; }

    public long RenderBatchBytes { get; private set; }

    public int InteropCalls { get; private set; }

    /// <summary>Components alive in the circuit: every id a render batch has rendered, less the ones it disposed.</summary>
    public int Components => liveComponents.Count;

    private readonly HashSet<int> liveComponents = [];

    /// <summary>From the StartCircuit call to the first render batch (the prerendered page coming alive).</summary>
    public TimeSpan TimeToFirstRender { get; private set; }

    /// <summary>The server's <c>JS.Error</c> message, or why the connection closed; null while all is well.</summary>
    public string? Error { get; private set; }

    public bool IsConnected => connection.State == HubConnectionState.Connected && Error is null;

    /// <summary>Nothing received for at least <paramref name="quiet"/> and no JS interop call left unanswered.</summary>
    public bool IsQuiet(TimeSpan quiet) => Volatile.Read(ref pendingInterop) == 0 && Stopwatch.GetElapsedTime(Volatile.Read(ref lastMessageAt)) >= quiet;

    /// <param name="http">Carries the user's cookies; used for the disconnect beacon on disposal.</param>
    public static async Task<BlazorCircuit> StartAsync(HttpClient http, CookieContainer cookies, PrerenderedPage page, BrowserStandIn browser, CancellationToken cancellationToken)
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(new Uri(http.BaseAddress!, "_blazor"), HttpTransportType.WebSockets, options => options.Cookies = cookies);
        builder.Services.RemoveAll<IHubProtocol>();
        builder.Services.AddSingleton<IHubProtocol, BlazorPackHubProtocol>();
        var circuit = new BlazorCircuit(builder.Build(), page, browser, http);
        try
        {
            await circuit.StartCoreAsync(cancellationToken);
            return circuit;
        }
        catch
        {
            await circuit.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a navigation the way the interactive router does for an intercepted link click.</summary>
    public Task NavigateAsync(string uri, CancellationToken cancellationToken) =>
        connection.SendAsync("OnLocationChanged", uri, null, true, cancellationToken);

    /// <summary>
    /// Closes the circuit as a browser leaving the page does: the disconnect beacon (POST /_blazor/disconnect
    /// with the circuit id) so the server disposes it at once instead of keeping it for reconnection, then
    /// the connection.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        try
        {
            if (circuitSecret is not null)
            {
                using var form = new MultipartFormDataContent { { new StringContent(circuitSecret), "circuitId" } };
                using var response = await http.PostAsync("_blazor/disconnect", form);
            }
        }
        catch (HttpRequestException)
        {
            // The app is going away too; the connection's close below is all that is left to do.
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        connection.On<long, byte[]>("JS.RenderBatch", OnRenderBatchAsync);
        connection.On(
            "JS.BeginInvokeJS",
            [typeof(long), typeof(string), typeof(string), typeof(int), typeof(long), typeof(int)],
            (arguments, _) => OnBeginInvokeJSAsync((long)arguments[0]!, (string)arguments[1]!, (string?)arguments[2], (int)arguments[3]!),
            this);
        connection.On<long>("JS.EndUpdateRootComponents", _ => Touch());
        connection.On<string>("JS.Error", message => Fail($"the server reported: {message}"));
        connection.Closed += exception =>
        {
            if (!disposed)
            {
                Fail($"the connection closed ({exception?.Message ?? "by the server"})");
            }

            return Task.CompletedTask;
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StepTimeout);
        await connection.StartAsync(timeout.Token);

        var baseUri = new Uri(page.Address, "/").ToString();
        var started = Stopwatch.GetTimestamp();
        circuitSecret = await connection.InvokeAsync<string?>("StartCircuit", baseUri, page.Address.ToString(), "[]", page.ApplicationState, timeout.Token);
        if (circuitSecret is null)
        {
            throw new BenchmarkFailure($"StartCircuit for {page.Address} returned no circuit id ({Error ?? "no reason given"}).");
        }

        await WaitAsync(rendererAttached.Task, "the server to attach its renderer", timeout.Token);
        await connection.SendAsync("UpdateRootComponents", page.AddOperationsJson(batchId: 1), page.ApplicationState, timeout.Token);
        await WaitAsync(firstRender.Task, "the first render batch", timeout.Token);
        TimeToFirstRender = Stopwatch.GetElapsedTime(started);
    }

    private async Task WaitAsync(Task step, string what, CancellationToken cancellationToken)
    {
        try
        {
            await step.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (!step.IsCompleted)
        {
            throw new BenchmarkFailure($"Circuit for {page.Address}: gave up waiting for {what} after {StepTimeout.TotalSeconds:0} s{(Error is null ? "" : $" ({Error})")}.");
        }
    }

    private async Task OnRenderBatchAsync(long batchId, byte[] batch)
    {
        Touch();
        RenderBatches++;
        RenderBatchBytes += batch.Length;
        CountComponents(batch);
        await connection.SendAsync("OnRenderCompleted", batchId, null);
        firstRender.TrySetResult();
    }

    private async Task OnBeginInvokeJSAsync(long asyncHandle, string identifier, string? argsJson, int resultType)
    {
        Touch();
        InteropCalls++;
        var result = browser.Answer(identifier, argsJson, resultType);
        if (asyncHandle != 0)
        {
            Interlocked.Increment(ref pendingInterop);
            try
            {
                // The browser's reply: [asyncHandle, true, result] as JSON (Microsoft.JSInterop.js, beginInvokeJSFromDotNet).
                await connection.SendAsync("EndInvokeJSFromDotNet", asyncHandle, true, $"[{asyncHandle},true,{result}]");
            }
            finally
            {
                Interlocked.Decrement(ref pendingInterop);
            }
        }

        if (identifier == AttachRendererIdentifier)
        {
            rendererAttached.TrySetResult();
        }
    }

    /// <summary>
    /// Reads a render batch's component ids (the out-of-process format of OutOfProcessRenderBatch.ts: the last
    /// five int32s locate its sections; the updated components are a count and offsets to diffs that start with
    /// the component id; the disposed component ids are a count and the ids).
    /// </summary>
    private void CountComponents(byte[] batch)
    {
        static int Int32At(byte[] data, int offset) => System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(offset, 4));

        var updated = Int32At(batch, batch.Length - 20);
        for (var i = 0; i < Int32At(batch, updated); i++)
        {
            liveComponents.Add(Int32At(batch, Int32At(batch, updated + 4 + (i * 4))));
        }

        var disposed = Int32At(batch, batch.Length - 12);
        for (var i = 0; i < Int32At(batch, disposed); i++)
        {
            liveComponents.Remove(Int32At(batch, disposed + 4 + (i * 4)));
        }
    }

    private void Touch() => Volatile.Write(ref lastMessageAt, Stopwatch.GetTimestamp());

    private void Fail(string reason)
    {
        Error ??= reason;
        var failure = new BenchmarkFailure($"Circuit for {page.Address}: {reason}");
        rendererAttached.TrySetException(failure);
        firstRender.TrySetException(failure);
    }
}

/// <summary>
/// Stands in for the browser's side of JS interop: answers every call as a successful one, with the kind of
/// value the caller asked for. A call that wants a JS object (<c>import</c> of a module, a chart instance)
/// gets a fresh object id, as Microsoft.JSInterop.js would hand out; a void call gets nothing; a value
/// call gets what a light-mode desktop browser answers for the few MudBlazor and LifeOs calls that need a
/// value, and null otherwise. Every identifier seen is counted, to show what the page asked of the browser.
/// </summary>
internal sealed class BrowserStandIn
{
    private const int ResultJSObjectReference = 1;
    private const int ResultJSStreamReference = 2;

    // Value answers of a light-mode desktop browser, 1280×900, on the calls of Blazor, MudBlazor and LifeOs
    // that want one (identifier → JSON). Anything not listed answers null, as a function without a return does.
    private static readonly Dictionary<string, string> KnownValues = new(StringComparer.Ordinal)
    {
        ["window.hasOwnProperty"] = "true",
        ["mudThemeProvider.isDarkMode"] = "false",
        ["mudThemeProvider.getSystemDarkMode"] = "false",
        ["mudResizeListener.getBrowserWindowSize"] = """{"height":900,"width":1280}""",
        ["mudElementRef.getBoundingClientRect"] = """{"x":0,"y":0,"top":0,"left":0,"right":1280,"bottom":48,"width":1280,"height":48,"scrollX":0,"scrollY":0,"windowHeight":900,"windowWidth":1280}""",
        ["mudpopoverHelper.countProviders"] = "1",
        ["browserTimeZone"] = "\"UTC\"",
    };

    private long nextObjectId;

    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    public string Answer(string identifier, string? argsJson, int resultType)
    {
        Calls.AddOrUpdate(identifier, 1, (_, count) => count + 1);
        return resultType switch
        {
            ResultJSObjectReference => JsonSerializer.Serialize(new Dictionary<string, long> { ["__jsObjectId"] = Interlocked.Increment(ref nextObjectId) }),
            ResultJSStreamReference => throw new BenchmarkFailure($"JS interop '{identifier}' asked for a stream, which the circuit client does not serve."),
            _ => KnownValues.GetValueOrDefault(identifier, "null"),
        };
    }
}
