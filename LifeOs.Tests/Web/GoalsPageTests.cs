using System.Net;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

/// <summary>
/// What the goal pages still do over plain HTTP: send anonymous visitors to sign in, answer 404 on the first
/// (prerendered) load for someone else's goal, prerender the cards, and never answer 500 to a bad URL.
/// The pages' behaviour on the circuit is tested with bUnit (Components/Goals).
/// </summary>
public sealed class GoalsPageTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<TestClient> SignedInAsync(string email)
    {
        var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        return client;
    }

    private async Task<long> CreateGoalAsync(string email, string name)
    {
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<GoalService>().CreateAsync(userId, new GoalInput
        {
            Name = name, Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.Steps, Comparison = Comparison.AtLeast, Target = 10_000, StartDate = new DateOnly(2026, 11, 1),
        }, TestContext.Current.CancellationToken);
        return result.Id!.Value;
    }

    [Theory]
    [InlineData("/goals")]
    [InlineData("/goals/new")]
    [InlineData("/goals/1")]
    public async Task Anonymous_IsSentToSignIn(string url)
    {
        using var client = app.CreateTestClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherUsersGoal_Is404OnFirstLoad_AndOwnGoalIsPrerendered()
    {
        using var owner = await SignedInAsync("owner@example.com");
        var id = await CreateGoalAsync("owner@example.com", "Owner's secret steps");
        using var intruder = await SignedInAsync("intruder@example.com");

        var foreign = await intruder.GetAsync($"/goals/{id}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.DoesNotContain("Owner's secret steps", await TestClient.BodyAsync(foreign), StringComparison.Ordinal);
        Assert.DoesNotContain("Owner's secret steps", await TestClient.BodyAsync(await intruder.GetAsync("/goals")), StringComparison.Ordinal);

        var (own, document) = await owner.GetPageAsync($"/goals/{id}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Equal("true", document.QuerySelector("[data-testid=kind-DailyTarget]")!.GetAttribute("aria-checked"));

        // The list is prerendered with its cards (state, strip), before any circuit exists.
        var (_, list) = await owner.GetPageAsync("/goals");
        var card = list.QuerySelector($"[data-testid=goal-{id}]")!;
        Assert.Equal("NotScoredYet", card.QuerySelector("[data-testid=goal-state]")!.GetAttribute("data-state"));
        Assert.Equal(30, card.QuerySelectorAll(".day-cell[data-result]").Length);
    }

    [Theory]
    [InlineData("/goals?page=abc")]
    [InlineData("/goals?page=99999999999&range=%3Cscript%3E")]
    [InlineData("/goals/new?template=%3Cscript%3Ealert(1)%3C/script%3E")]
    [InlineData("/goals/new?template=99999999999")]
    [InlineData("/goals/new?template=")]
    [InlineData("/goals/new?template=steps&template=weight")]
    [InlineData("/goals/new?template=steps&from=2099-13-45")]
    [InlineData("/goals/abc")]
    [InlineData("/goals/-1")]
    [InlineData("/goals/0")]
    [InlineData("/goals/99999999999999999999")]
    [InlineData("/goals/9223372036854775807")]
    public async Task QueryAndRouteValues_NeverCauseA500(string url)
    {
        using var client = await SignedInAsync("sweep@example.com");
        var response = await client.GetAsync(url);
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
    }
}
