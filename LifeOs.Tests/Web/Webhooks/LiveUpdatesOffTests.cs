using System.Net;
using LifeOs.Core.Webhooks;
using LifeOs.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Webhooks;

public sealed class LiveUpdatesOffTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(null, null)]
    [InlineData("http://lifeos.local", null)]
    [InlineData("https://lifeos.example.test", "false")]
    public async Task WithoutAPublicHttpsAddress_OrSwitchedOff_TheEndpointsAreNotThere_AndNothingIsRecorded(string? publicBaseUrl, string? enabled)
    {
        var settings = new Dictionary<string, string?> { ["LifeOs:PublicBaseUrl"] = publicBaseUrl, ["Providers:Webhooks:Enabled"] = enabled };
        await using var harness = await ConnectionsHarness.StartAsync(settings: settings);
        using var http = harness.App.CreateClient();

        using var head = new HttpRequestMessage(HttpMethod.Head, "/webhooks/withings");
        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(head, Ct)).StatusCode);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["userid"] = "38271645", ["appli"] = "1" });
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/webhooks/withings", form, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/webhooks/oura?verification_token=x&challenge=y", Ct)).StatusCode);
        Assert.Empty(await harness.App.WithDbAsync(db => Task.FromResult(db.ProviderNotifications.ToList())));
        Assert.False(await harness.WithServiceAsync<bool, WebhookSettings>(s => Task.FromResult(s.Enabled)));
    }
}

public sealed class WebhookSchedulingTests
{
    [Fact]
    public async Task TheHousekeepingJob_IsScheduledHourly_BesideTheSyncJobs()
    {
        await using var app = new LifeOsAppFactory(new() { ["Sync:RunScheduler"] = "true" });
        using var client = app.CreateClient();
        var scheduler = await app.Services.GetRequiredService<Quartz.ISchedulerFactory>().GetScheduler(TestContext.Current.CancellationToken);

        Assert.True(await scheduler.Exists(WebhookMaintenanceJob.Key, TestContext.Current.CancellationToken));
        Assert.True(await scheduler.Exists(LifeOs.Core.Sync.SyncConnectionJob.Key, TestContext.Current.CancellationToken));
        var trigger = Assert.IsAssignableFrom<Quartz.ISimpleTrigger>(await scheduler.GetTrigger(new Quartz.TriggerKey("webhook-maintenance", "webhooks"), TestContext.Current.CancellationToken));
        Assert.Equal(WebhookMaintenanceJob.Key, trigger.JobKey);
        Assert.Equal(TimeSpan.FromHours(1), trigger.RepeatInterval);
    }
}
