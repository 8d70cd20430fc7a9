using System.Net;
using System.Text.Json;
using LifeOs.Core.Accounts;
using LifeOs.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

public sealed class HealthAndRestartTests
{
    [Fact]
    public async Task Healthz_ReportsDatabaseAndVersion()
    {
        await using var app = new LifeOsAppFactory();
        using var client = app.CreateTestClient();
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await TestClient.BodyAsync(response));
        Assert.Equal("healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("ok", json.RootElement.GetProperty("database").GetString());
        Assert.Matches(@"^\d+\.\d+\.\d+", json.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public async Task Healthz_Is503_WhenTheDatabaseIsGone()
    {
        await using var app = new LifeOsAppFactory();
        using var client = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);

        BreakDatabase(app.DataDirectory);
        var response = await client.GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        using var json = JsonDocument.Parse(await TestClient.BodyAsync(response));
        Assert.Equal("unhealthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("unreachable", json.RootElement.GetProperty("database").GetString());
    }

    [Fact]
    public async Task UnexpectedError_ShowsErrorPageWithRequestId_AndNoStackTrace()
    {
        await using var app = new LifeOsAppFactory();
        using var client = app.CreateTestClient();
        await client.RegisterAsync("unlucky@example.com");
        BreakDatabase(app.DataDirectory);

        var response = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await TestClient.BodyAsync(response);
        Assert.Contains("Something went wrong", html, StringComparison.Ordinal);
        Assert.Matches("data-testid=\"request-id\"[^>]*>[^<]+<", html);
        Assert.Contains("data-testid=\"error\"", html, StringComparison.Ordinal);
        Assert.Matches("<a [^>]*href=\"./\"[^>]*>.*Back to today", html);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" at LifeOs", html, StringComparison.Ordinal);
    }

    /// <summary>Replaces the database file with a directory: SQLite can no longer open it.</summary>
    private static void BreakDatabase(string dataDirectory)
    {
        SqliteConnection.ClearAllPools();
        var db = Path.Combine(dataDirectory, "lifeos.db");
        foreach (var file in new[] { db, db + "-wal", db + "-shm" })
        {
            File.Delete(file);
        }

        Directory.CreateDirectory(db);
    }

    [Fact]
    public async Task Restart_WithSameDataDirectory_KeepsLoginCookieValid_AndData()
    {
        var dataDirectory = TempDirectory.Create("lifeos-restart");
        try
        {
            string cookieHeader;
            await using (var first = new LifeOsAppFactory(dataDirectory: dataDirectory))
            {
                using var client = first.CreateTestClient();
                var registered = await client.RegisterAsync("keeper@example.com");
                cookieHeader = string.Join("; ", registered.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]).Where(c => c.StartsWith("LifeOs.Auth", StringComparison.Ordinal)));
                Assert.False(string.IsNullOrEmpty(cookieHeader));
                // /settings saves over its circuit; the same Core call it makes stands in for it here.
                await using var scope = first.Services.CreateAsyncScope();
                var userId = await first.WithDbAsync(db => db.Users.Select(u => u.Id).SingleAsync());
                var saved = await scope.ServiceProvider.GetRequiredService<UserSettingsService>().UpdateAsync(userId, new UserSettings("Europe/Oslo", UnitSystem.Metric, 2), TestContext.Current.CancellationToken);
                Assert.True(saved.Succeeded);
            }

            Assert.False(Directory.Exists(Path.Combine(dataDirectory, "keys")));

            await using var second = new LifeOsAppFactory(dataDirectory: dataDirectory);
            using var http = second.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
            using var request = new HttpRequestMessage(HttpMethod.Get, "/settings");
            request.Headers.Add("Cookie", cookieHeader);
            var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            // The prerendered shell knows who is signed in (the user menu) and the page shows the saved zone.
            var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(response));
            Assert.Contains("keeper@example.com", page.QuerySelector("[data-testid=user-menu]")?.OuterHtml, StringComparison.Ordinal);
            Assert.Contains("Europe / Oslo", page.QuerySelector("main")?.OuterHtml, StringComparison.Ordinal);
            Assert.Equal("Europe/Oslo", await second.WithDbAsync(db => db.Users.Select(u => u.TimeZoneId).SingleAsync()));
        }
        finally
        {
            TempDirectory.Delete(dataDirectory);
        }
    }
}
