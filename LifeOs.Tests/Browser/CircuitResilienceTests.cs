using LifeOs.Core.Accounts;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>What happens to an open page when its connection or the server goes away.</summary>
public sealed class CircuitResilienceTests
{
    /// <summary>
    /// Console errors other than the ones a dropped connection makes by itself: the browser reporting the
    /// refused WebSocket and reconnect attempts while the server is down, blazor.web.js refusing to send
    /// while the circuit is paused, and MudBlazor re-initialising its popovers on the resumed circuit.
    /// </summary>
    private static List<string> AfterReconnect(IEnumerable<string> errors) =>
        errors.Where(e => !System.Text.RegularExpressions.Regex.IsMatch(e,
            "WebSocket|ERR_CONNECTION_REFUSED|Failed to fetch|Failed to complete negotiation|Cannot send data if the connection is not in the 'Connected' State|Popover Service already initialized|Connection disconnected|Failed to start the connection")).ToList();

    [Fact]
    public async Task PausedCircuit_ResumesOnTheSamePage_WithWhatWasOnIt()
    {
        await using var app = await BrowserApp.StartAsync();
        var (context, page, errors) = await app.NewPageAsync(1280, 860);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "pause@example.com");
            await page.GotoAsync("/settings");
            await BrowserApp.WaitForInteractiveAsync(page);
            await page.GetByText("Imperial (lb, mi, °F)").ClickAsync();
            await Assertions.Expect(page.GetByTestId("units").Locator("input[type=radio]").Nth(1)).ToBeCheckedAsync();

            // What a phone's browser does to a page in the background: the server persists the page's
            // state and lets the circuit go.
            Assert.True(await page.EvaluateAsync<bool>("Blazor.pauseCircuit()"));
            await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync();
            await BrowserApp.ScreenshotAsync(page, "circuit-paused");
            await page.Locator("#components-resume-button").ClickAsync();

            // A new circuit on the same page, with the unsaved choice still there.
            await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings$"));
            await Assertions.Expect(page.GetByTestId("units").Locator("input[type=radio]").Nth(1)).ToBeCheckedAsync();
            await page.GetByTestId("save-settings").ClickAsync();
            await Assertions.Expect(page.GetByText("Settings saved.")).ToBeVisibleAsync();
            Assert.Equal(UnitSystem.Imperial, await app.Factory.WithDbAsync(db => db.Users.Select(u => u.UnitSystem).SingleAsync()));
            Assert.True(AfterReconnect(errors).Count == 0, string.Join("\n", AfterReconnect(errors)));
        }
    }

    [Fact]
    public async Task ServerRestart_ThePageComesBack_SignedIn_AndWorks()
    {
        await using var app = await BrowserApp.StartAsync();
        var (context, page, errors) = await app.NewPageAsync(390, 844);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "restart@example.com");
            await page.GotoAsync("/settings");
            await BrowserApp.WaitForInteractiveAsync(page);

            await app.RestartServerAsync();

            // The connection drops; the dialog says so, then the page reconnects, resumes or reloads by itself.
            await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await BrowserApp.ScreenshotAsync(page, "circuit-reconnecting-phone");
            await Assertions.Expect(page.Locator("#components-reconnect-modal")).ToBeHiddenAsync(new() { Timeout = 30_000 });
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/settings$"));
            await BrowserApp.WaitForInteractiveAsync(page);

            // A live circuit, signed in as before: a change reaches the server.
            await page.GetByTestId("appearance-dark").ClickAsync();
            await Assertions.Expect(page.GetByText("Appearance: Dark.")).ToBeVisibleAsync();
            Assert.Equal(ThemeMode.Dark, await app.Factory.WithDbAsync(db => db.Users.Select(u => u.ThemeMode).SingleAsync()));
            Assert.True(AfterReconnect(errors).Count == 0, string.Join("\n", AfterReconnect(errors)));
        }
    }

    [Fact]
    public async Task PrerenderedPage_LoadsItsDataOnce_TheLiveCircuitTakesItOver()
    {
        // EF logs every command at Information here, so the test can count the settings query.
        await using var app = await BrowserApp.StartAsync(new() { ["Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command"] = "Information" });
        var (context, page, errors) = await app.NewPageAsync(1280, 860);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "once@example.com");
            var settingsQueries = () => app.Factory.Logs.Count(l => l.Contains("Executed DbCommand", StringComparison.Ordinal)
                && l.Contains("\"TimeZoneId\", \"a\".\"UnitSystem\", \"a\".\"DayStartHour\"", StringComparison.Ordinal));
            var before = settingsQueries();

            await page.GotoAsync("/settings");
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.Locator("#settings-time-zone")).ToHaveValueAsync("UTC");

            Assert.Equal(1, settingsQueries() - before);
        }
    }
}
