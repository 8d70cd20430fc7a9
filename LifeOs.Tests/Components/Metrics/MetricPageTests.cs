using System.Text.Json;
using Bunit;
using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using LifeOs.Web.Components.Charts;
using LifeOs.Web.Components.Pages.Metrics;

namespace LifeOs.Tests.Components.Metrics;

/// <summary>/metrics/{code}: one metric over a period, with its chart, statistics and days.</summary>
public sealed class MetricPageTests : MetricsTestContext
{
    private IRenderedComponent<MetricPage> RenderMetric(string code, string? range = null)
    {
        StartAt(range is null ? $"metrics/{code}" : $"metrics/{code}?range={Uri.EscapeDataString(range)}");
        return RenderPage<MetricPage>(p => p.Add(c => c.Code, code));
    }

    /// <summary>Weights on 1, 3 and 20 November (UTC noon) and, out of a 30-day range, on 1 June.</summary>
    private Task WeightsAsync(string userId, SampleSource source = SampleSource.Withings) =>
        WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(userId,
        [
            new(MetricCatalogue.Weight, source, "w1", new DateTime(2026, 11, 1, 7, 0, 0, DateTimeKind.Utc), 80),
            new(MetricCatalogue.Weight, source, "w2", new DateTime(2026, 11, 3, 7, 0, 0, DateTimeKind.Utc), 78.5),
            new(MetricCatalogue.Weight, source, "w3", new DateTime(2026, 11, 20, 7, 0, 0, DateTimeKind.Utc), 79),
            new(MetricCatalogue.Weight, source, "w0", new DateTime(2026, 6, 1, 7, 0, 0, DateTimeKind.Utc), 85),
        ]));

    private static IReadOnlyList<string[]> Days(IRenderedComponent<MetricPage> page) =>
        page.FindAll("[data-testid=metric-days] tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();

    [Fact]
    public async Task Weight_Over30Days_ShowsStatsDaysWithTheirSource_AndTheChart()
    {
        var id = await SignInAsNewUserAsync("scale@example.com");
        await WeightsAsync(id);
        await AddAsync(id, MetricCatalogue.Weight, 79.2, new DateTime(2026, 11, 20, 8, 0, 0));

        var page = RenderMetric(MetricCatalogue.Weight);

        page.WaitForElement("[data-testid=metric-stats]");
        Assert.Equal("Weight", page.Find(".page-title").TextContent.Trim());
        Assert.Equal("27 Oct 2026 – 25 Nov 2026", page.Find("[data-testid=range-dates]").TextContent.Trim());
        Assert.Equal("page", page.Find("[data-testid=range-30d]").GetAttribute("aria-current"));
        Assert.Equal(("78.5 kg", "80 kg", "3"), (page.Find("[data-testid=stat-min]").TextContent, page.Find("[data-testid=stat-max]").TextContent, page.Find("[data-testid=stat-days]").TextContent));
        // 20 November: Withings wins over a typed-in value by default (Body: Withings first).
        Assert.Equal(
            [["Fri 20 Nov 2026", "79", "Withings", "1"], ["Tue 3 Nov 2026", "78.5", "Withings", "1"], ["Sun 1 Nov 2026", "80", "Withings", "1"]],
            Days(page));

        var options = JsonDocument.Parse(page.FindComponent<EChart>().Instance.OptionsJson).RootElement;
        var series = options.GetProperty("series")[0];
        Assert.Equal(("line", "Weight (kg)"), (series.GetProperty("type").GetString(), series.GetProperty("name").GetString()));
        Assert.Equal(["2026-11-01", "2026-11-03", "2026-11-20"], series.GetProperty("data").EnumerateArray().Select(p => p[0].GetString()!));
        Assert.Equal("var(--mud-palette-primary)", series.GetProperty("lineStyle").GetProperty("color").GetString());
    }

    [Fact]
    public async Task ImperialUser_SeesPounds()
    {
        var id = await SignInAsNewUserAsync("lbs@example.com");
        await SetUnitsAsync(id, UnitSystem.Imperial);
        await WeightsAsync(id);

        var page = RenderMetric(MetricCatalogue.Weight, "7d");

        page.WaitForElement("[data-testid=metric-stats]");
        Assert.Equal("174.17 lb", page.Find("[data-testid=stat-average]").TextContent);
        Assert.Equal([["Fri 20 Nov 2026", "174.17", "Withings", "1"]], Days(page));
        Assert.Equal("Value (lb)", page.Find("[data-testid=metric-days] th.col-value").TextContent.Trim());
        Assert.Equal("page", page.Find("[data-testid=range-7d]").GetAttribute("aria-current"));
    }

    [Fact]
    public async Task AllTime_StartsAtTheFirstDay()
    {
        var id = await SignInAsNewUserAsync("all@example.com");
        await WeightsAsync(id);

        var page = RenderMetric(MetricCatalogue.Weight, "all");

        page.WaitForElement("[data-testid=metric-stats]");
        Assert.Equal("1 Jun 2026 – 25 Nov 2026", page.Find("[data-testid=range-dates]").TextContent.Trim());
        Assert.Equal(4, Days(page).Count);
    }

    [Fact]
    public async Task Steps_AreBars_AndSleepReadsInHoursAndMinutes()
    {
        var id = await SignInAsNewUserAsync("oura@example.com");
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id,
        [
            new(MetricCatalogue.Steps, SampleSource.Oura, "s1", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), 8412),
            new(MetricCatalogue.SleepDuration, SampleSource.Oura, "n1", new DateTime(2026, 11, 24, 6, 0, 0, DateTimeKind.Utc), 7.5 * 3600),
        ]));

        var steps = RenderMetric(MetricCatalogue.Steps);
        steps.WaitForElement("[data-testid=metric-stats]");
        Assert.Equal("bar", JsonDocument.Parse(steps.FindComponent<EChart>().Instance.OptionsJson).RootElement.GetProperty("series")[0].GetProperty("type").GetString());
        Assert.Equal("8,412 steps", steps.Find("[data-testid=stat-average]").TextContent);
        Assert.Equal("Total per day, in steps.", steps.Find(".page-subtitle").TextContent.Trim());

        var sleep = RenderMetric(MetricCatalogue.SleepDuration);
        sleep.WaitForElement("[data-testid=metric-stats]");
        Assert.Equal("7 h 30", sleep.Find("[data-testid=stat-average]").TextContent);
        Assert.Equal("Oura ring", sleep.Find("[data-testid=day-source]").TextContent);
    }

    [Theory]
    [InlineData("junk", "'junk' is not a period LifeOs knows; showing the last 30 days.")]
    [InlineData("<script>alert(1)</script>", "'<script>alert(1)</script>' is not a period LifeOs knows; showing the last 30 days.")]
    [InlineData("custom", "'custom' is not a period LifeOs knows; showing the last 30 days.")]
    [InlineData("90D", null)]
    public async Task UnknownRange_FallsBackTo30Days_AndSaysSo(string range, string? message)
    {
        var id = await SignInAsNewUserAsync("range@example.com");
        await WeightsAsync(id);

        var page = RenderMetric(MetricCatalogue.Weight, range);

        page.WaitForElement("[data-testid=metric-stats]");
        Assert.Equal(message, page.FindAll("[data-testid=range-message]").SingleOrDefault()?.TextContent.Trim());
        Assert.False(NotFoundRaised);
    }

    [Fact]
    public async Task NoDataYet_SaysWhatToDo()
    {
        await SignInAsNewUserAsync("empty@example.com");

        var page = RenderMetric(MetricCatalogue.RestingHeartRate);

        var empty = page.WaitForElement("[data-testid=metric-empty]");
        Assert.Contains("No resting heart rate yet", empty.TextContent, StringComparison.Ordinal);
        Assert.NotNull(empty.QuerySelector("a[href='metrics/import']"));
        Assert.Empty(page.FindComponents<EChart>());
    }

    [Fact]
    public async Task NothingInTheRange_SaysWhenTheLatestWas_AndOffersAllTime()
    {
        var id = await SignInAsNewUserAsync("old@example.com");
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id,
            [new(MetricCatalogue.Weight, SampleSource.Withings, "june", new DateTime(2026, 6, 1, 7, 0, 0, DateTimeKind.Utc), 85)]));

        var page = RenderMetric(MetricCatalogue.Weight);

        var empty = page.WaitForElement("[data-testid=metric-empty-range]");
        Assert.Contains("No weight in the last 30 days", empty.TextContent, StringComparison.Ordinal);
        Assert.Contains("The latest day with a value is 1 Jun 2026.", empty.TextContent, StringComparison.Ordinal);
        Assert.NotNull(empty.QuerySelector("a[href='metrics/weight?range=all']"));
    }

    [Fact]
    public async Task AnotherUsersValues_AreNeverShown()
    {
        var other = await CreateUserAsync("other@example.com");
        await WeightsAsync(other);
        await SignInAsNewUserAsync("me@example.com");

        var page = RenderMetric(MetricCatalogue.Weight);

        page.WaitForElement("[data-testid=metric-empty]");
        Assert.DoesNotContain("78.5", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sources_AndMeasurements_OfTheRange_AreListed_WithOnlyTheUsersOwnRows()
    {
        var other = await CreateUserAsync("other@example.com");
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(other, [new(MetricCatalogue.Weight, SampleSource.Withings, "x", new DateTime(2026, 11, 2, 7, 0, 0, DateTimeKind.Utc), 123.4)]));
        var id = await SignInAsNewUserAsync("sources@example.com");
        await WeightsAsync(id);
        await AddAsync(id, MetricCatalogue.Weight, 79.2, new DateTime(2026, 11, 20, 8, 0, 0));

        var page = RenderMetric(MetricCatalogue.Weight);

        page.WaitForAssertion(() => Assert.Equal(4, page.FindAll("[data-testid=metric-measurements] tbody tr").Count));
        Assert.Equal(["Typed in · no days won", "Withings · 3 days"], page.FindAll("[data-testid=metric-source]").Select(c => c.TextContent.Trim()).Order().ToList());
        var rows = page.FindAll("[data-testid=metric-measurements] tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("79.2 kg", StringComparison.Ordinal) && r.Contains("Typed in", StringComparison.Ordinal));
        Assert.DoesNotContain(rows, r => r.Contains("85 kg", StringComparison.Ordinal));
        Assert.DoesNotContain("123.4", page.Markup, StringComparison.Ordinal);

        // Excluding the Withings reading of 20 November hands that day to the typed-in value.
        var withings = page.FindAll("[data-testid=metric-measurements] tbody tr").First(r => r.TextContent.Contains("79 kg", StringComparison.Ordinal));
        await withings.QuerySelector("[data-testid=exclude-measurement]")!.ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(["Typed in · 1 day", "Withings · 2 days"], page.FindAll("[data-testid=metric-source]").Select(c => c.TextContent.Trim()).Order().ToList()));
        Assert.Contains(["Fri 20 Nov 2026", "79.2", "Typed in", "1"], Days(page));
    }

    [Theory]
    [InlineData("shoe_size")]
    [InlineData("WEIGHT2")]
    [InlineData("<script>")]
    public async Task UnknownMetric_IsNotFound(string code)
    {
        await SignInAsNewUserAsync("lost@example.com");

        RenderMetric(code);

        Assert.True(NotFoundRaised);
    }
}
