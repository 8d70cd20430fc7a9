using System.Net;
using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

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
    public async Task Save_NewTimeZone_MovesTheUsersMeasurements_AndSaysHowMany()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("traveller@example.com");
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "traveller@example.com").Select(u => u.Id).SingleAsync());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // 23:30 UTC is 00:30 on 25 November in Paris and 18:30 on 24 November in New York.
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(id,
            [
                new(MetricCatalogue.Steps, SampleSource.Manual, "evening", new DateTime(2026, 11, 24, 23, 30, 0, DateTimeKind.Utc), 4200),
                new(MetricCatalogue.Steps, SampleSource.Manual, "noon", new DateTime(2026, 11, 24, 11, 0, 0, DateTimeKind.Utc), 3000),
            ], TestContext.Current.CancellationToken);
        }

        var stepsOn = (int day) => app.WithDbAsync(db => db.DailyValues
            .Where(d => d.UserId == id && d.MetricCode == MetricCatalogue.Steps && d.LocalDate == new DateOnly(2026, 11, day))
            .Select(d => (double?)d.Value).SingleOrDefaultAsync());
        Assert.Equal((3000, 4200), (await stepsOn(24), await stepsOn(25)));

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/settings", "settings", Form("America/New_York"))).StatusCode);

        Assert.Equal((7200, (double?)null), (await stepsOn(24), await stepsOn(25)));
        var (_, page) = await client.GetPageAsync("/settings");
        Assert.Contains("Settings saved. 1 measurement moved to the day it now falls on.", page.QuerySelector(".alert")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SourceOrder_MoveUp_RecomputesTheDay_ForThatUserOnly()
    {
        using var one = app.CreateTestClient();
        await one.RegisterAsync("order@example.com");
        using var two = app.CreateTestClient();
        await two.RegisterAsync("other@example.com");
        var day = new DateOnly(2026, 11, 24);
        foreach (var email in new[] { "order@example.com", "other@example.com" })
        {
            var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(id,
            [
                new(MetricCatalogue.Steps, SampleSource.Oura, "o", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), 8000),
                new(MetricCatalogue.Steps, SampleSource.Manual, "m", new DateTime(2026, 11, 24, 13, 0, 0, DateTimeKind.Utc), 9100),
            ], TestContext.Current.CancellationToken);
        }

        var stepsOf = (string email) => app.WithDbAsync(db => db.DailyValues
            .Where(d => d.MetricCode == MetricCatalogue.Steps && d.LocalDate == day && db.Users.Any(u => u.Id == d.UserId && u.Email == email))
            .Select(d => d.Value).SingleAsync());
        Assert.Equal(8000, await stepsOf("order@example.com"));

        Assert.Equal(HttpStatusCode.Redirect, (await one.PostFormAsync("/settings", "source-priority", new Dictionary<string, string> { ["Move"] = "Activity:Manual:up" })).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await one.PostFormAsync("/settings", "source-priority", new Dictionary<string, string> { ["Move"] = "Activity:Manual:up" })).StatusCode);

        Assert.Equal(9100, await stepsOf("order@example.com"));
        Assert.Equal(8000, await stepsOf("other@example.com"));
        var (_, page) = await one.GetPageAsync("/settings");
        var order = page.QuerySelectorAll("[data-testid=priority-Activity] .priority-name").Select(e => e.TextContent).ToList();
        Assert.Equal(["Typed in", "Oura ring", "Withings", "CSV import"], order);
        Assert.Contains("saved", page.QuerySelector(".alert")?.TextContent, StringComparison.Ordinal);
        var (_, otherPage) = await two.GetPageAsync("/settings");
        Assert.Equal("Oura ring", otherPage.QuerySelector("[data-testid=priority-Activity] .priority-name")?.TextContent);
    }

    [Theory]
    [InlineData("Activity:Nobody:up")]
    [InlineData("Mood:Manual:up")]
    [InlineData("Activity:Manual:sideways")]
    [InlineData("")]
    public async Task SourceOrder_NonsenseMove_SaysSo_AndChangesNothing(string move)
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("nonsense@example.com");
        var response = await client.PostFormAsync("/settings", "source-priority", new Dictionary<string, string> { ["Move"] = move });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await client.GetPageAsync("/settings");
        Assert.Contains("not one LifeOs knows", page.QuerySelector(".alert")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<UserSourcePriority>().CountAsync()));
    }

    [Fact]
    public async Task Settings_RequiresSignIn()
    {
        using var client = app.CreateTestClient();
        var response = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
    }
}
