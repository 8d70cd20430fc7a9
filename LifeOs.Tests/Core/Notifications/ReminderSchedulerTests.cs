using LifeOs.Core.Data;
using LifeOs.Core.Journal;
using LifeOs.Core.Notifications;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LifeOs.Tests.Core.Notifications;

/// <summary>
/// The scheduler over real SQLite, a fake clock and a fake ntfy server on loopback: local times in two zones across
/// DST changes, "skipped when already written", quiet hours, at most once across a restart, retries then failing.
/// </summary>
public sealed class ReminderSchedulerTests : IAsyncLifetime
{
    private readonly FakeChannelServer ntfy = new();

    public async ValueTask InitializeAsync() => await ntfy.StartAsync();

    public async ValueTask DisposeAsync() => await ntfy.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(2026, 3, 29, 2, 30, "2026-03-29T01:00:00Z")] // Berlin skips 02:00-03:00: the first minute after the gap
    [InlineData(2026, 10, 25, 2, 30, "2026-10-25T00:30:00Z")] // Berlin repeats 02:00-03:00: the first time (CEST)
    [InlineData(2026, 10, 24, 7, 30, "2026-10-24T05:30:00Z")]
    [InlineData(2026, 10, 26, 7, 30, "2026-10-26T06:30:00Z")]
    public void DueUtc_InBerlin_HandlesGapsAndRepeats(int y, int m, int d, int h, int min, string expected)
    {
        var due = ReminderTimes.DueUtc(TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), new DateOnly(y, m, d), new TimeOnly(h, min));
        Assert.Equal(DateTime.Parse(expected, null, System.Globalization.DateTimeStyles.AdjustToUniversal), due);
        Assert.Equal(DateTimeKind.Utc, due.Kind);
    }

    [Fact]
    public async Task MorningPages_InTwoZones_AcrossTheirDstChanges_GoOutOncePerLocalDayAt0730()
    {
        // Berlin leaves summer time on 25 October, New York on 1 November.
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 10, 23, 0, 0, 0, TimeSpan.Zero));
        await h.AddUserAsync("berlin", "Europe/Berlin");
        await h.AddUserAsync("newyork", "America/New_York");
        foreach (var user in new[] { "berlin", "newyork" })
        {
            await h.RemindAsync(user, ReminderKind.MorningPages, new TimeOnly(7, 30));
            await h.AddNtfyAsync(user, $"{ntfy.BaseUrl}/{user}");
        }

        var sentAt = new Dictionary<string, List<DateTime>> { ["/berlin"] = [], ["/newyork"] = [] };
        var end = new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero);
        while (h.Time.GetUtcNow() < end)
        {
            var before = ntfy.Received.Count;
            await h.RunAsync(Ct);
            foreach (var request in ntfy.Received.Skip(before))
            {
                sentAt[request.Path].Add(h.Time.GetUtcNow().UtcDateTime);
            }

            h.Time.Advance(TimeSpan.FromMinutes(15));
        }

        // 23 Oct to 2 Nov: eleven local mornings each, each at 07:30 local, whatever the offset that day.
        Assert.Equal(11, sentAt["/berlin"].Count);
        Assert.Equal(11, sentAt["/newyork"].Count);
        Assert.All(sentAt["/berlin"], at => Assert.Equal(new TimeOnly(7, 30), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(at, TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")))));
        Assert.All(sentAt["/newyork"], at => Assert.Equal(new TimeOnly(7, 30), TimeOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(at, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")))));
        Assert.Contains(new DateTime(2026, 10, 24, 5, 30, 0, DateTimeKind.Utc), sentAt["/berlin"]);
        Assert.Contains(new DateTime(2026, 10, 25, 6, 30, 0, DateTimeKind.Utc), sentAt["/berlin"]);
        Assert.Contains(new DateTime(2026, 10, 31, 11, 30, 0, DateTimeKind.Utc), sentAt["/newyork"]);
        Assert.Contains(new DateTime(2026, 11, 1, 12, 30, 0, DateTimeKind.Utc), sentAt["/newyork"]);
        var log = await h.OccurrencesAsync("berlin");
        Assert.Equal(11, log.Select(o => o.Occurrence).Distinct().Count());
        Assert.All(log, o => Assert.Equal(OccurrenceStatus.Sent, o.Status));
    }

    [Fact]
    public async Task JournalReminder_WhenThatKindIsWrittenToday_IsSkipped_AndAnotherKindStillGoes()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 20, 0, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "Europe/Lisbon");
        await h.RemindAsync("ada", ReminderKind.MorningPages, new TimeOnly(20, 0));
        await h.RemindAsync("ada", ReminderKind.DailyReflection, new TimeOnly(20, 0));
        await h.AddNtfyAsync("ada", $"{ntfy.BaseUrl}/ada");
        await h.WriteAsync("ada", JournalKind.MorningPages, new DateOnly(2026, 12, 1));
        // Yesterday's reflection does not count for today.
        await h.WriteAsync("ada", JournalKind.DailyReflection, new DateOnly(2026, 11, 30));

        var result = await h.RunAsync(Ct);

        Assert.Equal(1, result.Skipped);
        var request = Assert.Single(ntfy.Received);
        Assert.Equal("Time to reflect on your day", request.Headers["Title"]);
        Assert.Equal("https://life.example.org/journal/new?kind=reflection", request.Headers["Click"]);
        var log = await h.OccurrencesAsync("ada");
        var skipped = Assert.Single(log, o => o.Kind == ReminderKind.MorningPages);
        Assert.Equal(OccurrenceStatus.Skipped, skipped.Status);
        Assert.Equal("Morning pages already written today", skipped.Reason);
        Assert.Empty(skipped.Deliveries);
    }

    [Fact]
    public async Task Reminder_InQuietHours_IsSkipped_OutsideThemSent()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "Asia/Tokyo");
        await h.RemindAsync("ada", ReminderKind.MorningPages, new TimeOnly(6, 30)); // quiet until 07:00
        await h.RemindAsync("ada", ReminderKind.DailyReflection, new TimeOnly(21, 0));
        await h.AddNtfyAsync("ada", $"{ntfy.BaseUrl}/ada");
        var saved = await h.WithAsync<NotificationResult, NotificationService>(s => s.SaveAsync("ada",
            [new(ReminderKind.MorningPages, true, new(6, 30), null), new(ReminderKind.DailyReflection, true, new(21, 0), null)],
            new TimeOnly(22, 0), new TimeOnly(7, 0), Ct));
        Assert.True(saved.Succeeded);

        // Tokyo is UTC+9: 06:30 local on 2 Dec is 21:30Z on 1 Dec; 21:00 local is 12:00Z.
        for (var i = 0; i < 24 * 4; i++)
        {
            await h.RunAsync(Ct);
            h.Time.Advance(TimeSpan.FromMinutes(15));
        }

        var request = Assert.Single(ntfy.Received);
        Assert.Equal("Time to reflect on your day", request.Headers["Title"]);
        var quiet = Assert.Single(await h.OccurrencesAsync("ada"), o => o.Kind == ReminderKind.MorningPages);
        Assert.Equal(OccurrenceStatus.Skipped, quiet.Status);
        Assert.Equal("Quiet hours", quiet.Reason);
    }

    [Fact]
    public async Task SaveAsync_WithOneEndOfQuietHours_SaysSo_AndKeepsWhatWasThere()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "UTC");
        var result = await h.WithAsync<NotificationResult, NotificationService>(s => s.SaveAsync("ada", [new(ReminderKind.MorningPages, true, new(7, 0), null)], new TimeOnly(22, 0), null, Ct));
        Assert.False(result.Succeeded);
        Assert.Equal("Set both ends of the quiet hours, or neither.", result.Errors["quiet"]);
        Assert.Equal(0, await h.DbAsync(db => db.ReminderSettings.CountAsync(Ct)));
    }

    [Fact]
    public async Task AStopInTheMiddleOfASend_NeverSendsThatOccurrenceAgain()
    {
        var start = new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero);
        await using var first = await NotificationHarness.StartAsync(start);
        await first.AddUserAsync("ada", "UTC");
        await first.RemindAsync("ada", ReminderKind.MorningPages, new TimeOnly(7, 30));
        await first.AddNtfyAsync("ada", $"{ntfy.BaseUrl}/ada");

        // The message reaches ntfy, and the app stops before it hears back.
        ntfy.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = new CancellationTokenSource();
        var run = first.RunAsync(stop.Token);
        await ntfy.AtGate.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        ntfy.Gate.SetResult();
        ntfy.Gate = null;
        Assert.Equal(DeliveryStatus.Sending, Assert.Single(Assert.Single(await first.OccurrencesAsync("ada")).Deliveries).Status);

        // Restart over the same data directory: the start-up step, then the scheduler, minute after minute.
        await using var second = await NotificationHarness.StartAsync(start.AddSeconds(30), first.Directory);
        var startup = second.Get<IEnumerable<IHostedService>>().Single(s => s.GetType().Name == "NotificationStartup");
        await startup.StartAsync(Ct);
        for (var i = 0; i < 30; i++)
        {
            await second.RunAsync(Ct);
            second.Time.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Single(ntfy.Received);
        var occurrence = Assert.Single(await second.OccurrencesAsync("ada"));
        Assert.Equal(DeliveryStatus.Interrupted, Assert.Single(occurrence.Deliveries).Status);
    }

    /// <summary>
    /// Issue 20: on PostgreSQL an instance that starts while another sends must not take that send for cut off; a send
    /// older than the lease (its instance stopped mid-send) still is, and is never sent again.
    /// </summary>
    [Fact]
    public async Task OnPostgreSQL_AnInstanceStarting_MarksOnlySendsOlderThanTheLease_NotAnotherInstancesSendInFlight()
    {
        var start = new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero);
        var database = PostgresServer.AppSettings();
        ntfy.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // Instance one stops while Bo's 07:30 reminder is at ntfy.
        await using var stopped = await NotificationHarness.StartAsync(start, settings: database);
        await stopped.AddUserAsync("bo", "UTC");
        await stopped.RemindAsync("bo", ReminderKind.MorningPages, new TimeOnly(7, 30));
        await stopped.AddNtfyAsync("bo", $"{ntfy.BaseUrl}/bo");
        await stopped.AddUserAsync("ada", "UTC");
        await stopped.RemindAsync("ada", ReminderKind.MorningPages, new TimeOnly(7, 33));
        await stopped.AddNtfyAsync("ada", $"{ntfy.BaseUrl}/ada");
        using var stop = new CancellationTokenSource();
        var cut = stopped.RunAsync(stop.Token);
        await ntfy.AtGate.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cut);

        // Instance two, alive, is sending Ada's 07:33 reminder (its own pass leaves Bo's, claimed 3 minutes ago, alone).
        await using var sending = await NotificationHarness.StartAsync(start.AddMinutes(3), stopped.Directory, database);
        var inFlight = sending.RunAsync(Ct);
        while (ntfy.Received.Count < 2)
        {
            await Task.Delay(10, Ct);
        }

        // Instance three starts at 07:36: Bo's send is older than the 5-minute lease, Ada's is not.
        await using var starting = await NotificationHarness.StartAsync(start.AddMinutes(6), stopped.Directory, database);
        await starting.Get<IEnumerable<IHostedService>>().Single(s => s.GetType().Name == "NotificationStartup").StartAsync(Ct);
        Assert.Equal(DeliveryStatus.Interrupted, Assert.Single(Assert.Single(await starting.OccurrencesAsync("bo")).Deliveries).Status);
        Assert.Equal(DeliveryStatus.Sending, Assert.Single(Assert.Single(await starting.OccurrencesAsync("ada")).Deliveries).Status);

        ntfy.Gate.SetResult();
        ntfy.Gate = null;
        Assert.Equal(1, (await inFlight).Sent);
        var ada = Assert.Single(await starting.OccurrencesAsync("ada"));
        Assert.Equal(OccurrenceStatus.Sent, ada.Status);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(ada.Deliveries).Status);
        await starting.RunAsync(Ct);
        Assert.Equal(["/ada", "/bo"], ntfy.Received.Select(r => r.Path).Order());
    }

    [Fact]
    public async Task TwoSchedulersAtOnce_ClaimEachOccurrenceOnce()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        for (var i = 0; i < 50; i++)
        {
            await h.AddUserAsync($"u{i}", "UTC");
            await h.RemindAsync($"u{i}", ReminderKind.MorningPages, new TimeOnly(7, 30));
            await h.AddNtfyAsync($"u{i}", $"{ntfy.BaseUrl}/u{i}");
        }

        await Task.WhenAll(h.RunAsync(Ct), h.RunAsync(Ct), h.RunAsync(Ct));

        Assert.Equal(50, ntfy.Received.Count);
        Assert.Equal(50, ntfy.Received.Select(r => r.Path).Distinct().Count());
    }

    [Fact]
    public async Task AFailingChannel_IsRetriedWithBackoff_ThenMarkedFailing_AndATestThatGetsThroughClearsIt()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "UTC");
        await h.RemindAsync("ada", ReminderKind.MorningPages, new TimeOnly(7, 30));
        var channel = await h.AddNtfyAsync("ada", $"{ntfy.BaseUrl}/ada");
        ntfy.FailNext = 100;

        var first = await h.RunAsync(Ct);
        Assert.Equal(1, first.Retrying);
        var delivery = Assert.Single(Assert.Single(await h.OccurrencesAsync("ada")).Deliveries);
        Assert.Equal(DeliveryStatus.Retrying, delivery.Status);
        Assert.Equal("The ntfy server answered HTTP 500.", delivery.LastError);
        Assert.Equal(h.Time.GetUtcNow().UtcDateTime.AddMinutes(1), delivery.NextAttemptAt);

        // Not before its time.
        h.Time.Advance(TimeSpan.FromSeconds(30));
        await h.RunAsync(Ct);
        Assert.Single(ntfy.Received);

        foreach (var wait in new[] { 0.5, 5, 30 })
        {
            h.Time.Advance(TimeSpan.FromMinutes(wait));
            await h.RunAsync(Ct);
        }

        Assert.Equal(4, ntfy.Received.Count);
        var occurrence = Assert.Single(await h.OccurrencesAsync("ada"));
        Assert.Equal(OccurrenceStatus.Failed, occurrence.Status);
        Assert.Equal(DeliveryStatus.Failed, occurrence.Deliveries[0].Status);
        Assert.Equal(4, occurrence.Deliveries[0].Attempts);
        var overview = await h.WithAsync<NotificationsOverview, NotificationService>(s => s.GetAsync("ada", Ct));
        Assert.NotNull(Assert.Single(overview.Channels).FailingSince);

        h.Time.Advance(TimeSpan.FromHours(3));
        await h.RunAsync(Ct);
        Assert.Equal(4, ntfy.Received.Count);

        ntfy.FailNext = 0;
        var test = await h.WithAsync<NotificationResult?, NotificationService>(s => s.SendTestAsync("ada", channel, Ct));
        Assert.True(test!.Succeeded);
        overview = await h.WithAsync<NotificationsOverview, NotificationService>(s => s.GetAsync("ada", Ct));
        Assert.Null(Assert.Single(overview.Channels).FailingSince);
    }

    [Fact]
    public async Task Ntfy_SendsTitleClickAndTheAccessToken_WhichIsStoredOnlyEncrypted()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "UTC");
        var channel = await h.AddNtfyAsync("ada", $"{ntfy.BaseUrl}/lifeos-ada", "tk_secret_token_123");

        var result = await h.WithAsync<NotificationResult?, NotificationService>(s => s.SendTestAsync("ada", channel, Ct));

        Assert.True(result!.Succeeded);
        var request = Assert.Single(ntfy.Received);
        Assert.Equal("/lifeos-ada", request.Path);
        Assert.Equal("Bearer tk_secret_token_123", request.Headers["Authorization"]);
        Assert.Equal("LifeOs test", request.Headers["Title"]);
        Assert.Equal("https://life.example.org/settings/notifications", request.Headers["Click"]);
        Assert.Contains("Notifications reach you here", request.Text, StringComparison.Ordinal);
        var stored = await h.DbAsync(db => db.NotificationChannels.AsNoTracking().SingleAsync(c => c.Id == channel, Ct));
        Assert.DoesNotContain("tk_secret_token_123", stored.ProtectedSecret!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ntfy_WithABadAddress_SaysWhatToEnter_AndAddsNothing()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "UTC");
        var result = await h.WithAsync<NotificationResult, NotificationService>(s => s.AddNtfyAsync("ada", "ntfy.sh", null, "https://x/", Ct));
        Assert.StartsWith("Enter the full address of the topic", result.Errors["topicUrl"], StringComparison.Ordinal);
        Assert.Equal(0, await h.DbAsync(db => db.NotificationChannels.CountAsync(Ct)));
    }

    [Fact]
    public async Task AnotherUsersChannel_AnswersLikeAMissingOne_AndTheirLogIsNotShown()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "UTC");
        await h.AddUserAsync("bo", "UTC");
        await h.RemindAsync("ada", ReminderKind.MorningPages, new TimeOnly(7, 30));
        var adas = await h.AddNtfyAsync("ada", $"{ntfy.BaseUrl}/ada");
        await h.RunAsync(Ct);
        Assert.Single(ntfy.Received);

        Assert.Null(await h.WithAsync<NotificationResult?, NotificationService>(s => s.SendTestAsync("bo", adas, Ct)));
        Assert.False(await h.WithAsync<bool, NotificationService>(s => s.RemoveChannelAsync("bo", adas, Ct)));
        Assert.False(await h.WithAsync<bool, NotificationService>(s => s.SetEnabledAsync("bo", adas, false, Ct)));
        var bos = await h.WithAsync<NotificationsOverview, NotificationService>(s => s.GetAsync("bo", Ct));
        Assert.Empty(bos.Channels);
        Assert.Empty(bos.Log);
        Assert.Single(ntfy.Received);
        var adasView = await h.WithAsync<NotificationsOverview, NotificationService>(s => s.GetAsync("ada", Ct));
        Assert.True(Assert.Single(adasView.Channels).Enabled);
        Assert.Single(adasView.Log);
    }

    [Fact]
    public async Task ConnectionTrouble_NamesTheProviderToReconnect_AndSaysNothingWhenAllIsWell()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "UTC");
        await h.AddUserAsync("bo", "UTC");
        foreach (var user in new[] { "ada", "bo" })
        {
            await h.RemindAsync(user, ReminderKind.ConnectionTrouble, new TimeOnly(9, 0));
            await h.AddNtfyAsync(user, $"{ntfy.BaseUrl}/{user}");
        }

        await h.DbAsync(db =>
        {
            var now = h.Time.GetUtcNow().UtcDateTime;
            db.Connections.Add(new LifeOs.Core.Connections.Connection { UserId = "ada", Provider = LifeOs.Core.Connections.ProviderKind.Oura, ProviderUserId = "o-1", Status = LifeOs.Core.Connections.ConnectionStatus.NeedsReconnect, ProtectedAccessToken = "x", ProtectedRefreshToken = "x", ConnectedAt = now.AddDays(-9), UpdatedAt = now });
            db.Connections.Add(new LifeOs.Core.Connections.Connection { UserId = "bo", Provider = LifeOs.Core.Connections.ProviderKind.Oura, ProviderUserId = "o-2", Status = LifeOs.Core.Connections.ConnectionStatus.Connected, ProtectedAccessToken = "x", ProtectedRefreshToken = "x", ConnectedAt = now.AddDays(-9), LastSyncedAt = now.AddHours(-2), UpdatedAt = now });
            return db.SaveChangesAsync(Ct);
        });

        await h.RunAsync(Ct);

        var request = Assert.Single(ntfy.Received);
        Assert.Equal("/ada", request.Path);
        Assert.Equal("Oura needs to be connected again.", request.Text);
        Assert.Equal("https://life.example.org/integrations", request.Headers["Click"]);
        Assert.Equal("Every connection is working", Assert.Single(await h.OccurrencesAsync("bo")).Reason);
    }
}
