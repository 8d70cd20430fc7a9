namespace LifeOs.Web.Components.Pages.Journal;

/// <summary>
/// Runs an action once things have been quiet for <c>delay</c>, or at the latest <c>maxWait</c> after the first
/// change that is still waiting (so a draft is written while someone types without pausing). Time comes from the
/// app's <see cref="TimeProvider"/>, so tests move the clock instead of sleeping. Not thread-safe: call it from the
/// component's renderer context, as event handlers run.
/// </summary>
internal sealed class Debouncer(TimeProvider time, TimeSpan delay, TimeSpan? maxWait = null) : IDisposable
{
    private CancellationTokenSource? pending;
    private DateTimeOffset? waitingSince;

    public bool IsPending => pending is not null;

    public void Schedule(Func<Task> action)
    {
        var now = time.GetUtcNow();
        waitingSince ??= now;
        var wait = delay;
        if (maxWait is { } max && now - waitingSince.Value + delay > max)
        {
            wait = max - (now - waitingSince.Value);
            if (wait < TimeSpan.Zero)
            {
                wait = TimeSpan.Zero;
            }
        }

        Cancel();
        var cancellation = pending = new CancellationTokenSource();
        _ = RunAsync(action, wait, cancellation);
    }

    /// <summary>Forgets what is waiting (it will not run).</summary>
    public void Cancel()
    {
        if (pending is { } cancellation)
        {
            pending = null;
            cancellation.Cancel();
            cancellation.Dispose();
        }
    }

    private async Task RunAsync(Func<Task> action, TimeSpan wait, CancellationTokenSource cancellation)
    {
        try
        {
            await Task.Delay(wait, time, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (ReferenceEquals(pending, cancellation))
        {
            pending = null;
            waitingSince = null;
            cancellation.Dispose();
        }

        await action();
    }

    public void Dispose() => Cancel();
}
