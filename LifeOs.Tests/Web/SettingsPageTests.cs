using System.Net;
using LifeOs.Core.Accounts;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web;

public sealed class SettingsPageTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static Dictionary<string, string> Form(string timeZone, string units = "Metric", string dayStart = "0") => new()
    {
        ["Input.TimeZoneId"] = timeZone,
        ["Input.UnitSystem"] = units,
        ["Input.DayStartHour"] = dayStart,
    };

    private Task<UserSettings> SettingsOfAsync(string email) =>
        app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => new UserSettings(u.TimeZoneId, u.UnitSystem, u.DayStartHour)).SingleAsync());

    [Fact]
    public async Task NewAccount_GetsTheConfiguredDefaultTimeZone()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("paris@example.com");
        var (_, page) = await client.GetPageAsync("/settings");
        Assert.Equal("Europe/Paris", page.QuerySelector("select#Input\\.TimeZoneId option[selected]")?.GetAttribute("value"));
    }

    [Fact]
    public async Task Save_ValidSettings_RedirectsWithMessage_AndStoresThem()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("saver@example.com");

        var response = await client.PostFormAsync("/settings", "settings", Form("America/New_York", "Imperial", "3"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new UserSettings("America/New_York", UnitSystem.Imperial, 3), await SettingsOfAsync("saver@example.com"));
        Assert.Contains("Settings saved.", await TestClient.BodyAsync(await client.GetAsync("/settings")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "0", "Input.TimeZoneId", "is not a time zone")]
    [InlineData("Europe/Berlin", "9", "Input.DayStartHour", "A day can start between 0:00 and 6:00.")]
    [InlineData("Europe/Berlin", "-1", "Input.DayStartHour", "A day can start between 0:00 and 6:00.")]
    public async Task Save_InvalidValue_ShowsFieldError_AndSavesNothing(string timeZone, string dayStart, string field, string message)
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("careful@example.com");
        var before = await SettingsOfAsync("careful@example.com");

        var response = await client.PostFormAsync("/settings", "settings", Form(timeZone, "Imperial", dayStart));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await TestClient.BodyAsync(response);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var input = document.GetElementById(field);
        Assert.NotNull(input);
        var error = input.ParentElement!.QuerySelector(".field-error");
        Assert.NotNull(error);
        Assert.Contains(message, error.TextContent, StringComparison.Ordinal);
        Assert.Equal(before, await SettingsOfAsync("careful@example.com"));
    }

    [Fact]
    public async Task Save_ChangesOnlyTheSignedInUsersSettings()
    {
        using var one = app.CreateTestClient();
        await one.RegisterAsync("one@example.com");
        using var two = app.CreateTestClient();
        await two.RegisterAsync("two@example.com");

        await one.PostFormAsync("/settings", "settings", Form("Asia/Tokyo", "Metric", "4"));
        Assert.Equal(new UserSettings("Europe/Paris", UnitSystem.Metric, 0), await SettingsOfAsync("two@example.com"));
        Assert.Equal(new UserSettings("Asia/Tokyo", UnitSystem.Metric, 4), await SettingsOfAsync("one@example.com"));
    }

    [Fact]
    public async Task Settings_RequiresSignIn()
    {
        using var client = app.CreateTestClient();
        var response = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
