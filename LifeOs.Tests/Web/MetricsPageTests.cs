using System.Net;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web;

public sealed class MetricsPageTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private static Dictionary<string, string> Form(string metric, string value, string when = "2026-11-24T07:15") => new()
    {
        ["Input.MetricCode"] = metric,
        ["Input.Value"] = value,
        ["Input.LocalTime"] = when,
    };

    [Fact]
    public async Task Add_InImperialUnits_StoresCanonical_AndListsItInTheUsersUnits()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("lbs@example.com");
        await client.PostFormAsync("/settings", "settings", new Dictionary<string, string> { ["Input.TimeZoneId"] = "Europe/London", ["Input.UnitSystem"] = "Imperial", ["Input.DayStartHour"] = "0" });

        var response = await client.PostFormAsync("/metrics", "add-measurement", Form(MetricCatalogue.Weight, "165.5"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var sample = await app.WithDbAsync(db => db.Samples.SingleAsync());
        Assert.Equal(75.07, sample.Value, 2);
        Assert.Equal(SampleSource.Manual, sample.Source);
        Assert.Equal(new DateTime(2026, 11, 24, 7, 15, 0, DateTimeKind.Utc), sample.StartUtc);
        var daily = await app.WithDbAsync(db => db.DailyValues.SingleAsync());
        Assert.Equal(new DateOnly(2026, 11, 24), daily.LocalDate);

        var (_, page) = await client.GetPageAsync("/metrics");
        Assert.Contains("165.5 lb", page.QuerySelector("[data-testid=measurements-table]")?.TextContent, StringComparison.Ordinal);
        Assert.Contains("Measurement added.", page.Source.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MetricCatalogue.Weight, "900", "Input.Value", "Weight must be between 1 and 500 kg.")]
    [InlineData("shoe_size", "42", "Input.MetricCode", "Choose a metric from the list.")]
    [InlineData(MetricCatalogue.Steps, "", "Input.Value", "Enter a number.")]
    public async Task Add_BadInput_ShowsFieldError_AndSavesNothing(string metric, string value, string field, string message)
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("typo@example.com");

        var response = await client.PostFormAsync("/metrics", "add-measurement", Form(metric, value));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(response));
        var error = document.GetElementById(field)!.ParentElement!.QuerySelector(".field-error");
        Assert.Contains(message, error?.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.Samples.CountAsync()));
    }

    [Fact]
    public async Task Delete_OwnMeasurement_RemovesItAndItsDay_AnotherUsersIdIsNotFound()
    {
        using var owner = app.CreateTestClient();
        await owner.RegisterAsync("owner@example.com");
        await owner.PostFormAsync("/metrics", "add-measurement", Form(MetricCatalogue.Systolic, "121"));
        var id = await app.WithDbAsync(db => db.Samples.Select(s => s.Id).SingleAsync());

        using var intruder = app.CreateTestClient();
        await intruder.RegisterAsync("intruder@example.com");
        var (_, intruderPage) = await intruder.GetPageAsync("/metrics");
        Assert.NotNull(intruderPage.QuerySelector("[data-testid=no-measurements]"));
        // With a measurement of their own, the intruder's page has the delete form to post to.
        await intruder.PostFormAsync("/metrics", "add-measurement", Form(MetricCatalogue.Systolic, "140"));
        Assert.DoesNotContain("121", (await intruder.GetPageAsync("/metrics")).Document.QuerySelector("[data-testid=measurements-table]")!.TextContent, StringComparison.Ordinal);
        var refused = await intruder.PostFormAsync("/metrics", "delete-measurement", new Dictionary<string, string> { ["DeleteId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal(2, await app.WithDbAsync(db => db.Samples.CountAsync()));

        var deleted = await owner.PostFormAsync("/metrics", "delete-measurement", new Dictionary<string, string> { ["DeleteId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal(["intruder@example.com"], await app.WithDbAsync(db => db.Samples.Join(db.Users, s => s.UserId, u => u.Id, (s, u) => u.Email!).ToListAsync()));
        Assert.Equal(1, await app.WithDbAsync(db => db.DailyValues.CountAsync()));
    }
}
