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

    [Fact]
    public async Task Edit_OwnMeasurement_MovesItToAnotherDay_BadValueIsAFieldError_AnotherUsersIdIsNotFound()
    {
        using var owner = app.CreateTestClient();
        await owner.RegisterAsync("editor@example.com");
        await owner.PostFormAsync("/metrics", "add-measurement", Form(MetricCatalogue.Weight, "80", "2026-11-23T07:00"));
        var id = await app.WithDbAsync(db => db.Samples.Select(s => s.Id).SingleAsync());
        var editUrl = $"/metrics/{id}/edit";

        var (_, form) = await owner.GetPageAsync(editUrl);
        Assert.Equal("80", form.GetElementById("Input.Value")?.GetAttribute("value"));

        var bad = await owner.PostFormAsync(editUrl, "edit-measurement", Form(MetricCatalogue.Weight, "0.2", "2026-11-24T07:00"));
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("Weight must be between 1 and 500 kg.", await TestClient.BodyAsync(bad), StringComparison.Ordinal);

        using var intruder = app.CreateTestClient();
        await intruder.RegisterAsync("sneaky@example.com");
        var notFound = await intruder.GetAsync(editUrl);
        Assert.True(notFound.StatusCode == HttpStatusCode.NotFound, await TestClient.BodyAsync(notFound));
        await intruder.PostFormAsync("/metrics", "add-measurement", Form(MetricCatalogue.Weight, "60"));
        var ownId = await app.WithDbAsync(db => db.Samples.Where(s => s.Id != id).Select(s => s.Id).SingleAsync());
        var refused = await intruder.PostFormAsync($"/metrics/{ownId}/edit", "edit-measurement", Form(MetricCatalogue.Weight, "1", "2026-11-24T07:00"), postUrl: editUrl);
        Assert.True(refused.StatusCode == HttpStatusCode.NotFound, await TestClient.BodyAsync(refused));

        var saved = await owner.PostFormAsync(editUrl, "edit-measurement", Form(MetricCatalogue.Weight, "79.5", "2026-11-24T07:00"));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var sample = await app.WithDbAsync(db => db.Samples.SingleAsync(s => s.Id == id));
        Assert.Equal((79.5, new DateOnly(2026, 11, 24)), (sample.Value, sample.LocalDate));
        var days = await app.WithDbAsync(db => db.DailyValues.Where(d => d.UserId == sample.UserId).Select(d => d.LocalDate).ToListAsync());
        Assert.Equal([new DateOnly(2026, 11, 24)], days);
        Assert.Contains("Measurement updated.", (await owner.GetPageAsync("/metrics")).Document.Source.Text, StringComparison.Ordinal);
    }
}
