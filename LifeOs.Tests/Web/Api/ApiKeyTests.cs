using System.Net;
using LifeOs.Core.Accounts;
using LifeOs.Core.Api;
using LifeOs.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Api;

/// <summary>An API key's life: made, used, expired, revoked, its owner disabled or deleted.</summary>
public sealed class ApiKeyTests : IAsyncLifetime
{
    private readonly ApiHarness api = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => api.DisposeAsync();

    [Fact]
    public async Task Key_IsStoredOnlyAsAHash_WorksInEitherHeader_AndRecordsItsLastUseOncePerMinute()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        var key = await api.KeyAsync(me, [ApiScopes.HealthRead], name: "Home Assistant");
        Assert.Matches("^lo_[a-z2-9]{8}_[A-Za-z0-9_-]{43}$", key);

        var stored = await api.App.WithDbAsync(db => db.ApiKeys.SingleAsync());
        Assert.Equal(key[..11], stored.Prefix);
        Assert.Equal(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)), stored.SecretHash);
        Assert.Null(stored.LastUsedAt);

        using var bearer = api.Client(key);
        var me1 = await bearer.GetAsync("/api/v1/me", ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.OK, me1.StatusCode);
        var body = await ApiHarness.JsonAsync(me1);
        Assert.Equal(me, body.GetProperty("id").GetString());
        Assert.Equal("Europe/Paris", body.GetProperty("timeZone").GetString());
        Assert.Equal("2026-11-25T10:30:00+01:00", body.GetProperty("now").GetString());
        Assert.Equal("Home Assistant", body.GetProperty("key").GetProperty("name").GetString());

        using var header = api.Client(key, header: true);
        Assert.Equal(HttpStatusCode.OK, (await header.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);

        var used = await api.App.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync());
        Assert.Equal(api.App.Time.GetUtcNow().UtcDateTime, used.LastUsedAt);
        Assert.Equal("198.51.100.7", used.LastUsedIp);

        // Within the minute: no write. After it: one.
        api.App.Time.Advance(TimeSpan.FromSeconds(30));
        await bearer.GetAsync("/api/v1/me", ApiHarness.Ct);
        Assert.Equal(used.LastUsedAt, (await api.App.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync())).LastUsedAt);
        api.App.Time.Advance(TimeSpan.FromSeconds(31));
        await bearer.GetAsync("/api/v1/me", ApiHarness.Ct);
        Assert.Equal(api.App.Time.GetUtcNow().UtcDateTime, (await api.App.WithDbAsync(db => db.ApiKeys.AsNoTracking().SingleAsync())).LastUsedAt);

        // Audited, without the secret.
        var events = await api.App.WithDbAsync(db => db.AuditEvents.Where(e => e.UserId == me && e.Kind == AuditKind.ApiKeyCreated).ToListAsync());
        var created = Assert.Single(events);
        Assert.Contains("Home Assistant", created.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(key[12..], created.Detail!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("lo_abcdefgh_notthesecret")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task MissingOrWrongKey_Is401_AsProblemDetails(string? key)
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        var real = await api.KeyAsync(me);
        using var client = api.Client(null);
        if (key is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", key.StartsWith("Basic", StringComparison.Ordinal) ? key : "Bearer " + key);
        }

        var response = await client.GetAsync("/api/v1/me", ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Bearer", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(401, (await ApiHarness.JsonAsync(response)).GetProperty("status").GetInt32());

        // A key with the right prefix but another secret is refused too.
        using var forged = api.Client(real[..12] + new string('A', 43));
        Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
    }

    [Fact]
    public async Task ExpiredKey_Is401_FromTheMomentItExpires()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        var key = await api.KeyAsync(me, expiresAt: api.App.Time.GetUtcNow().UtcDateTime.AddDays(1));
        using var client = api.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);

        api.App.Time.Advance(TimeSpan.FromDays(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
    }

    [Fact]
    public async Task RevokedKey_Is401_AtOnce_AndTheRevocationIsAudited()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        var key = await api.KeyAsync(me);
        var other = await api.KeyAsync(me, name: "other");
        using var client = api.Client(key);
        using var otherClient = api.Client(other);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);

        var id = await api.App.WithDbAsync(db => db.ApiKeys.Where(k => k.Prefix == key.Substring(0, 11)).Select(k => k.Id).SingleAsync());
        await using (var scope = api.App.Services.CreateAsyncScope())
        {
            var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
            var (someoneElse, _) = await api.PersonAsync("else@example.com");
            Assert.False(await keys.RevokeAsync(someoneElse, id, ApiHarness.Ct));
            Assert.True(await keys.RevokeAsync(me, id, ApiHarness.Ct));
            Assert.False(await keys.RevokeAsync(me, id, ApiHarness.Ct));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await otherClient.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
        Assert.Equal(1, await api.App.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserId == me && e.Kind == AuditKind.ApiKeyRevoked)));
    }

    [Fact]
    public async Task DisabledOrDeletedOwner_KeysStopWorkingAtOnce()
    {
        var (admin, _) = await api.PersonAsync("admin@example.com");
        var (me, _) = await api.PersonAsync("me@example.com");
        var key = await api.KeyAsync(me);
        using var client = api.Client(key);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);

        await using (var scope = api.App.Services.CreateAsyncScope())
        {
            var admins = scope.ServiceProvider.GetRequiredService<AdministrationService>();
            await admins.SetDisabledAsync(admin, me, true);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
            await admins.SetDisabledAsync(admin, me, false);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
        }

        await api.App.WithDbAsync(db => db.Users.Where(u => u.Id == me).ExecuteDeleteAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me", ApiHarness.Ct)).StatusCode);
        Assert.Equal(0, await api.App.WithDbAsync(db => db.ApiKeys.CountAsync()));
    }

    [Fact]
    public async Task Create_RejectsBadInput_WithFieldErrors()
    {
        var (me, _) = await api.PersonAsync("me@example.com");
        await using var scope = api.App.Services.CreateAsyncScope();
        var keys = scope.ServiceProvider.GetRequiredService<ApiKeyService>();
        var result = await keys.CreateAsync(me, " ", ["health:read", "admin"], api.App.Time.GetUtcNow().UtcDateTime.AddMinutes(-1), ApiHarness.Ct);
        Assert.False(result.Succeeded);
        Assert.Null(result.Key);
        Assert.Equal([ApiKeyService.ExpiresField, ApiKeyService.NameField, ApiKeyService.ScopesField], result.Errors.Keys.Order());
        Assert.Empty(await keys.ListAsync(me, ApiHarness.Ct));
    }

    [Fact]
    public async Task SignedInBrowser_CannotCallTheApi_NotEvenAWrite()
    {
        var (_, browser) = await api.PersonAsync("me@example.com");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/settings")).StatusCode);

        var read = await browser.Http.GetAsync("/api/v1/me", ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        using var content = System.Net.Http.Json.JsonContent.Create(new { samples = new[] { new { metric = "weight", value = 70.0, start = "2026-11-24T08:00:00+01:00", recordId = "x" } } });
        var write = await browser.Http.PostAsync("/api/v1/samples", content, ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, write.StatusCode);
        Assert.Equal("application/problem+json", write.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await api.App.WithDbAsync(db => db.Samples.CountAsync()));
    }
}
