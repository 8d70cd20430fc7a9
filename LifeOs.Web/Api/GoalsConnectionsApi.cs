using System.Security.Claims;
using LifeOs.Core;
using LifeOs.Core.Api;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Goals;
using LifeOs.Core.Sync;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LifeOs.Web.Api;

/// <param name="State">NotStarted, Ended, NotScoredYet, OnTrack, InProgress, Met or Behind.</param>
/// <param name="Unit">The canonical unit of <paramref name="Target"/> and <paramref name="TodayValue"/> (health goals).</param>
public sealed record GoalResponse(
    long Id, string Name, string Kind, string? Metric, string? Unit, string Comparison, double Target, int? DaysPerWeek, string? JournalKind,
    DateOnly StartDate, DateOnly? EndDate, bool Archived, string State, double? TodayValue, string Today, int CurrentStreak, int BestStreak,
    bool StreakInWeeks, GoalWeek? Week, GoalBody? Body);

public sealed record GoalWeek(double Achieved, double Needed, int DaysWithData, bool Hit, int DaysLeft);

public sealed record GoalBody(double? Current, DateOnly? CurrentDay, double Target, DateOnly TargetDate, double? RequiredPerWeek, double? ActualPerWeek);

/// <param name="State">NotConfigured, NotConnected, Connected, NeedsReconnect or Error.</param>
public sealed record ConnectionResponse(string Provider, string State, DateTimeOffset? ConnectedAt, DateTimeOffset? LastSyncedAt, string? StatusDetail, SyncRunResponse? LastRun);

public sealed record SyncRunResponse(long Id, string Trigger, string Status, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, int SamplesWritten, string? Error);

public sealed record SyncQueuedResponse(string Provider, long RunId, bool AlreadyRunning);

/// <summary>Goals with their status; connections with their last sync; queueing a sync.</summary>
public static class GoalsConnectionsApi
{
    public static RouteGroupBuilder MapGoalsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/goals", GetGoalsAsync).WithName("GetGoals").WithTags("Goals").RequireScope(ApiScopes.GoalsRead)
            .WithSummary("Every goal with its status today: state, today's value, streaks, this week and body-target progress.");
        return api;
    }

    public static RouteGroupBuilder MapConnectionsApi(this RouteGroupBuilder api)
    {
        api.MapGet("/connections", GetConnectionsAsync).WithName("GetConnections").WithTags("Connections").RequireScope(ApiScopes.Sync)
            .WithSummary("Oura and Withings: connected or not, last sync, and the latest run.");
        api.MapPost("/connections/{provider}/sync", SyncAsync).WithName("SyncConnection").WithTags("Connections").RequireScope(ApiScopes.Sync)
            .WithSummary("Queue a sync of one connection (oura or withings); 202 with the run's id.");
        return api;
    }

    private static async Task<Ok<IReadOnlyList<GoalResponse>>> GetGoalsAsync(ClaimsPrincipal user, GoalService goals, CancellationToken cancellationToken)
    {
        var statuses = await goals.EvaluateAllAsync(user.UserId(), cancellationToken);
        return TypedResults.Ok<IReadOnlyList<GoalResponse>>(statuses.Select(s =>
        {
            var g = s.Goal;
            return new GoalResponse(g.Id, g.Name, g.Kind.ToString(), g.MetricCode, g.MetricCode is { } code ? Core.Health.MetricCatalogue.Find(code)?.CanonicalUnit : null,
                g.Comparison.ToString(), g.Target, g.DaysPerWeek, g.JournalKind, g.StartDate, g.EndDate, g.ArchivedAt is not null, s.State.ToString(),
                s.TodayValue, s.Today.ToString(), s.CurrentStreak, s.BestStreak, s.StreakInWeeks,
                s.Week is { } w ? new GoalWeek(w.Achieved, w.Needed, w.DaysWithData, w.Hit, w.DaysLeft) : null,
                s.Body is { } b ? new GoalBody(b.Current, b.CurrentDay, b.Target, b.TargetDate, b.RequiredPerWeek, b.ActualPerWeek) : null);
        }).ToList());
    }

    private static async Task<Ok<IReadOnlyList<ConnectionResponse>>> GetConnectionsAsync(
        ClaimsPrincipal user, ConnectionService connections, SyncStatusService status, LifeOsDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var clock = await db.ClockAsync(userId, time, cancellationToken);
        var cards = await connections.GetCardsAsync(userId, cancellationToken);
        var runs = await status.GetAsync(userId, 1, cancellationToken);
        return TypedResults.Ok<IReadOnlyList<ConnectionResponse>>(cards.Select(c =>
        {
            var run = runs.TryGetValue(c.Provider, out var overview) ? overview.Runs.FirstOrDefault() : null;
            return new ConnectionResponse(c.Provider.Slug(), c.State.ToString(), clock.At(c.ConnectedAt), clock.At(c.LastSyncedAt), c.StatusDetail,
                run is null ? null : new SyncRunResponse(run.Id, run.Trigger.ToString(), run.Status.ToString(), clock.At(run.QueuedAt), clock.At(run.StartedAt),
                    clock.At(run.FinishedAt), run.SamplesWritten, run.Error));
        }).ToList());
    }

    private static async Task<Results<Accepted<SyncQueuedResponse>, ProblemHttpResult>> SyncAsync(
        string provider, ClaimsPrincipal user, SyncQueue queue, CancellationToken cancellationToken)
    {
        if (!ProviderKinds.TryParseSlug(provider, out var kind))
        {
            return ApiEndpoints.NotFound($"'{provider}' is not a provider; use oura or withings.");
        }

        var result = await queue.EnqueueAsync(user.UserId(), kind, SyncTrigger.Manual, cancellationToken);
        return result.Outcome switch
        {
            EnqueueOutcome.Queued or EnqueueOutcome.AlreadyActive when result.RunId is { } runId =>
                TypedResults.Accepted($"/api/v1/connections", new SyncQueuedResponse(kind.Slug(), runId, result.Outcome == EnqueueOutcome.AlreadyActive)),
            EnqueueOutcome.NeedsReconnect => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Reconnect first",
                detail: $"{kind.DisplayName()} needs to be connected again on /integrations before it can sync."),
            _ => ApiEndpoints.NotFound($"{kind.DisplayName()} is not connected."),
        };
    }
}
