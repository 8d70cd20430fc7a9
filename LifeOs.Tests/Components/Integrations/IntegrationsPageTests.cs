using System.Text.Json;
using Bunit;
using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Components.Account;
using LifeOs.Web.Components.Pages.Integrations;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using MudBlazor.Extensions;

namespace LifeOs.Tests.Components.Integrations;

/// <summary>/integrations over the circuit, against the fake Oura and Withings: cards, sync now with live progress, older history, disconnect.</summary>
public sealed class IntegrationsPageTests : IAsyncLifetime
{
    private ProviderPageTestContext t = default!;

    public async ValueTask InitializeAsync()
    {
        t = await ProviderPageTestContext.StartAsync();
        t.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public ValueTask DisposeAsync() => t.DisposeAsync();

    private IRenderedComponent<IntegrationsPage> Render() => t.RenderPage<IntegrationsPage>();

    private static string Status(IRenderedComponent<IntegrationsPage> page, string slug) =>
        page.Find($"[data-testid=integration-{slug}-status]").TextContent.Trim();

    /// <summary>Lets the page's refresh timer fire once, as two seconds passing would.</summary>
    private void Tick() => t.Time.Advance(IntegrationsPage.RefreshInterval);

    [Fact]
    public async Task NotConnected_ShowsWhatLifeOsWillAskFor_AndConnectIsAFormPostToTheConnectEndpoint()
    {
        await t.SignInAsNewUserAsync("new@example.com");
        var page = Render();

        page.WaitForAssertion(() => Assert.Equal("Not connected", Status(page, "oura")));
        Assert.Equal("not-connected", page.Find("[data-testid=integration-withings]").GetAttribute("data-state"));
        Assert.Contains("Heart rate", page.Find("[data-testid=integration-oura-requested]").TextContent, StringComparison.Ordinal);
        // The browser travels to the provider: a plain HTTP form post (with its antiforgery token), not a circuit event.
        var form = page.Find("[data-testid=integration-oura-connect]").Closest("form")!;
        Assert.Equal("post", form.GetAttribute("method"));
        Assert.Equal("integrations/oura/connect", form.GetAttribute("action"));
        Assert.Equal("submit", page.Find("[data-testid=integration-oura-connect]").GetAttribute("type"));
        Assert.Empty(page.FindAll("[data-testid=integration-oura-sync-now], [data-testid=integration-oura-disconnect]"));
    }

    [Fact]
    public async Task Connected_ShowsAccountPermissionsHistoryCoverageAndRecentSyncs()
    {
        t.Oura.GrantedScopesOverride = "personal daily heartrate";
        var id = await t.SignInAsNewUserAsync("ada@example.com");
        await t.WithDbAsync(db => db.Users.Where(u => u.Id == id).ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZoneId, "Europe/Berlin")));
        await t.ConnectAsync(id, ProviderKind.Oura);
        await t.RunQueuedAsync();

        var page = Render();
        page.WaitForAssertion(() => Assert.Equal("Connected", Status(page, "oura")));
        Assert.Equal(SyncHarness.AdaOura, page.Find("[data-testid=integration-oura-account]").TextContent.Trim());
        var scopes = page.Find("[data-testid=integration-oura-scopes]").TextContent;
        Assert.Contains("Heart rate", scopes, StringComparison.Ordinal);
        // Asked for but left unticked on Oura's consent page: said plainly, so skipped data makes sense.
        Assert.Contains("Not granted, so not synced: Workouts, Sessions, Blood oxygen.", page.Find("[data-testid=integration-oura-not-granted]").TextContent, StringComparison.Ordinal);
        // 40 days of history (Sync:BackfillDays), all in: no progress bar.
        var coverage = page.Find("[data-testid=integration-oura-coverage]").TextContent;
        Assert.StartsWith("Since 16 Oct 2026", coverage.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("fetched", coverage, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=integration-oura-backfill]"));
        // Times in the user's zone: 09:30 UTC is 10:30 in Berlin.
        Assert.Equal("25 Nov 2026, 10:30", page.Find("[data-testid=integration-oura-last-sync]").TextContent.Trim());
        var run = Assert.Single(page.FindAll("[data-testid=integration-oura-history] li"));
        Assert.Equal("Succeeded", run.GetAttribute("data-status"));
        Assert.Contains("History", run.TextContent, StringComparison.Ordinal);
        Assert.Contains("Heart rate", run.TextContent, StringComparison.Ordinal);
        Assert.Contains("Blood oxygen: skipped", run.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistoryBeingFetched_ShowsHowMuchIsIn()
    {
        var id = await t.SignInAsNewUserAsync("backfill@example.com");
        await t.ConnectAsync(id, ProviderKind.Withings);
        await t.RunQueuedAsync();
        // A wider history was asked for; half of it is in.
        await t.WithDbAsync(db => db.Set<SyncCursor>().ExecuteUpdateAsync(s => s
            .SetProperty(c => c.HistoryFrom, new DateOnly(2026, 5, 27)).SetProperty(c => c.CompleteThrough, new DateOnly(2026, 8, 26))));

        var page = Render();
        page.WaitForAssertion(() => Assert.Equal("50% fetched", page.Find("[data-testid=integration-withings-backfill]").TextContent.Trim()));
        Assert.Contains("Since 27 May 2026", page.Find("[data-testid=integration-withings-coverage]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SyncNow_QueuesARun_TheCardShowsItQueued_ThenItsProgress_ThenTheResult_WithoutAReload()
    {
        var id = await t.SignInAsNewUserAsync("ada@example.com");
        await t.ConnectAsync(id, ProviderKind.Oura);
        await t.RunQueuedAsync();
        var page = Render();
        page.WaitForAssertion(() => Assert.Equal("Connected", Status(page, "oura")));
        Assert.Equal("false", page.Find("[data-testid=integration-list]").GetAttribute("data-sync-active"));

        await page.Find("[data-testid=integration-oura-sync-now]").ClickAsync(new());

        t.Snackbars.WaitForAssertion(() => Assert.Contains("Oura sync queued. Its progress shows on the card.", t.SnackbarMessages()));
        // Nothing ran on the circuit: the run waits for the scheduler.
        var queued = await t.WithDbAsync(db => db.Set<SyncRun>().SingleAsync(r => r.Status == SyncRunStatus.Queued));
        Assert.Equal((SyncTrigger.Manual, id), (queued.Trigger, queued.UserId));
        page.WaitForAssertion(() => Assert.Contains("Sync queued", page.Find("[data-testid=integration-oura-sync-active]").TextContent, StringComparison.Ordinal));
        Assert.True(page.Find("[data-testid=integration-oura-sync-now]").HasAttribute("disabled"));

        // The scheduler picks it up: the card follows on the next tick.
        await t.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Id == queued.Id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, SyncRunStatus.Running).SetProperty(r => r.StartedAt, r => r.QueuedAt)
            .SetProperty(r => r.Progress, 42).SetProperty(r => r.SamplesWritten, 1234)));
        Tick();
        page.WaitForAssertion(() =>
        {
            var active = page.Find("[data-testid=integration-oura-sync-active]");
            Assert.Equal("Running", active.GetAttribute("data-status"));
            Assert.Contains("Syncing… 42%", active.TextContent, StringComparison.Ordinal);
            Assert.Contains("1,234 values so far", active.TextContent, StringComparison.Ordinal);
        });

        // It finishes: the result and the history appear, and a snackbar says so.
        await t.WithDbAsync(db => db.Set<SyncRun>().Where(r => r.Id == queued.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, SyncRunStatus.Queued)));
        await t.RunQueuedAsync();
        Tick();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=integration-oura-sync-active]")));
        var runs = page.FindAll("[data-testid=integration-oura-history] li");
        Assert.Equal(2, runs.Count);
        Assert.Equal("Succeeded", runs[0].GetAttribute("data-status"));
        Assert.Contains("Sync now", runs[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("History", runs[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Heart rate", runs[1].TextContent, StringComparison.Ordinal);
        Assert.False(page.Find("[data-testid=integration-oura-sync-now]").HasAttribute("disabled"));
        t.Snackbars.WaitForAssertion(() => Assert.Contains(t.SnackbarMessages(), m => m.StartsWith("Oura sync finished:", StringComparison.Ordinal)));

        // Idle again: the page stops reading. A run queued behind its back shows only on the next load.
        await t.WithAsync<SyncQueue, EnqueueResult>(q => q.EnqueueAsync(id, ProviderKind.Oura, SyncTrigger.Nightly));
        Tick();
        Tick();
        Assert.Empty(page.FindAll("[data-testid=integration-oura-sync-active]"));
        // Leaving the page stops everything it started; coming back shows the run.
        await t.DisposeComponentsAsync();
        Tick();
        page = Render();
        page.WaitForAssertion(() => Assert.Contains("Sync queued", page.Find("[data-testid=integration-oura-sync-active]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task SyncNow_WhileARunIsActive_SaysSo_AndQueuesNoSecond()
    {
        var id = await t.SignInAsNewUserAsync("twice@example.com");
        await t.ConnectAsync(id, ProviderKind.Withings);
        await t.RunQueuedAsync();
        var page = Render();
        page.WaitForElement("[data-testid=integration-withings-sync-now]");
        // A nightly run got there first, after the page loaded.
        await t.WithAsync<SyncQueue, EnqueueResult>(q => q.EnqueueAsync(id, ProviderKind.Withings, SyncTrigger.Nightly));

        await page.Find("[data-testid=integration-withings-sync-now]").ClickAsync(new());

        t.Snackbars.WaitForAssertion(() => Assert.Contains("Withings is already syncing. Its progress shows on the card.", t.SnackbarMessages()));
        Assert.Equal(1, await t.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.Status == SyncRunStatus.Queued)));
        page.WaitForAssertion(() => Assert.Contains("Nightly", page.Find("[data-testid=integration-withings-sync-active]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARunAlreadyActiveOnLoad_IsFollowedLive()
    {
        var id = await t.SignInAsNewUserAsync("watch@example.com");
        await t.ConnectAsync(id, ProviderKind.Withings); // queues the first backfill
        var page = Render();
        page.WaitForAssertion(() => Assert.Equal("Queued", page.Find("[data-testid=integration-withings-sync-active]").GetAttribute("data-status")));
        Assert.Equal("true", page.Find("[data-testid=integration-list]").GetAttribute("data-sync-active"));

        await t.RunQueuedAsync();
        Tick();

        page.WaitForAssertion(() => Assert.Equal("Succeeded", page.Find("[data-testid=integration-withings-history] li").GetAttribute("data-status")));
        Assert.Empty(page.FindAll("[data-testid=integration-withings-sync-active]"));
        Assert.NotEqual("Not yet", page.Find("[data-testid=integration-withings-last-sync]").TextContent.Trim());
    }

    [Fact]
    public async Task FetchOlderHistory_OffersABoundedPicker_AndQueuesABackfillFromTheChosenDay()
    {
        var id = await t.SignInAsNewUserAsync("history@example.com");
        await t.ConnectAsync(id, ProviderKind.Oura);
        await t.RunQueuedAsync();
        var page = Render();

        // The click's handler waits for the dialog's answer: it completes once the dialog closes.
        var opening = page.WaitForElement("[data-testid=integration-oura-fetch-history]").ClickAsync(new());
        t.Dialogs.WaitForElement("[data-testid=history-dialog]");
        var picker = t.Dialogs.FindComponent<MudDatePicker>();
        // Today (25 Nov 2026) at the latest, 20 years back at the earliest; a year before what is in now is proposed.
        Assert.Equal(new DateTime(2026, 11, 25), picker.Instance.GetState(x => x.MaxDate));
        Assert.Equal(new DateTime(2006, 11, 25), picker.Instance.GetState(x => x.MinDate));
        Assert.Equal(new DateTime(2025, 10, 16), picker.Instance.Date);
        Assert.Contains("starts on 16 Oct 2026", t.Dialogs.Find("[data-testid=history-dialog]").TextContent, StringComparison.Ordinal);

        await t.Dialogs.InvokeAsync(() => picker.Instance.DateChanged.InvokeAsync(new DateTime(2024, 1, 1)));
        await t.Dialogs.Find("[data-testid=history-confirm]").ClickAsync(new());
        await opening;

        t.Snackbars.WaitForAssertion(() => Assert.Contains("LifeOs will fetch your Oura history from 1 Jan 2024.", t.SnackbarMessages()));
        var cursors = await t.WithDbAsync(db => db.Set<SyncCursor>().Select(c => c.HistoryFrom).Distinct().ToListAsync());
        Assert.Equal([new DateOnly(2024, 1, 1)], cursors);
        var run = await t.WithDbAsync(db => db.Set<SyncRun>().SingleAsync(r => r.Status == SyncRunStatus.Queued));
        Assert.Equal(SyncTrigger.Backfill, run.Trigger);
        page.WaitForAssertion(() => Assert.Contains("Sync queued", page.Find("[data-testid=integration-oura-sync-active]").TextContent, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2026-11-26", "Choose a day in the past")]
    [InlineData("2006-11-24", "Choose a day at most 20 years ago.")]
    public async Task FetchOlderHistory_ADayOutOfBounds_IsRefusedBesideTheField_AndNothingIsQueued(string day, string message)
    {
        var id = await t.SignInAsNewUserAsync("bounds@example.com");
        await t.ConnectAsync(id, ProviderKind.Oura);
        await t.RunQueuedAsync();
        var page = Render();

        _ = page.WaitForElement("[data-testid=integration-oura-fetch-history]").ClickAsync(new()); // completes when the dialog closes
        t.Dialogs.WaitForElement("[data-testid=history-dialog]");
        var picker = t.Dialogs.FindComponent<MudDatePicker>();
        // Typed by hand (the picker is editable), past its bounds.
        await t.Dialogs.InvokeAsync(() => picker.Instance.DateChanged.InvokeAsync(DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
        await t.Dialogs.Find("[data-testid=history-confirm]").ClickAsync(new());

        t.Dialogs.WaitForAssertion(() => Assert.Contains(message, t.Dialogs.Find("[data-testid=history-dialog]").TextContent, StringComparison.Ordinal));
        Assert.Equal(0, await t.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.Status == SyncRunStatus.Queued)));
        Assert.Equal([new DateOnly(2026, 10, 16)], await t.WithDbAsync(db => db.Set<SyncCursor>().Select(c => c.HistoryFrom).Distinct().ToListAsync()));
    }

    [Theory]
    [InlineData("2026-11-25", null)]
    [InlineData("2006-11-25", null)]
    [InlineData("2026-11-26", "Choose a day in the past: there is no history in the future.")]
    [InlineData("2006-11-24", "Choose a day at most 20 years ago.")]
    [InlineData(null, "Choose the day to fetch history from.")]
    public void HistoryDialog_Validate_BoundsTheDay(string? day, string? expected) =>
        Assert.Equal(expected, HistoryDialog.Validate(day is null ? null : DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture), new DateOnly(2026, 11, 25)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Disconnect_AsksFirst_RevokesAtTheProvider_AndDeletesTheDataOnlyWhenTicked(bool deleteData)
    {
        var id = await t.SignInAsNewUserAsync("scale@example.com");
        await t.ConnectAsync(id, ProviderKind.Withings);
        var day = new DateTime(2026, 11, 24, 8, 0, 0, DateTimeKind.Utc);
        await t.WithAsync<HealthStore, UpsertResult>(store => store.UpsertSamplesAsync(id,
        [
            new SampleInput(MetricCatalogue.Weight, SampleSource.Withings, "grp-1", day, 78.4),
            new SampleInput(MetricCatalogue.Weight, SampleSource.Withings, "grp-2", day.AddDays(-1), 78.9),
            new SampleInput(MetricCatalogue.Weight, SampleSource.Manual, "manual-1", day, 79.5),
        ]));
        var page = Render();

        var opening = page.WaitForElement("[data-testid=integration-withings-disconnect]").ClickAsync(new()); // completes when the dialog closes
        t.Dialogs.WaitForElement("[data-testid=disconnect-dialog]");
        Assert.Contains("Also delete the data synced from Withings", t.Dialogs.Markup, StringComparison.Ordinal);
        Assert.Equal(0, t.Withings.Revocations);
        if (deleteData)
        {
            await t.Dialogs.InvokeAsync(() => t.Dialogs.FindComponent<MudCheckBox<bool>>().Instance.ValueChanged.InvokeAsync(true));
            t.Dialogs.WaitForAssertion(() => Assert.Contains("cannot be undone", t.Dialogs.Find("[data-testid=disconnect-consequence]").TextContent, StringComparison.Ordinal));
        }

        await t.Dialogs.Find("[data-testid=disconnect-confirm]").ClickAsync(new());
        await opening;

        t.Snackbars.WaitForAssertion(() => Assert.Contains(deleteData
            ? "Withings is disconnected and its 2 synced values were deleted."
            : "Withings is disconnected. The data it synced is still here.", t.SnackbarMessages()));
        Assert.Equal(1, t.Withings.Revocations);
        Assert.All(t.Withings.Grants, g => Assert.True(g.Revoked));
        Assert.Equal(0, await t.WithDbAsync(db => db.Connections.CountAsync()));
        var sources = await t.WithDbAsync(db => db.Samples.Select(s => s.Source).ToListAsync());
        var daily = await t.WithDbAsync(db => db.DailyValues.OrderBy(d => d.LocalDate).Select(d => new { d.LocalDate, d.Source, d.Value }).ToListAsync());
        if (deleteData)
        {
            Assert.Equal([SampleSource.Manual], sources);
            // The day that only had Withings data is gone; the other now shows the manual value.
            var only = Assert.Single(daily);
            Assert.Equal((new DateOnly(2026, 11, 24), SampleSource.Manual, 79.5), (only.LocalDate, only.Source, only.Value));
        }
        else
        {
            Assert.Equal(3, sources.Count);
            Assert.Equal(2, daily.Count);
        }

        page.WaitForAssertion(() => Assert.Equal("Not connected", Status(page, "withings")));
    }

    [Fact]
    public async Task Disconnect_Oura_RevokesTheAccessToken_AndCancelling_KeepsEverything()
    {
        var id = await t.SignInAsNewUserAsync("ring@example.com");
        await t.ConnectAsync(id, ProviderKind.Oura);
        var page = Render();

        var opening = page.WaitForElement("[data-testid=integration-oura-disconnect]").ClickAsync(new()); // completes when the dialog closes
        await t.Dialogs.WaitForElement("[data-testid=disconnect-cancel]").ClickAsync(new());
        await opening;
        t.Dialogs.WaitForAssertion(() => Assert.Empty(t.Dialogs.FindAll("[data-testid=disconnect-dialog]")));
        Assert.Equal(0, t.Oura.Revocations);
        Assert.Equal(1, await t.WithDbAsync(db => db.Connections.CountAsync()));
        Assert.Equal("Connected", Status(page, "oura"));

        opening = page.Find("[data-testid=integration-oura-disconnect]").ClickAsync(new());
        await t.Dialogs.WaitForElement("[data-testid=disconnect-confirm]").ClickAsync(new());
        await opening;
        t.Snackbars.WaitForAssertion(() => Assert.Contains("Oura is disconnected. The data it synced is still here.", t.SnackbarMessages()));
        Assert.Equal(1, t.Oura.Revocations);
        Assert.True(t.Oura.Grants.Single().Revoked);
    }

    [Fact]
    public async Task AnotherUser_SeesNoneOfMyConnectionOrSyncs_AndHasNothingToActOn()
    {
        var owner = await t.CreateUserAsync("owner@example.com");
        await t.ConnectAsync(owner, ProviderKind.Oura);
        await t.RunQueuedAsync();
        await t.WithAsync<SyncQueue, EnqueueResult>(q => q.EnqueueAsync(owner, ProviderKind.Oura, SyncTrigger.Manual));
        var samples = await t.WithDbAsync(db => db.Samples.CountAsync());

        await t.SignInAsNewUserAsync("other@example.com");
        var page = Render();

        page.WaitForAssertion(() => Assert.Equal("Not connected", Status(page, "oura")));
        Assert.DoesNotContain(SyncHarness.AdaOura, page.Markup, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=integration-oura-history], [data-testid=integration-oura-sync-active]"));
        Assert.Empty(page.FindAll("[data-testid$=-sync-now], [data-testid$=-disconnect], [data-testid$=-fetch-history]"));
        Assert.Equal("false", page.Find("[data-testid=integration-list]").GetAttribute("data-sync-active"));
        Assert.Equal(0, t.Oura.Revocations);
        Assert.Equal(ConnectionStatus.Connected, (await t.WithDbAsync(db => db.Connections.SingleAsync())).Status);
        Assert.Equal(samples, await t.WithDbAsync(db => db.Samples.CountAsync()));
    }

    [Fact]
    public async Task SyncHistory_IsInTheAccountExport_AndNobodyElsesRunsAreShown()
    {
        var ada = await t.CreateUserAsync("ada@example.com");
        await t.ConnectAsync(ada, ProviderKind.Oura);
        await t.ConnectAsync(ada, ProviderKind.Withings);
        await t.RunQueuedAsync();
        t.Oura.Account = SyncHarness.BoOura;
        var bo = await t.SignInAsNewUserAsync("bo@example.com");
        await t.ConnectAsync(bo, ProviderKind.Oura);
        await t.RunQueuedAsync();

        var json = await t.WithAsync<LifeOs.Core.Export.UserDataExportService, string>(async export =>
        {
            using var stream = new MemoryStream();
            await export.WriteZipAsync(ada, stream, Xunit.TestContext.Current.CancellationToken);
            stream.Position = 0;
            using var zip = new System.IO.Compression.ZipArchive(stream);
            using var reader = new StreamReader(zip.GetEntry("sync-history.json")!.Open());
            return await reader.ReadToEndAsync(Xunit.TestContext.Current.CancellationToken);
        });
        using (var doc = JsonDocument.Parse(json))
        {
            Assert.Equal(2, doc.RootElement.GetArrayLength());
        }

        // Bo's page: his own Oura run only, no Withings card history.
        var page = Render();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=integration-oura-history] li")));
        Assert.Equal("Not connected", Status(page, "withings"));
        Assert.Equal(SyncHarness.BoOura, page.Find("[data-testid=integration-oura-account]").TextContent.Trim());
    }

    [Fact]
    public async Task CallbackMessage_IsReadFromTheStatusCookieWhilePrerendering_ShownOnce_AndTheCookieCleared()
    {
        await t.SignInAsNewUserAsync("back@example.com");
        var http = new DefaultHttpContext();
        http.Request.Headers.Cookie = $"{IdentityRedirectManager.StatusCookieName}={Uri.EscapeDataString("Error: You chose not to give LifeOs access to Oura, so nothing was connected.")}";

        var page = t.RenderPage<IntegrationsPage>(p => p.AddCascadingValue<HttpContext>(http));

        var alert = page.WaitForElement("[data-testid=integrations-message]");
        Assert.Equal("error", alert.GetAttribute("data-severity"));
        Assert.Equal("You chose not to give LifeOs access to Oura, so nothing was connected.", alert.TextContent.Trim());
        Assert.Contains(http.Response.Headers.SetCookie, c => c!.StartsWith(IdentityRedirectManager.StatusCookieName + "=;", StringComparison.Ordinal) && c.Contains("expires=Thu, 01 Jan 1970", StringComparison.Ordinal));

        // The person closes it.
        await page.Find("[data-testid=integrations-message] button").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=integrations-message]")));
    }

    [Fact]
    public void PersistedModel_SurvivesTheTripFromPrerenderToCircuit()
    {
        // [PersistentState] carries the model as JSON (web defaults); everything the cards show must come back.
        var run = new SyncRunView(7, SyncTrigger.Manual, SyncRunStatus.Running, new DateTime(2026, 11, 25, 9, 0, 0, DateTimeKind.Utc), null, null, 42, 1234,
            new Dictionary<string, SyncTypeResult> { ["heartrate"] = new(10, 9), ["daily_spo2"] = new(0, 0, "not permitted") }, null);
        var model = new IntegrationsPage.IntegrationsModel
        {
            Cards = [new ConnectionCard(ProviderKind.Oura, ConnectionState.Connected, [], ["personal", "daily"], "acc", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), ["personal"], null, null)],
            Syncs = [new SyncOverview(ProviderKind.Oura, [run], new DateOnly(2026, 10, 16), 50)],
            TimeZoneId = "Europe/Berlin",
            Message = new IntegrationsPage.StatusNote(true, "Oura is connected."),
        };

        var back = JsonSerializer.Deserialize<IntegrationsPage.IntegrationsModel>(JsonSerializer.Serialize(model, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

        Assert.Equal(JsonSerializer.Serialize(model, JsonSerializerOptions.Web), JsonSerializer.Serialize(back, JsonSerializerOptions.Web));
        Assert.Equal(7, back.Syncs[0].Active!.Id);
        Assert.Equal(["personal", "daily"], back.Cards[0].RequestedScopes);
        Assert.Equal("not permitted", back.Syncs[0].Runs[0].Counts["daily_spo2"].Note);
    }
}
