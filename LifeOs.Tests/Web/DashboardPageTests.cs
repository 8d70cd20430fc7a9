using System.Net;
using System.Text.RegularExpressions;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

/// <summary>
/// What stays HTTP about the Today page: its prerendered first load (the page's numbers, and the state handed to the
/// circuit so it does not load them again), and query strings that must never fail. Its behaviour is tested with bUnit
/// in Components/Home/TodayPageTests.
/// </summary>
public sealed partial class DashboardPageTests : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 11, 25);
    private LifeOsAppFactory app = null!;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Each test starts here: the app on the engine.</summary>
    private void On(Engine engine) => app = new LifeOsAppFactory(EngineDatabase.AppSettings(engine, new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" }));

    private async Task<TestClient> SignedInWithDataAsync(string email, int days)
    {
        var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(id, DemoData.Days(Today.AddDays(-days), Today).ToList(), TestContext.Current.CancellationToken);
        return client;
    }

    [GeneratedRegex("<!--Blazor-Server-Component-State:(.*?)-->", RegexOptions.Singleline)]
    private static partial Regex PersistedState();

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task PrerenderedDashboard_AnswersOk_WithTheNumbers_AndHandsThemToTheCircuit(Engine engine)
    {
        On(engine);
        using var client = await SignedInWithDataAsync("prerender@example.com", 400);

        var (response, page) = await client.GetPageAsync("/?range=1y");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Matches(@"^\d{1,2},\d{3} steps$", page.QuerySelector("[data-testid=value-steps]")?.TextContent.Trim());
        Assert.Contains("steps a day on average", page.QuerySelector("[data-testid=summary-steps]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(8, page.QuerySelectorAll("[data-testid^=echart-]").Length); // all but mood and energy: no journal here
        // The page's view model, and nothing more, rides along for the circuit, compressed: a year of charts in ~30 KB.
        var state = PersistedState().Match(page.Source.Text);
        Assert.True(state.Success, "no persisted component state in the prerendered page");
        TestContext.Current.TestOutputHelper?.WriteLine($"page {page.Source.Text.Length:N0} characters, of which persisted state {state.Groups[1].Length:N0}");
        Assert.InRange(state.Groups[1].Length, 1_000, 50_000);
        Assert.True(page.Source.Text.Length < 150_000, $"{page.Source.Text.Length} characters");
    }

    [Theory]
    [InlineData("/?range=%3Cscript%3Ealert(1)%3C/script%3E", "is not a period LifeOs knows")]
    [InlineData("/?from=2099-13-45", "year-month-day")]
    [InlineData("/?range=custom&from=0001-01-01&to=9999-12-31", "between 1900 and 2100")]
    [InlineData("/?range=custom&from=2026-11-01&to=2026-12-31", "after today")]
    [InlineData("/?day=abc", "is not a day")]
    [InlineData("/?day=99999999999", "is not a day")]
    [InlineData("/?day=2999-01-01", "between 1900 and today")]
    public async Task BadQueryValues_AnswerOk_WithAMessage_AndThirtyDays(string url, string message)
    {
        On(Engine.Sqlite);
        using var client = await SignedInWithDataAsync("query@example.com", 40);

        var (response, page) = await client.GetPageAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(message, page.QuerySelector("[data-testid=range-error], [data-testid=day-error]")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("over the last 30 days", page.QuerySelector(".page-subtitle")?.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.QuerySelectorAll("main script"));
    }
}
