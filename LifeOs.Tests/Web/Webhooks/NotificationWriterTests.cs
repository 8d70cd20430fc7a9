using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using LifeOs.Core.Connections;
using LifeOs.Core.Webhooks;
using LifeOs.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Webhooks;

/// <summary>
/// The group commit behind the webhook endpoints (<see cref="NotificationWriter"/>): deliveries arriving together are
/// written in one transaction, each answered only after it committed, repeats (even in the same batch) inserted once,
/// and a failed batch answers every delivery in it with the failure while what was answered before stays recorded.
/// </summary>
public sealed class NotificationWriterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ManyConcurrentDeliveries_AreEachRecordedOnce_OnTheirOwnConnection_AndEachAnswerSaysWhichItWas()
    {
        await using var h = await WebhookHarness.StartAsync(new() { ["Providers:Webhooks:ServerTiming"] = "true" });
        var callback = new Uri(h.App.Services.GetRequiredService<WebhookSettings>().WithingsCallbackUrl).PathAndQuery;
        var start = new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        // 40 different notifications for Ada and Bo, and 10 of them a second time, all sent at once.
        var distinct = Enumerable.Range(0, 40).Select(i => (Account: i % 2 == 0 ? SyncHarness.AdaWithings : SyncHarness.BoWithings, Start: start - (i * 60))).ToList();
        var answers = await Task.WhenAll(distinct.Concat(distinct.Take(10)).Select(async n =>
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["userid"] = n.Account,
                ["appli"] = "1",
                ["startdate"] = n.Start.ToString(CultureInfo.InvariantCulture),
                ["enddate"] = (n.Start + 60).ToString(CultureInfo.InvariantCulture),
            });
            using var response = await h.Callbacks.PostAsync(callback, content, Ct);
            var timing = response.Headers.TryGetValues("Server-Timing", out var values) ? string.Join(", ", values) : "";
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct), Timing: timing);
        }));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(40, answers.Count(a => a.Body == nameof(ReceiptOutcome.Accepted)));
        Assert.Equal(10, answers.Count(a => a.Body == nameof(ReceiptOutcome.Duplicate)));
        // Every answer says where its time went, the write's batch included.
        Assert.All(answers, a => Assert.Matches(@"^total;dur=[\d.]+, pipeline;dur=[\d.]+, read;dur=[\d.]+, queue;dur=[\d.]+, lock;dur=[\d.]+, write;dur=[\d.]+, batch;desc=\d+, gc;desc=\d+(, gcgen;desc=[012])?, gcpause;dur=[\d.]+, threads;desc=[1-9]\d*$", a.Timing));
        var rows = await h.NotificationsAsync();
        Assert.Equal(40, rows.Count);
        Assert.Equal(40, rows.Select(r => r.DedupKey).Distinct().Count());
        var ada = await h.ConnectionIdAsync(h.Sync.AdaId, ProviderKind.Withings);
        var bo = await h.ConnectionIdAsync(h.Sync.BoId, ProviderKind.Withings);
        Assert.All(rows, r => Assert.Equal(r.DedupKey.StartsWith(SyncHarness.AdaWithings + "|", StringComparison.Ordinal) ? ada : bo, r.ConnectionId));
        Assert.Equal(20, rows.Count(r => r.ConnectionId == ada));
    }

    [Fact]
    public async Task Answers_CarryNoServerTiming_UnlessTurnedOn()
    {
        await using var h = await WebhookHarness.StartAsync(subscribe: false);
        var callback = new Uri(h.App.Services.GetRequiredService<WebhookSettings>().WithingsCallbackUrl).PathAndQuery;
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["userid"] = SyncHarness.AdaWithings,
            ["appli"] = "1",
            ["startdate"] = "1795939200",
            ["enddate"] = "1795939260",
        });

        using var response = await h.Callbacks.PostAsync(callback, content, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task ARepeatInsideOneBatch_IsInsertedOnce_AndAnsweredAsADuplicate()
    {
        await using var h = await WebhookHarness.StartAsync(subscribe: false);
        var connection = await h.ConnectionIdAsync(h.Sync.AdaId, ProviderKind.Withings);
        var writer = h.App.Services.GetRequiredService<NotificationWriter>();
        NotificationWriter.Pending[] batch = [Pending(connection, "first"), Pending(connection, "first"), Pending(connection, "second")];

        await writer.WriteAsync(batch);

        var written = await Task.WhenAll(batch.Select(p => p.Done.Task));
        Assert.NotNull(written[0].Id);
        Assert.Null(written[1].Id);
        Assert.NotNull(written[2].Id);
        Assert.All(written, w => Assert.Equal(3, w.Batch));
        Assert.Equal(["first", "second"], (await h.NotificationsAsync()).Select(n => n.DedupKey));
    }

    [Fact]
    public async Task AFailedBatch_AnswersEveryDeliveryInItWithTheFailure_KeepsWhatWasAnsweredBefore_AndTheWriterCarriesOn()
    {
        await using var h = await WebhookHarness.StartAsync(subscribe: false);
        var connection = await h.ConnectionIdAsync(h.Sync.AdaId, ProviderKind.Withings);
        var writer = h.App.Services.GetRequiredService<NotificationWriter>();
        var acknowledged = await writer.RecordAsync(Notification(connection, "acknowledged"), Ct);
        Assert.NotNull(acknowledged.Id);

        // A row for a connection that does not exist breaks the batch's transaction (foreign key): its neighbour too.
        NotificationWriter.Pending[] batch = [Pending(connection, "innocent"), Pending(connection + 1000, "broken")];
        await writer.WriteAsync(batch);

        var innocent = await Assert.ThrowsAnyAsync<DbException>(() => batch[0].Done.Task);
        Assert.Same(innocent, await Assert.ThrowsAnyAsync<DbException>(() => batch[1].Done.Task));
        Assert.Equal(["acknowledged"], (await h.NotificationsAsync()).Select(n => n.DedupKey));

        // The provider's retry of the innocent delivery is recorded: nothing of the failed batch was kept.
        Assert.NotNull((await writer.RecordAsync(Notification(connection, "innocent"), Ct)).Id);
        Assert.Equal(["acknowledged", "innocent"], (await h.NotificationsAsync()).Select(n => n.DedupKey));
    }

    private static NotificationWriter.Pending Pending(long connectionId, string key) => new(Notification(connectionId, key), Stopwatch.GetTimestamp());

    /// <summary>Ignored, so nothing would dispatch it: only the write is under test.</summary>
    private static ProviderNotification Notification(long connectionId, string key) => new()
    {
        Provider = ProviderKind.Withings,
        ReceivedAt = new DateTime(2026, 11, 25, 9, 30, 0, DateTimeKind.Utc),
        DedupKey = key,
        ConnectionId = connectionId,
        Status = NotificationStatus.Ignored,
        ProcessedAt = new DateTime(2026, 11, 25, 9, 30, 0, DateTimeKind.Utc),
    };
}
