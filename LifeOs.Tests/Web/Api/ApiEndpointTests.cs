using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LifeOs.Core.Api;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Api;

/// <summary>/api/v1 routes: scopes, isolation, bad input, paging, ETags and idempotent writes; the health routes on both engines.</summary>
public sealed class ApiEndpointTests : IAsyncLifetime
{
    private ApiHarness api = null!;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => api?.DisposeAsync() ?? ValueTask.CompletedTask;

    /// <summary>Each test starts here: the app on the engine.</summary>
    private void On(Engine engine) => api = new ApiHarness(EngineDatabase.AppSettings(engine, new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" }));

    /// <summary>Every route with the scope it needs (the OpenAPI test checks that this list is complete).</summary>
    public static readonly (string Method, string Path, string Scope)[] Routes =
    [
        ("GET", "/api/v1/metrics", ApiScopes.HealthRead),
        ("GET", "/api/v1/metrics/steps/daily", ApiScopes.HealthRead),
        ("GET", "/api/v1/samples", ApiScopes.HealthRead),
        ("POST", "/api/v1/samples", ApiScopes.HealthWrite),
        ("DELETE", "/api/v1/samples/1", ApiScopes.HealthWrite),
        ("POST", "/api/v1/ingest/health-auto-export", ApiScopes.HealthWrite),
        ("GET", "/api/v1/summary/daily", ApiScopes.HealthRead),
        ("GET", "/api/v1/sleep/latest", ApiScopes.HealthRead),
        ("GET", "/api/v1/journal/entries", ApiScopes.JournalRead),
        ("GET", "/api/v1/journal/entries/1", ApiScopes.JournalRead),
        ("POST", "/api/v1/journal/entries", ApiScopes.JournalWrite),
        ("PUT", "/api/v1/journal/entries/1", ApiScopes.JournalWrite),
        ("DELETE", "/api/v1/journal/entries/1", ApiScopes.JournalWrite),
        ("GET", "/api/v1/goals", ApiScopes.GoalsRead),
        ("GET", "/api/v1/connections", ApiScopes.Sync),
        ("POST", "/api/v1/connections/oura/sync", ApiScopes.Sync),
    ];

    [Fact]
    public async Task EveryRoute_WithoutItsScope_Is403ProblemDetails_AndWithIt_IsNot()
    {
        On(Engine.Sqlite);
        var (me, _) = await api.PersonAsync("me@example.com");
        foreach (var (method, path, scope) in Routes)
        {
            var others = ApiScopes.All.Select(s => s.Scope).Where(s => s != scope).ToArray();
            using var without = api.Client(await api.KeyAsync(me, others));
            var refused = await without.SendAsync(Request(method, path), ApiHarness.Ct);
            Assert.True(refused.StatusCode == HttpStatusCode.Forbidden, $"{method} {path} without {scope}: {refused.StatusCode}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(scope, (await ApiHarness.JsonAsync(refused)).GetProperty("detail").GetString(), StringComparison.Ordinal);

            using var with = api.Client(await api.KeyAsync(me, [scope]));
            var allowed = await with.SendAsync(Request(method, path), ApiHarness.Ct);
            Assert.True(allowed.StatusCode is not (HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized), $"{method} {path} with {scope}: {allowed.StatusCode}");
        }
    }

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method is "POST" or "PUT" ? JsonContent.Create(new { }) : null,
    };

    [Fact]
    public async Task AnotherUsersIds_Are404_AndTheirDataIsUntouched()
    {
        On(Engine.Sqlite);
        var (me, _) = await api.PersonAsync("me@example.com");
        var (other, _) = await api.PersonAsync("other@example.com");
        using var mine = api.Client(await api.KeyAsync(me));
        using var theirs = api.Client(await api.KeyAsync(other));

        var write = await ApiHarness.PostJsonAsync(theirs, "/api/v1/samples", new { samples = new[] { new { metric = "weight", value = 80.5, start = "2026-11-24T08:00:00+01:00", recordId = "w1" } } });
        Assert.Equal(HttpStatusCode.OK, write.StatusCode);
        var sampleId = await api.App.WithDbAsync(db => db.SamplesOf(other).Select(s => s.Id).SingleAsync());
        var entry = await ApiHarness.JsonAsync(await ApiHarness.PostJsonAsync(theirs, "/api/v1/journal/entries", new { body = "Their secret diary", date = "2026-11-24" }));
        var entryId = entry.GetProperty("id").GetInt64();

        foreach (var (method, path) in new[]
                 {
                     ("DELETE", $"/api/v1/samples/{sampleId}"), ("GET", $"/api/v1/journal/entries/{entryId}"),
                     ("PUT", $"/api/v1/journal/entries/{entryId}"), ("DELETE", $"/api/v1/journal/entries/{entryId}"),
                 })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "PUT" ? JsonContent.Create(new { body = "mine now" }) : null };
            var response = await mine.SendAsync(request, ApiHarness.Ct);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{method} {path}: {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        // A missing id answers the same.
        Assert.Equal(HttpStatusCode.NotFound, (await mine.GetAsync("/api/v1/journal/entries/999999", ApiHarness.Ct)).StatusCode);

        var samples = await ApiHarness.JsonAsync(await mine.GetAsync("/api/v1/samples", ApiHarness.Ct));
        Assert.Equal(0, samples.GetProperty("items").GetArrayLength());
        var list = await ApiHarness.JsonAsync(await mine.GetAsync("/api/v1/journal/entries?q=secret", ApiHarness.Ct));
        Assert.Equal(0, list.GetProperty("total").GetInt32());
        Assert.Equal(1, await api.App.WithDbAsync(db => db.SamplesOf(other).CountAsync()));
        Assert.Equal("Their secret diary", await api.App.WithDbAsync(db => db.JournalEntries.Where(e => e.Id == entryId).Select(e => e.Body).SingleAsync()));
    }

    [Theory]
    [InlineData("GET", "/api/v1/metrics/steps/daily?from=yesterday", "from")]
    [InlineData("GET", "/api/v1/metrics/steps/daily?from=2026-11-20&to=2026-11-01", "from")]
    [InlineData("GET", "/api/v1/samples?metrics=steps,nonsense", "metrics")]
    [InlineData("GET", "/api/v1/samples?since=2026-11-01T00:00:00", "since")]
    [InlineData("GET", "/api/v1/samples?cursor=not-a-cursor!", "cursor")]
    [InlineData("GET", "/api/v1/samples?limit=0", "limit")]
    [InlineData("GET", "/api/v1/samples?source=Fitbit", "source")]
    [InlineData("GET", "/api/v1/summary/daily?date=2026-13-01", "date")]
    [InlineData("GET", "/api/v1/journal/entries?kind=poem", "kind")]
    public async Task BadInput_Is400_WithTheFieldNamed(string method, string path, string field)
    {
        On(Engine.Sqlite);
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me));
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path), ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True((await ApiHarness.JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task PostSamples_ValidatesEachItemLikeTheForm_WritesTheValidOnes_AndIsIdempotent(Engine engine)
    {
        On(engine);
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me));
        var batch = new
        {
            samples = new object?[]
            {
                new { metric = "weight", value = 72.4, start = "2026-11-24T07:30:00+01:00", recordId = "scale-1" },
                new { metric = "steps", value = 5400, start = "2026-11-24T10:00:00Z", end = "2026-11-24T11:00:00Z", recordId = "steps-1" },
                new { metric = "weight", value = 900, start = "2026-11-24T07:30:00+01:00", recordId = "too-heavy" },
                new { metric = "weight", value = 70, start = "2026-11-26T07:30:00+01:00", recordId = "tomorrow" },
                new { metric = "weight", value = 70, start = "1899-12-31T07:30:00+01:00", recordId = "old" },
                new { metric = "weight", value = 70, start = "2026-11-24T07:30:00", recordId = "no-offset" },
                new { metric = "mood", value = 3, start = "2026-11-24T07:30:00+01:00", recordId = "m" },
                new { metric = "weight", value = 70, start = "2026-11-24T07:30:00+01:00" },
                null,
            },
        };

        var first = await ApiHarness.PostJsonAsync(client, "/api/v1/samples", batch);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var result = await ApiHarness.JsonAsync(first);
        Assert.Equal(9, result.GetProperty("received").GetInt32());
        Assert.Equal(2, result.GetProperty("inserted").GetInt32());
        Assert.Equal(7, result.GetProperty("rejected").GetInt32());
        var errors = result.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString())).ToList();
        Assert.Equal([(2, "value"), (3, "start"), (4, "start"), (5, "start"), (6, "metric"), (7, "recordId"), (8, "")], errors);

        var again = await ApiHarness.JsonAsync(await ApiHarness.PostJsonAsync(client, "/api/v1/samples", batch));
        Assert.Equal(0, again.GetProperty("inserted").GetInt32());
        Assert.Equal(2, again.GetProperty("unchanged").GetInt32());
        var stored = await api.App.WithDbAsync(db => db.Samples.AsNoTracking().OrderBy(s => s.Id).ToListAsync());
        Assert.Equal(2, stored.Count);
        Assert.All(stored, s => Assert.Equal(SampleSource.Api, s.Source));
        Assert.Equal(new DateTime(2026, 11, 24, 6, 30, 0, DateTimeKind.Utc), stored[0].StartUtc);
        Assert.Equal(new DateOnly(2026, 11, 24), stored[0].LocalDate);

        // The day's value follows.
        var daily = await ApiHarness.JsonAsync(await client.GetAsync("/api/v1/metrics/weight/daily?from=2026-11-24&to=2026-11-24", ApiHarness.Ct));
        Assert.Equal("kg", daily.GetProperty("unit").GetString());
        var day = Assert.Single(daily.GetProperty("days").EnumerateArray());
        Assert.Equal(72.4, day.GetProperty("value").GetDouble());
        Assert.Equal("Api", day.GetProperty("source").GetString());

        // Nothing valid at all: 400 with a field per error.
        var bad = await ApiHarness.PostJsonAsync(client, "/api/v1/samples", new { samples = new[] { new { metric = "weight", value = 900, start = "2026-11-24T07:30:00+01:00", recordId = "x" } } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await ApiHarness.JsonAsync(bad)).GetProperty("errors").TryGetProperty("samples[0].value", out _));

        // Not JSON, and too many.
        using var notJson = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        var malformed = await client.PostAsync("/api/v1/samples", notJson, ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("application/problem+json", malformed.Content.Headers.ContentType?.MediaType);
        var tooMany = await ApiHarness.PostJsonAsync(client, "/api/v1/samples", new { samples = Enumerable.Range(0, HealthApiService.MaxBatch + 1).Select(i => new { metric = "steps", value = 1, start = "2026-11-24T07:30:00+01:00", recordId = $"r{i}" }) });
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);

        // Delete: one's own API sample, then it is gone.
        var id = stored[0].Id;
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/samples/{id}", ApiHarness.Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/samples/{id}", ApiHarness.Ct)).StatusCode);
        Assert.Equal(0, await api.App.WithDbAsync(db => db.DailyValues.CountAsync(d => d.MetricCode == "weight")));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task DeviceSamples_CannotBeDeletedThroughTheApi(Engine engine)
    {
        On(engine);
        var (me, _) = await api.PersonAsync("me@example.com");
        await using (var scope = api.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(me,
                [new SampleInput("steps", SampleSource.Oura, "oura-1", new DateTime(2026, 11, 24, 10, 0, 0, DateTimeKind.Utc), 8000)], ApiHarness.Ct);
        }

        var id = await api.App.WithDbAsync(db => db.Samples.Select(s => s.Id).SingleAsync());
        using var client = api.Client(await api.KeyAsync(me));
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/samples/{id}", ApiHarness.Ct)).StatusCode);
        Assert.Equal(1, await api.App.WithDbAsync(db => db.Samples.CountAsync()));
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Samples_PageToTheEnd_WithNoGapsOrRepeats_IncludingEqualStartTimes(Engine engine)
    {
        On(engine);
        var (me, _) = await api.PersonAsync("me@example.com");
        var start = new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc);
        // 250 heart-rate minutes, and 30 step counts sharing start times with them (ties broken by id).
        var inputs = Enumerable.Range(0, 250).Select(i => new SampleInput("heart_rate", SampleSource.Oura, $"hr-{i}", start.AddMinutes(i), 60 + (i % 40)))
            .Concat(Enumerable.Range(0, 30).Select(i => new SampleInput("steps", SampleSource.Oura, $"st-{i}", start.AddMinutes(i * 5), 100 + i)))
            .ToList();
        await using (var scope = api.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(me, inputs, ApiHarness.Ct);
        }

        using var client = api.Client(await api.KeyAsync(me, [ApiScopes.HealthRead]));
        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var response = await client.GetAsync($"/api/v1/samples?limit=37{(cursor is null ? "" : "&cursor=" + cursor)}", ApiHarness.Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await ApiHarness.JsonAsync(response);
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Equal(280, seen.Count);
        Assert.Equal(280, seen.Distinct().Count());
        var expected = await api.App.WithDbAsync(db => db.Samples.OrderBy(s => s.StartUtc).ThenBy(s => s.Id).Select(s => s.Id).ToListAsync());
        Assert.Equal(expected, seen);

        // Filters and the item's shape: canonical unit named, times in the user's offset.
        var hr = await ApiHarness.JsonAsync(await client.GetAsync("/api/v1/samples?metrics=steps&since=2026-11-20T01:00:00%2B01:00&until=2026-11-20T00:10:00Z&source=oura", ApiHarness.Ct));
        var items = hr.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        Assert.Equal("count", items[0].GetProperty("unit").GetString());
        Assert.Equal("2026-11-20T01:00:00+01:00", items[0].GetProperty("start").GetString());
        Assert.Equal("Oura", items[0].GetProperty("source").GetString());
        Assert.Equal("st-0", items[0].GetProperty("recordId").GetString());
        Assert.Equal(JsonValueKind.Null, hr.GetProperty("nextCursor").ValueKind);
    }

    [Theory, MemberData(nameof(EngineDatabase.Engines), MemberType = typeof(EngineDatabase))]
    public async Task Reads_CarryAnETag_AndIfNoneMatch_Gives304_UntilTheDataChanges(Engine engine)
    {
        On(engine);
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me));
        await ApiHarness.PostJsonAsync(client, "/api/v1/samples", new { samples = new[] { new { metric = "steps", value = 4000, start = "2026-11-25T08:00:00+01:00", recordId = "a" } } });

        var first = await client.GetAsync("/api/v1/summary/daily", ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        var summary = await ApiHarness.JsonAsync(first);
        Assert.Equal("2026-11-25", summary.GetProperty("date").GetString());
        Assert.Equal(4000, summary.GetProperty("metrics").GetProperty("steps").GetProperty("value").GetDouble());
        Assert.Equal("count", summary.GetProperty("metrics").GetProperty("steps").GetProperty("unit").GetString());

        var conditional = new HttpRequestMessage(HttpMethod.Get, "/api/v1/summary/daily");
        conditional.Headers.IfNoneMatch.Add(etag);
        var notModified = await client.SendAsync(conditional, ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync(ApiHarness.Ct));

        await ApiHarness.PostJsonAsync(client, "/api/v1/samples", new { samples = new[] { new { metric = "steps", value = 1000, start = "2026-11-25T09:00:00+01:00", recordId = "b" } } });
        var changed = new HttpRequestMessage(HttpMethod.Get, "/api/v1/summary/daily");
        changed.Headers.IfNoneMatch.Add(etag);
        var fresh = await client.SendAsync(changed, ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        Assert.NotEqual(etag, fresh.Headers.ETag);
        Assert.Equal(5000, (await ApiHarness.JsonAsync(fresh)).GetProperty("metrics").GetProperty("steps").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Journal_CreateGetUpdateSearchDelete()
    {
        On(Engine.Sqlite);
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me));
        var created = await ApiHarness.PostJsonAsync(client, "/api/v1/journal/entries", new { kind = "reflection", title = "A walk", body = "Walked along the canal with Ana.", mood = 4, tags = new[] { "outside", "friends" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var entry = await ApiHarness.JsonAsync(created);
        var id = entry.GetProperty("id").GetInt64();
        Assert.Equal($"/api/v1/journal/entries/{id}", created.Headers.Location?.ToString());
        Assert.Equal("reflection", entry.GetProperty("kind").GetString());
        Assert.Equal("2026-11-25", entry.GetProperty("date").GetString());
        Assert.Equal("2026-11-25T10:30:00+01:00", entry.GetProperty("createdAt").GetString());

        var invalid = await ApiHarness.PostJsonAsync(client, "/api/v1/journal/entries", new { body = "", mood = 9 });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var errors = (await ApiHarness.JsonAsync(invalid)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("body", out _));
        Assert.True(errors.TryGetProperty("mood", out _));

        var update = await client.PutAsJsonAsync($"/api/v1/journal/entries/{id}", new { title = "A long walk", body = "Walked the whole canal with Ana.", date = "2026-11-24" }, ApiHarness.Ct);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("2026-11-24", (await ApiHarness.JsonAsync(update)).GetProperty("date").GetString());

        var found = await ApiHarness.JsonAsync(await client.GetAsync("/api/v1/journal/entries?q=canal", ApiHarness.Ct));
        Assert.Equal(1, found.GetProperty("total").GetInt32());
        Assert.Equal("A long walk", (await ApiHarness.JsonAsync(await client.GetAsync($"/api/v1/journal/entries/{id}", ApiHarness.Ct))).GetProperty("title").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/journal/entries/{id}", ApiHarness.Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/journal/entries/{id}", ApiHarness.Ct)).StatusCode);
    }

    [Fact]
    public async Task Sleep_Goals_Connections_AndSync()
    {
        On(Engine.Sqlite);
        var (me, _) = await api.PersonAsync("me@example.com");
        using var client = api.Client(await api.KeyAsync(me));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/sleep/latest", ApiHarness.Ct)).StatusCode);
        await using (var scope = api.App.Services.CreateAsyncScope())
        {
            var day = new DateOnly(2026, 11, 25);
            var at = new DateTime(2026, 11, 25, 6, 0, 0, DateTimeKind.Utc);
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(me,
                [
                    new SampleInput("sleep_duration", SampleSource.Oura, "s1", at, 27000, LocalDate: day),
                    new SampleInput("sleep_deep", SampleSource.Oura, "s2", at, 5400, LocalDate: day),
                    new SampleInput("sleep_score", SampleSource.Oura, "s3", at, 82, LocalDate: day),
                ], ApiHarness.Ct);
        }

        var sleep = await ApiHarness.JsonAsync(await client.GetAsync("/api/v1/sleep/latest", ApiHarness.Ct));
        Assert.Equal("2026-11-25", sleep.GetProperty("date").GetString());
        Assert.Equal(27000, sleep.GetProperty("durationSeconds").GetDouble());
        Assert.Equal(5400, sleep.GetProperty("deepSeconds").GetDouble());
        Assert.Equal(82, sleep.GetProperty("score").GetDouble());
        Assert.Equal(JsonValueKind.Null, sleep.GetProperty("remSeconds").ValueKind);

        Assert.Equal(0, (await ApiHarness.JsonAsync(await client.GetAsync("/api/v1/goals", ApiHarness.Ct))).GetArrayLength());
        var connections = await ApiHarness.JsonAsync(await client.GetAsync("/api/v1/connections", ApiHarness.Ct));
        Assert.Equal(["oura", "withings"], connections.EnumerateArray().Select(c => c.GetProperty("provider").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/connections/oura/sync", null, ApiHarness.Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsync("/api/v1/connections/fitbit/sync", null, ApiHarness.Ct)).StatusCode);
    }
}
