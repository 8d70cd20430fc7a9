using MudBlazor;

namespace LifeOs.Web.Components.Layout;

/// <summary>
/// LifeOs's look on MudBlazor: the indigo brand of the first version, calm neutral surfaces, the system
/// font stack (nothing is fetched from a font CDN), and a dark palette tuned for charts at night.
/// </summary>
public static class LifeOsTheme
{
    public const string Indigo = "#4f5bd5";
    public const string IndigoDark = "#7c86f2";

    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = Indigo,
            PrimaryDarken = "#3c46b8",
            PrimaryLighten = "#eceefd",
            Secondary = "#2bb3a3",
            Tertiary = "#f2a541",
            Info = "#3b82c4",
            Success = "#1e8e5a",
            Warning = "#b7791f",
            Error = "#c0392b",
            Background = "#f5f6fa",
            BackgroundGray = "#f0f2f7",
            Surface = "#ffffff",
            AppbarBackground = "#ffffff",
            AppbarText = "#1a1e2b",
            DrawerBackground = "#ffffff",
            DrawerText = "#3a4052",
            DrawerIcon = "#5d6577",
            TextPrimary = "#1a1e2b",
            TextSecondary = "#5d6577",
            LinesDefault = "#e2e5ee",
            LinesInputs = "#c9cedb",
            TableLines = "#e8eaf1",
            TableHover = "#f3f4f9",
            Divider = "#e2e5ee",
            ActionDefault = "#5d6577",
        },
        PaletteDark = new PaletteDark
        {
            Primary = IndigoDark,
            PrimaryDarken = "#9aa2f6",
            PrimaryLighten = "#23284a",
            Secondary = "#3cc7b6",
            Tertiary = "#f5b85e",
            Info = "#64a8e6",
            Success = "#4cc38a",
            Warning = "#e0a845",
            Error = "#f07167",
            Black = "#0b0d14",
            Background = "#0e111a",
            BackgroundGray = "#131724",
            Surface = "#161a26",
            AppbarBackground = "#161a26",
            AppbarText = "#e7e9f1",
            DrawerBackground = "#131724",
            DrawerText = "#c9cede",
            DrawerIcon = "#9aa2b5",
            TextPrimary = "#e7e9f1",
            TextSecondary = "#9aa2b5",
            TextDisabled = "#5f6679",
            ActionDefault = "#9aa2b5",
            ActionDisabled = "#5f6679",
            LinesDefault = "#2a3044",
            LinesInputs = "#3a4158",
            TableLines = "#262c3e",
            TableHover = "#1d2232",
            Divider = "#2a3044",
            OverlayDark = "rgba(5,7,12,0.7)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts, FontSize = ".9375rem", LineHeight = "1.55" },
            H1 = new H1Typography { FontFamily = SystemFonts, FontSize = "2rem", FontWeight = "700", LetterSpacing = "-.02em", LineHeight = "1.2" },
            H2 = new H2Typography { FontFamily = SystemFonts, FontSize = "1.6rem", FontWeight = "700", LetterSpacing = "-.02em", LineHeight = "1.25" },
            H3 = new H3Typography { FontFamily = SystemFonts, FontSize = "1.35rem", FontWeight = "650", LetterSpacing = "-.01em", LineHeight = "1.3" },
            H4 = new H4Typography { FontFamily = SystemFonts, FontSize = "1.2rem", FontWeight = "650", LetterSpacing = "-.01em", LineHeight = "1.3" },
            H5 = new H5Typography { FontFamily = SystemFonts, FontSize = "1.075rem", FontWeight = "650", LineHeight = "1.35" },
            H6 = new H6Typography { FontFamily = SystemFonts, FontSize = "1rem", FontWeight = "650", LineHeight = "1.4" },
            Subtitle1 = new Subtitle1Typography { FontFamily = SystemFonts, FontSize = "1rem", FontWeight = "400", LineHeight = "1.5" },
            Subtitle2 = new Subtitle2Typography { FontFamily = SystemFonts, FontSize = ".875rem", FontWeight = "600" },
            Body1 = new Body1Typography { FontFamily = SystemFonts, FontSize = ".9375rem", LineHeight = "1.55" },
            Body2 = new Body2Typography { FontFamily = SystemFonts, FontSize = ".875rem", LineHeight = "1.5" },
            Button = new ButtonTypography { FontFamily = SystemFonts, FontSize = ".875rem", FontWeight = "600", TextTransform = "none", LetterSpacing = "0" },
            Caption = new CaptionTypography { FontFamily = SystemFonts, FontSize = ".78rem", LineHeight = "1.45" },
            Overline = new OverlineTypography { FontFamily = SystemFonts, FontSize = ".72rem", FontWeight = "650", LetterSpacing = ".08em" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "10px",
            DrawerWidthLeft = "248px",
            AppbarHeight = "60px",
        },
    };
}
