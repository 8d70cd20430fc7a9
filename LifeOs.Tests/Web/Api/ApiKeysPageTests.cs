using System.Net;

namespace LifeOs.Tests.Web.Api;

/// <summary>The API keys section of /settings, as the server renders it.</summary>
public sealed class ApiKeysPageTests : IAsyncLifetime
{
    private readonly ApiHarness api = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => api.DisposeAsync();

    [Fact]
    public async Task Settings_ListsTheKeys_ByPrefixScopesAndUse_NeverTheSecret()
    {
        var (me, browser) = await api.PersonAsync("me@example.com");
        var (_, empty) = await api.PersonAsync("other@example.com");
        var key = await api.KeyAsync(me, ["health:read", "sync"], name: "Kitchen tablet");
        using (var client = api.Client(key))
        {
            await client.GetAsync("/api/v1/me", TestContext.Current.CancellationToken);
        }

        var (response, page) = await browser.GetPageAsync("/settings");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var section = page.QuerySelector("[data-testid=settings-api-keys]");
        Assert.NotNull(section);
        var row = Assert.Single(section.QuerySelectorAll("[data-testid=api-key-row]"));
        Assert.Contains("Kitchen tablet", row.TextContent, StringComparison.Ordinal);
        Assert.Contains(key[..11] + "…", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("health:read, sync", row.TextContent, StringComparison.Ordinal);
        Assert.Contains("25 Nov 2026, 10:30 from 198.51.100.7", row.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(key[12..], page.DocumentElement.OuterHtml, StringComparison.Ordinal);

        var (_, otherPage) = await empty.GetPageAsync("/settings");
        Assert.NotNull(otherPage.QuerySelector("[data-testid=no-api-keys]"));
        Assert.DoesNotContain("Kitchen tablet", otherPage.DocumentElement.OuterHtml, StringComparison.Ordinal);
    }
}
