using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace LifeOs.Tests.Fakes;

/// <summary>One record a fake data endpoint serves: the provider account, the local day or instant it is filtered on, and its JSON body.</summary>
public sealed record FakeRecord(string Account, DateOnly? Day, DateTimeOffset? At, object Body);

/// <summary>
/// What a fake provider's data endpoints serve and how they misbehave: records per data type (collection or
/// action), a page size per type, and scripted faults that apply to the next requests of a type, in order.
/// Every data request is counted per type and per minute of the fake's clock... and of the real one.
/// </summary>
public sealed class FakeProviderData
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpRequest, Task<IResult?>>>> faults = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> requests = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, List<FakeRecord>> Records { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, int> PageSizes { get; } = new(StringComparer.Ordinal);

    /// <summary>Called on every data request before anything else (tests use it to cancel a run midway).</summary>
    public Action<string, int>? OnRequest { get; set; }

    public int DefaultPageSize { get; set; } = 50;

    public int Requests(string type) => requests.GetValueOrDefault(type);

    public int TotalRequests => requests.Values.Sum();

    public void Add(string type, FakeRecord record) => Records.GetOrAdd(type, _ => []).Add(record);

    /// <summary>The next request of <paramref name="type"/> gets <paramref name="fault"/>'s answer instead (null: answer normally).</summary>
    public void Fault(string type, Func<HttpRequest, Task<IResult?>> fault) => faults.GetOrAdd(type, _ => new()).Enqueue(fault);

    public void Fault(string type, Func<HttpRequest, IResult?> fault) => Fault(type, r => Task.FromResult(fault(r)));

    internal int Count(string type)
    {
        var n = requests.AddOrUpdate(type, 1, (_, c) => c + 1);
        OnRequest?.Invoke(type, n);
        return n;
    }

    internal async Task<IResult?> NextFaultAsync(string type, HttpRequest request) =>
        faults.TryGetValue(type, out var queue) && queue.TryDequeue(out var fault) ? await fault(request) : null;

    internal List<FakeRecord> Select(string type, string account, Func<FakeRecord, bool> inWindow)
    {
        var all = Records.GetValueOrDefault(type) ?? [];
        lock (all)
        {
            return all.Where(r => r.Account == account && inWindow(r)).ToList();
        }
    }

    internal int PageSize(string type) => PageSizes.GetValueOrDefault(type, DefaultPageSize);

    /// <summary>Hangs until the client gives up (a timeout), without a sleep: the request's abort token ends it.</summary>
    public static Func<HttpRequest, Task<IResult?>> Hang() => async request =>
    {
        await Task.Delay(Timeout.Infinite, request.HttpContext.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        return Results.StatusCode(504);
    };

    public static Func<HttpRequest, IResult?> ServerError() => _ => Results.Content("<html><body>502 Bad Gateway</body></html>", "text/html", statusCode: 500);

    public static Func<HttpRequest, IResult?> Malformed() => _ => Results.Content("{\"data\": [ {\"id\": \"x\", \"day\": ", "application/json", Encoding.UTF8);
}
