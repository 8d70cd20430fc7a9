using System.Net;
using System.Text;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Web;

public sealed class MetricsImportPageTests : IAsyncLifetime
{
    private const string Page = "/metrics/import";
    private static readonly byte[] Weights = Encoding.UTF8.GetBytes("date,Weight (lb),resting_heart_rate\n2026-11-20,165.4,52\n2026-11-21,164.8,51\n2026-11-22,,50\n");
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<TestClient> SignedInAsync(string email)
    {
        var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        return client;
    }

    /// <summary>Uploads a file and returns the preview URL it redirects to.</summary>
    private static async Task<string> UploadAsync(TestClient client, byte[] file, string name = "weights.csv")
    {
        var response = await client.PostFileAsync(Page, "import-upload", "file", name, file);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = PathOf(response);
        Assert.Matches("^/metrics/import\\?upload=[0-9a-f]{32}$", location);
        return location;
    }

    /// <summary>A redirect's target as path and query, whether the app sent it absolute or relative.</summary>
    private static string PathOf(HttpResponseMessage redirect)
    {
        var location = redirect.Headers.Location!;
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    private static string UploadId(string previewUrl) => previewUrl[(previewUrl.IndexOf('=', StringComparison.Ordinal) + 1)..];

    private static Task<HttpResponseMessage> ConfirmAsync(TestClient client, string uploadId) =>
        client.PostFormAsync(Page, "import-confirm", new Dictionary<string, string> { ["ConfirmUploadId"] = uploadId });

    private Task<int> SampleCountAsync() => app.WithDbAsync(db => db.Samples.CountAsync());

    [Fact]
    public async Task Preview_ThenConfirm_ImportsEveryRow_AndShowsThemOnMetrics()
    {
        using var client = await SignedInAsync("importer@example.com");
        var previewUrl = await UploadAsync(client, Weights);

        var (response, preview) = await client.GetPageAsync(previewUrl);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("5 measurements ready to import", preview.QuerySelector("[data-testid=import-count]")?.TextContent);
        var metrics = preview.QuerySelector("[data-testid=import-metrics]")!.TextContent;
        Assert.Contains("Weight", metrics, StringComparison.Ordinal);
        Assert.Contains("75.02 kg", metrics, StringComparison.Ordinal);
        Assert.Contains("20 Nov 2026 – 22 Nov 2026", preview.QuerySelector("[data-testid=import-summary]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("2026-11-20 12:00", preview.QuerySelector("[data-testid=import-first-rows]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(preview.QuerySelector("[data-testid=import-errors]"));
        Assert.Equal(0, await SampleCountAsync());

        var confirmed = await ConfirmAsync(client, UploadId(previewUrl));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal("/metrics", PathOf(confirmed));
        Assert.Equal(5, await app.WithDbAsync(db => db.Samples.CountAsync(s => s.Source == SampleSource.Import)));
        Assert.Equal(5, await app.WithDbAsync(db => db.DailyValues.CountAsync()));

        var (_, metricsPage) = await client.GetPageAsync("/metrics");
        Assert.Contains("Imported 5 measurements from weights.csv.", metricsPage.Source.Text, StringComparison.Ordinal);
        Assert.Contains("74.75 kg", metricsPage.QuerySelector("[data-testid=measurements-table]")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(metricsPage.QuerySelector("a[href='metrics/import']"));

        // The upload is gone once imported.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(previewUrl)).StatusCode);
    }

    [Fact]
    public async Task ReimportingTheSameFile_AddsNothing()
    {
        using var client = await SignedInAsync("twice@example.com");
        await ConfirmAsync(client, UploadId(await UploadAsync(client, Weights)));
        var samples = await SampleCountAsync();
        var days = await app.WithDbAsync(db => db.DailyValues.CountAsync());

        var again = await UploadAsync(client, Weights, "weights copy.csv");
        var (_, preview) = await client.GetPageAsync(again);
        Assert.Contains("all already in LifeOs from an earlier import, so importing adds nothing", preview.QuerySelector("[data-testid=import-already]")?.TextContent, StringComparison.Ordinal);
        var confirmed = await ConfirmAsync(client, UploadId(again));

        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal((5, 5), (samples, days));
        Assert.Equal(samples, await SampleCountAsync());
        Assert.Equal(days, await app.WithDbAsync(db => db.DailyValues.CountAsync()));
        var (_, metricsPage) = await client.GetPageAsync("/metrics");
        Assert.Contains("Nothing new in weights copy.csv: all 5 measurements were already imported.", metricsPage.Source.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileWithErrors_ListsEachWithLineAndColumn_AndImportsNothing_EvenWhenConfirmedAnyway()
    {
        using var client = await SignedInAsync("typos@example.com");
        var bad = Encoding.UTF8.GetBytes("date,weight,steps\n2026-11-20,80,8000\n2026-13-01,80,9000\n2026-11-22,heavy,9000\n2026-11-23,80,9000,1\n");
        var previewUrl = await UploadAsync(client, bad, "bad.csv");

        var (_, preview) = await client.GetPageAsync(previewUrl);
        var rows = preview.QuerySelectorAll("[data-testid=import-errors] tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["3", "1 · date"], rows[0][..2]);
        Assert.StartsWith("\"2026-13-01\" is not a date.", rows[0][2], StringComparison.Ordinal);
        Assert.Equal(["4", "2 · weight", "\"heavy\" is not a number."], rows[1]);
        Assert.Equal(["5", "4"], rows[2][..2]);
        Assert.Contains("Nothing can be imported yet", preview.QuerySelector("[data-testid=import-summary]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(preview.QuerySelector("form[action='metrics/import'] button.btn-lg"));

        var forced = await ConfirmAsync(client, UploadId(previewUrl));
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Contains("3 problems to fix", await TestClient.BodyAsync(forced), StringComparison.Ordinal);
        Assert.Equal(0, await SampleCountAsync());
    }

    [Fact]
    public async Task AnotherUsersUpload_IsNotFound_AndCannotBeConfirmed()
    {
        using var owner = await SignedInAsync("owner@example.com");
        var previewUrl = await UploadAsync(owner, Weights);
        using var intruder = await SignedInAsync("intruder@example.com");

        Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync(previewUrl)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ConfirmAsync(intruder, UploadId(previewUrl))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await ConfirmAsync(intruder, "../../lifeos.db")).StatusCode);
        Assert.Equal(0, await SampleCountAsync());

        // Still the owner's to import.
        Assert.Equal(HttpStatusCode.Redirect, (await ConfirmAsync(owner, UploadId(previewUrl))).StatusCode);
        Assert.Equal(5, await SampleCountAsync());
    }

    [Fact]
    public async Task FileOver20MB_IsRefusedBeforeItIsRead_WithAClearMessage()
    {
        using var client = await SignedInAsync("big@example.com");
        var huge = new byte[(21 * 1024 * 1024) + 1];
        Array.Fill(huge, (byte)'1');

        var response = await client.PostFileAsync(Page, "import-upload", "file", "huge.csv", huge);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/metrics/import?error=too-large", PathOf(response));
        var (page, document) = await client.GetPageAsync(PathOf(response));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.StartsWith("That file is larger than 20 MB", document.QuerySelector("[data-testid=import-refused]")?.TextContent, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "imports")));
    }

    [Fact]
    public async Task FileOver20MB_WithoutAContentLength_IsRefusedWhenTheBodyRunsPastTheLimit()
    {
        using var client = await SignedInAsync("chunked@example.com");
        var token = await client.AntiforgeryTokenAsync(Page);
        var huge = new byte[(21 * 1024 * 1024) + 1];
        Array.Fill(huge, (byte)'1');
        using var multipart = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("import-upload"), "_handler" },
            { new ByteArrayContent(huge), "file", "huge.csv" },
        };

        var response = await client.Http.PostAsync(Page, new UnknownLengthContent(multipart), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/metrics/import?error=too-large", PathOf(response));
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "imports")));
    }

    [Fact]
    public async Task UploadWithoutAFile_AsksForOne()
    {
        using var client = await SignedInAsync("nofile@example.com");
        var response = await client.PostFormAsync(Page, "import-upload", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Choose a CSV file to import.", await TestClient.BodyAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExampleFiles_Download_AndImportCleanly()
    {
        using var client = await SignedInAsync("examples@example.com");
        foreach (var name in new[] { "example-long.csv", "example-wide.csv" })
        {
            var download = await client.GetAsync($"{Page}/{name}");
            Assert.Equal(HttpStatusCode.OK, download.StatusCode);
            Assert.Equal("text/csv", download.Content.Headers.ContentType?.MediaType);
            var (_, preview) = await client.GetPageAsync(await UploadAsync(client, await download.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken), name));
            Assert.Null(preview.QuerySelector("[data-testid=import-errors]"));
            Assert.NotNull(preview.QuerySelector("[data-testid=import-count]"));
        }
    }

    [Fact]
    public async Task Anonymous_IsSentToLogin()
    {
        using var client = app.CreateTestClient();
        var response = await client.GetAsync(Page);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/Account/Login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    /// <summary>Sends a body without a Content-Length (chunked), as a client streaming a file may.</summary>
    private sealed class UnknownLengthContent : HttpContent
    {
        private readonly HttpContent inner;

        public UnknownLengthContent(HttpContent inner)
        {
            this.inner = inner;
            Headers.ContentType = inner.Headers.ContentType;
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => inner.CopyToAsync(stream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
