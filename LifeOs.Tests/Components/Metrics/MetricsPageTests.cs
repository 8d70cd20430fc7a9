using Bunit;
using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using LifeOs.Web.Components.Pages.Metrics;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Extensions;

namespace LifeOs.Tests.Components.Metrics;

public sealed class MetricsPageTests : MetricsTestContext
{
    private static readonly DateTime Morning = new(2026, 11, 24, 7, 15, 0);

    private static IReadOnlyList<string> RowTexts(IRenderedComponent<MetricsPage> page) =>
        page.FindAll("[data-testid=measurements-table] tbody tr").Select(r => r.TextContent).ToList();

    private static IRenderedComponent<MeasurementForm> AddForm(IRenderedComponent<MetricsPage> page) => page.WaitForComponent<MeasurementForm>();

    [Fact]
    public async Task NewAccount_ShowsWhatToDo_AndNoRows()
    {
        await SignInAsNewUserAsync("new@example.com");
        var page = RenderPage<MetricsPage>();

        var empty = page.WaitForElement("[data-testid=grid-empty]");
        Assert.Contains("import a spreadsheet as CSV", empty.TextContent, StringComparison.Ordinal);
        Assert.NotNull(empty.QuerySelector("a[href='metrics/import']"));
        Assert.NotNull(empty.QuerySelector("a[href='integrations']"));
        Assert.Empty(page.FindAll("[data-testid=measurements-table]"));
    }

    [Fact]
    public async Task Add_InImperialUnits_StoresCanonical_AndListsItInTheUsersUnits()
    {
        var id = await SignInAsNewUserAsync("lbs@example.com");
        await SetUnitsAsync(id, UnitSystem.Imperial);
        var page = RenderPage<MetricsPage>();
        var form = AddForm(page);

        await FillAsync(form, MetricCatalogue.Weight, 165.5, Morning.Date, Morning.TimeOfDay);
        Assert.Equal("lb", form.FindComponent<MudNumericField<double?>>().Find(".mud-input-adornment-end").TextContent.Trim());
        await SubmitAsync(form);

        var sample = await WithDbAsync(db => db.Samples.SingleAsync());
        Assert.Equal(75.07, sample.Value, 2);
        Assert.Equal((SampleSource.Manual, new DateTime(2026, 11, 24, 7, 15, 0, DateTimeKind.Utc)), (sample.Source, sample.StartUtc));
        Assert.Equal(new DateOnly(2026, 11, 24), (await WithDbAsync(db => db.DailyValues.SingleAsync())).LocalDate);
        page.WaitForAssertion(() => Assert.Contains("165.5 lb", Assert.Single(RowTexts(page)), StringComparison.Ordinal));
        Assert.Contains("Added weight: 165.5 lb on 24 Nov 2026, 07:15.", SnackbarMessages());
        // Ready for the next reading of the same metric: only the value is cleared.
        Assert.Equal((MetricCatalogue.Weight, (double?)null), (AddForm(page).Instance.Model.MetricCode, AddForm(page).Instance.Model.Value));
    }

    [Theory]
    [InlineData(MetricCatalogue.Weight, 900.0, 24, "Weight must be between 1 and 500 kg.")]
    [InlineData(null, 42.0, 24, "Choose a metric from the list.")]
    [InlineData(MetricCatalogue.Steps, null, 24, "Enter a number.")]
    [InlineData(MetricCatalogue.Steps, 4000.0, 26, "Choose a date no later than today, 2026-11-25.")]
    public async Task Add_BadInput_ShowsTheMessageBesideItsField_AndSavesNothing(string? metric, double? value, int day, string message)
    {
        await SignInAsNewUserAsync("typo@example.com");
        var page = RenderPage<MetricsPage>();
        var form = AddForm(page);

        await FillAsync(form, metric, value, new DateTime(2026, 11, day), new TimeSpan(7, 15, 0));
        await SubmitAsync(form);

        form.WaitForAssertion(() => Assert.Contains(message, FieldErrors(form)));
        Assert.Equal(0, await WithDbAsync(db => db.Samples.CountAsync()));
        Assert.Empty(SnackbarMessages());
    }

    [Fact]
    public async Task DatePicker_OffersNothingAfterTheUsersToday_NorBefore1900()
    {
        await SignInAsNewUserAsync("bounds@example.com");
        var page = RenderPage<MetricsPage>();
        var picker = AddForm(page).FindComponent<MudDatePicker>().Instance;

        Assert.Equal((new DateTime(1900, 1, 1), new DateTime(2026, 11, 25)), (picker.GetState(p => p.MinDate), picker.GetState(p => p.MaxDate)));
        Assert.Equal(new DateTime(2026, 11, 25), AddForm(page).Instance.Model.Date);
    }

    /// <summary>
    /// The bug the static page had: with two or more typed-in rows, every row's delete form had the same name and
    /// deleting answered 500 ("more than one named submit event"). Now the chosen row goes and the page stays.
    /// </summary>
    [Fact]
    public async Task Delete_WithSeveralTypedInRows_RemovesTheChosenOne_AndItsDay_AndThePageStays()
    {
        var id = await SignInAsNewUserAsync("owner@example.com");
        await AddAsync(id, MetricCatalogue.Weight, 80.1, new DateTime(2026, 11, 22, 7, 0, 0));
        var middle = await AddAsync(id, MetricCatalogue.Systolic, 121, new DateTime(2026, 11, 23, 7, 10, 0));
        await AddAsync(id, MetricCatalogue.Weight, 79.8, new DateTime(2026, 11, 24, 7, 0, 0));
        var page = RenderPage<MetricsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, RowTexts(page).Count));

        // The click's handler waits for the dialog: answer it, then let the click finish.
        var deleting = page.Find("button[aria-label='Delete Systolic blood pressure, 23 Nov 2026, 07:10']").ClickAsync(new());
        Dialogs.WaitForAssertion(() => Assert.Contains("Systolic blood pressure: 121 mmHg on 23 Nov 2026, 07:10.", Dialogs.Find("[data-testid=confirm-dialog]").TextContent, StringComparison.Ordinal));
        await Dialogs.Find("[data-testid=confirm-ok]").ClickAsync(new());
        await deleting;

        page.WaitForAssertion(() => Assert.Equal(2, RowTexts(page).Count));
        Assert.All(RowTexts(page), r => Assert.Contains("Weight", r, StringComparison.Ordinal));
        Assert.False(await WithDbAsync(db => db.Samples.AnyAsync(s => s.Id == middle)));
        Assert.False(await WithDbAsync(db => db.DailyValues.AnyAsync(d => d.MetricCode == MetricCatalogue.Systolic)));
        Assert.Equal(2, await WithDbAsync(db => db.Samples.CountAsync()));
        Assert.Contains("Measurement deleted.", SnackbarMessages());
        Assert.False(NotFoundRaised);

        // And again, on the page as it now is.
        var again = page.Find("button[aria-label='Delete Weight, 22 Nov 2026, 07:00']").ClickAsync(new());
        await Dialogs.WaitForElement("[data-testid=confirm-ok]").ClickAsync(new());
        await again;
        page.WaitForAssertion(() => Assert.Contains("79.8 kg", Assert.Single(RowTexts(page)), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Delete_Cancelled_KeepsTheMeasurement()
    {
        var id = await SignInAsNewUserAsync("careful@example.com");
        await AddAsync(id, MetricCatalogue.Weight, 80, Morning);
        var page = RenderPage<MetricsPage>();

        var deleting = page.WaitForElement("[data-testid=delete-measurement]").ClickAsync(new());
        await Dialogs.WaitForElement("[data-testid=confirm-cancel]").ClickAsync(new());
        await deleting;

        Assert.Equal(1, await WithDbAsync(db => db.Samples.CountAsync()));
        Assert.Single(RowTexts(page));
    }

    [Fact]
    public async Task Delete_AnotherUsersMeasurement_IsNotFound_AndNothingIsDeleted()
    {
        var owner = await CreateUserAsync("owner@example.com");
        var theirs = await AddAsync(owner, MetricCatalogue.Systolic, 121, Morning);
        var intruder = await SignInAsNewUserAsync("intruder@example.com");
        await AddAsync(intruder, MetricCatalogue.Systolic, 140, Morning);
        var page = RenderPage<MetricsPage>();

        // Their list shows only their own reading; the service the page calls refuses the owner's id.
        page.WaitForAssertion(() => Assert.Contains("140 mmHg", Assert.Single(RowTexts(page)), StringComparison.Ordinal));
        Assert.False(await WithAsync<MeasurementService, bool>(m => m.DeleteAsync(intruder, theirs)));
        Assert.Equal(2, await WithDbAsync(db => db.Samples.CountAsync()));
    }

    [Fact]
    public async Task Edit_InTheDialog_MovesItToAnotherDay_BadValueIsAFieldError()
    {
        var id = await SignInAsNewUserAsync("editor@example.com");
        var sampleId = await AddAsync(id, MetricCatalogue.Weight, 80, new DateTime(2026, 11, 23, 7, 0, 0));
        var page = RenderPage<MetricsPage>();

        var editing = page.WaitForElement("button[aria-label='Edit Weight, 23 Nov 2026, 07:00']").ClickAsync(new());
        var form = Dialogs.WaitForComponent<MeasurementForm>();
        Assert.Equal(80, form.Instance.Model.Value);

        await FillAsync(form, MetricCatalogue.Weight, 0.2, new DateTime(2026, 11, 24), new TimeSpan(7, 0, 0));
        await SubmitAsync(form);
        form.WaitForAssertion(() => Assert.Contains("Weight must be between 1 and 500 kg.", FieldErrors(form)));
        Assert.Equal(80, (await WithDbAsync(db => db.Samples.SingleAsync())).Value);

        await FillAsync(form, MetricCatalogue.Weight, 79.5, new DateTime(2026, 11, 24), new TimeSpan(7, 0, 0));
        await SubmitAsync(form);
        await editing;

        page.WaitForAssertion(() => Assert.Contains("79.5 kg", Assert.Single(RowTexts(page)), StringComparison.Ordinal));
        var sample = await WithDbAsync(db => db.Samples.SingleAsync(s => s.Id == sampleId));
        Assert.Equal((79.5, new DateOnly(2026, 11, 24)), (sample.Value, sample.LocalDate));
        Assert.Equal([new DateOnly(2026, 11, 24)], await WithDbAsync(db => db.DailyValues.Select(d => d.LocalDate).ToListAsync()));
        Assert.Contains("Measurement updated.", SnackbarMessages());
    }

    [Fact]
    public async Task EverySource_IsListed_ImportedRowsEditable_SyncedRowsOnlyExcludable()
    {
        var id = await SignInAsNewUserAsync("imported@example.com");
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id, [new(MetricCatalogue.Weight, SampleSource.Import, "csv:1", new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc), 74.75)]));
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id, [new(MetricCatalogue.Steps, SampleSource.Oura, "oura:1", new DateTime(2026, 11, 20, 13, 0, 0, DateTimeKind.Utc), 9000)]));
        var page = RenderPage<MetricsPage>();

        page.WaitForAssertion(() => Assert.Equal(2, RowTexts(page).Count));
        var rows = page.FindAll("[data-testid=measurements-table] tbody tr");
        Assert.Contains("9,000 steps", rows[0].TextContent, StringComparison.Ordinal);
        Assert.NotNull(rows[0].QuerySelector("[data-testid=exclude-measurement]"));
        Assert.Null(rows[0].QuerySelector("[data-testid=delete-measurement]"));
        Assert.Contains("CSV import", rows[1].TextContent, StringComparison.Ordinal);
        Assert.NotNull(rows[1].QuerySelector("[data-testid=edit-measurement]"));
        Assert.Equal(["Steps", "Weight"], page.FindAll("[data-testid=my-metrics] a").Select(a => a.TextContent.Trim()).Order().ToList());
        Assert.Equal("metrics/steps", page.Find("[data-testid=measurements-table] a").GetAttribute("href"));

        await page.Find("[data-testid=exclude-measurement]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=include-measurement]")));
        Assert.True(await WithDbAsync(db => db.Samples.Where(s => s.Source == SampleSource.Oura).Select(s => s.Excluded).SingleAsync()));
        Assert.False(await WithDbAsync(db => db.DailyValues.AnyAsync(d => d.MetricCode == MetricCatalogue.Steps)));
    }

    [Fact]
    public async Task ManyRows_ArePaged_OlderAndNewer()
    {
        var id = await SignInAsNewUserAsync("many@example.com");
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id,
            Enumerable.Range(0, 30).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, $"m{i}", new DateTime(2026, 10, 1, 7, 0, 0, DateTimeKind.Utc).AddDays(i), 70 + (i / 10.0))).ToList()));
        var page = RenderPage<MetricsPage>();

        page.WaitForAssertion(() => Assert.Equal(25, RowTexts(page).Count));
        Assert.Equal("1–25 of 30 measurements", page.Find("[data-testid=list-count]").TextContent);
        Assert.Contains("30 Oct 2026", RowTexts(page)[0], StringComparison.Ordinal);

        await page.Find("[data-testid=page-next]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(5, RowTexts(page).Count));
        Assert.Equal("26–30 of 30 measurements", page.Find("[data-testid=list-count]").TextContent);
        Assert.Contains("1 Oct 2026", RowTexts(page)[^1], StringComparison.Ordinal);

        await page.Find("[data-testid=page-previous]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(25, RowTexts(page).Count));
        Assert.Contains("30 Oct 2026", RowTexts(page)[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("metrics?metric=%3Cscript%3E", 2)]
    [InlineData("metrics?from=abc&to=99999", 2)]
    [InlineData("metrics?source=nonsense", 2)]
    [InlineData("metrics?source=kind:Manual", 2)]
    [InlineData("metrics?source=kind:Synced", 0)]
    [InlineData("metrics?from=2026-11-24", 1)]
    public async Task QueryValues_FilterTheGrid_BadOnesAreIgnored(string url, int rows)
    {
        var id = await SignInAsNewUserAsync("query@example.com");
        await AddAsync(id, MetricCatalogue.Weight, 80, Morning);
        await AddAsync(id, MetricCatalogue.Weight, 81, Morning.AddDays(-3));
        StartAt(url);

        var page = RenderPage<MetricsPage>();

        page.WaitForAssertion(() => Assert.Equal(rows, RowTexts(page).Count));
    }

    [Fact]
    public async Task MetricFilter_ShowsOneMetric()
    {
        var id = await SignInAsNewUserAsync("filter@example.com");
        await AddAsync(id, MetricCatalogue.Weight, 80, Morning);
        await AddAsync(id, MetricCatalogue.Steps, 4000, Morning.AddHours(1));
        StartAt("metrics?metric=steps");

        var page = RenderPage<MetricsPage>();

        page.WaitForAssertion(() => Assert.Contains("4,000 steps", Assert.Single(RowTexts(page)), StringComparison.Ordinal));
    }
}
