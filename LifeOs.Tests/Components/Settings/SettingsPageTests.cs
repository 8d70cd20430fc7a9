using Bunit;
using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Components.Pages.Settings;
using LifeOs.Web.Components.Shared;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace LifeOs.Tests.Components.Settings;

public sealed class SettingsPageTests() : PageTestContext(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" })
{
    private Task<UserSettings> SettingsOfAsync(string userId) =>
        WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => new UserSettings(u.TimeZoneId, u.UnitSystem, u.DayStartHour)).SingleAsync());

    private static async Task SetAsync(IRenderedComponent<SettingsPage> page, string timeZone, UnitSystem units = UnitSystem.Metric, int dayStart = 0)
    {
        await page.InvokeAsync(() => page.FindComponent<TimeZoneField>().Instance.ValueChanged.InvokeAsync(timeZone));
        await page.InvokeAsync(() => page.FindComponent<MudRadioGroup<UnitSystem>>().Instance.ValueChanged.InvokeAsync(units));
        await page.InvokeAsync(() => page.FindComponent<MudSelect<int>>().Instance.ValueChanged.InvokeAsync(dayStart));
    }

    private static Task SaveAsync(IRenderedComponent<SettingsPage> page) =>
        page.Find("[data-testid=save-settings]").ClickAsync(new());

    [Fact]
    public async Task NewAccount_ShowsTheConfiguredDefaultTimeZone()
    {
        await SignInAsNewUserAsync("paris@example.com");
        var page = RenderPage<SettingsPage>();
        page.WaitForAssertion(() => Assert.Equal("Europe / Paris", page.Find("#settings-time-zone").GetAttribute("value")));
    }

    [Fact]
    public async Task Save_ValidSettings_StoresThem_AndSaysSo()
    {
        var id = await SignInAsNewUserAsync("saver@example.com");
        var page = RenderPage<SettingsPage>();
        page.WaitForElement("#settings-time-zone");

        await SetAsync(page, "America/New_York", UnitSystem.Imperial, 3);
        await SaveAsync(page);

        Assert.Equal(new UserSettings("America/New_York", UnitSystem.Imperial, 3), await SettingsOfAsync(id));
        Snackbars.WaitForAssertion(() => Assert.Contains("Settings saved.", SnackbarMessages()));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", 0, "is not a time zone")]
    [InlineData("Europe/Berlin", 9, "A day can start between 0:00 and 6:00.")]
    [InlineData("Europe/Berlin", -1, "A day can start between 0:00 and 6:00.")]
    public async Task Save_InvalidValue_ShowsTheMessageBesideTheField_AndSavesNothing(string timeZone, int dayStart, string message)
    {
        var id = await SignInAsNewUserAsync("careful@example.com");
        var before = await SettingsOfAsync(id);
        var page = RenderPage<SettingsPage>();
        page.WaitForElement("#settings-time-zone");

        await SetAsync(page, timeZone, UnitSystem.Imperial, dayStart);
        await SaveAsync(page);

        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-input-helper-text.mud-input-error, .mud-input-error .mud-input-helper-text"), e => e.TextContent.Contains(message, StringComparison.Ordinal)));
        Assert.Equal(before, await SettingsOfAsync(id));
        Assert.DoesNotContain("Settings saved.", SnackbarMessages());
    }

    [Fact]
    public async Task Save_ChangesOnlyTheSignedInUsersSettings()
    {
        var other = await CreateUserAsync("two@example.com");
        var id = await SignInAsNewUserAsync("one@example.com");
        var page = RenderPage<SettingsPage>();
        page.WaitForElement("#settings-time-zone");

        await SetAsync(page, "Asia/Tokyo", UnitSystem.Metric, 4);
        await SaveAsync(page);

        Assert.Equal(new UserSettings("Asia/Tokyo", UnitSystem.Metric, 4), await SettingsOfAsync(id));
        Assert.Equal(new UserSettings("Europe/Paris", UnitSystem.Metric, 0), await SettingsOfAsync(other));
    }

    [Fact]
    public async Task Save_NewTimeZone_MovesTheUsersMeasurements_AndSaysHowMany()
    {
        var id = await SignInAsNewUserAsync("traveller@example.com");
        // 23:30 UTC is 00:30 on 25 November in Paris and 18:30 on 24 November in New York.
        await WithAsync<HealthStore, UpsertResult>(store => store.UpsertSamplesAsync(id,
        [
            new(MetricCatalogue.Steps, SampleSource.Manual, "evening", new DateTime(2026, 11, 24, 23, 30, 0, DateTimeKind.Utc), 4200),
            new(MetricCatalogue.Steps, SampleSource.Manual, "noon", new DateTime(2026, 11, 24, 11, 0, 0, DateTimeKind.Utc), 3000),
        ]));
        var stepsOn = (int day) => WithDbAsync(db => db.DailyValues
            .Where(d => d.UserId == id && d.MetricCode == MetricCatalogue.Steps && d.LocalDate == new DateOnly(2026, 11, day))
            .Select(d => (double?)d.Value).SingleOrDefaultAsync());
        Assert.Equal((3000, 4200), (await stepsOn(24), await stepsOn(25)));

        var page = RenderPage<SettingsPage>();
        page.WaitForElement("#settings-time-zone");
        await SetAsync(page, "America/New_York");
        await SaveAsync(page);

        Assert.Equal((7200, (double?)null), (await stepsOn(24), await stepsOn(25)));
        Snackbars.WaitForAssertion(() => Assert.Contains("Settings saved. 1 measurement moved to the day it now falls on.", SnackbarMessages()));
    }

    [Fact]
    public async Task SourceOrder_MoveUp_RecomputesTheDay_ForThatUserOnly()
    {
        var day = new DateOnly(2026, 11, 24);
        var other = await CreateUserAsync("other@example.com");
        var id = await SignInAsNewUserAsync("order@example.com");
        foreach (var user in new[] { id, other })
        {
            await WithAsync<HealthStore, UpsertResult>(store => store.UpsertSamplesAsync(user,
            [
                new(MetricCatalogue.Steps, SampleSource.Oura, "o", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), 8000),
                new(MetricCatalogue.Steps, SampleSource.Manual, "m", new DateTime(2026, 11, 24, 13, 0, 0, DateTimeKind.Utc), 9100),
            ]));
        }

        var stepsOf = (string user) => WithDbAsync(db => db.DailyValues
            .Where(d => d.UserId == user && d.MetricCode == MetricCatalogue.Steps && d.LocalDate == day).Select(d => d.Value).SingleAsync());
        Assert.Equal(8000, await stepsOf(id));

        var page = RenderPage<SettingsPage>();
        var moveUp = "[data-testid=priority-Activity] button[aria-label='Move Typed in up for Activity']";
        // Past the phone's steps through Withings, Withings and Oura.
        await page.WaitForElement(moveUp).ClickAsync(new());
        await page.WaitForElement(moveUp).ClickAsync(new());
        await page.WaitForElement(moveUp).ClickAsync(new());

        Assert.Equal(9100, await stepsOf(id));
        Assert.Equal(8000, await stepsOf(other));
        page.WaitForAssertion(() => Assert.Equal(
            ["Typed in", "Oura ring", "Withings", "Phone via Withings", "CSV import", "API", "Apple Health"],
            page.FindAll("[data-testid=priority-Activity] .priority-name").Select(e => e.TextContent)));
        Assert.Contains(SnackbarMessages(), m => m.Contains("saved; your days are recomputed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Appearance_Dark_IsSavedWithTheAccount()
    {
        var id = await SignInAsNewUserAsync("night@example.com");
        var saved = new List<ThemeMode>();
        var appearance = new LifeOs.Web.Components.Layout.Appearance(ThemeMode.System, false, async mode =>
        {
            saved.Add(mode);
            await WithAsync<UserSettingsService, bool>(s => s.SetThemeAsync(id, mode));
        });

        var section = Render<AppearanceSection>(p => p.AddCascadingValue(appearance));
        await section.InvokeAsync(() => section.FindComponent<MudRadioGroup<ThemeMode>>().Instance.ValueChanged.InvokeAsync(ThemeMode.Dark));

        Assert.Equal([ThemeMode.Dark], saved);
        Assert.Equal(ThemeMode.Dark, await WithAsync<UserSettingsService, ThemeMode>(s => s.GetThemeAsync(id)));
    }
}
