using System.Net;
using System.Text;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Core.Work;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// Work too large for one short transaction goes to the background worker, a chunk per transaction. The limits are
/// set tiny here (more than 10 rows is "large", 7 rows a chunk), so a few dozen samples cross many chunks.
/// </summary>
public sealed class BackgroundWorkTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string?> Small = new() { ["LifeOs:Work:InlineRows"] = "10", ["LifeOs:Work:ChunkRows"] = "7" };

    private readonly LifeOsAppFactory app = new(new(Small));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private Task IdleAsync() => app.Services.GetRequiredService<BackgroundWorker>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);

    private async Task<string> PersonAsync(string email, int hours = 48, SampleSource source = SampleSource.Manual)
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync(email);
        var id = await app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        // A reading every hour around midnight UTC: many move to another day when the zone changes.
        var samples = Enumerable.Range(0, hours)
            .Select(h => new SampleInput(MetricCatalogue.HeartRate, source, $"hr-{h}", new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc).AddHours(h), 50 + h))
            .ToList();
        await WithAsync<UpsertResult, HealthStore>(s => s.UpsertSamplesAsync(id, samples, Ct));
        return id;
    }

    private Task<List<DailyValue>> DailyAsync(string userId) =>
        app.WithDbAsync(db => db.DailyValues.AsNoTracking().Where(d => d.UserId == userId).OrderBy(d => d.MetricCode).ThenBy(d => d.LocalDate).ToListAsync());

    private Task<BackgroundWork> WorkAsync(long id) => app.WithDbAsync(db => db.BackgroundWork.AsNoTracking().SingleAsync(w => w.Id == id));

    [Fact]
    public async Task ATimeZoneChange_OverTheLimit_MovesEverySampleInTheBackground_ToTheSameResultAsAtOnce()
    {
        var ada = await PersonAsync("ada@example.com");

        var saved = await WithAsync<SettingsUpdateResult, UserSettingsService>(s => s.UpdateAsync(ada, new UserSettings("Pacific/Auckland", UnitSystem.Metric, 4), Ct));
        Assert.True(saved.Succeeded);
        Assert.NotNull(saved.RedateWorkId);
        await IdleAsync();

        var work = await WorkAsync(saved.RedateWorkId!.Value);
        Assert.Equal(WorkStatus.Succeeded, work.Status);
        Assert.Equal(48, work.Done);
        Assert.Equal(48, work.Total);
        var samples = await app.WithDbAsync(db => db.SamplesOf(ada).AsNoTracking().ToListAsync());
        var zone = TimeZones.Find("Pacific/Auckland");
        Assert.All(samples, s => Assert.Equal(LocalDay.Of(s.StartUtc, zone, 4), s.LocalDate));

        // The daily values are what recomputing every day from scratch gives.
        var daily = await DailyAsync(ada);
        await WithAsync<bool, HealthStore>(async s => { await s.RecomputeAllAsync(ada, [MetricCatalogue.HeartRate], Ct); return true; });
        Assert.Equal(daily.Select(d => (d.LocalDate, d.Value, d.SampleCount)), (await DailyAsync(ada)).Select(d => (d.LocalDate, d.Value, d.SampleCount)));
        Assert.Equal(3, daily.Count);
    }

    [Fact]
    public async Task ASecondChange_SupersedesTheFirst_AndTheLastSettingsWin()
    {
        var ada = await PersonAsync("ada@example.com");
        // Saved twice in quick succession: whatever the worker did with the first, the second settings win.
        var (first, second) = await WithAsync<(SettingsUpdateResult, SettingsUpdateResult), UserSettingsService>(async s =>
            (await s.UpdateAsync(ada, new UserSettings("Asia/Tokyo", UnitSystem.Metric, 0), Ct), await s.UpdateAsync(ada, new UserSettings("America/Los_Angeles", UnitSystem.Metric, 0), Ct)));
        await IdleAsync();

        // Usually superseded before it starts; if the worker got through it first, it simply finished.
        Assert.Contains((await WorkAsync(first.RedateWorkId!.Value)).Status, new[] { WorkStatus.Superseded, WorkStatus.Succeeded });
        Assert.Equal(WorkStatus.Succeeded, (await WorkAsync(second.RedateWorkId!.Value)).Status);
        var zone = TimeZones.Find("America/Los_Angeles");
        Assert.All(await app.WithDbAsync(db => db.SamplesOf(ada).AsNoTracking().ToListAsync()),
            s => Assert.Equal(LocalDay.Of(s.StartUtc, zone, 0), s.LocalDate));
    }

    [Fact]
    public async Task ALargeCsvImport_IsWrittenInChunks_ThenTheUploadIsGone_AndTheImportAudited()
    {
        var ada = await PersonAsync("ada@example.com", hours: 0);
        var csv = new StringBuilder("timestamp,metric,value,unit\n");
        for (var day = 1; day <= 30; day++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"2026-10-{day:00}T07:00,weight,{70 + (day / 10.0)},kg\n");
        }

        var staged = await WithAsync<StageResult, CsvImportService>(i => i.StageAsync(ada, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "weights.csv", Ct));
        var workId = await WithAsync<long, WorkQueue>(w => w.EnqueueAsync(ada, WorkKind.CsvImport, staged.UploadId, total: 30, Ct));
        await IdleAsync();

        var work = await WorkAsync(workId);
        Assert.Equal(WorkStatus.Succeeded, work.Status);
        Assert.Equal("30 values imported from weights.csv.", work.Result);
        Assert.Equal(30, await app.WithDbAsync(db => db.SamplesOf(ada).CountAsync(s => s.Source == SampleSource.Import)));
        Assert.Equal(30, (await DailyAsync(ada)).Count);
        Assert.Null(await WithAsync<ImportPreview?, CsvImportService>(i => i.PreviewAsync(ada, staged.UploadId!, Ct)));
        Assert.Single(await app.WithDbAsync(db => db.AuditEvents.Where(e => e.UserId == ada && e.Kind == AuditKind.MeasurementsImported).ToListAsync()));

        // Run again (an upload that is gone): it fails with a message for people, and another user cannot read the work.
        var again = await WithAsync<long, WorkQueue>(w => w.EnqueueAsync(ada, WorkKind.CsvImport, staged.UploadId, cancellationToken: Ct));
        await IdleAsync();
        var failed = await WithAsync<WorkView?, WorkQueue>(w => w.GetAsync(ada, again, Ct));
        Assert.Equal(WorkStatus.Failed, failed!.Status);
        Assert.Contains("no longer here", failed.Error, StringComparison.Ordinal);
        Assert.Null(await WithAsync<WorkView?, WorkQueue>(w => w.GetAsync("someone-else", again, Ct)));
    }

    [Fact]
    public async Task AnUnexpectedFailure_FailsThatWork_AndTheNextRuns()
    {
        var ada = await PersonAsync("ada@example.com");
        var broken = await WithAsync<long, WorkQueue>(w => w.EnqueueAsync(ada, WorkKind.SourceDeletion, "NotASource|0", cancellationToken: Ct));
        var next = await WithAsync<SettingsUpdateResult, UserSettingsService>(s => s.UpdateAsync(ada, new UserSettings("Asia/Tokyo", UnitSystem.Metric, 0), Ct));
        await IdleAsync();

        var failed = await WorkAsync(broken);
        Assert.Equal(WorkStatus.Failed, failed.Status);
        Assert.Equal(BackgroundWorker.UnexpectedMessage, failed.Error);
        Assert.NotNull(failed.FinishedAt);
        Assert.Equal(WorkStatus.Succeeded, (await WorkAsync(next.RedateWorkId!.Value)).Status);
    }

    [Fact]
    public async Task WorkInterruptedByAStop_ResumesAtTheNextStart_FromWhereItGot_AndLeftoverUploadsAreSwept()
    {
        var directory = TempDirectory.Create("lifeos-resume");
        string ada;
        long workId;
        await using (var first = new LifeOsAppFactory(new(Small), dataDirectory: directory))
        {
            using var client = first.CreateTestClient();
            await client.RegisterAsync("ada@example.com");
            ada = await first.WithDbAsync(db => db.Users.Select(u => u.Id).SingleAsync());
            await using var scope = first.Services.CreateAsyncScope();
            var samples = Enumerable.Range(0, 40).Select(h => new SampleInput(MetricCatalogue.Steps, SampleSource.Manual, $"s-{h}", new DateTime(2026, 11, 1, 0, 30, 0, DateTimeKind.Utc).AddHours(h), 100)).ToList();
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(ada, samples, Ct);
            // As a crash would leave it: the zone changed, the work claimed and a chunk done, then nothing.
            var db = scope.ServiceProvider.GetRequiredService<LifeOsDbContext>();
            await db.Users.ExecuteUpdateAsync(s => s.SetProperty(u => u.TimeZoneId, "Asia/Kolkata"), Ct);
            var firstIds = await db.Samples.OrderBy(s => s.Id).Select(s => s.Id).Take(7).ToListAsync(Ct);
            await scope.ServiceProvider.GetRequiredService<HealthStore>().RedateChunkAsync(ada, 0, 7, Ct);
            db.BackgroundWork.Add(new BackgroundWork { UserId = ada, Kind = WorkKind.Redate, Status = WorkStatus.Running, Cursor = firstIds[^1], Done = 7, Total = 40, CreatedAt = DateTime.UtcNow });
            await db.SaveChangesAsync(Ct);
            workId = db.BackgroundWork.Single().Id;
        }

        // An account deleted just before the stop, whose staged uploads were not yet removed.
        var orphan = Path.Combine(directory, "imports", "0123456789abcdef0123456789abcdef");
        Directory.CreateDirectory(orphan);
        await File.WriteAllTextAsync(Path.Combine(orphan, "x.csv"), "timestamp,metric,value,unit\n", Ct);

        await using var second = new LifeOsAppFactory(new(Small), dataDirectory: directory);
        using (second.CreateTestClient())
        {
            await second.Services.GetRequiredService<BackgroundWorker>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);
        }

        var work = await second.WithDbAsync(db => db.BackgroundWork.AsNoTracking().SingleAsync(w => w.Id == workId));
        Assert.False(Directory.Exists(orphan));
        Assert.Equal(WorkStatus.Succeeded, work.Status);
        Assert.Equal(40, work.Done);
        var zone = TimeZones.Find("Asia/Kolkata");
        Assert.All(await second.WithDbAsync(db => db.Samples.AsNoTracking().ToListAsync()), s => Assert.Equal(LocalDay.Of(s.StartUtc, zone, 0), s.LocalDate));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task DisconnectingWithDelete_OverTheLimit_RemovesTheConnectionAtOnce_AndOnlyTheDataWrittenBefore()
    {
        await using var harness = await ConnectionsHarness.StartAsync(settings: new(Small));
        using var owner = await harness.SignedInAsync("owner@example.com");
        await harness.ConnectAsync(owner, "oura");
        var id = await harness.App.WithDbAsync(db => db.Users.Where(u => u.Email == "owner@example.com").Select(u => u.Id).SingleAsync());
        var old = Enumerable.Range(0, 30).Select(h => new SampleInput(MetricCatalogue.HeartRate, SampleSource.Oura, $"old-{h}", new DateTime(2026, 11, 20, 0, 0, 0, DateTimeKind.Utc).AddHours(h), 60)).ToList();
        await harness.WithServiceAsync<UpsertResult, HealthStore>(s => s.UpsertSamplesAsync(id, old));

        var outcome = await harness.WithServiceAsync<ConnectionOutcome, ConnectionService>(c => c.DisconnectAsync(id, ProviderKind.Oura, deleteData: true));
        Assert.Contains("in the background", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(0, await harness.App.WithDbAsync(db => db.Connections.CountAsync()));
        // Synced again after connecting anew, before the deletion ran: that stays.
        harness.Time.Advance(TimeSpan.FromMinutes(1));
        await harness.WithServiceAsync<UpsertResult, HealthStore>(s => s.UpsertSamplesAsync(id, [new SampleInput(MetricCatalogue.Steps, SampleSource.Oura, "new", new DateTime(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc), 9000)]));
        await harness.App.Services.GetRequiredService<BackgroundWorker>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var left = await harness.App.WithDbAsync(db => db.SamplesOf(id).Select(s => s.SourceRecordId).ToListAsync());
        Assert.Equal(["new"], left);
        Assert.Equal([MetricCatalogue.Steps], await harness.App.WithDbAsync(db => db.DailyValues.Where(d => d.UserId == id).Select(d => d.MetricCode).ToListAsync()));
    }

    [Fact]
    public async Task DeletingALargeAccount_ClosesItAtOnce_ThenDeletesEveryRowInTheBackground()
    {
        using var admin = app.CreateTestClient();
        await admin.RegisterAsync("admin@example.com");
        var ada = await PersonAsync("ada@example.com");
        using var adaClient = app.CreateTestClient();
        await adaClient.LoginAsync("ada@example.com");

        var deleted = await adaClient.PostFormAsync("/Account/Manage/DeletePersonalData", "delete-user", new Dictionary<string, string> { ["Input.Password"] = TestClient.Password });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);

        // At once: nobody can sign in to it, the address is free, the administrator no longer lists it.
        using var again = app.CreateTestClient();
        Assert.NotEqual(HttpStatusCode.Redirect, (await again.LoginAsync("ada@example.com")).StatusCode);
        Assert.DoesNotContain(await WithAsync<IReadOnlyList<UserSummary>, AccountService>(a => a.ListUsersAsync(Ct)), u => u.Id == ada);
        await IdleAsync();

        Assert.False(await app.WithDbAsync(db => db.Users.AnyAsync(u => u.Id == ada)));
        Assert.Equal(0, await app.WithDbAsync(db => db.SamplesOf(ada).CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.DailyValues.CountAsync(d => d.UserId == ada)));
        Assert.DoesNotContain(await app.WithDbAsync(db => db.AuditEvents.ToListAsync()), e => e.UserId == ada || e.ActorUserId == ada);
        using var newcomer = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await newcomer.RegisterAsync("ada@example.com")).StatusCode);
    }
}
