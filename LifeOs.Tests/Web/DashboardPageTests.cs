using System.Net;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

/// <summary>The dashboard's numbers over HTTP, against values worked out by hand from a small seeded dataset.</summary>
public sealed class DashboardPageTests : IAsyncLifetime
{
    // The factory's clock: 2026-11-25 09:30 UTC, which is 04:30 on the 25th in New York.
    private static readonly DateOnly Today = new(2026, 11, 25);
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "America/New_York" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<string> IdOfAsync(string email) =>
        await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private async Task SeedAsync(string email, IReadOnlyList<SampleInput> samples)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(await IdOfAsync(email), samples, TestContext.Current.CancellationToken);
    }

    private static DateTime Utc(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    [Fact]
    public async Task NewUser_SeesWhatToDoNext_AndNoCharts()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("new@example.com");
        var (response, page) = await client.GetPageAsync("/");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Get started", page.GetElementById("start-title")?.TextContent);
        Assert.NotNull(page.QuerySelector("a[href=integrations]"));
        Assert.NotNull(page.QuerySelector("a[href=metrics]"));
        Assert.NotNull(page.QuerySelector("a[href='journal/new']"));
        Assert.Empty(page.QuerySelectorAll("[data-chart]"));
    }

    [Fact]
    public async Task CardsAndCharts_MatchHandComputedValues_InTheUsersZoneUnitsAndSourcePriority()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("owner@example.com");
        await client.PostFormAsync("/settings", "settings", new Dictionary<string, string> { ["Input.TimeZoneId"] = "America/New_York", ["Input.UnitSystem"] = "Imperial", ["Input.DayStartHour"] = "0" });

        var samples = new List<SampleInput>();
        // Sleep: 7 h on each of the 30 nights before last night, 8 h last night: +1 h against the baseline.
        for (var i = 1; i <= 30; i++)
        {
            var day = Today.AddDays(-i);
            samples.Add(new(MetricCatalogue.SleepDuration, SampleSource.Oura, $"sleep-{i}", day.ToDateTime(new TimeOnly(6, 0), DateTimeKind.Utc), 7 * 3600, LocalDate: day));
        }

        samples.Add(new(MetricCatalogue.SleepDuration, SampleSource.Oura, "sleep-0", Utc(11, 25, 6), 8 * 3600, LocalDate: Today));
        // Steps at 03:00 UTC on the 25th are 22:00 on the 24th in New York; the ring outranks a typed-in count.
        samples.Add(new(MetricCatalogue.Steps, SampleSource.Oura, "steps-24", Utc(11, 25, 3), 5000));
        samples.Add(new(MetricCatalogue.Steps, SampleSource.Manual, "manual-24", Utc(11, 24, 15), 7000));
        samples.Add(new(MetricCatalogue.Weight, SampleSource.Withings, "w-24", Utc(11, 24, 12), 80));
        await SeedAsync("owner@example.com", samples);

        using var other = app.CreateTestClient();
        await other.RegisterAsync("other@example.com");
        await SeedAsync("other@example.com", [new(MetricCatalogue.Steps, SampleSource.Oura, "theirs", Utc(11, 24, 15), 98765)]);

        var (_, page) = await client.GetPageAsync("/?range=7d");

        Assert.Equal("8 h 00", page.QuerySelector("[data-testid='value-sleep_duration']")?.TextContent.Trim());
        Assert.Contains("1 h 00", page.QuerySelector("[data-testid='delta-sleep_duration']")?.TextContent, StringComparison.Ordinal);
        Assert.StartsWith("5,000", page.QuerySelector("[data-testid='value-steps']")?.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Equal("176.4 lb", page.QuerySelector("[data-testid='value-weight']")?.TextContent.Trim());

        var stepsRow = page.QuerySelectorAll("[data-testid='table-steps'] tbody tr").Select(r => r.TextContent.Trim()).ToList();
        Assert.Contains("Tue 24 Nov 2026", stepsRow.Single(), StringComparison.Ordinal);
        Assert.Contains("5,000", stepsRow.Single(), StringComparison.Ordinal);
        Assert.Contains("5,000 steps a day on average", page.QuerySelector("[data-testid='summary-steps']")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Latest 176.4 lb on 24 Nov", page.QuerySelector("[data-testid='summary-weight']")?.TextContent, StringComparison.Ordinal);

        // Seven nights in the 7-day range: six of 7 h and last night's 8 h.
        Assert.Contains("You slept 7 h 09 a night on average over 7 nights", page.QuerySelector("[data-testid='summary-sleep']")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.GetElementById("chart-data-steps"));
        Assert.DoesNotContain("98765", page.Source.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("98,765", page.Source.Text, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("[data-testid='empty-blood-pressure']"));
    }

    [Fact]
    public async Task BadCustomDates_SaySo_AndShowThirtyDays()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("dates@example.com");
        await SeedAsync("dates@example.com", [new(MetricCatalogue.Steps, SampleSource.Oura, "s", Utc(11, 24, 15), 1234)]);

        var (response, page) = await client.GetPageAsync("/?range=custom&from=2026-11-10&to=2026-11-01");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("on or before", page.QuerySelector(".alert-warning")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("page", page.QuerySelector("a.range-pill.active")?.GetAttribute("aria-current"));
        Assert.Equal("30 days", page.QuerySelector("a.range-pill.active")?.TextContent);
    }

    [Fact]
    public async Task LongRanges_SendAtMostAThousandPointsPerSeries_AndTablesSummariseByMonth()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("years@example.com");
        await SeedAsync("years@example.com", DemoData.Days(Today.AddDays(-1500), Today, minuteHeartRateDays: 1).ToList());

        var (_, page) = await client.GetPageAsync("/?range=all");

        foreach (var script in page.QuerySelectorAll("script[type='application/json']"))
        {
            using var options = System.Text.Json.JsonDocument.Parse(script.TextContent);
            foreach (var series in options.RootElement.GetProperty("series").EnumerateArray())
            {
                Assert.True(series.GetProperty("data").GetArrayLength() <= 1000, $"{script.Id}: {series.GetProperty("data").GetArrayLength()} points");
            }
        }

        Assert.Contains("Monthly", page.QuerySelector("[data-testid='table-weight'] caption")?.TextContent, StringComparison.Ordinal);
        Assert.True(page.Source.Text.Length < 300_000, $"{page.Source.Text.Length} characters");
    }
}
