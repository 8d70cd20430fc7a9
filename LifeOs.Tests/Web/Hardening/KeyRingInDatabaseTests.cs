using System.Net;
using LifeOs.Core.Connections;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// The DataProtection key ring lives in the database: an install whose keys are still in its data directory's keys/
/// folder keeps its sign-ins and encrypted provider tokens after the move (each key copied in once), and instances on
/// one database open each other's cookies and tokens.
/// </summary>
public sealed class KeyRingInDatabaseTests : IDisposable
{
    private readonly string dataDirectory = TempDirectory.Create("lifeos-keyring-db");

    public void Dispose() => TempDirectory.Delete(dataDirectory);

    private string[] KeyFiles() =>
        [.. Directory.GetFiles(Path.Combine(dataDirectory, "keys"), "*.xml").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task KeysFromTheDataDirectory_AreCopiedInOnce_SoEarlierCookiesAndTokensStillOpen()
    {
        string cookie;
        string protectedToken;
        await using (var app = new LifeOsAppFactory(dataDirectory: dataDirectory))
        await using (var beforeTheMove = app.WithWebHostBuilder(web => web.ConfigureTestServices(services =>
            services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(dataDirectory, "keys"))))))
        {
            // LifeOs as it kept its key ring before: in files.
            cookie = await AuthCookie.RegisterAsync(beforeTheMove, "moved@example.com");
            protectedToken = beforeTheMove.Services.GetRequiredService<TokenProtector>().Protect("oura-access-token");
        }

        var files = KeyFiles();
        Assert.NotEmpty(files);
        Assert.Empty(StoredKeyRing.Read(dataDirectory));

        await using (var afterTheMove = new LifeOsAppFactory(dataDirectory: dataDirectory))
        {
            Assert.Equal(HttpStatusCode.OK, await AuthCookie.GetWithCookieAsync(afterTheMove, cookie));
            Assert.Equal("oura-access-token", afterTheMove.Services.GetRequiredService<TokenProtector>().Unprotect(protectedToken));
            Assert.Contains(afterTheMove.Logs, line => line.Contains($"Copied {files.Length} DataProtection key file(s)", StringComparison.Ordinal));
        }

        // Every file's key is in the table, and the app needed no other.
        var stored = StoredKeyRing.Read(dataDirectory);
        Assert.Equal(files, stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(files, name => Assert.Contains("<key id=", stored[name], StringComparison.Ordinal));

        await using (var restarted = new LifeOsAppFactory(dataDirectory: dataDirectory))
        {
            Assert.Equal(HttpStatusCode.OK, await AuthCookie.GetWithCookieAsync(restarted, cookie));
            Assert.DoesNotContain(restarted.Logs, line => line.Contains("DataProtection key file(s)", StringComparison.Ordinal));
        }

        Assert.Equal(stored.Count, StoredKeyRing.Read(dataDirectory).Count);
        // The folder is left as it was: a restored older backup still finds its keys there.
        Assert.Equal(files, KeyFiles());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoInstancesOnOneDatabase_OpenEachOthersCookiesAndTokens(bool postgres)
    {
        var settings = postgres ? PostgresServer.AppSettings() : null;
        await using var one = new LifeOsAppFactory(settings, dataDirectory);
        var cookie = await AuthCookie.RegisterAsync(one, "everywhere@example.com");
        var protectedToken = one.Services.GetRequiredService<TokenProtector>().Protect("withings-access-token");

        await using var other = new LifeOsAppFactory(settings, dataDirectory);
        Assert.Equal(HttpStatusCode.OK, await AuthCookie.GetWithCookieAsync(other, cookie));
        Assert.Equal("withings-access-token", other.Services.GetRequiredService<TokenProtector>().Unprotect(protectedToken));
        Assert.Equal(HttpStatusCode.OK, await AuthCookie.GetWithCookieAsync(one, await AuthCookie.RegisterAsync(other, "second@example.com")));

        Assert.Equal(1, await one.WithDbAsync(db => db.DataProtectionKeys.CountAsync()));
        Assert.False(Directory.Exists(Path.Combine(dataDirectory, "keys")));
    }
}
