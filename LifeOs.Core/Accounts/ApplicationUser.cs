using Microsoft.AspNetCore.Identity;

namespace LifeOs.Core.Accounts;

/// <summary>A LifeOs account: Identity's user plus the preferences every page reads.</summary>
public class ApplicationUser : IdentityUser
{
    /// <summary>IANA time zone id; "a day" is a local date in this zone.</summary>
    [PersonalData]
    public string TimeZoneId { get; set; } = "UTC";

    [PersonalData]
    public UnitSystem UnitSystem { get; set; } = UnitSystem.Metric;

    /// <summary>Hour (0–6) at which the user's day starts; a night out until 2 a.m. still belongs to the day before.</summary>
    [PersonalData]
    public int DayStartHour { get; set; }

    [PersonalData]
    public DateTime CreatedAt { get; set; }

    public DateTime? LastSignInAt { get; set; }

    /// <summary>Set when the account is being deleted in the background: it cannot sign in and is listed nowhere.</summary>
    public DateTime? DeletedAt { get; set; }

    /// <summary>Light, dark, or whatever the device uses; every page follows it.</summary>
    [PersonalData]
    public ThemeMode ThemeMode { get; set; } = ThemeMode.System;
}

public enum UnitSystem
{
    Metric = 0,
    Imperial = 1,
}

public enum ThemeMode
{
    /// <summary>Follow the device's light or dark setting, and its changes.</summary>
    System = 0,
    Light = 1,
    Dark = 2,
}
