using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

/// <summary>
/// What is still HTTP about the measurement pages: sign-in, the first (prerendered) load's status codes, the example
/// downloads, and that no query string value can break a page. Their behaviour is tested in Components/Metrics.
/// </summary>
public sealed partial class MetricsHttpTests : IAsyncLifetime
{
    private LifeOsAppFactory app = null!;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Each test starts here: the app on the engine (the main flows run on both).</summary>
    private void On(Engine engine) => app = new LifeOsAppFactory(EngineDatabase.AppSettings(engine, new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" }));

    private async Task<(TestClient Client, string UserId)> SignedInAsync(string email)
    {
        var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        return (client, id);
    }

    private async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task<long> AddWeightAsync(string userId, double kg)
    {
        Assert.True((await WithAsync<MeasurementService, AddMeasurementResult>(m => m.AddAsync(userId, MetricCatalogue.Weight, kg, new DateTime(2026, 11, 24, 7, 15, 0)))).Succeeded);
        return await app.WithDbAsync(db => db.SamplesOf(userId).Select(s => s.Id).SingleAsync());
    }

    [Theory]
    [InlineData("/metrics")]
    [InlineData("/metrics/weight")]
    [InlineData("/metrics/1/edit")]
    [InlineData("/metrics/import")]
    [InlineData("/metrics/import/example-long.csv")]
    [InlineData("/metrics/workouts")]
    [InlineData("/metrics/import/apple-health")]
    public async Task Anonymous_IsSentToLogin(string url)
    {
        On(Engine.Sqlite);
        using var client = app.CreateTestClient();
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task FirstLoad_PrerendersTheUsersOwnData(Engine engine)
    {
        On(engine);
        var (client, id) = await SignedInAsync("me@example.com");
        var sampleId = await AddWeightAsync(id, 80.4);

        foreach (var url in new[] { "/metrics", $"/metrics/{sampleId}/edit", "/metrics/weight?range=7d", "/metrics/import" })
        {
            var (response, page) = await client.GetPageAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            Assert.NotNull(page.QuerySelector("h1"));
        }

        var (_, list) = await client.GetPageAsync("/metrics");
        Assert.Contains("80.4 kg", list.QuerySelector("[data-testid=measurements-table]")?.TextContent, StringComparison.Ordinal);
        var (_, chart) = await client.GetPageAsync("/metrics/weight");
        Assert.Equal("80.4 kg", chart.QuerySelector("[data-testid=stat-average]")?.TextContent);
    }

    [Fact]
    public async Task TheWorkoutsPage_ShowsAppleHealthWorkouts_ToTheirOwnerOnly()
    {
        On(Engine.Sqlite);
        var (owner, ownerId) = await SignedInAsync("runner@example.com");
        var (other, _) = await SignedInAsync("other@example.com");
        var start = new DateTime(2026, 11, 21, 17, 0, 0, DateTimeKind.Utc);
        await WithAsync<WorkoutStore, WorkoutUpsertResult>(w => w.UpsertAsync(ownerId,
            [new WorkoutInput(SampleSource.AppleHealth, "Watch|20261121T170000|2700|HKWorkoutActivityTypeTraditionalStrengthTraining", "strength_training", start, start.AddMinutes(45), new DateOnly(2026, 11, 21), 150, null)]));

        var (_, page) = await owner.GetPageAsync("/metrics/workouts");
        var row = page.QuerySelector("[data-testid=workouts-table] tbody tr")?.TextContent;
        Assert.Contains("Strength training", row, StringComparison.Ordinal);
        Assert.Contains("45 min", row, StringComparison.Ordinal);
        Assert.Contains("Apple Health", row, StringComparison.Ordinal);

        var (_, theirs) = await other.GetPageAsync("/metrics/workouts");
        Assert.NotNull(theirs.QuerySelector("[data-testid=workouts-empty]"));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task AnotherUsersRecords_AreNotFound_OnFirstLoad(Engine engine)
    {
        On(engine);
        var (owner, ownerId) = await SignedInAsync("owner@example.com");
        var sampleId = await AddWeightAsync(ownerId, 91.3);
        var staged = await WithAsync<CsvImportService, StageResult>(i => i.StageAsync(ownerId, new MemoryStream("date,weight\n2026-11-20,80\n"u8.ToArray()), "w.csv"));
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/metrics/{sampleId}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/metrics/import?upload={staged.UploadId}")).StatusCode);

        var (intruder, _) = await SignedInAsync("intruder@example.com");
        foreach (var url in new[] { $"/metrics/{sampleId}/edit", $"/metrics/import?upload={staged.UploadId}", "/metrics/shoe_size", "/metrics/999999/edit" })
        {
            var (response, page) = await intruder.GetPageAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{url}: {(int)response.StatusCode}");
            Assert.DoesNotContain("91.3", page.Source.Text, StringComparison.Ordinal);
        }
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task ExampleFiles_Download_AndImportCleanly(Engine engine)
    {
        On(engine);
        var (client, id) = await SignedInAsync("examples@example.com");
        foreach (var name in new[] { "example-long.csv", "example-wide.csv" })
        {
            var download = await client.GetAsync($"/metrics/import/{name}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
            var bytes = await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken);

            var preview = await WithAsync<CsvImportService, ImportPreview>(i => i.PreviewAsync(id, new MemoryStream(bytes), name));
            Assert.Equal(0, preview.ErrorCount);
            Assert.True(preview.CanImport);
        }
    }

    /// <summary>Every query parameter the pages bind, with values that once broke pages elsewhere: never a 500.</summary>
    [Theory]
    [InlineData("/metrics?page=abc", HttpStatusCode.OK)]
    [InlineData("/metrics?page=99999999999", HttpStatusCode.OK)]
    [InlineData("/metrics?page=-1", HttpStatusCode.OK)]
    [InlineData("/metrics?page=2&page=3", HttpStatusCode.OK)]
    [InlineData("/metrics?metric=%3Cscript%3Ealert(1)%3C%2Fscript%3E", HttpStatusCode.OK)]
    [InlineData("/metrics?metric=", HttpStatusCode.OK)]
    [InlineData("/metrics?from=2099-13-45&to=x", HttpStatusCode.OK)]
    [InlineData("/metrics/weight?range=junk", HttpStatusCode.OK)]
    [InlineData("/metrics/weight?range=%3Cscript%3E", HttpStatusCode.OK)]
    [InlineData("/metrics/weight?range=", HttpStatusCode.OK)]
    [InlineData("/metrics/weight?range=custom&from=2099-13-45", HttpStatusCode.OK)]
    [InlineData("/metrics/steps?range=ALL", HttpStatusCode.OK)]
    [InlineData("/metrics/%3Cscript%3E?range=7d", HttpStatusCode.NotFound)]
    [InlineData("/metrics/import?upload=junk", HttpStatusCode.NotFound)]
    [InlineData("/metrics/import?upload=..%2F..%2Flifeos.db", HttpStatusCode.NotFound)]
    [InlineData("/metrics/import?upload=", HttpStatusCode.OK)]
    [InlineData("/metrics/import?error=too-large", HttpStatusCode.OK)]
    [InlineData("/metrics/99999999999999999999/edit", HttpStatusCode.NotFound)]
    public async Task QueryValues_NeverCauseAServerError(string url, HttpStatusCode expected)
    {
        On(Engine.Sqlite);
        var (client, id) = await SignedInAsync("sweep@example.com");
        await AddWeightAsync(id, 80);

        var (response, page) = await client.GetPageAsync(url);

        Assert.True(response.StatusCode == expected, $"{url}: {(int)response.StatusCode}");
        Assert.DoesNotContain("<script>alert", page.Source.Text, StringComparison.Ordinal);
    }

    /// <summary>
    /// The prerendered state travels back in the message that starts the circuit, which SignalR caps at 32 KB: a
    /// page holding five years of days or a thousand import problems must still hand over less than that (it
    /// persists what fits and reads the rest again once interactive), or the page would never become interactive.
    /// </summary>
    [Fact]
    public async Task LongRanges_AndLongErrorLists_KeepTheHandedOverStateUnderTheCircuitsMessageLimit()
    {
        On(Engine.Sqlite);
        var (client, id) = await SignedInAsync("years@example.com");
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id, Enumerable.Range(0, 5 * 365)
            .Select(i => new SampleInput(MetricCatalogue.Steps, SampleSource.Oura, $"day-{i}", new DateTime(2021, 11, 27, 12, 0, 0, DateTimeKind.Utc).AddDays(i), 5000 + (i * 7 % 6000)))
            .ToList()));
        var badRows = string.Concat(Enumerable.Range(0, 1500).Select(i => $"2026-13-{(i % 28) + 1:00},{80 + (i % 10)}\n"));
        var staged = await WithAsync<CsvImportService, StageResult>(i => i.StageAsync(id, new MemoryStream(Encoding.UTF8.GetBytes("date,weight\n" + badRows)), "years-of-typos.csv"));

        foreach (var (url, shown) in new[] { ("/metrics/steps?range=all", "[data-testid=metric-days]"), ("/metrics/steps?range=1y", "[data-testid=metric-days]"), ($"/metrics/import?upload={staged.UploadId}", "[data-testid=import-errors]") })
        {
            var (response, page) = await client.GetPageAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(page.QuerySelector(shown));
            var state = StateMarker().Match(page.Source.Text);
            Assert.True(state.Success, url);
            Assert.True(state.Groups[1].Length < 24 * 1024, $"{url}: {state.Groups[1].Length:N0} characters of state");
        }
    }

    [GeneratedRegex("<!--Blazor-Server-Component-State:([^>]*)-->")]
    private static partial Regex StateMarker();

    [Fact]
    public async Task OldFormPost_ToTheImportPage_IsNoLongerAccepted()
    {
        On(Engine.Sqlite);
        var (client, _) = await SignedInAsync("poster@example.com");
        using var content = new MultipartFormDataContent { { new ByteArrayContent(Encoding.UTF8.GetBytes("date,weight\n2026-11-20,80\n")), "file", "w.csv" } };

        var response = await client.Http.PostAsync("/metrics/import", content, TestContext.Current.CancellationToken);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Samples.CountAsync()));
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "imports")));
    }
}
