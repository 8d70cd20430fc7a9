using System.Net;
using System.Text.Json;
using LifeOs.Core.Sync;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web.Integrations;

/// <summary>Sync now and the sync history on /integrations, over HTTP.</summary>
public sealed class SyncPageTests
{
    [Fact]
    public async Task SyncNow_QueuesARun_ThePageShowsItQueued_ThenTheHistoryWithCounts()
    {
        await using var h = await SyncHarness.StartAsync(connectBo: false);
        // Connecting queued a backfill; the page says so.
        var (_, page) = await h.Ada.GetPageAsync("/integrations");
        Assert.Equal("true", page.QuerySelector("[data-sync-active]")!.GetAttribute("data-sync-active"));
        Assert.Contains("Sync queued", page.QuerySelector("[data-testid=integration-oura-sync-active]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("script[type=module][src*='sync-status']"));

        await h.RunQueuedAsync();
        var response = await h.Ada.PostFormAsync("/integrations", "", new Dictionary<string, string>(), postUrl: "/integrations/oura/sync");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Oura sync queued. This page updates when it finishes.", await ConnectionsHarness.StatusMessageAsync(h.Ada));
        // Nothing ran inside the request: the run waits for the scheduler.
        Assert.Equal(1, await h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.Status == SyncRunStatus.Queued && r.Trigger == SyncTrigger.Manual)));
        response = await h.Ada.PostFormAsync("/integrations", "", new Dictionary<string, string>(), postUrl: "/integrations/oura/sync");
        Assert.Equal("Oura is already syncing; this page updates when it finishes.", await ConnectionsHarness.StatusMessageAsync(h.Ada));

        var status = await StatusAsync(h.Ada);
        Assert.True(status.GetProperty("active").GetBoolean());

        await h.RunQueuedAsync();
        (_, page) = await h.Ada.GetPageAsync("/integrations");
        Assert.Equal("false", page.QuerySelector("[data-sync-active]")!.GetAttribute("data-sync-active"));
        var runs = page.QuerySelectorAll("[data-testid=integration-oura-history] li");
        Assert.Equal(2, runs.Length);
        Assert.Equal("Succeeded", runs[0].GetAttribute("data-status"));
        Assert.Contains("Sync now", runs[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("History", runs[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Heart rate", runs[1].TextContent, StringComparison.Ordinal);
        Assert.False((await StatusAsync(h.Ada)).GetProperty("active").GetBoolean());
        Assert.Null(page.QuerySelector("[data-testid=integration-oura-backfill]"));
    }

    [Fact]
    public async Task SyncHistory_IsInTheAccountExport_AndNobodyElseSeesIt()
    {
        await using var h = await SyncHarness.StartAsync();
        await h.RunQueuedAsync();
        var json = await h.WithAsync<string, LifeOs.Core.Export.UserDataExportService>(async export =>
        {
            using var stream = new MemoryStream();
            await export.WriteZipAsync(h.AdaId, stream, TestContext.Current.CancellationToken);
            stream.Position = 0;
            using var zip = new System.IO.Compression.ZipArchive(stream);
            using var reader = new StreamReader(zip.GetEntry("sync-history.json")!.Open());
            return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        });
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(2, doc.RootElement.GetArrayLength());

        var overview = await h.WithAsync<IReadOnlyDictionary<LifeOs.Core.Connections.ProviderKind, SyncOverview>, SyncStatusService>(s => s.GetAsync(h.AdaId));
        Assert.All(overview.Values, o => Assert.All(o.Runs, r => Assert.Equal(SyncRunStatus.Succeeded, r.Status)));
        var boRunIds = await h.App.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.UserId == h.BoId).Select(r => r.Id).ToListAsync());
        Assert.DoesNotContain(overview.Values.SelectMany(o => o.Runs), r => boRunIds.Contains(r.Id));
    }

    private static async Task<JsonElement> StatusAsync(TestClient client)
    {
        var response = await client.GetAsync("/integrations/sync-status");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await TestClient.BodyAsync(response)).RootElement.Clone();
    }
}
