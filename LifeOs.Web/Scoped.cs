namespace LifeOs.Web;

/// <summary>
/// Runs one call to a Core service in a DI scope of its own, as one HTTP request did. An interactive page
/// lives as long as its circuit; its own scope would keep one DbContext for hours (stale tracked rows) and
/// share it between overlapping event handlers and timers, which a DbContext does not allow.
/// <code>@inject Scoped&lt;GoalService&gt; Goals … var goals = await Goals.RunAsync(g => g.EvaluateAllAsync(userId, ct));</code>
/// </summary>
public sealed class Scoped<TService>(IServiceScopeFactory scopes)
    where TService : notnull
{
    public async Task<TResult> RunAsync<TResult>(Func<TService, Task<TResult>> call)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await call(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public async Task RunAsync(Func<TService, Task> call)
    {
        await using var scope = scopes.CreateAsyncScope();
        await call(scope.ServiceProvider.GetRequiredService<TService>());
    }
}
