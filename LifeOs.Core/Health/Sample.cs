namespace LifeOs.Core.Health;

/// <summary>Where a value came from. Stored by number in <c>Samples</c> (so the numbers never change), by name elsewhere.</summary>
public enum SampleSource
{
    Oura = 0,
    Withings = 1,
    Manual = 2,
    Import = 3,

    /// <summary>Written through the REST API with an API key (scripts, Health Auto Export from an iPhone).</summary>
    Api = 4,

    /// <summary>
    /// Activity Withings passes through from a phone (getactivity rows with brand 18: Google Fit, Apple Health), for
    /// people without a Withings tracker. Its own source, below the devices, so a tracker's count wins the day.
    /// </summary>
    WithingsPhone = 5,

    /// <summary>
    /// Imported from Apple Health's export (export.zip / export.xml). One source for everything the phone held: the
    /// device or app that wrote each record into Health (Apple Watch, iPhone, an app) is kept in its record id.
    /// </summary>
    AppleHealth = 6,
}

/// <summary>One value from one source, in the metric's canonical unit.</summary>
public class Sample
{
    public long Id { get; set; }

    /// <summary>
    /// The owner's <see cref="UserNumber"/>: a small integer in the table and every index of it, where the user's id (a
    /// 36-character GUID) made up most of the database. Query a user's samples with <see cref="Data.LifeOsDbContext.SamplesOf"/>.
    /// </summary>
    public int UserNumber { get; set; }
    public required string MetricCode { get; set; }
    public SampleSource Source { get; set; }

    /// <summary>The source's own id for the record; re-fetching the same record updates this row.</summary>
    public required string SourceRecordId { get; set; }

    public DateTime StartUtc { get; set; }
    public DateTime? EndUtc { get; set; }

    /// <summary>The user's local day the value belongs to (sleep: the day the user wakes up).</summary>
    public DateOnly LocalDate { get; set; }

    /// <summary>
    /// True when the source said which day the value belongs to (Oura's "day", a Withings date); false when
    /// LifeOs worked it out from <see cref="StartUtc"/> and the user's time zone and day start, which it
    /// does again when the user changes either.
    /// </summary>
    public bool DayFromSource { get; set; }

    public double Value { get; set; }
    public DateTime UpdatedAt { get; set; }

    /// <summary>
    /// Left out of the daily values by the user (a guest on the scale), without deleting it: synced readings cannot be
    /// deleted (the next sync would bring them back), so they are excluded instead. The upsert never writes this
    /// column, so an exclusion survives the source sending the same reading again.
    /// </summary>
    public bool Excluded { get; set; }

    /// <summary>The CSV import (<see cref="Import.ImportBatch"/>) that inserted this row, so it can be undone; null otherwise.</summary>
    public long? ImportBatchId { get; set; }
}

/// <summary>A metric's value for one of the user's local days, from the highest-priority source that reported it.</summary>
public class DailyValue
{
    public required string UserId { get; set; }
    public required string MetricCode { get; set; }
    public DateOnly LocalDate { get; set; }
    public double Value { get; set; }
    public SampleSource Source { get; set; }
    public int SampleCount { get; set; }
}

/// <summary>
/// A user's number for the <see cref="Sample"/> table: given the first time LifeOs writes a sample of theirs (and by the
/// storage migration to every user it found), never reused, and removed with the user.
/// </summary>
public class UserNumber
{
    public int Number { get; set; }

    public required string UserId { get; set; }
}
