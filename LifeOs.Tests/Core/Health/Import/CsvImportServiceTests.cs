using System.Text;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Tests.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.Core.Health.Import;

public sealed class CsvImportServiceTests : IDisposable
{
    private const string Weights = "date,Weight (lb),resting_heart_rate\n2026-11-20,165.4,52\n2026-11-21,164.8,51\n2026-11-22,,50\n";
    private readonly SqliteConnection connection = TestDatabase.OpenInMemory();
    private readonly LifeOsDbContext db;
    private readonly string directory = TempDirectory.Create("lifeos-import");
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
    private readonly CsvImportService service;

    public CsvImportServiceTests()
    {
        db = new LifeOsDbContext(TestDatabase.Options(connection));
        db.Database.Migrate();
        foreach (var id in new[] { "ada", "bob" })
        {
            db.Users.Add(new ApplicationUser { Id = id, UserName = id, Email = $"{id}@example.com", TimeZoneId = "Europe/London", CreatedAt = DateTime.UtcNow });
        }

        db.SaveChanges();
        service = new CsvImportService(db, new HealthStore(db, time, new SourcePriorityService(db)), new DataDirectory(directory), time);
    }

    public void Dispose()
    {
        db.Dispose();
        connection.Dispose();
        TempDirectory.Delete(directory);
    }

    private async Task<string> StageAsync(string user, string csv, string name = "weights.csv")
    {
        var staged = await service.StageAsync(user, new MemoryStream(Encoding.UTF8.GetBytes(csv)), name, TestContext.Current.CancellationToken);
        Assert.Equal(StageStatus.Staged, staged.Status);
        return staged.UploadId!;
    }

    [Fact]
    public async Task Staging_KeepsOnlyAUsersNewestUploads_SoOneAccountCannotFillTheDisk()
    {
        var ids = new List<string>();
        for (var i = 0; i < CsvImportService.MaxStagedPerUser + 2; i++)
        {
            ids.Add(await StageAsync("ada", Weights, $"weights-{i}.csv"));
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var bobs = await StageAsync("bob", Weights);

        var ct = TestContext.Current.CancellationToken;
        Assert.Null(await service.PreviewAsync("ada", ids[0], ct));
        Assert.Null(await service.PreviewAsync("ada", ids[1], ct));
        foreach (var kept in ids.Skip(2))
        {
            Assert.NotNull(await service.PreviewAsync("ada", kept, ct));
        }

        Assert.NotNull(await service.PreviewAsync("bob", bobs, ct));
        Assert.Equal(2 * (CsvImportService.MaxStagedPerUser + 1), Directory.EnumerateFiles(Path.Combine(directory, "imports"), "*", SearchOption.AllDirectories).Count());
    }

    [Fact]
    public async Task Preview_CountsPerMetric_DateRange_FirstRows_InTheUsersUnits()
    {
        var id = await StageAsync("ada", Weights);
        var preview = await service.PreviewAsync("ada", id, TestContext.Current.CancellationToken);

        Assert.NotNull(preview);
        Assert.Equal(("weights.csv", ImportFormat.Wide, 5, 0), (preview.FileName, preview.Format, preview.Measurements, preview.ErrorCount));
        Assert.Equal([("Resting heart rate", 3), ("Weight", 2)], preview.Metrics.Select(m => (m.DisplayName, m.Count)));
        Assert.Equal((new DateOnly(2026, 11, 20), new DateOnly(2026, 11, 22)), (preview.From, preview.To));
        Assert.Equal((74.75, 75.02, "kg"), (preview.Metrics[1].Min, preview.Metrics[1].Max, preview.Metrics[1].Unit));
        Assert.Equal(new ImportPreviewRow(2, new DateTime(2026, 11, 20, 12, 0, 0), "Weight", 75.02, "kg"), preview.FirstRows[0]);
        Assert.True(preview.CanImport);
        Assert.Equal(0, await db.Samples.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Import_WritesThroughTheHealthStore_AndTheSameFileAgainAddsNothing()
    {
        var first = await service.ImportAsync("ada", await StageAsync("ada", Weights), TestContext.Current.CancellationToken);
        Assert.Equal(ImportStatus.Imported, first.Status);
        Assert.Equal(5, first.Result!.Inserted);
        Assert.Equal(5, await db.Samples.CountAsync(s => s.Source == SampleSource.Import, TestContext.Current.CancellationToken));
        Assert.Equal(5, await db.DailyValues.CountAsync(TestContext.Current.CancellationToken));

        // The same rows in another layout and file are the same records. Dated only, their day was the
        // file's; now that a time of day is given, their day follows the user's time zone.
        var again = await StageAsync("ada", "timestamp,metric,value,unit\n2026-11-20T12:00,weight,165.4,lb\n2026-11-21T12:00,resting_heart_rate,51,bpm\n", "other.csv");
        var preview = await service.PreviewAsync("ada", again, TestContext.Current.CancellationToken);
        Assert.Equal(2, preview!.AlreadyImported);
        Assert.Equal(5, await db.Samples.CountAsync(s => s.DayFromSource, TestContext.Current.CancellationToken));
        var second = await service.ImportAsync("ada", again, TestContext.Current.CancellationToken);
        Assert.Equal(new UpsertResult(0, 2, 0, 0, 0), second.Result);
        Assert.Equal(5, await db.Samples.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(3, await db.Samples.CountAsync(s => s.DayFromSource, TestContext.Current.CancellationToken));
        Assert.Equal(new UpsertResult(0, 0, 2, 0, 0), (await service.ImportAsync("ada", await StageAsync("ada", "timestamp,metric,value,unit\n2026-11-20T12:00,weight,165.4,lb\n2026-11-21T12:00,resting_heart_rate,51,bpm\n", "third.csv"), TestContext.Current.CancellationToken)).Result);
    }

    [Fact]
    public async Task Import_FileWithAnyError_ImportsNothing()
    {
        var id = await StageAsync("ada", Weights + "2026-11-23,9999,50\n");
        var outcome = await service.ImportAsync("ada", id, TestContext.Current.CancellationToken);

        Assert.Equal(ImportStatus.HasErrors, outcome.Status);
        Assert.StartsWith("Line 5, column 2 (Weight (lb))", outcome.Preview!.Errors.Single().ToString(), StringComparison.Ordinal);
        Assert.Equal(0, await db.Samples.CountAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task AnotherUsersUpload_IsNotFound_ForPreviewOrImport()
    {
        var id = await StageAsync("ada", Weights);

        Assert.Null(await service.PreviewAsync("bob", id, TestContext.Current.CancellationToken));
        Assert.Equal(ImportStatus.NotFound, (await service.ImportAsync("bob", id, TestContext.Current.CancellationToken)).Status);
        Assert.Equal(ImportStatus.NotFound, (await service.ImportAsync("bob", "../../lifeos.db", TestContext.Current.CancellationToken)).Status);
        Assert.Equal(0, await db.Samples.CountAsync(TestContext.Current.CancellationToken));
        Assert.NotNull(await service.PreviewAsync("ada", id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Upload_IsForgottenAfterImport_AndExpiresAfterADay()
    {
        var imported = await StageAsync("ada", Weights);
        await service.ImportAsync("ada", imported, TestContext.Current.CancellationToken);
        Assert.Null(await service.PreviewAsync("ada", imported, TestContext.Current.CancellationToken));

        var abandoned = await StageAsync("ada", Weights);
        time.Advance(TimeSpan.FromHours(25));
        Assert.Null(await service.PreviewAsync("ada", abandoned, TestContext.Current.CancellationToken));
        await StageAsync("bob", Weights);
        Assert.Equal(2, Directory.GetFiles(Path.Combine(directory, "imports"), "*", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task TooLarge_IsRefusedWithoutKeepingIt_AndSaysWhereTheLimitIsPassed()
    {
        var row = "2026-11-20,80\n";
        var csv = "date,weight\n" + string.Concat(Enumerable.Repeat(row, (int)(CsvImportService.MaxFileBytes / row.Length) + 10));

        var staged = await service.StageAsync("ada", new MemoryStream(Encoding.UTF8.GetBytes(csv)), "huge.csv", TestContext.Current.CancellationToken);

        Assert.Equal(StageStatus.TooLarge, staged.Status);
        Assert.Null(staged.UploadId);
        // 12 header bytes, then 14-byte rows: the 20 MB limit falls on line 1,497,966, column 13.
        Assert.Equal("Line 1497966, column 13: The file is larger than 20 MB; it passes the limit here. Split it into smaller files and import them one after another.", staged.Error!.ToString());
        Assert.False(Directory.Exists(Path.Combine(directory, "imports")));
    }

    private ImportBatchService Batches(int inlineRows = 20_000, int chunkRows = 20_000) =>
        new(db, new HealthStore(db, time, new SourcePriorityService(db)), TestWork.Queue(db, time), TestWork.Options(inlineRows, chunkRows), time);

    [Fact]
    public async Task Import_IsABatch_AndAReimportAddsNothing_SaysSo_AndMakesNoBatch()
    {
        var ct = TestContext.Current.CancellationToken;
        var first = await service.ImportAsync("ada", await StageAsync("ada", Weights), ct);
        var batch = Assert.Single(await Batches().ListAsync("ada", ct));
        Assert.Equal((first.BatchId, "weights.csv", 5, ImportBatchStatus.Imported, true), (batch.Id, batch.FileName, batch.Rows, batch.Status, batch.CanUndo));
        Assert.Equal(["Resting heart rate", "Weight"], batch.MetricNames);
        Assert.Equal(5, await db.Samples.CountAsync(s => s.ImportBatchId == batch.Id, ct));

        var again = await StageAsync("ada", Weights, "weights copy.csv");
        var preview = await service.PreviewAsync("ada", again, ct);
        Assert.Equal((5, 5, false, true), (preview!.Measurements, preview.AlreadyImported, preview.CanImport, preview.AddsNothing));
        var second = await service.ImportAsync("ada", again, ct);
        Assert.Null(second.BatchId);
        Assert.Single(await Batches().ListAsync("ada", ct));
    }

    [Fact]
    public async Task UndoingASmallBatch_DeletesItsRowsAtOnce_KeepsOthers_AndRecomputesTheDays()
    {
        var ct = TestContext.Current.CancellationToken;
        await service.ImportAsync("ada", await StageAsync("ada", "date,weight\n2026-11-19,80\n"), ct);
        var outcome = await service.ImportAsync("ada", await StageAsync("ada", Weights), ct);

        var undo = await Batches().UndoAsync("ada", outcome.BatchId!.Value, ct);

        Assert.Equal((UndoStatus.Undone, 5), (undo.Status, undo.Deleted));
        Assert.Equal(1, await db.Samples.CountAsync(ct));
        Assert.Equal([new DateOnly(2026, 11, 19)], await db.DailyValues.Select(d => d.LocalDate).ToListAsync(ct));
        var undone = (await Batches().ListAsync("ada", ct)).Single(b => b.Id == outcome.BatchId);
        Assert.Equal((ImportBatchStatus.Undone, false), (undone.Status, undone.CanUndo));
        Assert.Equal(UndoStatus.NotNow, (await Batches().UndoAsync("ada", outcome.BatchId.Value, ct)).Status);
    }

    [Fact]
    public async Task UndoingALargeBatch_IsBackgroundWork_InChunks()
    {
        var ct = TestContext.Current.CancellationToken;
        var csv = new StringBuilder("date,weight,steps\n");
        for (var day = new DateOnly(2026, 1, 1); day <= new DateOnly(2026, 11, 20); day = day.AddDays(1))
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{day:yyyy-MM-dd},80,{day.DayNumber % 9000}\n");
        }

        var outcome = await service.ImportAsync("ada", await StageAsync("ada", csv.ToString()), ct);
        var rows = await db.Samples.CountAsync(ct);
        var batches = Batches(inlineRows: 100, chunkRows: 150);

        var undo = await batches.UndoAsync("ada", outcome.BatchId!.Value, ct);

        Assert.Equal(UndoStatus.Queued, undo.Status);
        Assert.Equal(ImportBatchStatus.Undoing, (await batches.GetAsync("ada", outcome.BatchId.Value, ct))!.Status);
        Assert.Equal(rows, await db.Samples.CountAsync(ct));
        var work = await db.BackgroundWork.SingleAsync(w => w.Id == undo.WorkId, ct);
        Assert.Equal((LifeOs.Core.Work.WorkKind.ImportUndo, (long)rows), (work.Kind, work.Total));
        work.Status = LifeOs.Core.Work.WorkStatus.Running;
        await db.SaveChangesAsync(ct);

        var result = await new ImportUndoWork(new HealthStore(db, time, new SourcePriorityService(db)), batches, TestWork.Options(100, 150))
            .RunAsync(work, new LifeOs.Core.Work.WorkProgress(db, work, time), ct);

        Assert.Equal($"Import undone: {rows:N0} values deleted.", result);
        Assert.Equal(0, await db.Samples.CountAsync(ct));
        Assert.Equal(0, await db.DailyValues.CountAsync(ct));
        Assert.Equal(ImportBatchStatus.Undone, (await batches.GetAsync("ada", outcome.BatchId.Value, ct))!.Status);
    }

    [Fact]
    public async Task AnotherUsersBatch_IsNotFound_ForViewAndUndo()
    {
        var ct = TestContext.Current.CancellationToken;
        var outcome = await service.ImportAsync("ada", await StageAsync("ada", Weights), ct);

        Assert.Null(await Batches().GetAsync("bob", outcome.BatchId!.Value, ct));
        Assert.Empty(await Batches().ListAsync("bob", ct));
        Assert.Equal(UndoStatus.NotFound, (await Batches().UndoAsync("bob", outcome.BatchId.Value, ct)).Status);
        Assert.Equal(5, await db.Samples.CountAsync(ct));
    }

    [Fact]
    public async Task Mapping_IsKeptWithTheUpload_AndUsedByTheImport_NotByAnotherUser()
    {
        var ct = TestContext.Current.CancellationToken;
        var id = await StageAsync("ada", "Day,Mass,Notes\n2026-11-20,165.4,after run\n");
        var preview = await service.PreviewAsync("ada", id, ct);
        Assert.False(preview!.CanImport);

        var mapping = preview.Mapping! with
        {
            Columns = [.. preview.Mapping.Columns.Select(c => c.Header == "Mass" ? c with { Role = ColumnRole.Metric, MetricCode = MetricCatalogue.Weight, Unit = "lb" } : c)],
        };
        Assert.False(await service.SaveMappingAsync("bob", id, mapping, ct));
        Assert.True(await service.SaveMappingAsync("ada", id, mapping, ct));

        Assert.True((await service.PreviewAsync("ada", id, ct))!.CanImport);
        var outcome = await service.ImportAsync("ada", id, ct);
        Assert.Equal(75.02, (await db.Samples.SingleAsync(ct)).Value, 2);
        Assert.NotNull(outcome.BatchId);
    }

    [Fact]
    public async Task FutureDate_InAFile_IsAnError_AndNothingIsImported()
    {
        var ct = TestContext.Current.CancellationToken;
        var outcome = await service.ImportAsync("ada", await StageAsync("ada", "date,weight\n2026-11-20,80\n2026-11-26,81\n"), ct);

        Assert.Equal(ImportStatus.HasErrors, outcome.Status);
        Assert.Equal("Line 3, column 1 (date): \"2026-11-26\" cannot be imported. Choose a date no later than today, 2026-11-25.", Assert.Single(outcome.Preview!.Errors).ToString());
        Assert.Equal(0, await db.Samples.CountAsync(ct));
        Assert.Empty(await db.ImportBatches.ToListAsync(ct));
    }
}
