using System.Security.Cryptography;
using System.Text;
using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Core.Api;

/// <summary>A key as its owner sees it in the list: never the secret, never the hash.</summary>
public sealed record ApiKeyView(
    long Id, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTime CreatedAt, DateTime? ExpiresAt,
    DateTime? LastUsedAt, string? LastUsedIp, DateTime? RevokedAt)
{
    public bool IsActive(DateTime now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <param name="Key">The whole key, to show once; null when <paramref name="Errors"/> says why it was not made.</param>
public sealed record ApiKeyCreateResult(IReadOnlyDictionary<string, string> Errors, string? Key = null, ApiKeyView? View = null)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>Who a valid key acts for, and what it may do.</summary>
public sealed record ApiKeyIdentity(long KeyId, string UserId, string Name, string Prefix, IReadOnlyList<string> Scopes, DateTime? ExpiresAt);

/// <summary>
/// Personal API keys: made with a name, scopes and an optional expiry; shown once; stored as a SHA-256 hash of a
/// 256-bit random secret (a hash without a salt or work factor is enough for a secret nobody chose and nobody can
/// guess, and it keeps each request to one indexed read); revoked by their owner. A key stops working at once
/// when it expires or is revoked, or when its owner is disabled or deleted (deletion cascades).
/// </summary>
public sealed class ApiKeyService(LifeOsDbContext db, TimeProvider time, AuditLog audit)
{
    public const string KeyStart = "lo_";
    public const int PrefixLength = 11;
    public const int MaxNameLength = 100;
    public const int MaxKeysPerUser = 50;
    public const string NameField = "Name";
    public const string ScopesField = "Scopes";
    public const string ExpiresField = "ExpiresAt";

    /// <summary>Last-used time and address are written at most this often per key.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // No 0/o, 1/l: a prefix is read off a screen. No '_', which separates prefix and secret.
    private const string PrefixAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

    public async Task<ApiKeyCreateResult> CreateAsync(string userId, string? name, IReadOnlyCollection<string> scopes, DateTime? expiresAtUtc, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var errors = new Dictionary<string, string>();
        name = name?.Trim();
        if (string.IsNullOrEmpty(name))
        {
            errors[NameField] = "Give the key a name, such as the script or device that uses it.";
        }
        else if (name.Length > MaxNameLength)
        {
            errors[NameField] = $"Keep the name under {MaxNameLength} characters.";
        }

        var granted = scopes.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct().ToList();
        if (granted.Count == 0)
        {
            errors[ScopesField] = "Choose at least one thing the key may do.";
        }
        else if (granted.FirstOrDefault(s => !ApiScopes.IsKnown(s)) is { } unknown)
        {
            errors[ScopesField] = $"'{unknown}' is not a scope.";
        }

        if (expiresAtUtc is { } expires && expires <= now)
        {
            errors[ExpiresField] = "Choose an expiry date in the future, or none.";
        }

        if (errors.Count == 0 && await db.ApiKeys.CountAsync(k => k.UserId == userId && k.RevokedAt == null, cancellationToken) >= MaxKeysPerUser)
        {
            errors[NameField] = $"You have {MaxKeysPerUser} keys already: revoke one you no longer use first.";
        }

        if (errors.Count > 0)
        {
            return new ApiKeyCreateResult(errors);
        }

        var prefix = KeyStart + RandomNumberGenerator.GetString(PrefixAlphabet, PrefixLength - KeyStart.Length);
        var key = prefix + "_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var entity = new ApiKey
        {
            UserId = userId,
            Name = name!,
            Prefix = prefix,
            SecretHash = Hash(key),
            Scopes = string.Join(' ', ApiScopes.All.Select(s => s.Scope).Where(granted.Contains)),
            CreatedAt = now,
            ExpiresAt = expiresAtUtc,
        };
        db.ApiKeys.Add(entity);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(entity).State = EntityState.Detached;
        await audit.RecordAsync(AuditKind.ApiKeyCreated, userId, $"{entity.Name} ({prefix}): {entity.Scopes}", actorUserId: userId);
        return new ApiKeyCreateResult(errors, key, ToView(entity));
    }

    /// <summary>The user's clock, to show the keys' times in their zone; null for an unknown user.</summary>
    public Task<UserClock?> ClockAsync(string userId, CancellationToken cancellationToken = default) => db.FindClockAsync(userId, time, cancellationToken);

    /// <summary>The user's keys, newest first, revoked ones included (they say when they were revoked).</summary>
    public async Task<IReadOnlyList<ApiKeyView>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId)
            .OrderByDescending(k => k.CreatedAt).ThenByDescending(k => k.Id)
            .ToListAsync(cancellationToken);
        return keys.ConvertAll(ToView);
    }

    /// <returns>False when the id is not one of the user's keys that is still unrevoked.</returns>
    public async Task<bool> RevokeAsync(string userId, long keyId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Id == keyId && k.UserId == userId && k.RevokedAt == null)
            .Select(k => new { k.Name, k.Prefix }).SingleOrDefaultAsync(cancellationToken);
        if (key is null || await db.ApiKeys.Where(k => k.Id == keyId && k.UserId == userId && k.RevokedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, now), cancellationToken) != 1)
        {
            return false;
        }

        await audit.RecordAsync(AuditKind.ApiKeyRevoked, userId, $"{key.Name} ({key.Prefix})", actorUserId: userId);
        return true;
    }

    /// <summary>
    /// The identity behind a presented key, or null when it is malformed, unknown, revoked or expired, or its owner is
    /// disabled. One indexed read by prefix; the hashes are compared in constant time. Records the last use (time and
    /// address) when the previous record is at least <see cref="LastUsedResolution"/> old.
    /// </summary>
    public async Task<ApiKeyIdentity?> AuthenticateAsync(string? presented, string? ipAddress, CancellationToken cancellationToken = default)
    {
        if (presented is null || presented.Length is < PrefixLength + 2 or > 200 || !presented.StartsWith(KeyStart, StringComparison.Ordinal) || presented[PrefixLength] != '_')
        {
            return null;
        }

        var prefix = presented[..PrefixLength];
        var row = await db.ApiKeys.AsNoTracking().Where(k => k.Prefix == prefix)
            .Select(k => new
            {
                k.Id, k.UserId, k.Name, k.SecretHash, k.Scopes, k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.LastUsedIp,
                LockoutEnd = db.Users.Where(u => u.Id == k.UserId).Select(u => u.LockoutEnd).FirstOrDefault(),
                UserExists = db.Users.Any(u => u.Id == k.UserId),
            })
            .SingleOrDefaultAsync(cancellationToken);
        var hash = Hash(presented);
        if (row is null || !CryptographicOperations.FixedTimeEquals(hash, row.SecretHash))
        {
            return null;
        }

        var now = time.GetUtcNow().UtcDateTime;
        if (row.RevokedAt is not null || row.ExpiresAt <= now || !row.UserExists || row.LockoutEnd == AdministrationService.DisabledUntil)
        {
            return null;
        }

        if (row.LastUsedAt is null || now - row.LastUsedAt >= LastUsedResolution)
        {
            var ip = ipAddress is { Length: > 64 } ? ipAddress[..64] : ipAddress;
            var threshold = now - LastUsedResolution;
            // Conditional, so that concurrent requests of one key write once.
            await db.ApiKeys.Where(k => k.Id == row.Id && (k.LastUsedAt == null || k.LastUsedAt <= threshold))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, now).SetProperty(k => k.LastUsedIp, ip), cancellationToken);
        }

        return new ApiKeyIdentity(row.Id, row.UserId, row.Name, prefix, ApiScopes.Parse(row.Scopes), row.ExpiresAt);
    }

    private static ApiKeyView ToView(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, ApiScopes.Parse(k.Scopes), k.CreatedAt, k.ExpiresAt, k.LastUsedAt, k.LastUsedIp, k.RevokedAt);

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
