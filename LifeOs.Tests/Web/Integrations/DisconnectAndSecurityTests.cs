using System.Net;
using System.Text;
using LifeOs.Core;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Integrations;

/// <summary>Disconnecting, other users, tokens at rest and across restarts, configuration checks.</summary>
public sealed class DisconnectAndSecurityTests
{
    private static async Task<string> UserIdAsync(LifeOsAppFactory app, string email) =>
        await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    [Fact]
    public async Task AnotherUser_CannotSeeOrUseMyConnection()
    {
        await using var harness = await ConnectionsHarness.StartAsync();
        using var owner = await harness.SignedInAsync("owner@example.com");
        await harness.ConnectAsync(owner, "oura");
        var ownerId = await UserIdAsync(harness.App, "owner@example.com");
        await harness.WithServiceAsync<UpsertResult, HealthStore>(store => store.UpsertSamplesAsync(ownerId,
            [new SampleInput(MetricCatalogue.Steps, SampleSource.Oura, "d1", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), 9000)]));

        using var other = await harness.SignedInAsync("other@example.com");
        var (_, page) = await other.GetPageAsync("/integrations");
        Assert.Equal("Not connected", page.QuerySelector("[data-testid=integration-oura-status]")!.TextContent.Trim());
        Assert.DoesNotContain("8f3c2a71", page.Source.Text, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=integration-oura-disconnect]"));

        // Disconnect, sync and history run over the page's circuit now (IntegrationsPageTests); their old form endpoints are gone.
        var token = await owner.AntiforgeryTokenAsync("/settings");
        foreach (var action in new[] { "disconnect", "sync", "history" })
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["DeleteData"] = "true", ["From"] = "2026-01-01" });
            var response = await owner.Http.PostAsync($"/integrations/oura/{action}", form, TestContext.Current.CancellationToken);
            Assert.Contains(response.StatusCode, new[] { HttpStatusCode.NotFound, HttpStatusCode.MethodNotAllowed });
        }

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/integrations/sync-status")).StatusCode);

        // Sync obtains tokens through the token service, which is keyed by the caller's own user id.
        var otherId = await UserIdAsync(harness.App, "other@example.com");
        await Assert.ThrowsAsync<ConnectionUnavailableException>(() => harness.AccessTokenAsync(otherId, ProviderKind.Oura));

        Assert.Equal(0, harness.Oura.Revocations);
        Assert.Equal(ConnectionStatus.Connected, (await harness.App.WithDbAsync(db => db.Connections.SingleAsync())).Status);
        Assert.Equal(1, await harness.App.WithDbAsync(db => db.Samples.CountAsync()));
        Assert.Equal(harness.Oura.Grants.Single().AccessToken, await harness.AccessTokenAsync(ownerId, ProviderKind.Oura));
    }

    [Fact]
    public async Task DeletingTheAccount_RevokesAtTheProviders_AndRemovesItsConnectionsAndPendingStates()
    {
        await using var harness = await ConnectionsHarness.StartAsync();
        using var client = await harness.SignedInAsync("leaving@example.com");
        await harness.ConnectAsync(client, "oura");
        await ConnectionsHarness.StartConnectAsync(client, "withings"); // a pending state too

        var response = await client.PostFormAsync("/Account/Manage/DeletePersonalData", "delete-user", new Dictionary<string, string> { ["Input.Password"] = TestClient.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await harness.App.WithDbAsync(db => db.Connections.CountAsync()));
        Assert.Equal(0, await harness.App.WithDbAsync(db => db.OAuthStates.CountAsync()));
        Assert.Equal(1, harness.Oura.Revocations);
        Assert.True(harness.Oura.Grants.Single().Revoked);
    }

    [Fact]
    public async Task TheDatabaseFile_IncludingTheWal_HoldsNoTokenInPlaintext()
    {
        await using var harness = await ConnectionsHarness.StartAsync(usePkce: true);
        using var client = await harness.SignedInAsync("secret@example.com");
        await harness.ConnectAsync(client, "oura");
        await harness.ConnectAsync(client, "withings");
        var userId = await UserIdAsync(harness.App, "secret@example.com");
        harness.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        await harness.AccessTokenAsync(userId, ProviderKind.Oura);
        await harness.AccessTokenAsync(userId, ProviderKind.Withings);

        var tokens = harness.Oura.AllIssuedTokens.Concat(harness.Withings.AllIssuedTokens).Concat(harness.Oura.Codes.Keys).Concat(harness.Withings.Codes.Keys).ToList();
        Assert.Equal(4 + 4 + 1 + 1, tokens.Count);
        // The -shm file holds only the WAL's index, never page contents, and SQLite may delete it (and checkpoint
        // the WAL into the database) whenever its last connection closes. So both handles are opened before
        // either is read, WAL first: a handle keeps a deleted file readable, and whatever a checkpoint moves
        // out of the WAL after that is in the database file when it is read.
        var wal = Path.Combine(harness.App.DataDirectory, "lifeos.db-wal");
        Assert.True(File.Exists(wal));
        var streams = new[] { wal, Path.Combine(harness.App.DataDirectory, "lifeos.db") }
            .Select(file => (file, stream: new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)))
            .ToList();
        foreach (var (file, stream) in streams)
        {
            await using var _ = stream;
            using var memory = new MemoryStream();
            await stream.CopyToAsync(memory, TestContext.Current.CancellationToken);
            var bytes = memory.ToArray();
            foreach (var token in tokens)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)) < 0, $"{Path.GetFileName(file)} contains a token in plaintext");
                Assert.True(bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(token)) < 0, $"{Path.GetFileName(file)} contains a token in UTF-16");
            }
        }
    }

    [Fact]
    public async Task NoTokenCodeOrSecret_IsEverLogged()
    {
        await using var harness = await ConnectionsHarness.StartAsync(usePkce: true);
        using var client = await harness.SignedInAsync("quiet@example.com");
        await harness.ConnectAsync(client, "oura");
        await harness.ConnectAsync(client, "withings");
        var userId = await UserIdAsync(harness.App, "quiet@example.com");
        harness.Time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromMinutes(1));
        await harness.AccessTokenAsync(userId, ProviderKind.Oura);
        await harness.AccessTokenAsync(userId, ProviderKind.Withings);
        // Disconnecting, as the page does it over its circuit (Oura's revocation carries the token in its query).
        foreach (var provider in ProviderKinds.All)
        {
            await harness.WithServiceAsync<ConnectionOutcome, ConnectionService>(c => c.DisconnectAsync(userId, provider, deleteData: false, TestContext.Current.CancellationToken));
        }

        var secrets = harness.Oura.AllIssuedTokens.Concat(harness.Withings.AllIssuedTokens)
            .Concat(harness.Oura.Codes.Keys).Concat(harness.Withings.Codes.Keys)
            .Append(harness.Oura.ClientSecret).ToList();
        Assert.Equal(2, harness.Oura.Revocations + harness.Withings.Revocations);
        Assert.Contains(harness.App.Logs, l => l.Contains("System.Net.Http.HttpClient", StringComparison.Ordinal));
        foreach (var line in harness.App.Logs)
        {
            Assert.DoesNotContain(secrets, s => line.Contains(s, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Tokens_StillDecrypt_AfterARestartWithTheSameDataDirectory()
    {
        var dataDirectory = TempDirectory.Create("lifeos-connections-restart");
        try
        {
            string userId;
            string accessToken;
            await using (var first = await ConnectionsHarness.StartAsync(dataDirectory: dataDirectory))
            {
                using var client = await first.SignedInAsync("restart@example.com");
                await first.ConnectAsync(client, "withings");
                userId = await UserIdAsync(first.App, "restart@example.com");
                accessToken = first.Withings.Grants.Single().AccessToken;
            }

            await using var second = new LifeOsAppFactory(new() { ["Providers:Withings:ClientId"] = "id", ["Providers:Withings:ClientSecret"] = "secret" }, dataDirectory);
            await using var scope = second.Services.CreateAsyncScope();
            var tokens = scope.ServiceProvider.GetRequiredService<ConnectionTokenService>();
            Assert.Equal(accessToken, await tokens.GetAccessTokenAsync(userId, ProviderKind.Withings, TestContext.Current.CancellationToken));
        }
        finally
        {
            TempDirectory.Delete(dataDirectory);
        }
    }

    [Fact]
    public async Task LostKeyRing_TurnsIntoNeedsReconnect_NotACrash()
    {
        var dataDirectory = TempDirectory.Create("lifeos-connections-keys");
        try
        {
            string userId;
            await using (var first = await ConnectionsHarness.StartAsync(dataDirectory: dataDirectory))
            {
                using var client = await first.SignedInAsync("keys@example.com");
                await first.ConnectAsync(client, "oura");
                userId = await UserIdAsync(first.App, "keys@example.com");
            }

            // The key ring is gone (say, the database was copied without its DataProtectionKeys table).
            StoredKeyRing.Clear(dataDirectory);

            await using var second = new LifeOsAppFactory(dataDirectory: dataDirectory);
            await using var scope = second.Services.CreateAsyncScope();
            var tokens = scope.ServiceProvider.GetRequiredService<ConnectionTokenService>();
            var error = await Assert.ThrowsAsync<ConnectionUnavailableException>(() => tokens.GetAccessTokenAsync(userId, ProviderKind.Oura, TestContext.Current.CancellationToken));
            Assert.True(error.NeedsReconnect);
            var connection = await second.WithDbAsync(db => db.Connections.SingleAsync());
            Assert.Equal(ConnectionStatus.NeedsReconnect, connection.Status);
            Assert.Contains("encryption keys changed", connection.StatusDetail, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(dataDirectory);
        }
    }

    [Theory]
    [InlineData("Providers:Oura:ClientSecret", "s3cret", "Providers:Oura:ClientId (env Providers__Oura__ClientId) is required when Providers:Oura:ClientSecret is set.")]
    [InlineData("Providers:Withings:ClientId", "abc", "Providers:Withings:ClientSecret (env Providers__Withings__ClientSecret) is required when Providers:Withings:ClientId is set.")]
    [InlineData("Providers:Oura:TokenUrl", "moi.ouraring.com/oauth", "Providers:Oura:TokenUrl (env Providers__Oura__TokenUrl) is 'moi.ouraring.com/oauth'; set an absolute http(s) URL.")]
    [InlineData("Providers:Withings:ApiBaseUrl", "ftp://wbsapi.withings.net", "Providers:Withings:ApiBaseUrl (env Providers__Withings__ApiBaseUrl) is 'ftp://wbsapi.withings.net'; set an absolute http(s) URL.")]
    public void BadProviderSettings_StopStartUp_NamingTheKey(string key, string value, string expected)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value })
            .Build();
        var error = Assert.Throws<StartupException>(() => { new ServiceCollection().AddLifeOsCore(configuration, Path.GetTempPath()); });
        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public async Task Unconfigured_Providers_ShowTheAdministratorWhatToSet_AndMembersNoKeys()
    {
        await using var app = new LifeOsAppFactory(new() { ["LifeOs:PublicBaseUrl"] = "https://life.example.org/" });
        using var admin = app.CreateTestClient();
        await admin.RegisterAsync("admin@example.com"); // the first account is the administrator

        var (_, page) = await admin.GetPageAsync("/integrations");
        var oura = page.QuerySelector("[data-testid=integration-oura]")!;
        Assert.Equal("not-configured", oura.GetAttribute("data-state"));
        Assert.Contains("Providers:Oura:ClientId", oura.TextContent, StringComparison.Ordinal);
        Assert.Contains("Providers__Oura__ClientSecret", oura.TextContent, StringComparison.Ordinal);
        Assert.Equal("https://life.example.org/integrations/oura/callback", page.QuerySelector("[data-testid=integration-oura-redirect]")!.TextContent);
        Assert.Equal("https://life.example.org/integrations/withings/callback", page.QuerySelector("[data-testid=integration-withings-redirect]")!.TextContent);
        Assert.Null(page.QuerySelector("[data-testid=integration-oura-connect]"));

        using var member = app.CreateTestClient();
        await member.RegisterAsync("member@example.com");
        (_, page) = await member.GetPageAsync("/integrations");
        Assert.Equal("not-configured", page.QuerySelector("[data-testid=integration-oura]")!.GetAttribute("data-state"));
        Assert.Contains("Ask your LifeOs administrator", page.QuerySelector("[data-testid=integration-oura-ask-admin]")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Providers:", page.Source.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Providers__", page.Source.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/callback", page.Source.Text, StringComparison.Ordinal);

        // A hand-made connect post (the page offers none) ends on the page with a message.
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = await admin.AntiforgeryTokenAsync("/settings") });
        var response = await admin.Http.PostAsync("/integrations/oura/connect", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("Oura is not set up on this server yet", await ConnectionsHarness.StatusMessageAsync(admin), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_ListsConnections_WithoutTokens()
    {
        await using var harness = await ConnectionsHarness.StartAsync();
        using var client = await harness.SignedInAsync("export@example.com");
        await harness.ConnectAsync(client, "oura");
        var userId = await UserIdAsync(harness.App, "export@example.com");

        using var zip = new MemoryStream();
        await harness.WithServiceAsync<bool, LifeOs.Core.Export.UserDataExportService>(async export =>
        {
            await export.WriteZipAsync(userId, zip, TestContext.Current.CancellationToken);
            return true;
        });
        using var archive = new System.IO.Compression.ZipArchive(new MemoryStream(zip.ToArray()));
        using var reader = new StreamReader(archive.GetEntry("connections.json")!.Open());
        var json = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        Assert.Contains("8f3c2a71-4b9e-4d2a-9c51-0e6b7d1a2f34", json, StringComparison.Ordinal);
        Assert.Contains("\"Oura\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("oura-access-", json, StringComparison.Ordinal);
        Assert.DoesNotContain("oura-refresh-", json, StringComparison.Ordinal);
        Assert.DoesNotContain("Protected", json, StringComparison.Ordinal);
    }
}
