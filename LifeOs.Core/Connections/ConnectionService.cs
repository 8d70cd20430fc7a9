using System.Security.Cryptography;
using System.Text;
using LifeOs.Core.Audit;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Work;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Connections;

/// <summary>What /integrations shows for one provider.</summary>
public enum ConnectionState
{
    NotConfigured,
    NotConnected,
    Connected,
    NeedsReconnect,
    Error,
}

public sealed record ConnectionCard(
    ProviderKind Provider,
    ConnectionState State,
    IReadOnlyList<string> MissingSettings,
    IReadOnlyList<string> RequestedScopes,
    string? ProviderUserId,
    DateTime? ConnectedAt,
    IReadOnlyList<string> GrantedScopes,
    DateTime? LastSyncedAt,
    string? StatusDetail);

/// <summary>The result of a connect step or a disconnect, with the message to show.</summary>
public sealed record ConnectionOutcome(bool Succeeded, string Message, Uri? RedirectTo = null)
{
    public static ConnectionOutcome Fail(string message) => new(false, message);
}

/// <summary>
/// The connection life cycle: start the authorize flow, complete it from the callback, show the state of each
/// provider, disconnect. Every method takes the user id and only ever touches that user's rows.
/// </summary>
public sealed class ConnectionService(
    LifeOsDbContext db,
    IEnumerable<IOAuthProviderClient> clients,
    TokenProtector protector,
    HealthStore healthStore,
    IOptions<ProvidersOptions> options,
    TimeProvider time,
    AuditLog audit,
    WorkQueue work,
    IOptions<WorkOptions> workOptions,
    IEnumerable<IConnectionLifecycle> lifecycle,
    ILogger<ConnectionService> logger)
{
    public static readonly TimeSpan StateLifetime = TimeSpan.FromMinutes(10);

    public async Task<IReadOnlyList<ConnectionCard>> GetCardsAsync(string userId, CancellationToken cancellationToken = default)
    {
        var connections = await db.Set<Connection>().AsNoTracking()
            .Where(c => c.UserId == userId)
            .ToDictionaryAsync(c => c.Provider, cancellationToken);
        var cards = new List<ConnectionCard>();
        foreach (var provider in ProviderKinds.All)
        {
            var settings = options.Value.For(provider);
            connections.TryGetValue(provider, out var connection);
            // An existing connection stays visible (and can be disconnected) even if its settings were removed later.
            var state = connection is null
                ? settings.IsConfigured ? ConnectionState.NotConnected : ConnectionState.NotConfigured
                : connection.Status switch
                {
                    ConnectionStatus.NeedsReconnect => ConnectionState.NeedsReconnect,
                    ConnectionStatus.Error => ConnectionState.Error,
                    _ => ConnectionState.Connected,
                };
            var missing = settings.IsConfigured ? [] : new[]
            {
                $"{ProvidersOptions.SectionName}:{provider}:ClientId",
                $"{ProvidersOptions.SectionName}:{provider}:ClientSecret",
            };
            cards.Add(new ConnectionCard(
                provider,
                state,
                missing,
                settings.ScopeList,
                connection?.ProviderUserId,
                connection?.ConnectedAt,
                connection?.GrantedScopes.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [],
                connection?.LastSyncedAt,
                connection?.StatusDetail));
        }

        return cards;
    }

    public async Task<long?> GetConnectionIdAsync(string userId, ProviderKind provider, CancellationToken cancellationToken = default) =>
        await db.Set<Connection>().Where(c => c.UserId == userId && c.Provider == provider).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);

    /// <summary>Creates a one-time state for this user and provider and returns the provider's authorize URL.</summary>
    public async Task<ConnectionOutcome> StartConnectAsync(string userId, ProviderKind provider, string redirectUri, CancellationToken cancellationToken = default)
    {
        var settings = options.Value.For(provider);
        if (!settings.IsConfigured)
        {
            return ConnectionOutcome.Fail($"{provider.DisplayName()} is not set up on this server yet. The administrator needs to set {ProvidersOptions.SectionName}:{provider}:ClientId and ClientSecret.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var state = RandomToken();
        string? verifier = settings.UsePkce ? RandomToken() : null;

        // Housekeeping: states are useless once expired; keep a day of them so "expired" can still be told apart from "unknown".
        var stale = now.AddDays(-1);
        await db.Set<OAuthState>().Where(s => s.ExpiresAt < stale).ExecuteDeleteAsync(cancellationToken);

        db.Add(new OAuthState
        {
            UserId = userId,
            Provider = provider,
            StateHash = Hash(state),
            RedirectUri = redirectUri,
            ProtectedCodeVerifier = verifier is null ? null : protector.Protect(verifier),
            CreatedAt = now,
            ExpiresAt = now + StateLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();

        var challenge = verifier is null ? null : Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return new ConnectionOutcome(true, "", Client(provider).BuildAuthorizeUrl(state, redirectUri, challenge));
    }

    /// <summary>
    /// Handles the provider's redirect back: checks the state, exchanges the code, identifies the account and
    /// stores the encrypted tokens. Any failure stores nothing and says why.
    /// </summary>
    /// <param name="callbackScope">The <c>scope</c> the provider put on the redirect (Oura does), used when the token answer has none.</param>
    public async Task<ConnectionOutcome> CompleteConnectAsync(
        string userId, ProviderKind provider, string? state, string? code, string? error, string? callbackScope = null, CancellationToken cancellationToken = default)
    {
        var name = provider.DisplayName();
        const string startAgain = "Nothing was connected; start again with the Connect button.";
        if (string.IsNullOrEmpty(state))
        {
            return ConnectionOutcome.Fail($"The answer from {name} was missing its security check. {startAgain}");
        }

        var hash = Hash(state);
        var pending = await db.Set<OAuthState>().AsNoTracking().SingleOrDefaultAsync(s => s.StateHash == hash, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        if (pending is null || pending.UserId != userId)
        {
            // Someone else's state is treated like a made-up one: never reveal that it exists.
            return ConnectionOutcome.Fail($"The answer from {name} did not match a connection you started. {startAgain}");
        }

        if (pending.Provider != provider)
        {
            return ConnectionOutcome.Fail($"The answer did not come from the provider this connection was started for. {startAgain}");
        }

        if (pending.UsedAt is not null)
        {
            return ConnectionOutcome.Fail($"This answer from {name} was already used. {startAgain}");
        }

        if (pending.ExpiresAt <= now)
        {
            return ConnectionOutcome.Fail($"The connection to {name} took longer than {StateLifetime.TotalMinutes:0} minutes and expired. {startAgain}");
        }

        // Single use, also against a concurrent second callback with the same state.
        var consumed = await db.Set<OAuthState>()
            .Where(s => s.Id == pending.Id && s.UsedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.UsedAt, now), cancellationToken);
        if (consumed == 0)
        {
            return ConnectionOutcome.Fail($"This answer from {name} was already used. {startAgain}");
        }

        if (!string.IsNullOrEmpty(error))
        {
            return error == "access_denied"
                ? ConnectionOutcome.Fail($"You chose not to give LifeOs access to {name}, so nothing was connected. You can connect whenever you like.")
                : ConnectionOutcome.Fail($"{name} did not complete the connection ({Truncate(error)}). {startAgain}");
        }

        if (string.IsNullOrEmpty(code))
        {
            return ConnectionOutcome.Fail($"{name} did not send an authorization code. {startAgain}");
        }

        var client = Client(provider);
        ProviderTokens tokens;
        string providerUserId;
        try
        {
            var verifier = pending.ProtectedCodeVerifier is null ? null : protector.Unprotect(pending.ProtectedCodeVerifier);
            tokens = await client.ExchangeCodeAsync(code, pending.RedirectUri, verifier, cancellationToken);
            providerUserId = await client.GetProviderUserIdAsync(tokens, cancellationToken);
        }
        catch (ProviderAuthException ex)
        {
            logger.LogWarning("Connecting {Provider} for user {UserId} failed: {Failure}", provider, userId, ex.Failure);
            return ConnectionOutcome.Fail(ex.Failure == ProviderAuthFailure.InvalidGrant
                ? $"{name} did not accept the sign-in (it expired or was already used). {startAgain}"
                : ex.Message);
        }

        if (await db.Set<Connection>().AnyAsync(c => c.Provider == provider && c.ProviderUserId == providerUserId && c.UserId != userId, cancellationToken))
        {
            return ConnectionOutcome.Fail($"This {name} account is already connected to another LifeOs account. Disconnect it there first, or sign in to {name} with a different account.");
        }

        // What the user actually granted: the token answer, else the redirect, else (neither says) what was asked for.
        var grantedScopes = string.Join(' ', tokens.GrantedScopes
            ?? callbackScope?.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries)
            ?? options.Value.For(provider).ScopeList);
        // Reconnecting with a different account at the provider: the old account's webhook subscriptions would keep
        // calling LifeOs (answered as an unknown user, forever) and its grant would stay live. Clean up as a disconnect
        // does, with the old tokens, which still work until they are replaced below.
        var previous = await db.Set<Connection>().AsNoTracking()
            .SingleOrDefaultAsync(c => c.UserId == userId && c.Provider == provider && c.ProviderUserId != providerUserId, cancellationToken);
        if (previous is not null)
        {
            await TryRevokeAsync(previous, cancellationToken);
        }

        var existing = await db.Set<Connection>().SingleOrDefaultAsync(c => c.UserId == userId && c.Provider == provider, cancellationToken);
        if (existing is null)
        {
            db.Add(new Connection
            {
                UserId = userId,
                Provider = provider,
                ProviderUserId = providerUserId,
                Status = ConnectionStatus.Connected,
                GrantedScopes = grantedScopes,
                ProtectedAccessToken = protector.Protect(tokens.AccessToken),
                ProtectedRefreshToken = protector.Protect(tokens.RefreshToken),
                AccessTokenExpiresAt = now + tokens.ExpiresIn,
                ConnectedAt = now,
                UpdatedAt = now,
            });
        }
        else
        {
            // Reconnecting: new tokens in place, so the id, synced data and history stay.
            if (existing.ProviderUserId != providerUserId)
            {
                existing.ConnectedAt = now;
            }

            existing.ProviderUserId = providerUserId;
            existing.Status = ConnectionStatus.Connected;
            existing.StatusDetail = null;
            existing.GrantedScopes = grantedScopes;
            existing.ProtectedAccessToken = protector.Protect(tokens.AccessToken);
            existing.ProtectedRefreshToken = protector.Protect(tokens.RefreshToken);
            existing.AccessTokenExpiresAt = now + tokens.ExpiresIn;
            existing.RefreshLeaseUntil = null;
            existing.UpdatedAt = now;
            existing.Version++;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex)
        {
            // The unique (provider, provider user id) index lost a race with another LifeOs account.
            logger.LogWarning(ex, "Saving the {Provider} connection for user {UserId} failed", provider, userId);
            return ConnectionOutcome.Fail($"This {name} account is already connected to another LifeOs account, or a second connection attempt got there first. {startAgain}");
        }
        finally
        {
            db.ChangeTracker.Clear();
        }

        logger.LogInformation("User {UserId} connected {Provider}", userId, provider);
        await audit.RecordAsync(AuditKind.ProviderConnected, userId, name);
        return new ConnectionOutcome(true, existing is null
            ? $"{name} is connected. Your data will appear after the first sync."
            : $"{name} is connected again. Everything synced before is still here.");
    }

    /// <summary>Revokes at the provider (best effort), deletes the tokens and, if asked, the data synced from it.</summary>
    public async Task<ConnectionOutcome> DisconnectAsync(string userId, ProviderKind provider, bool deleteData, CancellationToken cancellationToken = default)
    {
        var name = provider.DisplayName();
        var connection = await db.Set<Connection>().AsNoTracking().SingleOrDefaultAsync(c => c.UserId == userId && c.Provider == provider, cancellationToken);
        if (connection is null)
        {
            return ConnectionOutcome.Fail($"{name} is not connected.");
        }

        await TryRevokeAsync(connection, cancellationToken);
        var sources = provider.SampleSources();
        var small = true;
        foreach (var source in deleteData ? sources : [])
        {
            small = small && await healthStore.HasAtMostAsync(userId, source, onlyDatedByLifeOs: false, workOptions.Value.InlineRows, cancellationToken);
        }

        // The connection and its data go together: in one transaction, or (years of minute heart rate) the connection
        // now and its data by background work queued in the same transaction, which a restart resumes.
        var deleted = 0;
        var workIds = new List<long>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.Set<Connection>().Where(c => c.Id == connection.Id && c.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            if (deleteData)
            {
                // Workouts are few (one row each): they go at once, whatever the size of the samples.
                deleted += await db.Set<Workout>().Where(w => w.UserId == userId && w.Source == provider.SampleSource()).ExecuteDeleteAsync(cancellationToken);
            }

            foreach (var source in deleteData ? sources : [])
            {
                if (small)
                {
                    deleted += await healthStore.DeleteSourceAsync(userId, source, cancellationToken);
                }
                else
                {
                    var writtenBy = time.GetUtcNow().UtcDateTime;
                    workIds.Add(await work.EnqueueAsync(userId, WorkKind.SourceDeletion, SourceDeletionWork.Payload(source, writtenBy), cancellationToken: cancellationToken));
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        foreach (var id in workIds)
        {
            work.Wake(id);
        }

        logger.LogInformation("User {UserId} disconnected {Provider} (delete data: {DeleteData})", userId, provider, deleteData);
        await audit.RecordAsync(AuditKind.ProviderDisconnected, userId, deleteData ? $"{name}, and deleted the data synced from it" : name);
        return !deleteData
            ? new ConnectionOutcome(true, $"{name} is disconnected. The data it synced is still here.")
            : workIds.Count == 0
                ? new ConnectionOutcome(true, $"{name} is disconnected and its {deleted:N0} synced values were deleted.")
                : new ConnectionOutcome(true, $"{name} is disconnected. Its synced values are being deleted in the background; the dashboard updates as they go.");
    }

    /// <summary>
    /// Before an account is deleted: asks each provider to revoke LifeOs's access (best effort). The rows go with
    /// the user (cascade); without this the grants would stay live at the providers.
    /// </summary>
    public async Task RevokeAllAsync(string userId, CancellationToken cancellationToken = default)
    {
        var connections = await db.Set<Connection>().AsNoTracking().Where(c => c.UserId == userId).ToListAsync(cancellationToken);
        foreach (var connection in connections)
        {
            await TryRevokeAsync(connection, cancellationToken);
        }
    }

    private async Task TryRevokeAsync(Connection connection, CancellationToken cancellationToken)
    {
        // First what needs the tokens (webhook subscriptions), then the grant itself.
        foreach (var hook in lifecycle)
        {
            try
            {
                await hook.DisconnectingAsync(connection, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Cleaning up before disconnecting {Provider} for user {UserId} failed: {Error}", connection.Provider, connection.UserId, ex.GetType().Name);
            }
        }

        try
        {
            await Client(connection.Provider).RevokeAsync(protector.Unprotect(connection.ProtectedAccessToken), connection.ProviderUserId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The local tokens go anyway; the user can also remove LifeOs in the provider's own app settings.
            logger.LogWarning("Revoking {Provider} access for user {UserId} failed: {Error}", connection.Provider, connection.UserId, ex.GetType().Name);
        }
    }

    internal static string Hash(string state) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state)));

    /// <summary>256 random bits, URL-safe.</summary>
    private static string RandomToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Truncate(string value) => value.Length <= 60 ? value : value[..60];

    private IOAuthProviderClient Client(ProviderKind provider) => clients.Single(c => c.Provider == provider);
}
