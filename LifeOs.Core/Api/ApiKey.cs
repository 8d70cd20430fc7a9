namespace LifeOs.Core.Api;

/// <summary>
/// A personal API key. Only a SHA-256 hash of the whole key is stored (the key is shown once, when it is made);
/// <see cref="Prefix"/> is its first characters, shown in the list so that people can tell their keys apart, and the
/// index the key is looked up by.
/// </summary>
public sealed class ApiKey
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary><c>lo_</c> and 8 random characters: unique, not secret.</summary>
    public required string Prefix { get; set; }

    /// <summary>SHA-256 of the whole key as presented (prefix, separator and secret).</summary>
    public required byte[] SecretHash { get; set; }

    /// <summary>Granted scopes, separated by spaces (<see cref="ApiScopes"/>).</summary>
    public required string Scopes { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    /// <summary>Written at most once a minute per key, not on every request.</summary>
    public DateTime? LastUsedAt { get; set; }

    public string? LastUsedIp { get; set; }

    public DateTime? RevokedAt { get; set; }
}

/// <summary>What a key may do. A key holds one or more; each API route needs one.</summary>
public static class ApiScopes
{
    public const string HealthRead = "health:read";
    public const string HealthWrite = "health:write";
    public const string JournalRead = "journal:read";
    public const string JournalWrite = "journal:write";
    public const string GoalsRead = "goals:read";
    public const string Sync = "sync";

    public static IReadOnlyList<(string Scope, string Description)> All { get; } =
    [
        (HealthRead, "Read measurements, daily values, sleep and the daily summary"),
        (HealthWrite, "Add and delete measurements (also Health Auto Export pushes)"),
        (JournalRead, "Read and search journal entries"),
        (JournalWrite, "Write, change and delete journal entries"),
        (GoalsRead, "Read goals and their progress"),
        (Sync, "Read connection status and start a sync"),
    ];

    public static bool IsKnown(string scope) => All.Any(s => s.Scope == scope);

    public static IReadOnlyList<string> Parse(string stored) =>
        stored.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
