using LifeOs.Tests.TestSupport;

namespace LifeOs.Tests.Web.Webhooks;

public sealed class LiveUpdatesPageTests
{
    [Fact]
    public async Task WithLiveUpdatesOn_EachCardSaysWhenTheLastNotificationCame_AndAdminSeesTheSubscriptions()
    {
        await using var h = await WebhookHarness.StartAsync();
        var (_, page) = await h.Sync.Ada.GetPageAsync("/integrations");
        Assert.Equal("Live updates: on · no notification yet", page.QuerySelector("[data-testid=integration-withings-live]")!.TextContent.Trim());
        Assert.Null(page.QuerySelector("[data-testid=integrations-live-off]"));

        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, h.Sync.Inner.Time.GetUtcNow().AddMinutes(-2), h.Sync.Inner.Time.GetUtcNow());
        h.Sync.Inner.Time.Advance(TimeSpan.FromMinutes(3));

        (_, page) = await h.Sync.Ada.GetPageAsync("/integrations");
        Assert.Equal("Live updates: on · last notification 3 minutes ago", page.QuerySelector("[data-testid=integration-withings-live]")!.TextContent.Trim());
        Assert.Equal("Live updates: on · no notification yet", page.QuerySelector("[data-testid=integration-oura-live]")!.TextContent.Trim());

        (_, page) = await h.Sync.Ada.GetPageAsync("/admin");
        Assert.Contains("18 active", page.QuerySelector("[data-testid=admin-live-oura]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("8 active", page.QuerySelector("[data-testid=admin-live-withings]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("[data-testid=admin-live-updates-check]"));
    }

    [Fact]
    public async Task WithoutAPublicHttpsAddress_TheIntegrationsPageSaysPollingStays()
    {
        await using var harness = await ConnectionsHarness.StartAsync();
        using var ada = await harness.SignedInAsync("ada@example.com");
        await harness.ConnectAsync(ada, "withings");

        var (_, page) = await ada.GetPageAsync("/integrations");

        var note = page.QuerySelector("[data-testid=integrations-live-off]")!.TextContent;
        Assert.Contains("public https address", note, StringComparison.Ordinal);
        Assert.Contains("LifeOs:PublicBaseUrl", note, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("[data-testid=integration-withings-live]"));
        (_, page) = await ada.GetPageAsync("/admin");
        Assert.NotNull(page.QuerySelector("[data-testid=admin-live-updates-off]"));
    }
}
