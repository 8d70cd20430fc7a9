using System.Collections.Concurrent;
using LifeOs.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace LifeOs.Core.Connections;

/// <summary>
/// Hands out a working access token for a connection, refreshing it when it expires within
/// <see cref="RefreshMargin"/> or when the provider rejected it (401).
/// <para>
/// At most one refresh runs per connection: callers in one process queue on a per-connection lock, and
/// app instances sharing the database take a lease on the row with a conditional UPDATE on
/// <see cref="Connection.Version"/> (optimistic concurrency), so only one of them calls the token endpoint;
/// the others wait until the row carries the new token. The rotated refresh token (single use at Oura,
/// rotating at Withings) is committed in its own transaction before the new access token is handed out.
/// </para>
/// </summary>
public sealed class ConnectionTokenService(
    LifeOsDbContext db,
    IEnumerable<IOAuthProviderClient> clients,
    TokenProtector protector,
    RefreshLocks locks,
    TimeProvider time,
    ILogger<ConnectionTokenService> logger)
{
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    /// <summary>How long one instance may hold the refresh lease before another may take over (a crashed holder).</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(60);

    /// <summary>Real time between checks while another instance refreshes, and how long to wait for it at most.</summary>
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(90);

    /// <summary>A valid access token for the user's connection to <paramref name="provider"/>.</summary>
    public Task<string> GetAccessTokenAsync(string userId, ProviderKind provider, CancellationToken cancellationToken = default) =>
        GetAsync(userId, provider, rejectedAccessToken: null, cancellationToken);

    /// <summary>
    /// After a 401 with <paramref name="rejectedAccessToken"/>: refreshes once, unless another caller already
    /// replaced that token, in which case the newer token is returned without a second refresh.
    /// </summary>
    public Task<string> RefreshAfterUnauthorizedAsync(string userId, ProviderKind provider, string rejectedAccessToken, CancellationToken cancellationToken = default) =>
        GetAsync(userId, provider, rejectedAccessToken, cancellationToken);

    private async Task<string> GetAsync(string userId, ProviderKind provider, string? rejectedAccessToken, CancellationToken cancellationToken)
    {
        var connection = await LoadAsync(userId, provider, cancellationToken);
        if (!NeedsRefresh(connection, rejectedAccessToken, out var accessToken))
        {
            return accessToken;
        }

        using (await locks.AcquireAsync(connection.Id, cancellationToken))
        {
            var waited = TimeSpan.Zero;
            while (true)
            {
                connection = await LoadAsync(userId, provider, cancellationToken);
                if (!NeedsRefresh(connection, rejectedAccessToken, out accessToken))
                {
                    return accessToken;
                }

                if (await TryTakeLeaseAsync(connection, cancellationToken))
                {
                    return await RefreshAsync(connection, cancellationToken);
                }

                // Another instance holds the lease: wait for its new token to land in the row.
                if (waited >= MaxWait)
                {
                    throw new ProviderAuthException(provider, ProviderAuthFailure.Unavailable,
                        $"Renewing access to {provider.DisplayName()} is taking too long. Try again in a few minutes.");
                }

                await Task.Delay(PollInterval, cancellationToken);
                waited += PollInterval;
            }
        }
    }

    private async Task<Connection> LoadAsync(string userId, ProviderKind provider, CancellationToken cancellationToken)
    {
        var connection = await db.Set<Connection>().AsNoTracking()
            .SingleOrDefaultAsync(c => c.UserId == userId && c.Provider == provider, cancellationToken)
            ?? throw new ConnectionUnavailableException(provider, needsReconnect: false, $"{provider.DisplayName()} is not connected.");
        return connection.Status == ConnectionStatus.NeedsReconnect
            ? throw new ConnectionUnavailableException(provider, needsReconnect: true,
                connection.StatusDetail ?? $"{provider.DisplayName()} needs to be connected again.")
            : connection;
    }

    private bool NeedsRefresh(Connection connection, string? rejectedAccessToken, out string accessToken)
    {
        accessToken = Unprotect(connection, connection.ProtectedAccessToken);
        if (rejectedAccessToken is not null && string.Equals(accessToken, rejectedAccessToken, StringComparison.Ordinal))
        {
            return true;
        }

        return connection.AccessTokenExpiresAt - time.GetUtcNow().UtcDateTime <= RefreshMargin;
    }

    /// <summary>Takes the lease only if nobody changed the row since it was read and no live lease exists.</summary>
    private async Task<bool> TryTakeLeaseAsync(Connection connection, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var until = now + LeaseDuration;
        var taken = await db.Set<Connection>()
            .Where(c => c.Id == connection.Id && c.Version == connection.Version && (c.RefreshLeaseUntil == null || c.RefreshLeaseUntil < now))
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.RefreshLeaseUntil, until)
                .SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        if (taken == 1)
        {
            connection.RefreshLeaseUntil = until;
            connection.Version++;
        }

        return taken == 1;
    }

    private async Task<string> RefreshAsync(Connection connection, CancellationToken cancellationToken)
    {
        var provider = connection.Provider;
        var client = clients.Single(c => c.Provider == provider);
        ProviderTokens tokens;
        try
        {
            tokens = await client.RefreshAsync(Unprotect(connection, connection.ProtectedRefreshToken), cancellationToken);
        }
        catch (ProviderAuthException ex)
        {
            var needsReconnect = ex.Failure == ProviderAuthFailure.InvalidGrant;
            logger.LogWarning("Refreshing {Provider} tokens of connection {ConnectionId} failed: {Failure}", provider, connection.Id, ex.Failure);
            var detail = needsReconnect
                ? $"{provider.DisplayName()} no longer accepts LifeOs's access (it was revoked, or expired after a long pause). Connect again to resume syncing; your data stays."
                : ex.Message;
            await ReleaseAsync(connection, needsReconnect ? ConnectionStatus.NeedsReconnect : ConnectionStatus.Error, detail);
            if (needsReconnect)
            {
                throw new ConnectionUnavailableException(provider, needsReconnect: true, detail);
            }

            throw;
        }
        catch
        {
            await ReleaseAsync(connection, status: null, detail: null);
            throw;
        }

        // Commit the rotated pair before anyone uses the new access token: a lost refresh token is a lost connection.
        // Not cancellable: the provider already rotated, so these tokens must be saved.
        var now = time.GetUtcNow().UtcDateTime;
        await using (var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None))
        {
            await db.Set<Connection>()
                .Where(c => c.Id == connection.Id)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.ProtectedAccessToken, protector.Protect(tokens.AccessToken))
                    .SetProperty(c => c.ProtectedRefreshToken, protector.Protect(tokens.RefreshToken))
                    .SetProperty(c => c.AccessTokenExpiresAt, now + tokens.ExpiresIn)
                    .SetProperty(c => c.LastRefreshedAt, now)
                    .SetProperty(c => c.UpdatedAt, now)
                    .SetProperty(c => c.Status, ConnectionStatus.Connected)
                    .SetProperty(c => c.StatusDetail, (string?)null)
                    .SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null)
                    .SetProperty(c => c.Version, c => c.Version + 1), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
        }

        logger.LogInformation("Refreshed {Provider} tokens of connection {ConnectionId}", provider, connection.Id);
        return tokens.AccessToken;
    }

    /// <summary>
    /// Decrypts a stored token. If the key ring was lost (a data directory restored without keys/), the tokens are
    /// unreadable for good: the connection needs reconnecting, which is better than a sync that crashes every night.
    /// </summary>
    private string Unprotect(Connection connection, string protectedToken)
    {
        try
        {
            return protector.Unprotect(protectedToken);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            var provider = connection.Provider;
            logger.LogWarning("The stored {Provider} tokens of connection {ConnectionId} cannot be decrypted with the current key ring", provider, connection.Id);
            var detail = $"LifeOs can no longer read its saved access to {provider.DisplayName()} (the server's encryption keys changed). Connect again to resume syncing; your data stays.";
            db.Set<Connection>().Where(c => c.Id == connection.Id).ExecuteUpdate(s => s
                .SetProperty(c => c.Status, ConnectionStatus.NeedsReconnect)
                .SetProperty(c => c.StatusDetail, detail)
                .SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null)
                .SetProperty(c => c.Version, c => c.Version + 1));
            throw new ConnectionUnavailableException(provider, needsReconnect: true, detail);
        }
    }

    /// <summary>Drops the lease after a failed refresh, optionally recording why.</summary>
    private async Task ReleaseAsync(Connection connection, ConnectionStatus? status, string? detail)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var query = db.Set<Connection>().Where(c => c.Id == connection.Id);
        if (status is { } newStatus)
        {
            await query.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.Status, newStatus)
                .SetProperty(c => c.StatusDetail, detail)
                .SetProperty(c => c.UpdatedAt, now)
                .SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null)
                .SetProperty(c => c.Version, c => c.Version + 1), CancellationToken.None);
        }
        else
        {
            await query.ExecuteUpdateAsync(s => s
                .SetProperty(c => c.RefreshLeaseUntil, (DateTime?)null)
                .SetProperty(c => c.Version, c => c.Version + 1), CancellationToken.None);
        }
    }
}

/// <summary>One lock per connection for this process; the database lease covers other processes.</summary>
public sealed class RefreshLocks
{
    private readonly ConcurrentDictionary<long, SemaphoreSlim> locks = new();

    public async Task<IDisposable> AcquireAsync(long connectionId, CancellationToken cancellationToken)
    {
        var semaphore = locks.GetOrAdd(connectionId, _ => new SemaphoreSlim(1, 1));
        await semaphore.WaitAsync(cancellationToken);
        return new Releaser(semaphore);
    }

    private sealed class Releaser(SemaphoreSlim semaphore) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
