using System.Text.Json;
using LifeOs.Core.Dashboard;
using LifeOs.Core.Health;

namespace LifeOs.Web.Components.Pages.Metrics;

/// <summary>
/// Prerendered state ([PersistentState]) travels twice: base64 inside the prerendered HTML, then back to the server in
/// the message that starts the circuit (bounded by <see cref="WebApplicationExtensions.MaximumReceiveMessageSize"/>).
/// A page persists what fits this budget (JSON, before the framework's base64), so the first paint stays light on a
/// phone, and loads the rest again once interactive: a rare second read beats a heavy page for everyone.
/// </summary>
public static class PersistedState
{
    public const int MaxBytes = 16 * 1024;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <returns>The value when it fits the budget; otherwise null, so the interactive render loads it again.</returns>
    public static T? IfSmall<T>(T value)
        where T : class =>
        JsonSerializer.SerializeToUtf8Bytes(value, Json).Length <= MaxBytes ? value : null;
}

/// <summary>
/// A metric's days as parallel arrays (day offsets from the range's start, values, one character per source,
/// counts): about 14 bytes a day instead of 65 as objects, so a year of days fits the persisted-state budget.
/// </summary>
public sealed record PackedDays(int[] Offsets, double[] Values, string Sources, int[] Counts)
{
    public static PackedDays Pack(DateOnly from, IReadOnlyList<MetricDay> days) => new(
        [.. days.Select(d => d.Day.DayNumber - from.DayNumber)],
        [.. days.Select(d => d.Value)],
        string.Concat(days.Select(d => (char)('0' + (int)d.Source))),
        [.. days.Select(d => d.SampleCount)]);

    public IReadOnlyList<MetricDay> Unpack(DateOnly from) =>
        [.. Offsets.Select((offset, i) => new MetricDay(from.AddDays(offset), Values[i], (SampleSource)(Sources[i] - '0'), Counts[i]))];
}
