using System.Text.Json;
using Bunit;
using LifeOs.Core.Accounts;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Components.Charts;
using LifeOs.Web.Components.Pages.Home;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace LifeOs.Tests.Components.Home;

/// <summary>
/// The Today page over the app's services and a real database, against values worked out by hand. The clock is
/// 2026-11-25 09:30 UTC: 04:30 on Wednesday the 25th in New York.
/// </summary>
public sealed class TodayPageTests() : PageTestContext(new() { ["LifeOs:DefaultTimeZone"] = "America/New_York" })
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private Task SeedAsync(string userId, IReadOnlyList<SampleInput> samples) =>
        WithAsync<HealthStore, UpsertResult>(store => store.UpsertSamplesAsync(userId, samples));

    private Task WriteAsync(string userId, JournalKind kind, DateOnly day, int? mood, int? energy) =>
        WithAsync<JournalService, JournalSaveResult>(async journal =>
        {
            var result = await journal.CreateAsync(userId, new JournalEntryInput(kind, day, null, null, "Wrote a little today.", mood, energy, null));
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
            return result;
        });

    private static DateTime Utc(int month, int day, int hour) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    /// <summary>Opens the page at <paramref name="url"/> as a person following a link, and waits for its data.</summary>
    private IRenderedComponent<TodayPage> Open(string url = "/")
    {
        Navigation.NavigateTo(url);
        var page = RenderPage<TodayPage>();
        page.WaitForAssertion(() => Assert.NotNull(page.Instance.View), TimeSpan.FromSeconds(10));
        return page;
    }

    private static string Text(IRenderedComponent<TodayPage> page, string testId) => page.Find($"[data-testid='{testId}']").TextContent.Trim();

    private static JsonElement Options(IRenderedComponent<TodayPage> page, string chartId)
    {
        var chart = page.FindComponents<EChart>().Single(c => c.Instance.TestId == $"echart-{chartId}");
        return JsonDocument.Parse(chart.Instance.OptionsJson).RootElement;
    }

    /// <summary>
    /// Opens a chart's table and reads its rows. The page loads on the thread pool, so the click can be queued behind a
    /// render still in progress: wait for the table rather than expect it at once.
    /// </summary>
    private static IReadOnlyList<string> TableRows(IRenderedComponent<TodayPage> page, string chartId)
    {
        page.Find($"[data-testid='show-table-{chartId}']").Click();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll($"[data-testid='table-{chartId}']")), TimeSpan.FromSeconds(10));
        return page.FindAll($"[data-testid='table-{chartId}'] tbody tr").Select(r => r.TextContent.Trim()).ToList();
    }

    private static IEnumerable<double> Values(JsonElement series) =>
        series.GetProperty("data").EnumerateArray().Select(p => p[1].GetDouble());

    [Fact]
    public async Task NewUser_SeesThreeNextSteps_AndNoCharts()
    {
        await SignInAsNewUserAsync("new@example.com");

        var page = Open();

        Assert.Equal("Get started", page.Find("#start-title").TextContent);
        Assert.Equal(
            ["integrations", "metrics", "journal/new"],
            page.FindAll("[data-testid=get-started] a.mud-button-root").Select(a => a.GetAttribute("href")));
        Assert.Contains("Connect Oura or Withings", Text(page, "start-connect"), StringComparison.Ordinal);
        Assert.Empty(page.FindComponents<EChart>());
        Assert.Empty(page.FindAll("[data-testid=range-presets]"));
        Assert.Empty(page.FindAll("[data-testid^=card-]"));
    }

    [Fact]
    public async Task CardsAndCharts_MatchHandComputedValues_InTheUsersZoneUnitsAndSourcePriority()
    {
        var id = await SignInAsNewUserAsync("owner@example.com");
        await WithAsync<UserSettingsService, SettingsUpdateResult>(s => s.UpdateAsync(id, new UserSettings("America/New_York", UnitSystem.Imperial, 0)));
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
        await SeedAsync(id, samples);
        var other = await CreateUserAsync("other@example.com");
        await SeedAsync(other, [new(MetricCatalogue.Steps, SampleSource.Oura, "theirs", Utc(11, 24, 15), 98765)]);

        var page = Open("/?range=7d");

        Assert.Equal("8 h 00", Text(page, "value-sleep_duration"));
        Assert.Contains("1 h 00", Text(page, "delta-sleep_duration"), StringComparison.Ordinal);
        Assert.Equal("5,000 steps", Text(page, "value-steps"));
        Assert.Equal("176.4 lb", Text(page, "value-weight"));
        Assert.Equal("metrics/steps", page.Find("[data-testid=card-steps]").GetAttribute("href"));
        Assert.Equal("metrics/weight", page.Find("[data-testid=card-weight]").GetAttribute("href"));

        Assert.Contains("5,000 steps a day on average", Text(page, "summary-steps"), StringComparison.Ordinal);
        Assert.Contains("Latest 176.4 lb on 24 Nov", Text(page, "summary-weight"), StringComparison.Ordinal);
        // Seven nights in the 7-day range: six of 7 h and last night's 8 h.
        Assert.Contains("You slept 7 h 09 a night on average over 7 nights", Text(page, "summary-sleep"), StringComparison.Ordinal);
        var stepsRow = Assert.Single(TableRows(page, "steps"));
        Assert.Contains("Tue 24 Nov 2026", stepsRow, StringComparison.Ordinal);
        Assert.Contains("5,000", stepsRow, StringComparison.Ordinal);
        var steps = Options(page, "steps").GetProperty("series")[0];
        Assert.Equal(["2026-11-24"], steps.GetProperty("data").EnumerateArray().Select(p => p[0].GetString()));
        Assert.Equal([5000.0], Values(steps));
        Assert.Equal([176.37], Values(Options(page, "weight").GetProperty("series")[0]));

        Assert.NotNull(page.Find("[data-testid=empty-blood-pressure]"));
        Assert.DoesNotContain("98765", page.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("98,765", page.Markup, StringComparison.Ordinal);
        Assert.All(page.FindComponents<EChart>(), chart => Assert.DoesNotContain("98765", chart.Instance.OptionsJson, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CardLabels_NameTheDayTheirValueIsFrom()
    {
        var id = await SignInAsNewUserAsync("labels@example.com");
        await SeedAsync(id,
        [
            new(MetricCatalogue.SleepDuration, SampleSource.Oura, "sleep", Utc(11, 25, 6), 7 * 3600, LocalDate: Today),
            new(MetricCatalogue.HrvRmssd, SampleSource.Oura, "hrv", Utc(11, 24, 11), 48, LocalDate: Today.AddDays(-1)),
            new(MetricCatalogue.ReadinessScore, SampleSource.Oura, "readiness", Utc(11, 25, 9), 81, LocalDate: Today),
            new(MetricCatalogue.Steps, SampleSource.Oura, "steps", Utc(11, 23, 18), 9000),
            new(MetricCatalogue.Weight, SampleSource.Withings, "weight", Utc(10, 2, 12), 80),
        ]);

        var page = Open();

        Assert.Equal("Last night", Text(page, "when-sleep_duration"));
        Assert.Equal("Yesterday", Text(page, "when-hrv_rmssd"));
        Assert.Equal("Today", Text(page, "when-readiness_score"));
        Assert.Equal("Mon 23 Nov", Text(page, "when-steps"));
        Assert.Empty(page.FindAll("[data-testid=when-weight]"));
        Assert.Contains("No data in the last 30 days", Text(page, "card-weight"), StringComparison.Ordinal);

        // Looking back: cards stand at the end of the chosen period, and say which day that was.
        Navigation.NavigateTo("/?range=custom&from=2026-09-01&to=2026-10-15");
        page.WaitForAssertion(() => Assert.Equal("Fri 2 Oct", Text(page, "when-weight")));
        Assert.Contains("No data in the 30 days to 15 Oct 2026", Text(page, "card-steps"), StringComparison.Ordinal);
        Assert.Equal("Today", MetricCard.When(Today, Today, night: false));
        Assert.Equal("24 Dec 2025", MetricCard.When(new DateOnly(2025, 12, 24), Today, night: true));
    }

    [Fact]
    public async Task RangeChange_HappensInPlace_UpdatesTheUrlAndTheData_AndLeavesUnchangedChartsAlone()
    {
        var id = await SignInAsNewUserAsync("ranges@example.com");
        var samples = DemoData.Days(Today.AddDays(-400), Today, minuteHeartRateDays: 1).ToList();
        await SeedAsync(id, samples);
        double StepsAverage(int days) => samples.Where(s => s.MetricCode == MetricCatalogue.Steps && s.LocalDate > Today.AddDays(-days)).Average(s => s.Value);

        var page = Open();
        Assert.Contains($"{StepsAverage(30):#,0} steps a day on average", Text(page, "summary-steps"), StringComparison.Ordinal);
        Assert.Contains("the last 30 days", page.Find(".page-subtitle").TextContent, StringComparison.Ordinal);
        var heartRate = page.FindComponents<EChart>().Single(c => c.Instance.TestId == "echart-heart-rate").Instance;
        var heartRateJson = heartRate.OptionsJson;
        var stepsJson = Options(page, "steps").GetRawText();

        page.Find("[data-testid=range-1y]").Click();

        page.WaitForAssertion(() => Assert.Contains($"{StepsAverage(365):#,0} steps a day on average", Text(page, "summary-steps"), StringComparison.Ordinal));
        Assert.Equal("http://localhost/?range=1y", Navigation.Uri);
        Assert.Contains("the last year", page.Find(".page-subtitle").TextContent, StringComparison.Ordinal);
        Assert.Equal("1y", page.FindComponent<MudToggleGroup<string>>().Instance.GetState(x => x.Value));
        Assert.NotEqual(stepsJson, Options(page, "steps").GetRawText());
        // The same component instance, with the same options: nothing re-sent to the browser.
        Assert.Same(heartRate, page.FindComponents<EChart>().Single(c => c.Instance.TestId == "echart-heart-rate").Instance);
        Assert.Equal(heartRateJson, heartRate.OptionsJson);

        // Custom dates from the bounded picker: no day after today, none before 1900.
        var picker = page.FindComponent<MudDateRangePicker>();
        Assert.Equal((new DateTime(1900, 1, 1), new DateTime(2026, 11, 25)), (picker.Instance.GetState(x => x.MinDate), picker.Instance.GetState(x => x.MaxDate)));
        await page.InvokeAsync(() => picker.Instance.DateRangeChanged.InvokeAsync(new DateRange(new DateTime(2026, 11, 2), new DateTime(2026, 11, 8))));
        page.WaitForAssertion(() => Assert.Contains($"{samples.Where(s => s.MetricCode == MetricCatalogue.Steps && s.LocalDate >= new DateOnly(2026, 11, 2) && s.LocalDate <= new DateOnly(2026, 11, 8)).Average(s => s.Value):#,0} steps a day", Text(page, "summary-steps"), StringComparison.Ordinal));
        Assert.Equal("http://localhost/?range=custom&from=2026-11-02&to=2026-11-08", Navigation.Uri);
        Assert.Null(page.FindComponent<MudToggleGroup<string>>().Instance.GetState(x => x.Value));
        Assert.Equal(7, TableRows(page, "steps").Count);

        // The heart-rate day: the URL keeps the period and adds the day.
        var day = page.FindComponents<MudDatePicker>().Single(p => p.Instance.Label == "Day");
        Assert.Equal(new DateTime(2026, 11, 25), day.Instance.GetState(x => x.MaxDate));
        await page.InvokeAsync(() => day.Instance.DateChanged.InvokeAsync(new DateTime(2026, 11, 20)));
        page.WaitForAssertion(() => Assert.Contains("No heart-rate samples on 20 November 2026", Text(page, "empty-heart-rate"), StringComparison.Ordinal));
        Assert.Equal("http://localhost/?range=custom&from=2026-11-02&to=2026-11-08&day=2026-11-20", Navigation.Uri);
    }

    [Fact]
    public async Task RangeChange_SendsEachChangedChartOnce_AndUnchangedOnesNotAtAll()
    {
        var module = JSInterop.SetupModule("./Components/Charts/EChart.razor.js");
        var charts = module.SetupModule("create", _ => true);
        charts.SetupVoid("update", _ => true).SetVoidResult();
        var id = await SignInAsNewUserAsync("once@example.com");
        await SeedAsync(id, DemoData.Days(Today.AddDays(-400), Today, minuteHeartRateDays: 1).ToList());
        var page = Open();
        page.WaitForAssertion(() => Assert.Equal(8, module.Invocations["create"].Count));

        page.Find("[data-testid=range-1y]").Click();
        page.WaitForAssertion(() => Assert.Contains("the last year", page.Find(".page-subtitle").TextContent, StringComparison.Ordinal));
        await Task.Delay(500, Xunit.TestContext.Current.CancellationToken);

        // Seven charts follow the period; the heart-rate day is the same day, so it is not sent again.
        var updates = charts.Invocations["update"].Select(i => i.Arguments[0]!.ToString()!).ToList();
        Assert.Equal(7, updates.Count);
        Assert.Equal(7, updates.Distinct().Count());
        Assert.Equal(8, module.Invocations["create"].Count);
    }

    [Theory]
    [InlineData("/?range=custom&from=2026-11-10&to=2026-11-01", "on or before")]
    [InlineData("/?range=%3Cscript%3E", "'<script>' is not a period LifeOs knows")]
    [InlineData("/?from=2099-13-45", "year-month-day")]
    [InlineData("/?range=custom&from=2026-11-01&to=2027-01-31", "after today")]
    [InlineData("/?range=custom&from=1800-01-01&to=2026-11-01", "between 1900 and 2100")]
    public async Task BadPeriod_SaysSo_AndShowsThirtyDays(string url, string message)
    {
        var id = await SignInAsNewUserAsync("dates@example.com");
        await SeedAsync(id, [new(MetricCatalogue.Steps, SampleSource.Oura, "s", Utc(11, 24, 15), 1234)]);

        var page = Open(url);

        Assert.Contains(message, Text(page, "range-error"), StringComparison.Ordinal);
        Assert.Equal("30d", page.FindComponent<MudToggleGroup<string>>().Instance.GetState(x => x.Value));
        Assert.Contains("over the last 30 days", page.Find(".page-subtitle").TextContent, StringComparison.Ordinal);
        Assert.Equal(30, page.Instance.View!.To.DayNumber - page.Instance.View.From.DayNumber + 1);
        Assert.Empty(page.FindAll("script"));
    }

    [Theory]
    [InlineData("abc", "'abc' is not a day")]
    [InlineData("2099-01-01", "between 1900 and today")]
    public async Task BadHeartRateDay_SaysSo_AndShowsTheLatestDay(string day, string message)
    {
        var id = await SignInAsNewUserAsync("days@example.com");
        await SeedAsync(id, DemoData.Days(Today.AddDays(-3), Today, minuteHeartRateDays: 1).ToList());

        var page = Open("/?day=" + day);

        Assert.Contains(message, Text(page, "day-error"), StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=range-error]"));
        Assert.Equal("Heart rate on Wednesday 25 November", page.Find("#chart-heart-rate-title").TextContent);
    }

    [Fact]
    public async Task LongRanges_SendAtMostTheDownsampledPointsPerSeries_AndTablesSummariseByMonth()
    {
        var id = await SignInAsNewUserAsync("years@example.com");
        await SeedAsync(id, DemoData.Days(Today.AddDays(-1500), Today, minuteHeartRateDays: 1).ToList());

        var page = Open("/?range=all");

        // Every chart but mood and energy (no journal here).
        var charts = page.FindComponents<EChart>();
        Assert.Equal(8, charts.Count);
        foreach (var chart in charts)
        {
            using var options = JsonDocument.Parse(chart.Instance.OptionsJson);
            foreach (var series in options.RootElement.GetProperty("series").EnumerateArray())
            {
                var points = series.GetProperty("data").GetArrayLength();
                Assert.True(points <= DashboardCharts.ChartPoints, $"{chart.Instance.TestId}: {points} points");
            }
        }

        // Daily weigh-ins are downsampled to the budget; lines past four months are weekly means (215 weeks here).
        Assert.InRange(Options(page, "weight").GetProperty("series")[0].GetProperty("data").GetArrayLength(), DashboardCharts.ChartPoints - 10, DashboardCharts.ChartPoints);
        Assert.InRange(Options(page, "scores").GetProperty("series")[0].GetProperty("data").GetArrayLength(), 214, 216);
        var weight = TableRows(page, "weight");
        Assert.Equal("Monthly averages", page.Find("[data-testid=table-weight] caption").TextContent);
        Assert.InRange(weight.Count, 49, 51);
        Assert.StartsWith("Nov 2026", weight[0], StringComparison.Ordinal);
        // The page itself stays small: tables are rendered only when opened.
        Assert.True(page.Markup.Length < 120_000, $"{page.Markup.Length} characters");
    }

    [Fact]
    public async Task PrerenderState_RoundTripsTheView_Compressed()
    {
        var id = await SignInAsNewUserAsync("state@example.com");
        await SeedAsync(id, DemoData.Days(Today.AddDays(-400), Today, minuteHeartRateDays: 1).ToList());
        var page = Open("/?range=1y");
        var view = page.Instance.View!;
        var serializer = Services.GetRequiredService<PersistentComponentStateSerializer<TodayView>>();

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        serializer.Persist(view, buffer);
        var restored = serializer.Restore(new System.Buffers.ReadOnlySequence<byte>(buffer.WrittenMemory));

        var json = JsonSerializer.Serialize(view, JsonSerializerOptions.Web);
        Assert.Equal(json, JsonSerializer.Serialize(restored, JsonSerializerOptions.Web));
        Assert.Equal(view.Charts.Select(c => c.OptionsJson), restored.Charts.Select(c => c.OptionsJson));
        Assert.True(buffer.WrittenCount < json.Length / 3, $"{buffer.WrittenCount:N0} bytes packed from {json.Length:N0}");
    }

    [Fact]
    public async Task MoodAndEnergy_AreNotSmoothed_AndStayWithinOneToFive()
    {
        var id = await SignInAsNewUserAsync("swings@example.com");
        for (var i = 0; i < 10; i++)
        {
            await WriteAsync(id, JournalKind.DailyReflection, Today.AddDays(-i), mood: i % 2 == 0 ? 5 : 1, energy: i % 2 == 0 ? 1 : 5);
        }

        var page = Open();

        var options = Options(page, "mood");
        Assert.Equal((1, 5), (options.GetProperty("yAxis").GetProperty("min").GetInt32(), options.GetProperty("yAxis").GetProperty("max").GetInt32()));
        foreach (var series in options.GetProperty("series").EnumerateArray())
        {
            Assert.False(series.TryGetProperty("smooth", out var smooth) && smooth.GetBoolean(), series.GetProperty("name").GetString());
            Assert.All(Values(series), v => Assert.InRange(v, 1, 5));
            Assert.Equal(10, series.GetProperty("data").GetArrayLength());
        }
    }

    [Fact]
    public async Task Dashboard_ShowsMoodAndEnergyFromTheJournal_OnlyTheUsersOwn()
    {
        var id = await SignInAsNewUserAsync("moody@example.com");
        await SeedAsync(id, [new(MetricCatalogue.Steps, SampleSource.Oura, "s", Utc(11, 24, 17), 8000)]);
        await WriteAsync(id, JournalKind.DailyReflection, new DateOnly(2026, 11, 23), mood: 3, energy: 2);
        await WriteAsync(id, JournalKind.DailyReflection, new DateOnly(2026, 11, 24), mood: 5, energy: 4);
        await WriteAsync(id, JournalKind.MorningPages, new DateOnly(2026, 11, 24), mood: 4, energy: null);
        var other = await CreateUserAsync("other@example.com");
        await WriteAsync(other, JournalKind.Note, new DateOnly(2026, 11, 24), mood: 1, energy: 1);

        var page = Open("/?range=7d");

        // Days: 23rd mood 3; 24th mood (5 + 4) / 2 = 4.5 → average 3.75; energy 2 and 4 → 3.0.
        Assert.Contains("Mood averaged 3.8 and energy 3.0 out of 5.", Text(page, "summary-mood"), StringComparison.Ordinal);
        Assert.Contains("You wrote in your journal on 2 days.", Text(page, "summary-calendar"), StringComparison.Ordinal);
        Assert.Equal([3.0, 4.5], Values(Options(page, "mood").GetProperty("series")[0]));
    }

    [Fact]
    public async Task Charts_ReadWell_SeparateAxes_ReferenceLabelsInside_SquareCalendarDays()
    {
        var id = await SignInAsNewUserAsync("charts@example.com");
        await SeedAsync(id, DemoData.Days(Today.AddDays(-119), Today, minuteHeartRateDays: 1).ToList());

        var page = Open("/?range=90d");

        // Scores on a 0–100 axis of their own; HRV (ms) and resting heart rate (bpm) each on their own axis.
        var scores = Options(page, "scores");
        Assert.Equal(100, scores.GetProperty("yAxis").GetProperty("max").GetInt32());
        Assert.Equal(["Readiness", "Sleep score"], scores.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        var heart = Options(page, "heart");
        Assert.Equal(["HRV ms", "Resting bpm"], heart.GetProperty("yAxis").EnumerateArray().Select(a => a.GetProperty("name").GetString()));
        Assert.Equal([0, 1], heart.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("yAxisIndex").GetInt32()));
        foreach (var axis in heart.GetProperty("yAxis").EnumerateArray())
        {
            Assert.True(axis.GetProperty("max").GetDouble() - axis.GetProperty("min").GetDouble() < 60, axis.GetRawText());
        }

        // The goal and 120/80 labels sit inside the plot, and their lines are within the y range.
        var steps = Options(page, "steps").GetProperty("series")[0].GetProperty("markLine");
        Assert.Equal("insideEndTop", steps.GetProperty("label").GetProperty("position").GetString());
        Assert.Equal("Goal 10,000", steps.GetProperty("label").GetProperty("formatter").GetString());
        var pressure = Options(page, "blood-pressure");
        Assert.All(pressure.GetProperty("series").EnumerateArray(), s => Assert.Equal("insideEndTop", s.GetProperty("markLine").GetProperty("label").GetProperty("position").GetString()));
        Assert.InRange(80, pressure.GetProperty("yAxis").GetProperty("min").GetDouble() + 1, 120);
        Assert.InRange(120, 80, pressure.GetProperty("yAxis").GetProperty("max").GetDouble() - 1);

        // Every daily chart spans the period on a day axis.
        Assert.Equal(("2026-08-27T12:00", "2026-11-25T12:00"), (Options(page, "weight").GetProperty("xAxis").GetProperty("min").GetString(), Options(page, "weight").GetProperty("xAxis").GetProperty("max").GetString()));

        // The calendar: square days, a title and a legend per calendar, empty days in the theme's own (dark in dark mode) colour.
        var calendar = Options(page, "calendar");
        var box = calendar.GetProperty("calendar")[0];
        Assert.Equal(box.GetProperty("cellSize")[0].GetInt32(), box.GetProperty("cellSize")[1].GetInt32());
        Assert.Equal("var(--mud-palette-lines-default)", box.GetProperty("itemStyle").GetProperty("color").GetString());
        Assert.Equal("Steps", calendar.GetProperty("title")[0].GetProperty("text").GetString());
        Assert.Equal("var(--mud-palette-text-primary)", calendar.GetProperty("title")[0].GetProperty("textStyle").GetProperty("color").GetString());
        var pieces = calendar.GetProperty("visualMap")[0];
        Assert.Equal("piecewise", pieces.GetProperty("type").GetString());
        Assert.Equal(["< 5k", "5k–10k", "10k+ (goal)"], pieces.GetProperty("pieces").EnumerateArray().Select(p => p.GetProperty("label").GetString()));
        // The key sits above the chart, so it stays in view while a phone scrolls the calendar.
        Assert.Equal("Steps", page.Find("[data-testid=legend-calendar] .legend-group").TextContent);
        Assert.Equal(["< 5k", "5k–10k", "10k+ (goal)"], page.FindAll("[data-testid=legend-calendar] .legend-item").Select(i => i.TextContent));
        Assert.Contains("min-width", page.Find("[data-testid=chart-calendar] .chart-scroll-inner").GetAttribute("style"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneWeighIn_ShowsOnADayAxis_WithATightScale()
    {
        var id = await SignInAsNewUserAsync("once@example.com");
        await SeedAsync(id, [new(MetricCatalogue.Weight, SampleSource.Manual, "w", Utc(11, 20, 14), 72.4)]);

        var page = Open();

        var weight = Options(page, "weight");
        Assert.Equal("time", weight.GetProperty("xAxis").GetProperty("type").GetString());
        Assert.Equal(("2026-10-26T12:00", "2026-11-25T12:00"), (weight.GetProperty("xAxis").GetProperty("min").GetString(), weight.GetProperty("xAxis").GetProperty("max").GetString()));
        var (min, max) = (weight.GetProperty("yAxis").GetProperty("min").GetDouble(), weight.GetProperty("yAxis").GetProperty("max").GetDouble());
        Assert.InRange(72.4, min + 0.5, max - 0.5);
        Assert.True(max - min <= 4, $"{min}–{max}");
        Assert.Contains("1 weigh-in", Text(page, "summary-weight"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Goals_ShowOnTheStrip_OnlyActiveOnes()
    {
        var id = await SignInAsNewUserAsync("goals@example.com");
        await SeedAsync(id, DemoData.Days(Today.AddDays(-20), Today).ToList());
        Task<GoalSaveResult> StepGoalAsync(string name, double target) => WithAsync<GoalService, GoalSaveResult>(g => g.CreateAsync(id, new GoalInput
        {
            Name = name,
            Kind = GoalKind.DailyTarget,
            MetricCode = MetricCatalogue.Steps,
            Comparison = Comparison.AtLeast,
            Target = target,
            StartDate = Today.AddDays(-20),
        }, CancellationToken.None));
        var created = await StepGoalAsync("10k steps", 10_000);
        Assert.True(created.Succeeded);
        var archived = await StepGoalAsync("Old step goal", 5_000);
        Assert.True(await WithAsync<GoalService, bool>(g => g.SetArchivedAsync(id, archived.Id!.Value, archived: true, CancellationToken.None)));

        var page = Open();

        var goal = page.Find($"[data-testid=dashboard-goal-{created.Id}]");
        Assert.Contains("10k steps", goal.TextContent, StringComparison.Ordinal);
        Assert.Equal(14, goal.QuerySelectorAll(".strip-day").Length);
        Assert.Contains("streak", goal.TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll($"[data-testid=dashboard-goal-{archived.Id}]"));
        Assert.DoesNotContain("Old step goal", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insights_AreListed_OrTheCardSaysWhenTheyWillAppear()
    {
        var id = await SignInAsNewUserAsync("insights@example.com");
        await SeedAsync(id, DemoData.Days(Today.AddDays(-200), Today).ToList());

        var few = Open("/?range=7d");
        Assert.Contains("No clear patterns over the last 7 days yet", Text(few, "no-insights"), StringComparison.Ordinal);

        Navigation.NavigateTo("/?range=1y");
        few.WaitForAssertion(() => Assert.NotEmpty(few.FindAll("[data-testid=insights] li")));
        Assert.All(few.FindAll(".insight-stats"), s => Assert.Matches(@"^r = -?0\.\d\d, p = ", s.TextContent));
    }
}
