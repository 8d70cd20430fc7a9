using System.Net;
using System.Net.Http.Json;
using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Core.Webhooks;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web.Webhooks;

public sealed class OuraWebhookTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 20, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string VerificationToken(WebhookHarness h) =>
        h.Sync.Oura.Subscriptions.Values.First().VerificationToken;

    [Fact]
    public async Task Subscribing_CreatesOnePerDataTypeAndEventType_EachVerifiedByTheChallenge()
    {
        await using var h = await WebhookHarness.StartAsync();

        var subscriptions = h.Sync.Oura.Subscriptions.Values.ToList();
        Assert.Equal(18, subscriptions.Count);
        Assert.All(subscriptions, s => Assert.Equal($"{WebhookHarness.PublicBaseUrl}/webhooks/oura", s.CallbackUrl));
        Assert.Equal(["daily_activity", "daily_readiness", "daily_sleep", "daily_spo2", "sleep", "workout"], subscriptions.Select(s => s.DataType).Distinct().Order());
        Assert.Equal(["create", "delete", "update"], subscriptions.Select(s => s.EventType).Distinct().Order());

        // Checking again changes nothing.
        await h.SubscribeAllAsync();
        Assert.Equal(18, h.Sync.Oura.Subscriptions.Count);
        Assert.All(h.Sync.Oura.Subscriptions.Values, s => Assert.Equal(0, s.Renewals));
    }

    [Fact]
    public async Task Challenge_IsEchoedOnlyForTheConfiguredToken()
    {
        await using var h = await WebhookHarness.StartAsync();
        var token = VerificationToken(h);

        var right = await h.Callbacks.GetAsync($"/webhooks/oura?verification_token={Uri.EscapeDataString(token)}&challenge=abc123", Ct);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("abc123", (await right.Content.ReadFromJsonAsync<Dictionary<string, string>>(Ct))!["challenge"]);
        // Server to server: no cookie is ever set (no antiforgery, no session).
        Assert.False(right.Headers.Contains("Set-Cookie"));

        var wrong = await h.Callbacks.GetAsync("/webhooks/oura?verification_token=not-it&challenge=abc123", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain("abc123", await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await h.Callbacks.GetAsync("/webhooks/oura?challenge=abc123", Ct)).StatusCode);
    }

    [Fact]
    public async Task SignedNotification_FetchesThatWindow_AndStoresTheNewDocument_ForThatUserOnly()
    {
        await using var h = await WebhookHarness.StartAsync();
        var today = new DateOnly(2026, 11, 25);
        var at = new DateTimeOffset(2026, 11, 25, 4, 0, 0, TimeSpan.FromHours(1));
        h.Sync.Oura.Data.Add("daily_activity", new FakeRecord(SyncHarness.AdaOura, today, at,
            new { id = "act-1125", day = "2026-11-25", timestamp = at, score = 88, steps = 4321, active_calories = 210, total_calories = 1900 }));
        var boSamples = await h.Sync.SampleCountAsync(h.Sync.BoId);
        var readinessBefore = h.Sync.Oura.Data.Requests("daily_readiness");

        var status = await h.Sync.Oura.NotifyAsync("create", "daily_activity", "act-1125", SyncHarness.AdaOura, Now);

        Assert.Equal(HttpStatusCode.OK, status);
        var notification = Assert.Single(await h.NotificationsAsync());
        Assert.Equal(NotificationStatus.Received, notification.Status);
        Assert.Equal(ProviderKind.Oura, notification.Provider);
        var run = Assert.Single(await h.RunQueuedAsync());
        Assert.Equal(SyncTrigger.Webhook, run.Trigger);
        Assert.Equal(h.Sync.AdaId, run.UserId);
        Assert.Equal(4321, Assert.Single(await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Oura, "act-1125"), s => s.MetricCode == MetricCatalogue.Steps).Value);
        Assert.Equal(readinessBefore, h.Sync.Oura.Data.Requests("daily_readiness"));
        Assert.Equal(NotificationStatus.Processed, Assert.Single(await h.NotificationsAsync()).Status);
        Assert.Equal(boSamples, await h.Sync.SampleCountAsync(h.Sync.BoId));

        // The same delivery again (Oura retries when unsure): recorded once, no second run.
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Oura.NotifyAsync("create", "daily_activity", "act-1125", SyncHarness.AdaOura, Now));
        Assert.Empty(await h.RunQueuedAsync());
        Assert.Single(await h.NotificationsAsync());
    }

    [Fact]
    public async Task DeleteEvent_RemovesThatDocumentsSamples_AndRecomputesItsDay()
    {
        await using var h = await WebhookHarness.StartAsync();
        var night = new DateOnly(2026, 10, 25);
        Assert.NotEmpty(await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Oura, "slp-main"));
        var napBefore = await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Oura, "slp-nap");
        // Oura deleted the main sleep period (the user removed it in the app): it is gone from the API too.
        h.Sync.Oura.Data.Records["sleep"].RemoveAll(r => r.Body.ToString()!.Contains("slp-main", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, await h.Sync.Oura.NotifyAsync("delete", "sleep", "slp-main", SyncHarness.AdaOura, Now));
        var run = Assert.Single(await h.RunQueuedAsync());

        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Empty(await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Oura, "slp-main"));
        Assert.Equal(napBefore.Count, (await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Oura, "slp-nap")).Count);
        // The night's sleep duration is now the nap alone.
        Assert.Equal(1800, await h.Sync.DailyAsync(h.Sync.AdaId, SampleSource.Oura, MetricCatalogue.SleepDuration, night));
        var daily = await h.App.WithDbAsync(db => db.DailyValues.Where(d => d.UserId == h.Sync.AdaId && d.MetricCode == MetricCatalogue.SleepDuration && d.LocalDate == night).ToListAsync());
        Assert.Equal(1800, Assert.Single(daily).Value);
    }

    [Fact]
    public async Task WorkoutNotifications_StoreANewWorkout_AndRemoveADeletedOne()
    {
        await using var h = await WebhookHarness.StartAsync();
        var today = new DateOnly(2026, 11, 25);
        h.Sync.Oura.Data.Add("workout", new FakeRecord(SyncHarness.AdaOura, today, null, new
        {
            id = "wo-1125", activity = "running", calories = 310.0, distance = 5200.0, day = "2026-11-25",
            start_datetime = "2026-11-25T07:00:00+01:00", end_datetime = "2026-11-25T07:35:00+01:00", intensity = "moderate", label = (string?)null, source = "confirmed",
        }));
        var sleepBefore = h.Sync.Oura.Data.Requests("sleep");
        Task<List<Workout>> AdasAsync() => h.App.WithDbAsync(db => db.Set<Workout>().Where(w => w.UserId == h.Sync.AdaId && w.SourceRecordId == "wo-1125").ToListAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, await h.Sync.Oura.NotifyAsync("create", "workout", "wo-1125", SyncHarness.AdaOura, Now));
        Assert.Equal("workout", Assert.Single(await h.NotificationsAsync()).DataType);
        Assert.Equal(SyncRunStatus.Succeeded, Assert.Single(await h.RunQueuedAsync()).Status);
        var stored = Assert.Single(await AdasAsync());
        Assert.Equal(("running", 5200.0), (stored.Activity, stored.DistanceMeters));
        Assert.Equal(sleepBefore, h.Sync.Oura.Data.Requests("sleep"));

        // Deleted in the Oura app: gone from the API, and the delete event removes it here.
        h.Sync.Oura.Data.Records["workout"].RemoveAll(r => r.Body.ToString()!.Contains("wo-1125", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Oura.NotifyAsync("delete", "workout", "wo-1125", SyncHarness.AdaOura, Now.AddMinutes(5)));
        Assert.Equal(SyncRunStatus.Succeeded, Assert.Single(await h.RunQueuedAsync()).Status);
        Assert.Empty(await AdasAsync());
    }

    [Fact]
    public async Task BadSignature_UnknownUser_AndMalformedBodies_ChangeNothing()
    {
        await using var h = await WebhookHarness.StartAsync();
        var samples = await h.App.WithDbAsync(db => db.Samples.CountAsync());

        Assert.Equal(HttpStatusCode.Unauthorized, await h.Sync.Oura.NotifyAsync("update", "sleep", "slp-main", SyncHarness.AdaOura, Now, secret: "someone-elses-secret"));
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Oura.NotifyAsync("update", "sleep", "slp-x", "not-a-connected-user", Now));
        Assert.Equal(HttpStatusCode.BadRequest, await h.Sync.Oura.NotifyAsync("update", "sleep", "x", SyncHarness.AdaOura, Now, rawBody: "{\"event_type\": \"update\", "));
        Assert.Equal(HttpStatusCode.BadRequest, await h.Sync.Oura.NotifyAsync("update", "sleep", "x", SyncHarness.AdaOura, Now, rawBody: "{\"event_type\":\"explode\",\"data_type\":\"sleep\",\"object_id\":\"x\",\"event_time\":\"2026-11-25T09:00:00+00:00\",\"user_id\":\"" + SyncHarness.AdaOura + "\"}"));
        using (var unsigned = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await h.Callbacks.PostAsync("/webhooks/oura", unsigned, Ct)).StatusCode);
        }

        Assert.Empty(await h.NotificationsAsync());
        Assert.Empty(await h.RunQueuedAsync());
        Assert.Equal(samples, await h.App.WithDbAsync(db => db.Samples.CountAsync()));
    }

    [Fact]
    public async Task SubscriptionsExpiringWithinAWeek_OrExpired_AreRenewed_OthersLeftAlone()
    {
        await using var h = await WebhookHarness.StartAsync();
        var all = h.Sync.Oura.Subscriptions.Values.OrderBy(s => s.Id).ToList();
        all[0].ExpirationTime = Now.AddDays(-1);
        all[1].ExpirationTime = Now.AddDays(3);

        await h.SubscribeAllAsync();

        Assert.Equal(1, all[0].Renewals);
        Assert.Equal(1, all[1].Renewals);
        Assert.True(all[0].ExpirationTime > Now.AddDays(80));
        Assert.All(all.Skip(2), s => Assert.Equal(0, s.Renewals));
        var status = await h.Sync.WithAsync<SubscriptionStatus?, WebhookSubscriptions>(s => s.GetStatusAsync(ProviderKind.Oura, Ct));
        Assert.Equal(2, status!.Renewed);
        Assert.Equal(18, status.Active);

        // Ninety days on, every one is renewed before it lapses.
        h.Sync.Inner.Time.Advance(TimeSpan.FromDays(85));
        await h.SubscribeAllAsync();
        Assert.All(h.Sync.Oura.Subscriptions.Values, s => Assert.True(s.ExpirationTime > h.Sync.Inner.Time.GetUtcNow().AddDays(7)));
    }
}
