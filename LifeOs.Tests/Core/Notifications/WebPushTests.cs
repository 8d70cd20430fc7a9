using System.Text.Json;
using LifeOs.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Core.Notifications;

/// <summary>
/// Web Push against an in-process push service that checks the VAPID JWT's signature, audience and expiry, the
/// aes128gcm headers, and decrypts the payload with the subscription's keys as a browser would.
/// </summary>
public sealed class WebPushTests : IAsyncLifetime
{
    private readonly FakePushService push = new();

    public async ValueTask InitializeAsync() => await push.StartAsync();

    public async ValueTask DisposeAsync() => await push.DisposeAsync();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> SubscribeAsync(NotificationHarness h, string userId)
    {
        var result = await h.WithAsync<NotificationResult, NotificationService>(s => s.AddPushAsync(userId, push.Endpoint, push.P256dh, push.Auth, "Chrome on Android", "https://life.example.org/", Ct));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return result.Id!.Value;
    }

    [Fact]
    public async Task AReminder_ReachesThePushService_SignedWithTheServersVapidKey_AndDecryptsToTheMessage()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        push.ExpectedVapidKey = h.Get<VapidKeys>().PublicKey;
        await h.AddUserAsync("ada", "UTC");
        await h.RemindAsync("ada", ReminderKind.MorningPages, new TimeOnly(7, 30));
        await SubscribeAsync(h, "ada");

        var result = await h.RunAsync(Ct);

        Assert.Empty(push.Problems);
        Assert.Equal(1, result.Sent);
        var request = Assert.Single(push.Received);
        Assert.Equal("/push/send/subscription-1", request.Path);
        using var payload = JsonDocument.Parse(Assert.Single(push.Payloads));
        Assert.Equal("Time for your morning pages", payload.RootElement.GetProperty("title").GetString());
        Assert.Equal("/journal/new?kind=morning-pages", payload.RootElement.GetProperty("url").GetString());
        var stored = await h.DbAsync(db => db.NotificationChannels.AsNoTracking().SingleAsync(Ct));
        Assert.DoesNotContain(push.Auth, stored.ProtectedSecret!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VapidKeys_AreMadeOnce_AndKeptAcrossRestarts()
    {
        string first;
        await using (var h = await NotificationHarness.StartAsync(DateTimeOffset.UtcNow))
        {
            first = h.Get<VapidKeys>().PublicKey;
            await using var again = await NotificationHarness.StartAsync(DateTimeOffset.UtcNow, h.Directory);
            Assert.Equal(first, again.Get<VapidKeys>().PublicKey);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(h.Directory, "vapid.json")));
            }
        }

        Assert.Equal(87, first.Length); // 65 bytes, base64url without padding
    }

    [Fact]
    public async Task ASubscriptionThePushServiceCallsGone_FailsAtOnce_WithoutRetries_AndTheChannelShowsFailing()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "UTC");
        await h.RemindAsync("ada", ReminderKind.MorningPages, new TimeOnly(7, 30));
        await SubscribeAsync(h, "ada");
        push.FailNext = 10;
        push.FailWith = System.Net.HttpStatusCode.Gone;

        var result = await h.RunAsync(Ct);
        h.Time.Advance(TimeSpan.FromHours(1));
        await h.RunAsync(Ct);

        Assert.Equal(1, result.Failed);
        Assert.Single(push.Received);
        var channel = Assert.Single((await h.WithAsync<NotificationsOverview, NotificationService>(s => s.GetAsync("ada", Ct))).Channels);
        Assert.NotNull(channel.FailingSince);
        Assert.StartsWith("This browser's subscription has ended", channel.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSameBrowserSubscribingAgain_KeepsOneChannel()
    {
        await using var h = await NotificationHarness.StartAsync(new DateTimeOffset(2026, 12, 1, 7, 30, 0, TimeSpan.Zero));
        await h.AddUserAsync("ada", "UTC");
        var first = await SubscribeAsync(h, "ada");
        var second = await SubscribeAsync(h, "ada");
        Assert.Equal(first, second);
        Assert.Equal(1, await h.DbAsync(db => db.NotificationChannels.CountAsync(Ct)));
    }
}
