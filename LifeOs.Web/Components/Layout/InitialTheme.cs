using LifeOs.Core.Accounts;

namespace LifeOs.Web.Components.Layout;

/// <summary>
/// The light/dark choice for a page's first paint: the user's saved mode, and whether the device prefers
/// dark (js/color-scheme.js keeps that in a cookie, since the server cannot ask the device). Passed from the
/// static App to the interactive Routes as a parameter, so it is serialisable.
/// </summary>
public sealed record InitialTheme(ThemeMode Mode, bool PrefersDark)
{
    public const string CookieName = "lifeos-scheme";

    public bool IsDark => Resolve(Mode, PrefersDark);

    public static bool Resolve(ThemeMode mode, bool prefersDark) => mode switch
    {
        ThemeMode.Dark => true,
        ThemeMode.Light => false,
        _ => prefersDark,
    };
}

/// <summary>What the interactive layout cascades to pages: the current mode, whether it is dark now, and how to change it.</summary>
public sealed record Appearance(ThemeMode Mode, bool IsDark, Func<ThemeMode, Task> SetModeAsync);
