using Bunit;
using LifeOs.Core.Health;
using LifeOs.Web.Components.Pages.Metrics;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Components.Metrics;

/// <summary>/metrics/{id}/edit: the edit form at its own address.</summary>
public sealed class EditMeasurementPageTests : MetricsTestContext
{
    private IRenderedComponent<EditMeasurementPage> RenderEdit(long id)
    {
        StartAt($"metrics/{id}/edit");
        return RenderPage<EditMeasurementPage>(p => p.Add(c => c.Id, id));
    }

    [Fact]
    public async Task OwnMeasurement_IsShownInTheForm_AndSavingMovesItToAnotherDay()
    {
        var id = await SignInAsNewUserAsync("editor@example.com");
        var sampleId = await AddAsync(id, MetricCatalogue.Weight, 80, new DateTime(2026, 11, 23, 7, 0, 0));
        var page = RenderEdit(sampleId);
        var form = page.WaitForComponent<MeasurementForm>();
        Assert.Equal((MetricCatalogue.Weight, 80, new DateTime(2026, 11, 23), new TimeSpan(7, 0, 0)),
            (form.Instance.Model.MetricCode, form.Instance.Model.Value, form.Instance.Model.Date, form.Instance.Model.Time));

        await FillAsync(form, MetricCatalogue.Weight, 79.5, new DateTime(2026, 11, 24), new TimeSpan(7, 30, 0));
        await SubmitAsync(form);

        var sample = await WithDbAsync(db => db.Samples.SingleAsync(s => s.Id == sampleId));
        Assert.Equal((79.5, new DateOnly(2026, 11, 24)), (sample.Value, sample.LocalDate));
        Assert.Equal([new DateOnly(2026, 11, 24)], await WithDbAsync(db => db.DailyValues.Select(d => d.LocalDate).ToListAsync()));
        Assert.Contains("Measurement updated.", SnackbarMessages());
        Assert.EndsWith("/metrics", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValue_IsAFieldError_AndChangesNothing()
    {
        var id = await SignInAsNewUserAsync("careful@example.com");
        var sampleId = await AddAsync(id, MetricCatalogue.Weight, 80, new DateTime(2026, 11, 23, 7, 0, 0));
        var page = RenderEdit(sampleId);
        var form = page.WaitForComponent<MeasurementForm>();

        await FillAsync(form, MetricCatalogue.Weight, 0.2, new DateTime(2026, 11, 24), new TimeSpan(7, 0, 0));
        await SubmitAsync(form);

        form.WaitForAssertion(() => Assert.Contains("Weight must be between 1 and 500 kg.", FieldErrors(form)));
        Assert.Equal((80, new DateOnly(2026, 11, 23)), await WithDbAsync(db => db.Samples.Select(s => new ValueTuple<double, DateOnly>(s.Value, s.LocalDate)).SingleAsync()));
        Assert.EndsWith($"/metrics/{sampleId}/edit", Navigation.Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnotherUsersMeasurement_IsNotFound_AndShowsNothingOfIt()
    {
        var owner = await CreateUserAsync("owner@example.com");
        var theirs = await AddAsync(owner, MetricCatalogue.Weight, 91.3, new DateTime(2026, 11, 23, 7, 0, 0));
        await SignInAsNewUserAsync("sneaky@example.com");

        var page = RenderEdit(theirs);

        page.WaitForAssertion(() => Assert.True(NotFoundRaised));
        Assert.Empty(page.FindComponents<MeasurementForm>());
        Assert.DoesNotContain("91.3", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncedOrMissingMeasurement_IsNotFound_ImportedIsEditable()
    {
        var id = await SignInAsNewUserAsync("imported@example.com");
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id, [new(MetricCatalogue.Weight, SampleSource.Import, "csv:1", new DateTime(2026, 11, 20, 12, 0, 0, DateTimeKind.Utc), 74.75)]));
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id, [new(MetricCatalogue.Weight, SampleSource.Withings, "w:1", new DateTime(2026, 11, 21, 12, 0, 0, DateTimeKind.Utc), 74.5)]));
        var imported = await WithDbAsync(db => db.Samples.Where(s => s.Source == SampleSource.Import).Select(s => s.Id).SingleAsync());
        var synced = await WithDbAsync(db => db.Samples.Where(s => s.Source == SampleSource.Withings).Select(s => s.Id).SingleAsync());

        var editable = RenderEdit(imported);
        editable.WaitForComponent<MeasurementForm>();
        Assert.False(NotFoundRaised);

        RenderEdit(synced);
        Assert.True(NotFoundRaised);
    }
}
