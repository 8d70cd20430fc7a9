using System.Globalization;
using System.Net;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

public sealed class GoalsPageTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static Dictionary<string, string> Form(string name = "10k steps", string kind = "DailyTarget", string metric = MetricCatalogue.Steps, string target = "10000",
        string comparison = "AtLeast", string days = "", string start = "2026-11-01", string end = "") => new()
    {
        ["Input.Name"] = name,
        ["Input.Kind"] = kind,
        ["Input.MetricCode"] = metric,
        ["Input.Comparison"] = comparison,
        ["Input.Target"] = target,
        ["Input.DaysPerWeek"] = days,
        ["Input.JournalKind"] = "",
        ["Input.StartDate"] = start,
        ["Input.EndDate"] = end,
    };

    private static string Id(long id) => id.ToString(CultureInfo.InvariantCulture);

    [Fact]
    public async Task Create_ShowsTheGoalScoredFromTheData_ThenEditArchiveAndDelete()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("goals@example.com");
        var (_, empty) = await client.GetPageAsync("/goals");
        Assert.NotNull(empty.QuerySelector("[data-testid=no-goals] a[href='goals/new?template=steps']"));

        var created = await client.PostFormAsync("/goals/new", "goal", Form());
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var goal = await app.WithDbAsync(db => db.Set<Goal>().SingleAsync());
        Assert.Equal((GoalKind.DailyTarget, 10_000.0, new DateOnly(2026, 11, 1)), (goal.Kind, goal.Target, goal.StartDate));

        // Yesterday 12,000 steps, today nothing yet.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(goal.UserId,
                [new(MetricCatalogue.Steps, SampleSource.Oura, "y", new DateTime(2026, 11, 24, 18, 0, 0, DateTimeKind.Utc), 12_000)], TestContext.Current.CancellationToken);
        }

        var (_, page) = await client.GetPageAsync("/goals");
        var card = page.QuerySelector($"[data-testid=goal-{goal.Id}]")!;
        Assert.Contains("Steps at least 10,000, every day", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("no data yet", card.QuerySelector("[data-testid=goal-today]")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("1 d", card.QuerySelector("[data-testid=goal-streak]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("1 of 3 days", card.QuerySelector("[data-testid=goal-week]")!.TextContent, StringComparison.Ordinal); // Mon, Tue, Wed
        Assert.Equal(30, card.QuerySelectorAll(".goal-strip .strip-day").Length);
        Assert.Contains("1 hit", card.QuerySelector(".goal-strip")!.GetAttribute("aria-label"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/goals/{goal.Id}", "goal", Form(name: "12k steps", target: "12000"))).StatusCode);
        Assert.Equal(("12k steps", 12_000.0), await app.WithDbAsync(db => db.Set<Goal>().Select(g => ValueTuple.Create(g.Name, g.Target)).SingleAsync()));

        var archived = await client.PostFormAsync("/goals", "archive-goal", new Dictionary<string, string> { ["ArchiveId"] = Id(goal.Id), ["Archived"] = "true" });
        Assert.Equal(HttpStatusCode.Redirect, archived.StatusCode);
        Assert.NotNull(await app.WithDbAsync(db => db.Set<Goal>().Select(g => g.ArchivedAt).SingleAsync()));
        Assert.NotNull((await client.GetPageAsync("/goals")).Document.QuerySelector(".archived-goals [data-testid=goal-" + goal.Id + "]"));

        var deleted = await client.PostFormAsync("/goals", "delete-goal", new Dictionary<string, string> { ["DeleteId"] = Id(goal.Id) });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Goal>().CountAsync()));
        Assert.Equal(1, await app.WithDbAsync(db => db.Samples.CountAsync())); // the data stays
    }

    [Theory]
    [InlineData("DailyTarget", MetricCatalogue.Steps, "300000", "", "2026-11-01", "", "Input.Target", "Steps targets must be between 0 and 200000")]
    [InlineData("DailyTarget", "shoe_size", "42", "", "2026-11-01", "", "Input.MetricCode", "Choose a metric from the list.")]
    [InlineData("DailyTarget", MetricCatalogue.Steps, "10000", "", "2026-11-10", "2026-11-01", "Input.EndDate", "on or after the start date")]
    [InlineData("WeeklyCount", MetricCatalogue.Steps, "10000", "8", "2026-11-01", "", "Input.DaysPerWeek", "between 1 and 7")]
    [InlineData("BodyTarget", MetricCatalogue.Weight, "75", "", "2026-11-01", "", "Input.EndDate", "date to reach it by")]
    [InlineData("BodyTarget", MetricCatalogue.Steps, "75", "", "2026-11-01", "2027-03-01", "Input.MetricCode", "body measurement")]
    public async Task BadInput_IsAFieldError_AndSavesNothing(string kind, string metric, string target, string days, string start, string end, string field, string message)
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("typo@example.com");

        var response = await client.PostFormAsync("/goals/new", "goal", Form(kind: kind, metric: metric, target: target, days: days, start: start, end: end));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(response));
        Assert.Contains(message, document.GetElementById(field)!.ParentElement!.QuerySelector(".field-error")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Goal>().CountAsync()));
    }

    [Fact]
    public async Task AnotherUsersGoal_IsNotFound_ForViewEditArchiveAndDelete()
    {
        using var owner = app.CreateTestClient();
        await owner.RegisterAsync("owner@example.com");
        await owner.PostFormAsync("/goals/new", "goal", Form());
        var id = await app.WithDbAsync(db => db.Set<Goal>().Select(g => g.Id).SingleAsync());

        using var intruder = app.CreateTestClient();
        await intruder.RegisterAsync("intruder@example.com");
        await intruder.PostFormAsync("/goals/new", "goal", Form(name: "mine"));
        var own = await app.WithDbAsync(db => db.Set<Goal>().Where(g => g.Id != id).Select(g => g.Id).SingleAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync($"/goals/{id}")).StatusCode);
        Assert.DoesNotContain("10k steps", (await intruder.GetPageAsync("/goals")).Document.QuerySelector(".goal-list")!.TextContent, StringComparison.Ordinal);
        var edit = await intruder.PostFormAsync($"/goals/{own}", "goal", Form(name: "hijacked"), postUrl: $"/goals/{id}");
        Assert.Equal(HttpStatusCode.NotFound, edit.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.PostFormAsync("/goals", "archive-goal", new Dictionary<string, string> { ["ArchiveId"] = Id(id), ["Archived"] = "true" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await intruder.PostFormAsync("/goals", "delete-goal", new Dictionary<string, string> { ["DeleteId"] = Id(id) })).StatusCode);

        var goal = await app.WithDbAsync(db => db.Set<Goal>().SingleAsync(g => g.Id == id));
        Assert.Equal(("10k steps", (DateTime?)null), (goal.Name, goal.ArchivedAt));
    }
}
