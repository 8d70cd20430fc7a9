using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Health;

/// <summary>The user's source order per metric group: their own where they changed it, else the defaults.</summary>
public sealed class SourcePriorityService(LifeOsDbContext db)
{
    public async Task<IReadOnlyList<GroupPriority>> GetGroupsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var own = await LoadAsync(userId, cancellationToken);
        return Enum.GetValues<MetricGroup>()
            .Select(group => own.TryGetValue(group, out var order)
                ? new GroupPriority(group, order, IsDefault: false)
                : new GroupPriority(group, SourcePriority.Default(group), IsDefault: true))
            .ToList();
    }

    /// <summary>A lookup from metric to its ranking for this user, read once per write batch.</summary>
    public async Task<Func<MetricDefinition, IReadOnlyList<SampleSource>>> GetOrderAsync(string userId, CancellationToken cancellationToken = default)
    {
        var own = await LoadAsync(userId, cancellationToken);
        return metric => own.TryGetValue(metric.Group, out var order) ? order : SourcePriority.Default(metric);
    }

    /// <summary>Moves one source up (-1) or down (+1) in a group and stores the result as the user's order.</summary>
    /// <returns>The new order, or null when the move changes nothing (already first or last).</returns>
    public async Task<IReadOnlyList<SampleSource>?> MoveAsync(string userId, MetricGroup group, SampleSource source, int direction, CancellationToken cancellationToken = default)
    {
        var groups = await GetGroupsAsync(userId, cancellationToken);
        var order = groups.Single(g => g.Group == group).Order.ToList();
        var from = order.IndexOf(source);
        var to = from + Math.Sign(direction);
        if (from < 0 || to < 0 || to >= order.Count || direction == 0)
        {
            return null;
        }

        (order[from], order[to]) = (order[to], order[from]);
        await SaveAsync(userId, group, order, cancellationToken);
        return order;
    }

    /// <summary>Stores <paramref name="order"/> as the user's own for a group (a restore brings it back); missing sources go last, as stored orders read.</summary>
    /// <returns>Whether the group's order changed.</returns>
    public async Task<bool> SetAsync(string userId, MetricGroup group, IReadOnlyList<SampleSource> order, CancellationToken cancellationToken = default)
    {
        var complete = SourcePriority.Parse(SourcePriority.Format(order), group);
        var current = (await GetGroupsAsync(userId, cancellationToken)).Single(g => g.Group == group);
        if (!current.IsDefault && current.Order.SequenceEqual(complete))
        {
            return false;
        }

        await SaveAsync(userId, group, complete, cancellationToken);
        return !current.Order.SequenceEqual(complete);
    }

    /// <summary>Forgets the user's order for a group, so the defaults apply again.</summary>
    public async Task<bool> ResetAsync(string userId, MetricGroup group, CancellationToken cancellationToken = default) =>
        await db.Set<UserSourcePriority>().Where(p => p.UserId == userId && p.Group == group).ExecuteDeleteAsync(cancellationToken) > 0;

    private async Task SaveAsync(string userId, MetricGroup group, IReadOnlyList<SampleSource> order, CancellationToken cancellationToken)
    {
        var row = await db.Set<UserSourcePriority>().SingleOrDefaultAsync(p => p.UserId == userId && p.Group == group, cancellationToken);
        if (row is null)
        {
            db.Add(new UserSourcePriority { UserId = userId, Group = group, Sources = SourcePriority.Format(order) });
        }
        else
        {
            row.Sources = SourcePriority.Format(order);
        }

        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private async Task<Dictionary<MetricGroup, IReadOnlyList<SampleSource>>> LoadAsync(string userId, CancellationToken cancellationToken)
    {
        var rows = await db.Set<UserSourcePriority>().AsNoTracking().Where(p => p.UserId == userId).ToListAsync(cancellationToken);
        return rows.ToDictionary(r => r.Group, r => SourcePriority.Parse(r.Sources, r.Group));
    }
}
