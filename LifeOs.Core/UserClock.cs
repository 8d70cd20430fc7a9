using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core;

/// <summary>
/// A user's time at one instant: their zone, the hour their day starts, their units, and what follows from
/// them (today, local times). The one answer in Core to "this user's zone, day start and today"; read it with
/// <see cref="UserClocks"/>.
/// </summary>
public sealed record UserClock(TimeZoneInfo Zone, int DayStartHour, UnitSystem UnitSystem, DateTimeOffset Now)
{
    /// <summary>The user's day now: their local date, shifted by the hour their day starts.</summary>
    public DateOnly Today { get; } = LocalDay.Of(Now.UtcDateTime, Zone, DayStartHour);

    /// <summary>The user's local wall-clock time now.</summary>
    public DateTime LocalNow => ToLocal(Now.UtcDateTime);

    /// <summary>The user's calendar date now (midnight to midnight, whatever hour their day starts).</summary>
    public DateOnly CalendarToday => DateOnly.FromDateTime(LocalNow);

    public DateTime ToLocal(DateTime utc) => TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), Zone);

    /// <summary>The user's day an instant falls on.</summary>
    public DateOnly DayOf(DateTime utc) => LocalDay.Of(utc, Zone, DayStartHour);

    /// <summary>A fast day reader for many instants, such as every sample of the user (one per loop).</summary>
    public LocalDay.ForZone Days() => new(Zone, DayStartHour);
}

public static class UserClocks
{
    /// <returns>The user's clock now, or null when there is no such user.</returns>
    public static async Task<UserClock?> FindClockAsync(this LifeOsDbContext db, string userId, TimeProvider time, CancellationToken cancellationToken = default)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.TimeZoneId, u.DayStartHour, u.UnitSystem })
            .SingleOrDefaultAsync(cancellationToken);
        return user is null ? null : new UserClock(TimeZones.Find(user.TimeZoneId), user.DayStartHour, user.UnitSystem, time.GetUtcNow());
    }

    /// <summary>The user's clock now; for callers that already know the user exists.</summary>
    public static async Task<UserClock> ClockAsync(this LifeOsDbContext db, string userId, TimeProvider time, CancellationToken cancellationToken = default) =>
        await db.FindClockAsync(userId, time, cancellationToken) ?? throw new InvalidOperationException($"No user '{userId}'.");
}
