using Bunit;
using LifeOs.Core.Accounts;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Components.Layout;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Extensions;

namespace LifeOs.Tests.Components.Layout;

public sealed class MainLayoutTests : PageTestContext
{
    private IRenderedComponent<MainLayout> RenderLayout(InitialTheme? initial = null) =>
        Render<MainLayout>(p => p
            .Add(l => l.Body, (RenderFragment)(b => b.AddMarkupContent(0, "<p data-testid=\"body\">Page body</p>")))
            .AddCascadingValue(initial ?? new InitialTheme(ThemeMode.System, false)));

    private static IReadOnlyList<string> NavLabels(IRenderedComponent<MainLayout> layout) =>
        layout.FindAll(".side-nav a").Select(a => a.TextContent.Trim()).ToList();

    [Fact]
    public async Task Member_SeesTheAppsSections_WithoutAdmin_AndThePageInsideMain()
    {
        await SignInAsNewUserAsync("member@example.com");
        var layout = RenderLayout();

        Assert.Equal(["Today", "Journal", "Measurements", "Goals", "Integrations", "Settings", "Notifications", "Account"], NavLabels(layout));
        Assert.Equal("Page body", layout.Find("main#main [data-testid=body]").TextContent);
        Assert.Equal("true", layout.Find("main#main").GetAttribute("data-interactive"));
    }

    [Fact]
    public async Task Administrator_AlsoSeesAdmin()
    {
        await SignInAsNewUserAsync("admin@example.com", administrator: true);
        var layout = RenderLayout();
        Assert.Equal("Admin", NavLabels(layout)[^1]);
    }

    [Fact]
    public async Task SavedDarkMode_PaintsDark_EvenOnALightDevice()
    {
        await SignInAsNewUserAsync("night@example.com");
        var layout = RenderLayout(new InitialTheme(ThemeMode.Dark, PrefersDark: false));
        Assert.True(layout.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
    }

    [Fact]
    public async Task DeviceMode_FollowsTheDevice_WhenItTurnsOutToBeDark()
    {
        JSInterop.Setup<bool>("mudThemeProvider.isDarkMode").SetResult(true);
        await SignInAsNewUserAsync("device@example.com");
        var layout = RenderLayout(new InitialTheme(ThemeMode.System, PrefersDark: false));
        layout.WaitForAssertion(() => Assert.True(layout.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode)));
    }

    [Fact]
    public async Task ChoosingDark_InTheAppBar_IsSavedWithTheAccount_AndAppliedAtOnce()
    {
        var id = await SignInAsNewUserAsync("chooser@example.com");
        var layout = RenderLayout(new InitialTheme(ThemeMode.System, PrefersDark: false));

        await layout.InvokeAsync(() => layout.FindComponent<ThemeModeMenu>().Instance.ModeChanged.InvokeAsync(ThemeMode.Dark));

        Assert.True(layout.FindComponent<MudThemeProvider>().Instance.GetState(x => x.IsDarkMode));
        Assert.Equal(ThemeMode.Dark, layout.FindComponent<ThemeModeMenu>().Instance.Mode);
        Assert.Equal(ThemeMode.Dark, await WithAsync<UserSettingsService, ThemeMode>(s => s.GetThemeAsync(id)));
    }

    [Fact]
    public async Task MenuButton_OpensAndFoldsTheDrawer_AndSaysWhichItIs()
    {
        await SignInAsNewUserAsync("phone@example.com");
        var layout = RenderLayout();
        // Open or not at first depends on the screen (MudBlazor's responsive drawer); the button flips it either way.
        var before = layout.FindComponent<MudDrawer>().Instance.GetState(x => x.Open);

        await layout.Find("[data-testid=menu-button]").ClickAsync(new());
        Assert.Equal(!before, layout.FindComponent<MudDrawer>().Instance.GetState(x => x.Open));
        Assert.Equal(before ? "false" : "true", layout.Find("[data-testid=menu-button]").GetAttribute("aria-expanded"));

        await layout.Find("[data-testid=menu-button]").ClickAsync(new());
        Assert.Equal(before, layout.FindComponent<MudDrawer>().Instance.GetState(x => x.Open));
    }
}
