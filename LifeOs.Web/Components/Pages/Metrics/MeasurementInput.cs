using System.ComponentModel.DataAnnotations;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Metrics;

/// <summary>The add and edit forms' fields, in the user's units and local time; the date and the time are picked apart.</summary>
public sealed class MeasurementInput
{
    [Required(ErrorMessage = "Choose a metric from the list.")]
    public string? MetricCode { get; set; }

    [Required(ErrorMessage = "Enter a number.")]
    public double? Value { get; set; }

    [Required(ErrorMessage = "Choose a date.")]
    public DateTime? Date { get; set; }

    [Required(ErrorMessage = "Choose a time.")]
    public TimeSpan? Time { get; set; }

    /// <summary>The local date and time the measurement was taken, when both halves are there.</summary>
    public DateTime? LocalTime => Date is { } date && Time is { } time ? date.Date + time : null;

    /// <summary>A new entry at the user's local "now" (to the minute), for <paramref name="metricCode"/> if given.</summary>
    public static MeasurementInput At(DateTime localNow, string? metricCode = null) => new()
    {
        MetricCode = metricCode,
        Date = localNow.Date,
        Time = new TimeSpan(localNow.Hour, localNow.Minute, 0),
    };

    public static MeasurementInput From(MeasurementRow row) => new()
    {
        MetricCode = row.MetricCode,
        Value = row.DisplayValue,
        Date = row.LocalTime.Date,
        Time = new TimeSpan(row.LocalTime.Hour, row.LocalTime.Minute, 0),
    };

    /// <summary>Core's field names to this form's: a problem with the moment belongs beside the date.</summary>
    public static IReadOnlyDictionary<string, string> FieldErrors(IReadOnlyDictionary<string, string> errors) =>
        errors.ToDictionary(e => e.Key == MeasurementService.TimeField ? nameof(Date) : e.Key, e => e.Value);
}
