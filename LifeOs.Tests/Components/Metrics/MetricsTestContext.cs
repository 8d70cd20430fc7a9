using Bunit;
using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Components.Pages.Metrics;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace LifeOs.Tests.Components.Metrics;

/// <summary>The measurement pages' tests: a London user (GMT in November, so local time is UTC), the form driven as a person fills it.</summary>
public abstract class MetricsTestContext : PageTestContext
{
    static MetricsTestContext()
    {
        // Two cores shared by a whole team's builds: a render can take longer than bUnit's default second.
        DefaultWaitTimeout = TimeSpan.FromSeconds(10);
    }

    protected MetricsTestContext()
        : base(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" })
    {
    }

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>The address the page renders at, as if the person had followed a link to it.</summary>
    protected void StartAt(string relativeUrl) => Navigation.NavigateTo(relativeUrl);

    protected Task SetUnitsAsync(string userId, UnitSystem units) =>
        WithAsync<UserSettingsService, SettingsUpdateResult>(s => s.UpdateAsync(userId, new UserSettings("Europe/London", units, 0)));

    /// <summary>A typed-in measurement, through the same service the page uses (in the user's units).</summary>
    protected async Task<long> AddAsync(string userId, string metric, double value, DateTime localTime)
    {
        var result = await WithAsync<MeasurementService, AddMeasurementResult>(m => m.AddAsync(userId, metric, value, localTime));
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
        return await WithDbAsync(db => Task.FromResult(db.SamplesOf(userId).OrderByDescending(s => s.Id).Select(s => s.Id).First()));
    }

    /// <summary>Fills in a measurement form (the add form, the edit dialog's or the edit page's) through its inputs' own callbacks.</summary>
    protected static async Task FillAsync(IRenderedComponent<MeasurementForm> form, string? metric, double? value, DateTime? date, TimeSpan? time)
    {
        await form.InvokeAsync(() => form.FindComponent<MetricPicker>().Instance.ValueChanged.InvokeAsync(metric));
        await form.InvokeAsync(() => form.FindComponent<MudNumericField<double?>>().Instance.ValueChanged.InvokeAsync(value));
        await form.InvokeAsync(() => form.FindComponent<MudDatePicker>().Instance.DateChanged.InvokeAsync(date));
        await form.InvokeAsync(() => form.FindComponent<MudTimePicker>().Instance.TimeChanged.InvokeAsync(time));
    }

    protected static Task SubmitAsync(IRenderedComponent<MeasurementForm> form) =>
        form.Find("button[type=submit]").ClickAsync(new());

    /// <summary>The messages shown under the form's fields, by the field's label.</summary>
    protected static IReadOnlyList<string> FieldErrors(IRenderedComponent<MeasurementForm> form) =>
        form.FindAll(".mud-input-control.mud-input-error .mud-input-helper-text, .mud-input-error .mud-input-helper-text")
            .Select(e => e.TextContent.Trim()).Where(t => t.Length > 0).Distinct().ToList();
}
