using System.IO.Compression;
using System.Net;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

/// <summary>
/// What stays HTTP about the journal: the downloads, the first (prerendered) load of each page with its status code,
/// the way in for anonymous visitors, and query strings that must never cause a 500. The interactive behaviour is
/// in Components/Journal.
/// </summary>
public sealed class JournalHttpTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<(TestClient Client, string UserId)> SignedInAsync(string email)
    {
        var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        return (client, await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync()));
    }

    private async Task<long> WriteAsync(string userId, string body, string? title = null, JournalKind kind = JournalKind.Note, string? tags = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<JournalService>().CreateAsync(userId,
            new JournalEntryInput(kind, new DateOnly(2026, 11, 25), null, title, body, 3, null, tags), TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded);
        return result.Id!.Value;
    }

    [Theory]
    [InlineData("/journal")]
    [InlineData("/journal?q=rain")]
    [InlineData("/journal/new")]
    [InlineData("/journal/new?kind=note")]
    [InlineData("/journal/1")]
    [InlineData("/journal/1/edit")]
    [InlineData("/journal/import")]
    [InlineData("/journal/export")]
    [InlineData("/journal/1/export")]
    public async Task Anonymous_IsSentToLogIn(string url)
    {
        using var client = app.CreateTestClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstLoad_OfOwnEntry_IsPrerendered_AndAnotherUsersIdIsNotFound()
    {
        var (owner, ownerId) = await SignedInAsync("owner@example.com");
        var id = await WriteAsync(ownerId, "Secret marmalade recipe", title: "Private title", tags: "secret-tag");
        using (owner)
        {
            var (response, page) = await owner.GetPageAsync($"/journal/{id}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("Private title", page.QuerySelector("[data-testid=entry-title]")?.TextContent);
            var (edit, editor) = await owner.GetPageAsync($"/journal/{id}/edit");
            Assert.Equal(HttpStatusCode.OK, edit.StatusCode);
            Assert.Equal("Secret marmalade recipe", editor.QuerySelector("#journal-body")?.TextContent);
        }

        var (intruder, intruderId) = await SignedInAsync("intruder@example.com");
        using (intruder)
        {
            await WriteAsync(intruderId, "My own words");
            foreach (var url in new[] { $"/journal/{id}", $"/journal/{id}/edit", $"/journal/{id}/export", "/journal/999999", "/journal/999999/edit" })
            {
                var response = await intruder.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {response.StatusCode}");
                Assert.DoesNotContain("marmalade", await TestClient.BodyAsync(response), StringComparison.Ordinal);
            }

            foreach (var url in new[] { "/journal", "/journal?q=marmalade", "/journal?tag=secret-tag", "/journal/new?kind=note" })
            {
                var html = await TestClient.BodyAsync(await intruder.GetAsync(url));
                Assert.DoesNotContain("Secret marmalade", html, StringComparison.Ordinal);
                Assert.DoesNotContain("Private title", html, StringComparison.Ordinal);
                if (!url.Contains("tag=", StringComparison.Ordinal)) // that address names the tag itself
                {
                    Assert.DoesNotContain("secret-tag", html, StringComparison.Ordinal);
                }
            }
        }
    }

    [Fact]
    public async Task Export_DownloadsTheUsersOwnEntries_AsAZipAndOneByOne()
    {
        var (client, userId) = await SignedInAsync("archivist@example.com");
        using var _ = client;
        var rain = await WriteAsync(userId, "Pages about rain.", title: "Rain", kind: JournalKind.MorningPages, tags: "weather");
        var (_, otherId) = await SignedInAsync("other@example.com");
        await WriteAsync(otherId, "Not yours");

        var export = await client.GetAsync("/journal/export");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/zip", export.Content.Headers.ContentType?.MediaType);
        Assert.Equal("lifeos-journal-2026-11-25.zip", export.Content.Headers.ContentDisposition?.FileNameStar ?? export.Content.Headers.ContentDisposition?.FileName);
        using var zip = new ZipArchive(await export.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken));
        var file = Assert.Single(zip.Entries);
        using (var reader = new StreamReader(file.Open()))
        {
            Assert.Contains("Pages about rain.", await reader.ReadToEndAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        var one = await client.GetAsync($"/journal/{rain}/export");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal("text/markdown", one.Content.Headers.ContentType?.MediaType);
        var markdown = await TestClient.BodyAsync(one);
        Assert.Contains("title: \"Rain\"", markdown, StringComparison.Ordinal);
        Assert.Contains("tags: [\"weather\"]", markdown, StringComparison.Ordinal);
    }

    public static TheoryData<string> Junk => new()
    {
        "abc", "99999999999", "-1", "0", "1e9", "NaN", "2099-13-45", "0000-00-00", "9999-12-31", "1899-12-31", "2026-W99", "2026-W00",
        "<script>alert(1)</script>", "' OR 1=1 --", "\"tom* OR NEAR(", "%00", "\u0000", "\u0002\u0003", "日本語", "💥", "#", "  ", "",
        new string('a', 5_000), string.Concat(Enumerable.Repeat("word ", 1_000)),
    };

    /// <summary>Every query parameter a journal page binds, with every kind of junk: never a 500.</summary>
    [Theory]
    [MemberData(nameof(Junk))]
    public async Task QueryString_Junk_NeverCausesAServerError(string junk)
    {
        var (client, userId) = await SignedInAsync("sweeper@example.com");
        using var _ = client;
        await WriteAsync(userId, "Something to list", title: "Listed", tags: "a");
        var value = Uri.EscapeDataString(junk);
        var urls = new[] { "q", "kind", "tag", "mood", "date", "month", "page" }.Select(p => $"/journal?{p}={value}")
            .Append($"/journal?q={value}&kind={value}&tag={value}&mood={value}&date={value}&month={value}&page={value}")
            .Append($"/journal/new?kind={value}")
            .Append($"/journal/new?kind=weekly-review&week={value}")
            .Append($"/journal/new?kind=morning-pages&week={value}")
            .Append($"/journal/import?x={value}");

        foreach (var url in urls)
        {
            var response = await client.GetAsync(url);
            var status = (int)response.StatusCode;
            Assert.True(status is 200 or (>= 300 and < 400), $"{url[..Math.Min(url.Length, 120)]} answered {status}");
        }
    }

    [Fact]
    public async Task New_UnknownKind_IsAFriendlyPage_NotAnError()
    {
        var (client, _) = await SignedInAsync("kinds@example.com");
        using var __ = client;
        var (response, page) = await client.GetPageAsync("/journal/new?kind=diary");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("“diary” is not a kind of entry", page.QuerySelector("[data-testid=unknown-kind]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(4, page.QuerySelectorAll("[data-testid=kind-choice] a").Length);
        Assert.Null(page.QuerySelector("textarea"));
    }
}
