using System.Net;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

/// <summary>Where the areas meet: the journal on the dashboard and in goals; health and goals in the weekly review.</summary>
public sealed class CrossAreaTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static Dictionary<string, string> Entry(string date, string mood = "", string energy = "") => new()
    {
        ["Input.LocalDate"] = date,
        ["Input.Title"] = "",
        ["Input.Body"] = "Wrote a little today.",
        ["Input.Mood"] = mood,
        ["Input.Energy"] = energy,
        ["Input.Tags"] = "",
    };

    private static Dictionary<string, string> Goal(string name, string kind, string metric = "", string target = "", string days = "", string journalKind = "", string start = "2026-11-01") => new()
    {
        ["Input.Name"] = name,
        ["Input.Kind"] = kind,
        ["Input.MetricCode"] = metric,
        ["Input.Comparison"] = "AtLeast",
        ["Input.Target"] = target,
        ["Input.DaysPerWeek"] = days,
        ["Input.JournalKind"] = journalKind,
        ["Input.StartDate"] = start,
        ["Input.EndDate"] = "",
    };

    private async Task<TestClient> SignedInAsync(string email)
    {
        var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        return client;
    }

    private async Task WriteAsync(TestClient client, string kind, Dictionary<string, string> entry) =>
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync($"/journal/new?kind={kind}", "journal-entry", entry)).StatusCode);

    private async Task StepsAsync(string email, params (string Day, double Steps)[] days)
    {
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(id,
            days.Select(d => new SampleInput(MetricCatalogue.Steps, SampleSource.Oura, "s-" + d.Day, DateTime.Parse(d.Day + "T12:00:00Z", null, System.Globalization.DateTimeStyles.AdjustToUniversal), d.Steps)).ToList(),
            TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task WeeklyReview_StartsWithTheWeeksHealthFiguresAndGoalResults()
    {
        using var client = await SignedInAsync("review@example.com");
        // Week 47 (16–22 November): 12,000 steps on five days, 4,000 on two.
        await StepsAsync("review@example.com", ("2026-11-16", 12_000), ("2026-11-17", 12_000), ("2026-11-18", 4_000), ("2026-11-19", 12_000), ("2026-11-20", 12_000), ("2026-11-21", 4_000), ("2026-11-22", 12_000));
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/goals/new", "goal", Goal("10k steps", "DailyTarget", MetricCatalogue.Steps, "10000"))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/goals/new", "goal", Goal("Four active days", "WeeklyCount", MetricCatalogue.Steps, "10000", days: "4"))).StatusCode);

        var (_, page) = await client.GetPageAsync("/journal/new?kind=weekly-review&week=2026-W47");
        var body = page.GetElementById("Input.Body")!.TextContent;

        Assert.Contains("**Health**", body, StringComparison.Ordinal);
        Assert.Contains("- Steps: 9,714 a day (7 days)", body, StringComparison.Ordinal); // 68,000 / 7
        Assert.Contains("**Goals**", body, StringComparison.Ordinal);
        Assert.Contains("- 10k steps: not achieved (5 of 7 days)", body, StringComparison.Ordinal);
        Assert.Contains("- Four active days: achieved (5 of 4 days)", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JournalHabitGoal_CountsDaysWithAnEntryOfItsKind()
    {
        using var client = await SignedInAsync("habit@example.com");
        await WriteAsync(client, "reflection", Entry("2026-11-23"));
        await WriteAsync(client, "reflection", Entry("2026-11-24"));
        await WriteAsync(client, "note", Entry("2026-11-25")); // a note is not a reflection
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostFormAsync("/goals/new", "goal", Goal("Reflect daily", "JournalHabit", days: "7", journalKind: "DailyReflection", start: "2026-11-23"))).StatusCode);

        var (_, page) = await client.GetPageAsync("/goals");
        var card = page.QuerySelector(".goal-card")!;
        Assert.Contains("Daily reflection every day", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("not yet", card.QuerySelector("[data-testid=goal-today]")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("2 d", card.QuerySelector("[data-testid=goal-streak]")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("2 of 7 days", card.QuerySelector("[data-testid=goal-week]")!.TextContent, StringComparison.Ordinal);

        await WriteAsync(client, "reflection", Entry("2026-11-25"));
        var (_, after) = await client.GetPageAsync("/goals");
        Assert.Contains("written", after.QuerySelector("[data-testid=goal-today]")!.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("3 d", after.QuerySelector("[data-testid=goal-streak]")!.TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ShowsMoodAndEnergyFromTheJournal_OnlyTheUsersOwn()
    {
        using var client = await SignedInAsync("moody@example.com");
        await StepsAsync("moody@example.com", ("2026-11-24", 8000));
        await WriteAsync(client, "reflection", Entry("2026-11-23", mood: "3", energy: "2"));
        await WriteAsync(client, "reflection", Entry("2026-11-24", mood: "5", energy: "4"));
        await WriteAsync(client, "morning-pages", Entry("2026-11-24", mood: "4"));
        using var other = await SignedInAsync("other@example.com");
        await WriteAsync(other, "note", Entry("2026-11-24", mood: "1", energy: "1"));

        var (_, page) = await client.GetPageAsync("/?range=7d");

        // Days: 23rd mood 3; 24th mood (5 + 4) / 2 = 4.5 → average 3.75; energy 2 and 4 → 3.0.
        Assert.Contains("Mood averaged 3.8 and energy 3.0 out of 5.", page.QuerySelector("[data-testid=summary-mood]")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("You wrote in your journal on 2 days.", page.QuerySelector("[data-testid=summary-calendar]")?.TextContent, StringComparison.Ordinal);
    }
}
