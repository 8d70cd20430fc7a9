namespace LifeOs.Core.Notifications;

/// <summary>Local wall-clock times to instants in a user's zone, across DST changes; and quiet hours.</summary>
public static class ReminderTimes
{
    /// <summary>
    /// The instant <paramref name="time"/> on <paramref name="date"/> happens in <paramref name="zone"/>. A time the
    /// clocks skip (02:30 on a spring-forward night) happens at the first valid minute after the gap, so the reminder is
    /// late by the gap rather than lost; a time that happens twice (01:30 on a fall-back night) happens the first time.
    /// </summary>
    public static DateTime DueUtc(TimeZoneInfo zone, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Gaps are whole minutes (in practice 30 or 60): step to the first minute that exists.
            do
            {
                local = local.AddMinutes(1);
            }
            while (zone.IsInvalidTime(local));

            return TimeZoneInfo.ConvertTimeToUtc(local, zone);
        }

        if (zone.IsAmbiguousTime(local))
        {
            // The earlier instant is the one with the larger offset (summer time).
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    /// <summary>Whether a local time falls in quiet hours from <paramref name="from"/> up to <paramref name="until"/> (which may cross midnight).</summary>
    public static bool IsQuiet(TimeOnly local, TimeOnly? from, TimeOnly? until)
    {
        if (from is not { } start || until is not { } end || start == end)
        {
            return false;
        }

        return start < end ? local >= start && local < end : local >= start || local < end;
    }
}

/// <summary>What each reminder does unless the user changes it.</summary>
public static class ReminderDefaults
{
    public static TimeOnly Time(ReminderKind kind) => kind switch
    {
        ReminderKind.MorningPages => new(7, 30),
        ReminderKind.DailyReflection => new(21, 0),
        ReminderKind.WeeklyReview => new(18, 0),
        ReminderKind.GoalAtRisk => new(19, 0),
        ReminderKind.ConnectionTrouble => new(9, 0),
        _ => new(8, 0),
    };

    public static DayOfWeek? Day(ReminderKind kind) => kind switch
    {
        ReminderKind.WeeklyReview => DayOfWeek.Sunday,
        ReminderKind.WeeklyDigest => DayOfWeek.Monday,
        _ => null,
    };

    public static bool IsWeekly(this ReminderKind kind) => Day(kind) is not null;

    public static string DisplayName(this ReminderKind kind) => kind switch
    {
        ReminderKind.MorningPages => "Morning pages",
        ReminderKind.DailyReflection => "Daily reflection",
        ReminderKind.WeeklyReview => "Weekly review",
        ReminderKind.GoalAtRisk => "A goal at risk",
        ReminderKind.ConnectionTrouble => "A connection needs attention",
        _ => "Weekly digest",
    };

    public static string Description(this ReminderKind kind) => kind switch
    {
        ReminderKind.MorningPages => "Skipped when you already wrote your morning pages that day.",
        ReminderKind.DailyReflection => "Skipped when you already wrote a reflection that day.",
        ReminderKind.WeeklyReview => "On the day you choose; skipped when you reviewed the week already.",
        ReminderKind.GoalAtRisk => "When a goal is behind, or today's target is not met yet at this time.",
        ReminderKind.ConnectionTrouble => "When Oura or Withings must be reconnected, or sync has failed for more than a day.",
        _ => "Last week's health facts, on the day you choose.",
    };

    public static IReadOnlyList<ReminderKind> All { get; } = Enum.GetValues<ReminderKind>();
}

/// <summary>Limits shared by the page and the service.</summary>
public static class NotificationRules
{
    public const int MaxLabelLength = 100;
    public const int MaxAddressLength = 1000;
    public const int MaxTokenLength = 200;
    public const int MaxChannelsPerUser = 20;
}
