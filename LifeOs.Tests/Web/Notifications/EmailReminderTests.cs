using System.Net;
using System.Text.RegularExpressions;
using LifeOs.Core.Notifications;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using netDumbster.smtp;

namespace LifeOs.Tests.Web.Notifications;

/// <summary>
/// Reminder email through the app's SMTP settings against an in-process SMTP server (netDumbster): the message
/// carries a one-click unsubscribe link (and RFC 8058 headers), and the link turns that channel off.
/// </summary>
public sealed partial class EmailReminderTests : IAsyncLifetime
{
    private readonly SimpleSmtpServer smtp = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
    private LifeOsAppFactory app = default!;

    public ValueTask InitializeAsync()
    {
        app = new LifeOsAppFactory(new Dictionary<string, string?>
        {
            ["LifeOs:Smtp:Host"] = "127.0.0.1",
            ["LifeOs:Smtp:Port"] = smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["LifeOs:Smtp:Security"] = "None",
            ["LifeOs:Smtp:From"] = "lifeos@example.org",
        });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        smtp.Dispose();
    }

    [GeneratedRegex("https?://[^\\s\"<>]+/notifications/unsubscribe/[0-9a-f]+")]
    private static partial Regex UnsubscribeLink();

    private async Task<T> WithAsync<T>(Func<NotificationService, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<NotificationService>());
    }

    [Fact]
    public async Task AReminderEmail_HasAOneClickUnsubscribeLink_ThatTurnsTheChannelOff()
    {
        using var client = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.RegisterAsync("ada@example.com")).StatusCode);
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "ada@example.com").Select(u => u.Id).SingleAsync());
        var now = app.Time.GetUtcNow().UtcDateTime;
        await app.WithDbAsync(db =>
        {
            db.ReminderSettings.Add(new ReminderSetting { UserId = userId, Kind = ReminderKind.DailyReflection, Enabled = true, LocalTime = TimeOnly.FromDateTime(now) });
            return db.SaveChangesAsync();
        });
        var added = await WithAsync(s => s.AddEmailAsync(userId, "ada@example.com", "http://localhost/"));
        Assert.True(added.Succeeded, string.Join("; ", added.Errors.Values));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var run = await scope.ServiceProvider.GetRequiredService<ReminderScheduler>().RunAsync(TestContext.Current.CancellationToken);
            Assert.Equal(1, run.Sent);
        }

        var mail = Assert.Single(smtp.ReceivedEmail);
        Assert.Equal("Time to reflect on your day", mail.Subject);
        var text = mail.MessageParts[0].BodyData;
        var link = UnsubscribeLink().Match(text).Value;
        Assert.NotEmpty(link);
        Assert.Equal($"<{link}>", mail.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", mail.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("http://localhost/journal/new?kind=reflection", text, StringComparison.Ordinal);

        // Anyone holding the mail can use the link: no sign-in.
        using var anonymous = app.CreateTestClient();
        var response = await anonymous.GetAsync(new Uri(link).PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("LifeOs sends no more reminders to ada@example.com", await TestClient.BodyAsync(response), StringComparison.Ordinal);
        Assert.False(Assert.Single((await WithAsync(s => s.GetAsync(userId))).Channels).Enabled);

        var unknown = await anonymous.GetAsync("/notifications/unsubscribe/0123456789abcdef");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task MailPrograms_OneClickPost_Unsubscribes()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("bo@example.com");
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.Email == "bo@example.com").Select(u => u.Id).SingleAsync());
        var added = await WithAsync(s => s.AddEmailAsync(userId, "bo@example.com", "http://localhost/"));
        var test = await WithAsync(s => s.SendTestAsync(userId, added.Id!.Value));
        Assert.True(test!.Succeeded);
        var link = UnsubscribeLink().Match(Assert.Single(smtp.ReceivedEmail).MessageParts[0].BodyData).Value;

        using var mailProgram = app.CreateTestClient();
        var response = await mailProgram.Http.PostAsync(new Uri(link).PathAndQuery, new FormUrlEncodedContent(new Dictionary<string, string> { ["List-Unsubscribe"] = "One-Click" }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(Assert.Single((await WithAsync(s => s.GetAsync(userId))).Channels).Enabled);
    }
}
