using System.Net;
using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Core.Webhooks;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web.Webhooks;

public sealed class WithingsWebhookTests
{
    private static readonly DateTimeOffset WeighInAt = new(2026, 11, 25, 8, 50, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A weigh-in the nightly sync has not seen: Ada steps on the scale at 09:50 Berlin time today.</summary>
    private static void AddWeighIn(FakeWithings withings, string account = SyncHarness.AdaWithings, long grpid = 7000000001, DateTimeOffset? at = null, long grams = 77_900)
    {
        var when = at ?? WeighInAt;
        withings.Data.Add("measures", new FakeRecord(account, null, when, new
        {
            grpid,
            attrib = 0,
            date = when.ToUnixTimeSeconds(),
            created = when.ToUnixTimeSeconds(),
            modified = when.ToUnixTimeSeconds(),
            category = 1,
            deviceid = "3e2f9c7a1b",
            measures = new[] { new { value = grams, type = 1, unit = -3, algo = 0, fm = 3 } },
        }));
    }

    [Fact]
    public async Task HeadProbe_Answers200_AndSubscribing_ListsFirst_ThenSubscribesEachCategoryWithTheSecretCallback()
    {
        await using var h = await WebhookHarness.StartAsync(subscribe: false);

        using var head = new HttpRequestMessage(HttpMethod.Head, "/webhooks/withings");
        Assert.Equal(HttpStatusCode.OK, (await h.Callbacks.SendAsync(head, Ct)).StatusCode);

        await h.SubscribeAllAsync();

        var subscriptions = h.Sync.Withings.Subscriptions;
        Assert.Equal([1, 4, 16, 44], subscriptions.Where(s => s.Account == SyncHarness.AdaWithings).Select(s => s.Appli).Order());
        Assert.Equal([1, 4, 16, 44], subscriptions.Where(s => s.Account == SyncHarness.BoWithings).Select(s => s.Appli).Order());
        Assert.All(subscriptions, s => Assert.StartsWith($"{WebhookHarness.PublicBaseUrl}/webhooks/withings?token=", s.CallbackUrl, StringComparison.Ordinal));
        Assert.Equal("list", h.Sync.Withings.NotifyCalls.First());

        // A second check finds everything in place: lists only.
        var before = h.Sync.Withings.NotifyCalls.Count(c => c == "subscribe");
        await h.SubscribeAllAsync();
        Assert.Equal(before, h.Sync.Withings.NotifyCalls.Count(c => c == "subscribe"));
        Assert.Equal(8, subscriptions.Count);
    }

    [Fact]
    public async Task FormPost_IsRecordedAndQueued_NotSynced_ThenTheTargetedRunStoresTheNewWeighIn()
    {
        await using var h = await WebhookHarness.StartAsync();
        AddWeighIn(h.Sync.Withings);
        var measuresBefore = h.Sync.Withings.Data.Requests("measures");
        var activityBefore = h.Sync.Withings.Data.Requests("activity");
        var sleepBefore = h.Sync.Withings.Data.Requests("sleep_summary");

        var answers = await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, WeighInAt.AddMinutes(-1), WeighInAt.AddMinutes(1));

        Assert.Equal([HttpStatusCode.OK], answers);
        // Answered after recording it, without fetching anything or queuing a run in the request.
        Assert.Equal(measuresBefore, h.Sync.Withings.Data.Requests("measures"));
        Assert.Equal(NotificationStatus.Received, Assert.Single(await h.NotificationsAsync()).Status);
        Assert.Empty(await h.RunsAsync(SyncTrigger.Webhook));
        // The dispatcher, after the answer, gives it a queued targeted run.
        Assert.Equal(1, await h.DispatchAsync());
        var notification = Assert.Single(await h.NotificationsAsync());
        Assert.Equal(NotificationStatus.Queued, notification.Status);
        Assert.Equal(Assert.Single(await h.RunsAsync(SyncTrigger.Webhook)).Id, notification.SyncRunId);
        Assert.Equal("measures", notification.DataType);
        Assert.Equal(await h.ConnectionIdAsync(h.Sync.AdaId, ProviderKind.Withings), notification.ConnectionId);
        Assert.Empty(await h.Sync.SamplesAsync(h.Sync.AdaId, SampleSource.Withings, MetricCatalogue.Weight).ContinueWith(t => t.Result.Where(s => s.SourceRecordId.StartsWith("7000000001", StringComparison.Ordinal)).ToList(), Ct));

        var run = Assert.Single(await h.RunQueuedAsync());
        Assert.Equal(SyncTrigger.Webhook, run.Trigger);
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        var weight = Assert.Single(await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Withings, "7000000001:1"));
        Assert.Equal(77.9, weight.Value, 6);
        Assert.Equal(new DateOnly(2026, 11, 25), weight.LocalDate);
        // Targeted: one window of the one data type, nothing else.
        Assert.Equal(activityBefore, h.Sync.Withings.Data.Requests("activity"));
        Assert.Equal(h.Sync.Withings.Data.Requests("measures") - measuresBefore, run.Requests);
        Assert.Equal(0, h.Sync.Withings.Data.Requests("sleep_summary") - sleepBefore);
        notification = Assert.Single(await h.NotificationsAsync());
        Assert.Equal(NotificationStatus.Processed, notification.Status);
        Assert.Equal(run.Id, notification.SyncRunId);
        Assert.NotNull(notification.ProcessedAt);
        // The dashboard's daily value follows.
        var today = new DateOnly(2026, 11, 25);
        var daily = await h.App.WithDbAsync(db => db.DailyValues.SingleAsync(d => d.UserId == h.Sync.AdaId && d.MetricCode == MetricCatalogue.Weight && d.LocalDate == today));
        Assert.Equal(77.9, daily.Value, 6);
        Assert.Equal(SampleSource.Withings, daily.Source);
        // Nothing from the notification beyond ids in the log.
        Assert.DoesNotContain(h.App.Logs, line => line.Contains(WeighInAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var secret = new Uri(h.Sync.Withings.Subscriptions.First().CallbackUrl).Query["?token=".Length..];
        Assert.DoesNotContain(h.App.Logs, line => line.Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DuplicateDelivery_IsRecordedOnce_AndSyncsOnce()
    {
        await using var h = await WebhookHarness.StartAsync();
        AddWeighIn(h.Sync.Withings);

        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, WeighInAt.AddMinutes(-1), WeighInAt.AddMinutes(1));
        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, WeighInAt.AddMinutes(-1), WeighInAt.AddMinutes(1));
        Assert.Single(await h.RunQueuedAsync());

        // Withings retrying after the run: still nothing new.
        var again = await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, WeighInAt.AddMinutes(-1), WeighInAt.AddMinutes(1));
        Assert.Equal([HttpStatusCode.OK], again);
        Assert.Empty(await h.RunQueuedAsync());
        Assert.Single(await h.NotificationsAsync());
        Assert.Single(await h.RunsAsync(SyncTrigger.Webhook));
        // A retry is routine: no error in the log (a failed insert used to log two, with a stack trace).
        Assert.DoesNotContain(h.App.Logs, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutOfOrderDeliveries_JoinTheQueuedRun_AndOneArrivingMidRun_GetsTheNextRun()
    {
        await using var h = await WebhookHarness.StartAsync();
        var earlier = new DateTimeOffset(2026, 11, 20, 7, 0, 0, TimeSpan.Zero);
        AddWeighIn(h.Sync.Withings, grpid: 7000000002, at: WeighInAt);
        AddWeighIn(h.Sync.Withings, grpid: 7000000003, at: earlier, grams: 78_100);

        // The newer weigh-in's notification first, dispatched, then the older one (delivered late): it joins the queued
        // run, so one run covers both windows.
        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, WeighInAt, WeighInAt);
        await h.DispatchAsync();
        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, earlier, earlier);
        await h.DispatchAsync();
        var notifications = await h.NotificationsAsync();
        Assert.Equal(2, notifications.Count);
        Assert.All(notifications, n => Assert.Equal(NotificationStatus.Queued, n.Status));
        Assert.Single(notifications.Select(n => n.SyncRunId).Distinct());

        // While that run fetches, a third arrives (an activity update): dispatched, it waits for the running run, then
        // gets a run of its own.
        NotificationStatus? midRun = null;
        h.Sync.Withings.Data.Fault("measures", async _ =>
        {
            await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 16, WeighInAt.AddHours(-2), WeighInAt);
            await h.DispatchAsync();
            midRun = (await h.NotificationsAsync()).Single(n => n.DataType == "activity,workouts").Status;
            return null;
        });
        var first = Assert.Single(await h.RunQueuedAsync());
        Assert.Equal(NotificationStatus.Received, midRun);
        Assert.Equal(SyncRunStatus.Succeeded, first.Status);
        Assert.Single(await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Withings, "7000000002:1"));
        Assert.Single(await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Withings, "7000000003:1"));

        var second = Assert.Single(await h.RunQueuedAsync());
        Assert.Equal(SyncTrigger.Webhook, second.Trigger);
        Assert.Contains("activity", second.CountsJson, StringComparison.Ordinal);
        Assert.DoesNotContain("measures", second.CountsJson, StringComparison.Ordinal);
        Assert.All(await h.NotificationsAsync(), n => Assert.Equal(NotificationStatus.Processed, n.Status));
    }

    [Fact]
    public async Task AnActivityNotification_FetchesActivityAndWorkouts_AndStoresTheNewWorkout()
    {
        await using var h = await WebhookHarness.StartAsync();
        var start = WeighInAt.AddHours(-2);
        h.Sync.Withings.Data.Add("workouts", new FakeRecord(SyncHarness.AdaWithings, new DateOnly(2026, 11, 25), null, new
        {
            id = 9100000042L, category = 2, timezone = "Europe/Berlin", model = 93, attrib = 0, startdate = start.ToUnixTimeSeconds(),
            enddate = start.AddMinutes(35).ToUnixTimeSeconds(), date = "2026-11-25", modified = WeighInAt.ToUnixTimeSeconds(), deviceid = "b81d44e0c2",
            data = new { calories = 320.0, distance = 6100.0, hr_average = 148 },
        }));
        var measuresBefore = h.Sync.Withings.Data.Requests("measures");
        var sleepBefore = h.Sync.Withings.Data.Requests("sleep_summary");

        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 16, start, start.AddMinutes(35));

        Assert.Equal("activity,workouts", Assert.Single(await h.NotificationsAsync()).DataType);
        var run = Assert.Single(await h.RunQueuedAsync());
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Contains("\"activity\"", run.CountsJson, StringComparison.Ordinal);
        Assert.Contains("\"workouts\"", run.CountsJson, StringComparison.Ordinal);
        Assert.Equal((measuresBefore, sleepBefore), (h.Sync.Withings.Data.Requests("measures"), h.Sync.Withings.Data.Requests("sleep_summary")));
        var workout = await h.App.WithDbAsync(db => db.Set<Workout>().SingleAsync(w => w.SourceRecordId == "9100000042", Ct));
        Assert.Equal((h.Sync.AdaId, SampleSource.Withings, "running", 6100.0), (workout.UserId, workout.Source, workout.Activity, workout.DistanceMeters));
        Assert.Equal(NotificationStatus.Processed, Assert.Single(await h.NotificationsAsync()).Status);
    }

    [Fact]
    public async Task UnknownUser_MalformedBodies_AndAWrongSecret_ChangeNothing()
    {
        await using var h = await WebhookHarness.StartAsync();
        var callback = h.Sync.Withings.Subscriptions.First().CallbackUrl;
        var samples = await h.App.WithDbAsync(db => db.Samples.CountAsync());
        var withingsRequests = h.Sync.Withings.Data.TotalRequests;

        KeyValuePair<string, string> F(string k, string v) => new(k, v);
        // Answered 200 (Withings would otherwise retry, then drop the subscription), recorded nowhere.
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Withings.PostToAsync(callback, [F("userid", "99999999"), F("appli", "1"), F("startdate", "1764060000"), F("enddate", "1764060060")]));
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Withings.PostToAsync(callback, [F("appli", "1")]));
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Withings.PostToAsync(callback, [F("userid", SyncHarness.AdaWithings), F("appli", "one")]));
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Withings.PostToAsync(callback, [F("userid", SyncHarness.AdaWithings), F("appli", "1"), F("startdate", "1764060060"), F("enddate", "1764060000")]));
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Withings.PostToAsync(callback, [F("userid", "' OR 1=1 --"), F("appli", "1")]));
        using (var json = new StringContent("{\"userid\":38271645}", System.Text.Encoding.UTF8, "application/json"))
        {
            Assert.Equal(HttpStatusCode.OK, (await h.Callbacks.PostAsync(new Uri(callback).PathAndQuery, json, Ct)).StatusCode);
        }

        // Without the callback's secret it is not Withings.
        using (var forged = new FormUrlEncodedContent([F("userid", SyncHarness.AdaWithings), F("appli", "1")]))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await h.Callbacks.PostAsync("/webhooks/withings?token=guess", forged, Ct)).StatusCode);
        }

        Assert.Empty(await h.NotificationsAsync());
        Assert.Empty(await h.RunQueuedAsync());
        Assert.Equal(samples, await h.App.WithDbAsync(db => db.Samples.CountAsync()));
        Assert.Equal(withingsRequests, h.Sync.Withings.Data.TotalRequests);

        // A category LifeOs does not read (temperature) is recorded as ignored and queues nothing.
        await h.Sync.Withings.PostToAsync(callback, [F("userid", SyncHarness.AdaWithings), F("appli", "2"), F("startdate", "1764060000"), F("enddate", "1764060060")]);
        Assert.Equal(NotificationStatus.Ignored, Assert.Single(await h.NotificationsAsync()).Status);
        Assert.Empty(await h.RunQueuedAsync());
    }

    [Fact]
    public async Task ASubscriptionMissingFromList_IsSubscribedAgain_AtTheNextCheck()
    {
        await using var h = await WebhookHarness.StartAsync();
        // Withings dropped Ada's sleep subscription after failed deliveries.
        lock (h.Sync.Withings.Subscriptions)
        {
            h.Sync.Withings.Subscriptions.RemoveAll(s => s.Account == SyncHarness.AdaWithings && s.Appli == 44);
        }

        await h.SubscribeAllAsync();

        Assert.Single(h.Sync.Withings.Subscriptions, s => s.Account == SyncHarness.AdaWithings && s.Appli == 44);
        Assert.Equal(8, h.Sync.Withings.Subscriptions.Count);
        var status = await h.Sync.WithAsync<SubscriptionStatus?, WebhookSubscriptions>(s => s.GetStatusAsync(ProviderKind.Withings, Ct));
        Assert.Equal(1, status!.Created);
        Assert.Equal(8, status.Active);
        Assert.Equal(0, status.Failed);
    }

    [Fact]
    public async Task Disconnect_RevokesThatUsersSubscriptions_AndLaterDeliveriesChangeNothing()
    {
        await using var h = await WebhookHarness.StartAsync();
        var callback = h.Sync.Withings.Subscriptions.First(s => s.Account == SyncHarness.AdaWithings).CallbackUrl;

        var outcome = await h.Sync.WithAsync<ConnectionOutcome, ConnectionService>(s => s.DisconnectAsync(h.Sync.AdaId, ProviderKind.Withings, deleteData: false, Ct));

        Assert.True(outcome.Succeeded);
        Assert.DoesNotContain(h.Sync.Withings.Subscriptions, s => s.Account == SyncHarness.AdaWithings);
        Assert.Equal(4, h.Sync.Withings.Subscriptions.Count(s => s.Account == SyncHarness.BoWithings));
        KeyValuePair<string, string> F(string k, string v) => new(k, v);
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Withings.PostToAsync(callback, [F("userid", SyncHarness.AdaWithings), F("appli", "1"), F("startdate", "1764060000"), F("enddate", "1764060060")]));
        Assert.Empty(await h.NotificationsAsync());
    }

    [Fact]
    public async Task ReconnectingWithAnotherWithingsAccount_RevokesTheOldAccountsSubscriptionsAndGrant()
    {
        await using var h = await WebhookHarness.StartAsync();
        const string otherAccount = "49990001";
        var callback = h.Sync.Withings.Subscriptions.First(s => s.Account == SyncHarness.AdaWithings).CallbackUrl;

        h.Sync.Withings.Account = otherAccount;
        await h.Sync.Inner.ConnectAsync(h.Sync.Ada, "withings");

        var connection = await h.App.WithDbAsync(db => db.Connections.SingleAsync(c => c.UserId == h.Sync.AdaId && c.Provider == ProviderKind.Withings));
        Assert.Equal(otherAccount, connection.ProviderUserId);
        Assert.Equal(ConnectionStatus.Connected, connection.Status);
        Assert.DoesNotContain(h.Sync.Withings.Subscriptions, s => s.Account == SyncHarness.AdaWithings);
        Assert.All(h.Sync.Withings.Grants.Where(g => g.Account == SyncHarness.AdaWithings), g => Assert.True(g.Revoked));
        Assert.Equal(4, h.Sync.Withings.Subscriptions.Count(s => s.Account == SyncHarness.BoWithings));

        // The new account is subscribed by the check a connect starts; the old one's deliveries record nothing.
        await h.SubscribeAllAsync();
        Assert.Equal([1, 4, 16, 44], h.Sync.Withings.Subscriptions.Where(s => s.Account == otherAccount).Select(s => s.Appli).Order());
        KeyValuePair<string, string> F(string k, string v) => new(k, v);
        Assert.Equal(HttpStatusCode.OK, await h.Sync.Withings.PostToAsync(callback, [F("userid", SyncHarness.AdaWithings), F("appli", "1"), F("startdate", "1764060000"), F("enddate", "1764060060")]));
        Assert.Empty(await h.NotificationsAsync());
    }

    [Fact]
    public async Task ANotificationForAda_NeverTouchesBo()
    {
        await using var h = await WebhookHarness.StartAsync();
        AddWeighIn(h.Sync.Withings);
        // Bo has a new weigh-in too, but nobody told LifeOs about it.
        AddWeighIn(h.Sync.Withings, SyncHarness.BoWithings, grpid: 7000000009, at: WeighInAt);
        var boSamples = await h.Sync.SampleCountAsync(h.Sync.BoId);
        var boRuns = await h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.UserId == h.Sync.BoId));

        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, WeighInAt.AddMinutes(-1), WeighInAt.AddMinutes(1));
        var run = Assert.Single(await h.RunQueuedAsync());

        Assert.Equal(h.Sync.AdaId, run.UserId);
        Assert.Single(await h.SamplesByRecordAsync(h.Sync.AdaId, SampleSource.Withings, "7000000001:1"));
        Assert.Empty(await h.SamplesByRecordAsync(h.Sync.BoId, SampleSource.Withings, "7000000009:1"));
        Assert.Equal(boSamples, await h.Sync.SampleCountAsync(h.Sync.BoId));
        Assert.Equal(boRuns, await h.App.WithDbAsync(db => db.Set<SyncRun>().CountAsync(r => r.UserId == h.Sync.BoId)));
    }

    [Theory]
    [InlineData("POST", "/webhooks/withings", true)]
    [InlineData("POST", "/webhooks/oura", true)]
    [InlineData("GET", "/webhooks/oura", false)]
    public void WebhookPosts_FallUnderTheirOwnRateLimitBucket(string method, string path, bool limited)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        Assert.Equal(limited ? LifeOs.Web.RateLimitBucket.Webhook : null, LifeOs.Web.RateLimits.BucketOf(context.Request));
        Assert.True(new LifeOs.Web.RateLimitSettings(1).PerAddress(LifeOs.Web.RateLimitBucket.Webhook).Permits >= 120);
    }

    /// <summary>
    /// Withings delivers every user's notifications from a few addresses: at the real limits (scale 1, 600 a minute
    /// per address) a burst beyond the limit that carries the callback secret is still answered and recorded, while
    /// posts without the secret from one address are refused with 429 once past it.
    /// </summary>
    [Fact]
    public async Task DeliveriesWithTheCallbackSecret_AreNotRateLimited_PostsWithoutItAre()
    {
        await using var h = await WebhookHarness.StartAsync(new() { ["LifeOs:RateLimits:Scale"] = "1" });
        var permits = new LifeOs.Web.RateLimitSettings(1).PerAddress(LifeOs.Web.RateLimitBucket.Webhook).Permits;
        h.Callbacks.DefaultRequestHeaders.Add(PeerAddressStartupFilter.Header, "203.0.113.40");

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i <= permits; i++)
        {
            var at = WeighInAt.AddMinutes(-i);
            answers.AddRange(await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, at, at));
        }

        Assert.Equal(permits + 1, answers.Count);
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a));
        Assert.Equal(permits + 1, (await h.NotificationsAsync()).Count);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= permits; i++)
        {
            statuses.Add(await h.Sync.Withings.PostToAsync($"{WebhookHarness.PublicBaseUrl}/webhooks/withings?token=guess-{i}",
                [new("userid", SyncHarness.AdaWithings), new("appli", "1")]));
        }

        Assert.All(statuses.Take(permits), s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(permits + 1, (await h.NotificationsAsync()).Count);
    }

    [Fact]
    public async Task Notifications_AreKept30Days_ThenPruned()
    {
        await using var h = await WebhookHarness.StartAsync();
        AddWeighIn(h.Sync.Withings);
        await h.Sync.Withings.NotifyAsync(SyncHarness.AdaWithings, 1, WeighInAt, WeighInAt);
        await h.RunQueuedAsync();

        h.Sync.Inner.Time.Advance(TimeSpan.FromDays(29));
        await h.Sync.WithAsync<int, WebhookInbox>(i => i.PruneAndDispatchAsync(Ct));
        Assert.Single(await h.NotificationsAsync());

        h.Sync.Inner.Time.Advance(TimeSpan.FromDays(2));
        await h.Sync.WithAsync<int, WebhookInbox>(i => i.PruneAndDispatchAsync(Ct));
        Assert.Empty(await h.NotificationsAsync());
    }
}
