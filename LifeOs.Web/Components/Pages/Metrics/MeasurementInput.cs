namespace LifeOs.Web.Components.Pages.Metrics;

/// <summary>The add and edit forms' fields, in the user's units and local time.</summary>
public sealed class MeasurementInput
{
    public string? MetricCode { get; set; }

    public double? Value { get; set; }

    public DateTime? LocalTime { get; set; }
}
