using System.Globalization;
using LifeOs.Core.Accounts;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Metrics;

/// <summary>How the measurement pages write numbers, units, days and sources, so every page says them the same way.</summary>
public static class MetricText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>"75.02 kg", "8,412 steps", "7 h 30" for hours, "84" for a score.</summary>
    public static string Value(double value, string unit) =>
        unit == "h" ? DisplayUnit.HoursAndMinutes(value) : Number(value) + (unit.Length > 0 ? " " + unit : "");

    public static string Number(double value) => value.ToString("#,0.##", Invariant);

    /// <summary>The unit a metric is entered in, for labels: "kg", "lb", "score" for unitless scores.</summary>
    public static string UnitLabel(MetricDefinition metric, UnitSystem units) =>
        metric.DisplayFor(units).Label is { Length: > 0 } label ? label : "score";

    public static string Day(DateOnly day) => day.ToString("d MMM yyyy", Invariant);

    public static string DayWithWeekday(DateOnly day) => day.ToString("ddd d MMM yyyy", Invariant);

    public static string When(DateTime local) => local.ToString("d MMM yyyy, HH:mm", Invariant);

    public static string Range(DateOnly? from, DateOnly? to) =>
        from is null || to is null ? "" : from == to ? Day(from.Value) : $"{Day(from.Value)} – {Day(to.Value)}";

    /// <summary>"the last 30 days", "the last year", "all time".</summary>
    public static string RangeLabel(DashboardRange range) => range.Key == "1y" ? "the last year" : range.Label;

    public static string Plural(int count, string noun) =>
        string.Create(Invariant, $"{count:N0} {noun}{(count == 1 ? "" : "s")}");

    public static string Source(SampleSource source) => source switch
    {
        SampleSource.Oura => "Oura ring",
        SampleSource.Withings => "Withings",
        SampleSource.Manual => "Typed in",
        SampleSource.Import => "CSV import",
        SampleSource.Api => "API",
        SampleSource.WithingsPhone => "Phone via Withings",
        SampleSource.AppleHealth => "Apple Health",
        _ => source.ToString(),
    };

    public static string Group(MetricGroup group) => group switch
    {
        MetricGroup.Activity => "Activity",
        MetricGroup.Sleep => "Sleep",
        MetricGroup.Scores => "Scores",
        MetricGroup.Heart => "Heart",
        MetricGroup.Body => "Body",
        MetricGroup.BloodPressure => "Blood pressure",
        _ => group.ToString(),
    };

    public static string UnitSystemName(UnitSystem units) => units == UnitSystem.Imperial ? "imperial" : "metric";
}
