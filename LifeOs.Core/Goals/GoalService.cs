using System.Globalization;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Goals;

/// <summary>What a goal form sends: the target in the user's display unit.</summary>
public sealed class GoalInput
{
    public string? Name { get; set; }
    public GoalKind Kind { get; set; }
    public string? MetricCode { get; set; }
    public Comparison Comparison { get; set; }
    public double? Target { get; set; }
    public int? DaysPerWeek { get; set; }
    public string? JournalKind { get; set; }
    public DateOnly? StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
}

public sealed record GoalSaveResult(long? Id, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Journal facts goals need, supplied by the journal (days with an entry of a kind, and the user's
/// streak grace rule). Without a journal, habits simply have no entries.
/// </summary>
public interface IGoalJournalSource
{
    IReadOnlyList<(string Code, string Name)> Kinds { get; }

    Task<IReadOnlySet<DateOnly>> DaysWithEntriesAsync(string userId, string? kind, DateOnly from, DateOnly to, CancellationToken cancellationToken);

    Task<bool> GraceRuleAsync(string userId, CancellationToken cancellationToken);
}

internal sealed class NoJournal : IGoalJournalSource
{
    public IReadOnlyList<(string Code, string Name)> Kinds => [];

    public Task<IReadOnlySet<DateOnly>> DaysWithEntriesAsync(string userId, string? kind, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlySet<DateOnly>>(new HashSet<DateOnly>());

    public Task<bool> GraceRuleAsync(string userId, CancellationToken cancellationToken) => Task.FromResult(false);
}

/// <summary>Creates, edits, archives and deletes a user's goals, and evaluates them against their data.</summary>
public sealed class GoalService(LifeOsDbContext db, TimeProvider time, HealthStore store, IGoalJournalSource journal)
{
    public const int MaxGoals = 100;

    public IReadOnlyList<(string Code, string Name)> JournalKinds => journal.Kinds;

    public async Task<(DateOnly Today, UnitSystem Units)?> PreferencesAsync(string userId, CancellationToken cancellationToken)
    {
        var clock = await db.FindClockAsync(userId, time, cancellationToken);
        return clock is null ? null : (clock.Today, clock.UnitSystem);
    }

    public async Task<Goal?> GetAsync(string userId, long id, CancellationToken cancellationToken) =>
        await db.Set<Goal>().AsNoTracking().SingleOrDefaultAsync(g => g.Id == id && g.UserId == userId, cancellationToken);

    /// <summary>Every goal of the user with its status; active first, then archived.</summary>
    public async Task<IReadOnlyList<GoalStatus>> EvaluateAllAsync(string userId, CancellationToken cancellationToken) =>
        await EvaluateAsync(userId, asOf: null, activeOnly: false, cancellationToken);

    /// <summary>The goals not archived, as they stand today (the dashboard's cards).</summary>
    public async Task<IReadOnlyList<GoalStatus>> EvaluateActiveAsync(string userId, CancellationToken cancellationToken) =>
        await EvaluateAsync(userId, asOf: null, activeOnly: true, cancellationToken);

    /// <summary>The active goals as they stood at the end of the ISO week starting <paramref name="monday"/> (or today, within it).</summary>
    public async Task<IReadOnlyList<GoalStatus>> EvaluateWeekAsync(string userId, DateOnly monday, CancellationToken cancellationToken) =>
        await EvaluateAsync(userId, monday.AddDays(6), activeOnly: true, cancellationToken);

    private async Task<IReadOnlyList<GoalStatus>> EvaluateAsync(string userId, DateOnly? asOf, bool activeOnly, CancellationToken cancellationToken)
    {
        if (await PreferencesAsync(userId, cancellationToken) is not { } preferences)
        {
            return [];
        }

        var goals = await db.Set<Goal>().AsNoTracking().Where(g => g.UserId == userId && (!activeOnly || g.ArchivedAt == null))
            .OrderBy(g => g.ArchivedAt != null).ThenBy(g => g.CreatedAt).ThenBy(g => g.Id)
            .ToListAsync(cancellationToken);
        var today = asOf is { } end && end < preferences.Today ? end : preferences.Today;
        if (asOf is not null)
        {
            goals.RemoveAll(g => g.StartDate > today); // not started that week
        }

        if (goals.Count == 0)
        {
            return [];
        }

        // Each metric from the earliest start any goal needs (body targets look back 30 days); the metrics that start on
        // the same day are read together (one statement on PostgreSQL, see HealthStore.ReadDailyAsync).
        var metrics = goals.Where(g => g.MetricCode is not null).GroupBy(g => g.MetricCode!)
            .ToDictionary(g => g.Key, g => g.Min(x => x.StartDate).AddDays(-31));
        var values = new Dictionary<string, IReadOnlyDictionary<DateOnly, double>>(StringComparer.Ordinal);
        foreach (var sameStart in metrics.GroupBy(m => m.Value, m => m.Key))
        {
            foreach (var (code, read) in await store.ReadDailyAsync(userId, sameStart.ToList(), sameStart.Key, today, cancellationToken))
            {
                values[code] = read.ToDictionary(v => v.Day, v => v.Value);
            }
        }

        var grace = await journal.GraceRuleAsync(userId, cancellationToken);
        var none = new Dictionary<DateOnly, double>();
        var statuses = new List<GoalStatus>(goals.Count);
        foreach (var goal in goals)
        {
            var days = goal.Kind == GoalKind.JournalHabit
                ? await journal.DaysWithEntriesAsync(userId, goal.JournalKind, goal.StartDate, today, cancellationToken)
                : new HashSet<DateOnly>();
            statuses.Add(GoalEvaluator.Evaluate(goal, today, goal.MetricCode is { } code ? values[code] : none, days, grace));
        }

        return statuses;
    }

    public async Task<GoalSaveResult> CreateAsync(string userId, GoalInput input, CancellationToken cancellationToken)
    {
        if (await db.Set<Goal>().CountAsync(g => g.UserId == userId, cancellationToken) >= MaxGoals)
        {
            return new GoalSaveResult(null, new Dictionary<string, string> { [nameof(GoalInput.Name)] = $"You have {MaxGoals} goals already; archive or delete one first." });
        }

        var goal = new Goal { UserId = userId, Name = "", CreatedAt = time.GetUtcNow().UtcDateTime };
        var errors = await ApplyAsync(userId, goal, input, cancellationToken);
        if (errors.Count > 0)
        {
            return new GoalSaveResult(null, errors);
        }

        db.Add(goal);
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
        return new GoalSaveResult(goal.Id, errors);
    }

    /// <returns>Null when the goal is not this user's.</returns>
    public async Task<GoalSaveResult?> UpdateAsync(string userId, long id, GoalInput input, CancellationToken cancellationToken)
    {
        var goal = await db.Set<Goal>().SingleOrDefaultAsync(g => g.Id == id && g.UserId == userId, cancellationToken);
        if (goal is null)
        {
            return null;
        }

        var errors = await ApplyAsync(userId, goal, input, cancellationToken);
        if (errors.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        return new GoalSaveResult(id, errors);
    }

    /// <returns>False when the goal is not this user's.</returns>
    public async Task<bool> SetArchivedAsync(string userId, long id, bool archived, CancellationToken cancellationToken) =>
        await db.Set<Goal>().Where(g => g.Id == id && g.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.ArchivedAt, archived ? time.GetUtcNow().UtcDateTime : null), cancellationToken) == 1;

    /// <returns>False when the goal is not this user's.</returns>
    public async Task<bool> DeleteAsync(string userId, long id, CancellationToken cancellationToken) =>
        await db.Set<Goal>().Where(g => g.Id == id && g.UserId == userId).ExecuteDeleteAsync(cancellationToken) == 1;

    /// <summary>The goal's target in the user's units, for an edit form.</summary>
    public static GoalInput ToInput(Goal goal, UnitSystem units) => new()
    {
        Name = goal.Name,
        Kind = goal.Kind,
        MetricCode = goal.MetricCode,
        Comparison = goal.Comparison,
        Target = goal.MetricCode is { } code ? Math.Round(MetricCatalogue.Get(code).DisplayFor(units).FromCanonical(goal.Target), 2) : null,
        DaysPerWeek = goal.DaysPerWeek,
        JournalKind = goal.JournalKind,
        StartDate = goal.StartDate,
        EndDate = goal.EndDate,
    };

    private async Task<Dictionary<string, string>> ApplyAsync(string userId, Goal goal, GoalInput input, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>();
        var preferences = await PreferencesAsync(userId, cancellationToken) ?? throw new InvalidOperationException($"No user '{userId}'.");
        var name = input.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors[nameof(GoalInput.Name)] = "Give the goal a name.";
        }
        else if (name.Length > 80)
        {
            errors[nameof(GoalInput.Name)] = "Keep the name to 80 characters.";
        }

        if (!Enum.IsDefined(input.Kind))
        {
            errors[nameof(GoalInput.Kind)] = "Choose a kind of goal.";
        }

        if (!Enum.IsDefined(input.Comparison))
        {
            errors[nameof(GoalInput.Comparison)] = "Choose at least or at most.";
        }

        double canonical = 0;
        MetricDefinition? metric = null;
        if (input.Kind == GoalKind.JournalHabit)
        {
            if (input.JournalKind is { Length: > 0 } kind && journal.Kinds.All(k => k.Code != kind))
            {
                errors[nameof(GoalInput.JournalKind)] = "Choose a kind of entry from the list.";
            }
        }
        else
        {
            metric = input.MetricCode is null ? null : MetricCatalogue.Find(input.MetricCode);
            if (metric is null)
            {
                errors[nameof(GoalInput.MetricCode)] = "Choose a metric from the list.";
            }
            else if (input.Kind == GoalKind.BodyTarget && metric.Group != MetricGroup.Body)
            {
                errors[nameof(GoalInput.MetricCode)] = "A body target is for a body measurement, such as weight or body fat.";
            }

            if (input.Target is not { } target || !double.IsFinite(target))
            {
                errors[nameof(GoalInput.Target)] = "Enter a target number.";
            }
            else if (metric is not null)
            {
                var unit = metric.DisplayFor(preferences.Units);
                canonical = unit.ToCanonical(target);
                if (!metric.IsValid(canonical))
                {
                    errors[nameof(GoalInput.Target)] = string.Create(CultureInfo.InvariantCulture,
                        $"{metric.DisplayName} targets must be between {Math.Round(unit.FromCanonical(metric.MinValue), 2)} and {Math.Round(unit.FromCanonical(metric.MaxValue), 2)}{(unit.Label.Length > 0 ? " " + unit.Label : "")}.");
                }
            }
        }

        if (input.Kind is GoalKind.WeeklyCount or GoalKind.JournalHabit && input.DaysPerWeek is not (>= 1 and <= 7))
        {
            errors[nameof(GoalInput.DaysPerWeek)] = "Days a week must be between 1 and 7.";
        }

        if (input.StartDate is not { } start || start.Year is < 1900 or > 2100)
        {
            errors[nameof(GoalInput.StartDate)] = "Enter a start date between 1900 and 2100.";
        }
        else if (input.EndDate is { } end && end < start)
        {
            errors[nameof(GoalInput.EndDate)] = "The end date must be on or after the start date.";
        }
        else if (input.EndDate is { Year: > 2100 })
        {
            errors[nameof(GoalInput.EndDate)] = "Enter an end date before 2100.";
        }

        if (input.Kind == GoalKind.BodyTarget && input.EndDate is null && !errors.ContainsKey(nameof(GoalInput.EndDate)))
        {
            errors[nameof(GoalInput.EndDate)] = "A body target needs the date to reach it by.";
        }

        if (errors.Count > 0)
        {
            return errors;
        }

        goal.Name = name;
        goal.Kind = input.Kind;
        goal.MetricCode = metric?.Code;
        goal.Comparison = input.Kind == GoalKind.BodyTarget ? await BodyComparisonAsync(metric!, canonical) : input.Comparison;
        goal.Target = canonical;
        goal.DaysPerWeek = input.Kind is GoalKind.WeeklyCount or GoalKind.JournalHabit ? input.DaysPerWeek : null;
        goal.JournalKind = input.Kind == GoalKind.JournalHabit && input.JournalKind is { Length: > 0 } k ? k : null;
        goal.StartDate = input.StartDate!.Value;
        goal.EndDate = input.EndDate;
        return errors;

        // A body target points the way the latest value has to go: down to 75 kg means "at most".
        async Task<Comparison> BodyComparisonAsync(MetricDefinition m, double target)
        {
            var latest = await db.DailyValues.AsNoTracking()
                .Where(d => d.UserId == userId && d.MetricCode == m.Code && d.LocalDate <= preferences.Today)
                .OrderByDescending(d => d.LocalDate).Select(d => (double?)d.Value).FirstOrDefaultAsync(cancellationToken);
            return latest is { } current ? (target <= current ? Comparison.AtMost : Comparison.AtLeast) : input.Comparison;
        }
    }
}
