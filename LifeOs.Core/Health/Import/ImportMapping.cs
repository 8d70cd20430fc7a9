namespace LifeOs.Core.Health.Import;

/// <summary>What one column of an uploaded file holds.</summary>
public enum ColumnRole
{
    /// <summary>Not imported (notes, a column LifeOs has no metric for).</summary>
    Ignore,

    /// <summary>The date, or the date and time, of the row.</summary>
    Time,

    /// <summary>A time of day beside a date-only column.</summary>
    TimeOfDay,

    /// <summary>One metric's values, one day (or time) per row.</summary>
    Metric,

    /// <summary>The name of the metric of a one-measurement-per-row file.</summary>
    MetricName,

    /// <summary>The value of a one-measurement-per-row file.</summary>
    Value,

    /// <summary>The unit of a one-measurement-per-row file.</summary>
    Unit,
}

/// <summary>How dates written with slashes or dots (03/04/2026) are read; ISO dates need no answer.</summary>
public enum DateOrder
{
    /// <summary>Worked out from the file: a day over 12 somewhere settles it.</summary>
    Auto,

    /// <summary>m/d/Y, as in the United States.</summary>
    MonthFirst,

    /// <summary>d/m/Y, as in most of the world.</summary>
    DayFirst,
}

/// <summary>One column of the file and what it is taken to hold: a metric code and, optionally, the unit its values are in.</summary>
public sealed record ColumnMapping(int Index, string Header, ColumnRole Role, string? MetricCode = null, string? Unit = null);

/// <summary>
/// Which column is which: guessed from the header, then changed by the person on the import page. Kept beside the
/// staged upload, so the preview and the import read the file the same way.
/// </summary>
public sealed record ImportMapping(IReadOnlyList<ColumnMapping> Columns, DateOrder DateOrder = DateOrder.Auto);
