using System.Text;
using Bunit;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Web.Components.Pages.Metrics;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Components.Metrics;

/// <summary>/metrics/import: upload over the circuit, preview, confirm; all or nothing.</summary>
public sealed class ImportPageTests : MetricsTestContext
{
    private static readonly byte[] Weights = Encoding.UTF8.GetBytes("date,Weight (lb),resting_heart_rate\n2026-11-20,165.4,52\n2026-11-21,164.8,51\n2026-11-22,,50\n");

    private IRenderedComponent<ImportPage> RenderImport(string url = "metrics/import")
    {
        StartAt(url);
        return RenderPage<ImportPage>();
    }

    /// <summary>Chooses a file as a person does (the input's change event) and waits for what the page shows next.</summary>
    private static void Upload(IRenderedComponent<ImportPage> page, byte[] content, string name = "weights.csv")
    {
        page.WaitForComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(content, name, contentType: "text/csv"));
        page.WaitForElement("[data-testid=import-summary], [data-testid=import-refused]");
    }

    private string UploadIdInAddress()
    {
        var query = new Uri(Navigation.Uri).Query;
        Assert.Matches("^\\?upload=[0-9a-f]{32}$", query);
        return query["?upload=".Length..];
    }

    private Task<int> SampleCountAsync() => WithDbAsync(db => db.Samples.CountAsync());

    [Fact]
    public async Task Preview_ThenConfirm_ImportsEveryRow_AndShowsThemOnMetrics()
    {
        var id = await SignInAsNewUserAsync("importer@example.com");
        var page = RenderImport();

        Upload(page, Weights);

        Assert.Equal("5 measurements ready to import", page.Find("[data-testid=import-count]").TextContent);
        Assert.Equal("weights.csv", page.Find("[data-testid=import-file-name]").TextContent);
        Assert.Contains("Weight", page.Find("[data-testid=import-metrics]").TextContent, StringComparison.Ordinal);
        Assert.Contains("75.02 kg", page.Find("[data-testid=import-metrics]").TextContent, StringComparison.Ordinal);
        Assert.Contains("20 Nov 2026 – 22 Nov 2026", page.Find("[data-testid=import-summary]").TextContent, StringComparison.Ordinal);
        Assert.Contains("20 Nov 2026, 12:00", page.Find("[data-testid=import-first-rows]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=import-errors]"));
        Assert.Equal(0, await SampleCountAsync());
        var uploadId = UploadIdInAddress();

        await page.Find("[data-testid=import-confirm]").ClickAsync(new());

        Assert.Equal(5, await WithDbAsync(db => db.Samples.CountAsync(s => s.Source == SampleSource.Import)));
        Assert.Equal(5, await WithDbAsync(db => db.DailyValues.CountAsync()));
        Assert.Contains("Imported 5 measurements from weights.csv.", SnackbarMessages());
        // Back to the import page, where the new batch is listed with its Undo.
        Assert.EndsWith("/metrics/import", Navigation.Uri, StringComparison.Ordinal);
        // The upload is gone once imported.
        Assert.Null(await WithAsync<CsvImportService, ImportPreview?>(i => i.PreviewAsync(id, uploadId)));

        var metrics = RenderPage<MetricsPage>();
        metrics.WaitForAssertion(() => Assert.Contains("74.75 kg", metrics.Find("[data-testid=measurements-table]").TextContent, StringComparison.Ordinal));
        Assert.Equal(5, metrics.FindAll("[data-testid=measurements-table] tbody tr").Count);
    }

    [Fact]
    public async Task PreviewAddress_ShowsTheSamePreview_OnAReload()
    {
        var id = await SignInAsNewUserAsync("reload@example.com");
        var staged = await WithAsync<CsvImportService, StageResult>(i => i.StageAsync(id, new MemoryStream(Weights), "weights.csv"));

        var page = RenderImport($"metrics/import?upload={staged.UploadId}");

        Assert.Equal("5 measurements ready to import", page.WaitForElement("[data-testid=import-count]").TextContent);
    }

    [Fact]
    public async Task ReimportingTheSameFile_AddsNothing()
    {
        await SignInAsNewUserAsync("twice@example.com");
        var first = RenderImport();
        Upload(first, Weights);
        await first.Find("[data-testid=import-confirm]").ClickAsync(new());
        Assert.Equal((5, 5), (await SampleCountAsync(), await WithDbAsync(db => db.DailyValues.CountAsync())));

        var again = RenderImport();
        Upload(again, Weights, "weights copy.csv");
        // Said plainly, and no "Import 5 measurements" button that would do nothing.
        Assert.Equal("All 5 measurements are already in LifeOs", again.Find("[data-testid=import-nothing-new]").TextContent);
        Assert.Empty(again.FindAll("[data-testid=import-confirm]"));

        Assert.Equal((5, 5), (await SampleCountAsync(), await WithDbAsync(db => db.DailyValues.CountAsync())));
        Assert.Single(await WithDbAsync(db => db.ImportBatches.ToListAsync()));
    }

    [Fact]
    public async Task FileWithErrors_ListsEachWithLineAndColumn_AndCannotBeImported()
    {
        var id = await SignInAsNewUserAsync("typos@example.com");
        var bad = Encoding.UTF8.GetBytes("date,weight,steps\n2026-11-20,80,8000\n2026-13-01,80,9000\n2026-11-22,heavy,9000\n2026-11-23,80,9000,1\n");
        var page = RenderImport();

        Upload(page, bad, "bad.csv");

        var rows = page.FindAll("[data-testid=import-errors] tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToArray()).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(["3", "1 · date"], rows[0][..2]);
        Assert.StartsWith("\"2026-13-01\" is not a date.", rows[0][2], StringComparison.Ordinal);
        Assert.Equal(["4", "2 · weight", "\"heavy\" is not a number."], rows[1]);
        Assert.Equal(["5", "4"], rows[2][..2]);
        Assert.Contains("3 problems to fix", page.Find("[data-testid=import-errors]").TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing can be imported yet", page.Find("[data-testid=import-summary]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=import-confirm]"));

        // Confirming anyway (the service the button would call) imports nothing and says why.
        var forced = await WithAsync<CsvImportService, ImportOutcome>(i => i.ImportAsync(id, UploadIdInAddress()));
        Assert.Equal((ImportStatus.HasErrors, 3), (forced.Status, forced.Preview!.ErrorCount));
        Assert.Equal(0, await SampleCountAsync());
    }

    [Fact]
    public async Task AnotherUsersUpload_IsNotFound_AndCannotBeConfirmed()
    {
        var owner = await CreateUserAsync("owner@example.com");
        var staged = await WithAsync<CsvImportService, StageResult>(i => i.StageAsync(owner, new MemoryStream(Weights), "weights.csv"));
        var intruder = await SignInAsNewUserAsync("intruder@example.com");

        var page = RenderImport($"metrics/import?upload={staged.UploadId}");

        Assert.True(NotFoundRaised);
        Assert.Empty(page.FindAll("[data-testid=import-confirm]"));
        Assert.DoesNotContain("165.4", page.Markup, StringComparison.Ordinal);
        Assert.Equal(ImportStatus.NotFound, (await WithAsync<CsvImportService, ImportOutcome>(i => i.ImportAsync(intruder, staged.UploadId!))).Status);
        Assert.Equal(0, await SampleCountAsync());

        // Still the owner's to import.
        Assert.Equal(ImportStatus.Imported, (await WithAsync<CsvImportService, ImportOutcome>(i => i.ImportAsync(owner, staged.UploadId!))).Status);
        Assert.Equal(5, await SampleCountAsync());
    }

    [Theory]
    [InlineData("metrics/import?upload=junk")]
    [InlineData("metrics/import?upload=..%2F..%2Flifeos.db")]
    [InlineData("metrics/import?upload=0123456789abcdef0123456789abcdef")]
    public async Task UnknownUpload_IsNotFound(string url)
    {
        await SignInAsNewUserAsync("unknown@example.com");

        RenderImport(url);

        Assert.True(NotFoundRaised);
    }

    [Fact]
    public async Task FileOver20MB_IsRefusedBeforeItIsRead_WithAClearMessage()
    {
        await SignInAsNewUserAsync("big@example.com");
        var huge = new byte[(21 * 1024 * 1024) + 1];
        Array.Fill(huge, (byte)'1');
        var page = RenderImport();

        Upload(page, huge, "huge.csv");

        Assert.Equal(
            "huge.csv is 21 MB, larger than 20 MB, the most one import takes. Split it into smaller files (by year, say) and import them one after another.",
            page.Find("[data-testid=import-refused]").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid=import-summary]"));
        Assert.False(Directory.Exists(Path.Combine(Services.GetRequiredService<DataDirectory>().Root, "imports")));
        Assert.Null(new Uri(Navigation.Uri).Query is { Length: > 0 } q ? q : null);
    }

    [Fact]
    public async Task ExampleFiles_ImportCleanly()
    {
        await SignInAsNewUserAsync("examples@example.com");
        foreach (var (name, csv) in new[] { ("example-long.csv", ImportExamples.Long), ("example-wide.csv", ImportExamples.Wide) })
        {
            var page = RenderImport();
            Assert.Contains(csv.Split('\n')[0], page.Find(name.Contains("long", StringComparison.Ordinal) ? "[data-testid=example-long]" : "[data-testid=example-wide]").TextContent, StringComparison.Ordinal);
            Upload(page, Encoding.UTF8.GetBytes(csv), name);
            Assert.Empty(page.FindAll("[data-testid=import-errors]"));
            Assert.NotNull(page.Find("[data-testid=import-confirm]"));
        }
    }

    [Fact]
    public async Task ChooseAnotherFile_ForgetsTheUpload()
    {
        var id = await SignInAsNewUserAsync("changed-mind@example.com");
        var page = RenderImport();
        Upload(page, Weights);
        var uploadId = UploadIdInAddress();

        await page.Find("[data-testid=import-another]").ClickAsync(new());

        Assert.Null(await WithAsync<CsvImportService, ImportPreview?>(i => i.PreviewAsync(id, uploadId)));
        page.WaitForElement("[data-testid=import-upload]");
    }
}
