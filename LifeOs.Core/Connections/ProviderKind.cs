using LifeOs.Core.Health;

namespace LifeOs.Core.Connections;

/// <summary>A health-data provider a user can connect. Stored by name; the lower-case name is the URL segment.</summary>
public enum ProviderKind
{
    Oura,
    Withings,
}

public static class ProviderKinds
{
    public static IReadOnlyList<ProviderKind> All { get; } = Enum.GetValues<ProviderKind>();

    /// <summary>"oura" or "withings": the <c>{provider}</c> segment of /integrations/{provider}/…</summary>
    public static string Slug(this ProviderKind provider) => provider.ToString().ToLowerInvariant();

    public static bool TryParseSlug(string? slug, out ProviderKind provider)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Slug(), slug, StringComparison.Ordinal))
            {
                provider = candidate;
                return true;
            }
        }

        provider = default;
        return false;
    }

    public static string DisplayName(this ProviderKind provider) => provider switch
    {
        ProviderKind.Oura => "Oura",
        ProviderKind.Withings => "Withings",
        _ => provider.ToString(),
    };

    /// <summary>The source its synced samples carry in the health store.</summary>
    public static SampleSource SampleSource(this ProviderKind provider) => provider switch
    {
        ProviderKind.Oura => Health.SampleSource.Oura,
        ProviderKind.Withings => Health.SampleSource.Withings,
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    /// <summary>Every source its sync writes: Withings also passes a phone's activity through (<see cref="Health.SampleSource.WithingsPhone"/>).</summary>
    public static IReadOnlyList<SampleSource> SampleSources(this ProviderKind provider) =>
        provider == ProviderKind.Withings ? [Health.SampleSource.Withings, Health.SampleSource.WithingsPhone] : [provider.SampleSource()];
}
