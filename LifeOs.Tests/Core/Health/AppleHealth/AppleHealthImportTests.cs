using System.IO.Compression;
using System.Text;
using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Health.AppleHealth;
using LifeOs.Core.Health.Import;
using LifeOs.Core.Work;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LifeOs.Tests.Core.Health.AppleHealth;

/// <summary>
/// Apple Health exports through the real path: upload streamed to the data directory, background work in the app's
/// worker, SQLite. Chunks are tiny (5 rows) so that a small file crosses many of them.
/// </summary>
public sealed class AppleHealthImportTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:Work:ChunkRows"] = "5" });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private Task IdleAsync() => app.Services.GetRequiredService<BackgroundWorker>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60), Ct);

    private async Task<string> PersonAsync(string id, bool ouraConnected = false)
    {
        await app.WithDbAsync(async db =>
        {
            db.Users.Add(new ApplicationUser { Id = id, UserName = id, Email = $"{id}@example.com", TimeZoneId = "Europe/Paris", CreatedAt = DateTime.UtcNow });
            if (ouraConnected)
            {
                db.Connections.Add(new Connection
                {
                    UserId = id, Provider = ProviderKind.Oura, ProviderUserId = "oura-" + id, Status = ConnectionStatus.Connected,
                    ProtectedAccessToken = "x", ProtectedRefreshToken = "x", ConnectedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow,
                });
            }

            return await db.SaveChangesAsync(Ct);
        });
        return id;
    }

    private Task<AppleStartResult> StartAsync(string userId, byte[] file, string name = "export.zip") =>
        WithAsync<AppleStartResult, AppleHealthImportService>(s => s.StartAsync(userId, new MemoryStream(file), name, Ct));

    private async Task<AppleImportView> ImportAsync(string userId, byte[] file, string name = "export.zip")
    {
        var started = await StartAsync(userId, file, name);
        Assert.Equal(AppleStartStatus.Started, started.Status);
        await IdleAsync();
        return (await WithAsync<AppleImportView?, AppleHealthImportService>(s => s.GetAsync(userId, started.WorkId!.Value, Ct)))!;
    }

    private Task<List<Sample>> SamplesAsync(string userId) =>
        app.WithDbAsync(db => db.SamplesOf(userId).AsNoTracking().OrderBy(s => s.MetricCode).ThenBy(s => s.StartUtc).ThenBy(s => s.SourceRecordId).ToListAsync(Ct));

    private Task<List<(long Id, string Activity, DateTime UpdatedAt)>> WorkoutsAsync(string userId) =>
        app.WithDbAsync(async db => (await db.Set<Workout>().AsNoTracking().Where(w => w.UserId == userId).OrderBy(w => w.Id).ToListAsync(Ct))
            .Select(w => (w.Id, w.Activity, w.UpdatedAt)).ToList());

    private Task<List<DailyValue>> DailyAsync(string userId) =>
        app.WithDbAsync(db => db.DailyValues.AsNoTracking().Where(d => d.UserId == userId).OrderBy(d => d.MetricCode).ThenBy(d => d.LocalDate).ToListAsync(Ct));

    private static DateTime Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, DateTimeKind.Utc);

    [Fact]
    public async Task ARealShapedExport_IsMappedValueByValue_InBothUnitSystems_WithASummary()
    {
        var ada = await PersonAsync("ada", ouraConnected: true);

        var view = await ImportAsync(ada, AppleExportFixture.RealShaped().Zip());

        Assert.Equal(WorkStatus.Succeeded, view.Work.Status);
        var samples = await SamplesAsync(ada);
        Assert.All(samples, s => Assert.Equal(SampleSource.AppleHealth, s.Source));
        (DateTime, double)[] Of(string metric) => samples.Where(s => s.MetricCode == metric).Select(s => (s.StartUtc, Math.Round(s.Value, 4))).ToArray();

        // Summed metrics: one value per hour, from the device that counted most that hour.
        Assert.Equal([(Utc(11, 20, 7), 800), (Utc(11, 20, 11), 1000)], Of(MetricCatalogue.Steps));
        Assert.Equal([(Utc(11, 20, 7), 1500), (Utc(11, 20, 14), 1609.344)], Of(MetricCatalogue.Distance));
        Assert.Equal([(Utc(11, 20, 7), 120), (Utc(11, 20, 15), 100)], Of(MetricCatalogue.ActiveCalories));
        Assert.Equal([(Utc(11, 20, 7), 70)], Of(MetricCatalogue.BasalEnergy));
        Assert.Equal([(Utc(11, 20, 9), 3)], Of(MetricCatalogue.FlightsClimbed));

        // Point records, each with its own time (offsets respected) and unit.
        Assert.Equal([(Utc(11, 20, 8), 72)], Of(MetricCatalogue.HeartRate));
        Assert.Equal([(Utc(11, 19, 23), 55)], Of(MetricCatalogue.RestingHeartRate));
        Assert.Equal([(Utc(11, 19, 23), 98)], Of(MetricCatalogue.WalkingHeartRate));
        Assert.Equal([(Utc(11, 20, 5, 10), 45.5)], Of(MetricCatalogue.HrvSdnn));
        Assert.Empty(Of(MetricCatalogue.HrvRmssd));
        Assert.Equal([(Utc(11, 20, 6), 70.5), (Utc(11, 21, 12), 72.5748)], Of(MetricCatalogue.Weight));
        Assert.Equal([(Utc(11, 21, 12), 22)], Of(MetricCatalogue.FatRatio));
        Assert.Equal([(Utc(11, 21, 12), 54.9981)], Of(MetricCatalogue.FatFreeMass));
        Assert.Equal([(Utc(11, 21, 12), 22.4)], Of(MetricCatalogue.Bmi));
        Assert.Equal([(Utc(1, 1, 11), 1.8), (Utc(6, 1, 17), 1.778)], Of(MetricCatalogue.Height));
        Assert.Equal([(Utc(11, 20, 6, 30), 120)], Of(MetricCatalogue.Systolic));
        Assert.Equal([(Utc(11, 20, 6, 30), 80)], Of(MetricCatalogue.Diastolic));
        Assert.Equal([(Utc(11, 20, 3), 97)], Of(MetricCatalogue.Spo2));
        Assert.Equal([(Utc(11, 20, 3), 14)], Of(MetricCatalogue.RespiratoryRate));
        Assert.Equal([(Utc(11, 20, 6), 36.8), (Utc(11, 21, 12), 37)], Of(MetricCatalogue.BodyTemperature));
        Assert.Equal([(Utc(11, 20, 17), 42)], Of(MetricCatalogue.Vo2Max));

        // The device is kept in the record id.
        Assert.Equal("Ada’s Apple Watch|20261120T080000|0|72", samples.Single(s => s.MetricCode == MetricCatalogue.HeartRate).SourceRecordId);

        // One night from the watch and the phone, counted once: the watch's stages win where they overlap the phone's.
        var night = samples.Where(s => s.MetricCode.StartsWith("sleep_", StringComparison.Ordinal)).ToDictionary(s => s.MetricCode);
        Assert.All(night.Values, s => Assert.Equal(new DateOnly(2026, 11, 21), s.LocalDate));
        Assert.Equal(24_300, night[MetricCatalogue.SleepDuration].Value);
        Assert.Equal(3_600, night[MetricCatalogue.SleepDeep].Value);
        Assert.Equal(3_600, night[MetricCatalogue.SleepRem].Value);
        Assert.Equal(17_100, night[MetricCatalogue.SleepLight].Value);
        Assert.Equal(900, night[MetricCatalogue.SleepAwake].Value);
        Assert.Equal(87.1, night[MetricCatalogue.SleepEfficiency].Value);
        Assert.Equal(Utc(11, 20, 21, 45), night[MetricCatalogue.SleepDuration].StartUtc);

        // Workouts, both export shapes: readable activity, kcal from kJ and Cal, metres from km and mi, the local day of
        // the workout's own offset; the one Oura wrote into Health is Oura's to sync.
        var workouts = await app.WithDbAsync(db => db.Set<Workout>().AsNoTracking().Where(w => w.UserId == ada).OrderBy(w => w.StartUtc).ToListAsync(Ct));
        Assert.Equal(
            [
                ("cycling", Utc(11, 20, 1), Utc(11, 20, 2), new DateOnly(2026, 11, 19), (double?)400, (double?)16_093.44),
                ("running", Utc(11, 20, 16), Utc(11, 20, 16, 30), new DateOnly(2026, 11, 20), 250, 5_100),
                ("strength_training", Utc(11, 21, 17), Utc(11, 21, 17, 45), new DateOnly(2026, 11, 21), 150, null),
            ],
            workouts.Select(w => (w.Activity, w.StartUtc, w.EndUtc, w.LocalDate, w.Calories is { } c ? Math.Round(c, 4) : (double?)null, w.DistanceMeters is { } m ? Math.Round(m, 4) : (double?)null)));
        Assert.All(workouts, w => Assert.Equal(SampleSource.AppleHealth, w.Source));
        Assert.Equal("Ada’s Apple Watch|20261120T160000|1800|HKWorkoutActivityTypeRunning", workouts[1].SourceRecordId);

        var daily = (await DailyAsync(ada)).ToDictionary(d => (d.MetricCode, d.LocalDate));
        Assert.Equal(1800, daily[(MetricCatalogue.Steps, new DateOnly(2026, 11, 20))].Value);
        Assert.Equal(24_300, daily[(MetricCatalogue.SleepDuration, new DateOnly(2026, 11, 21))].Value);

        // The summary: per metric, imported, duplicates, rejected with the reason.
        var summary = view.State!.Metrics;
        Assert.Equal(3, summary[MetricCatalogue.Steps].Imported);
        Assert.Equal(1, summary[MetricCatalogue.Steps].Rejected[AppleSkip.Overlap]);
        Assert.Equal(1, summary[MetricCatalogue.HeartRate].Imported);
        Assert.Equal(1, summary[MetricCatalogue.HeartRate].Rejected[AppleSkip.OutOfRange]);
        Assert.Equal(1, summary[MetricCatalogue.HeartRate].Rejected[AppleSkip.SyncedDirectly]);
        Assert.Equal(1, summary[MetricCatalogue.Weight].Rejected[AppleSkip.FutureDate]);
        Assert.Equal(1, summary[MetricCatalogue.Weight].Rejected[AppleSkip.UnknownUnit]);
        Assert.Equal(1, summary[MetricCatalogue.Systolic].Duplicates);
        Assert.Equal(1, summary["HKQuantityTypeIdentifierDietaryWater"].Rejected[AppleSkip.NotMapped]);
        Assert.Equal(3, summary[AppleHealthImporter.WorkoutsKey].Imported);
        Assert.Equal(1, summary[AppleHealthImporter.WorkoutsKey].Rejected[AppleSkip.SyncedDirectly]);
        Assert.Equal(1, summary[AppleHealthImporter.SleepKey].Imported);
        Assert.Equal(1, summary[AppleHealthImporter.SleepKey].Rejected[AppleSkip.SyncedDirectly]);
        Assert.Equal(46, view.State.Read);
        Assert.Contains("records imported from export.zip", view.Work.Result, StringComparison.Ordinal);

        // The upload is gone once imported; the summary stays.
        Assert.Empty(Directory.EnumerateFiles(app.DataDirectory, "*.upload", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task TheSameExportAgain_AddsNothing_AndSaysSo()
    {
        var ada = await PersonAsync("ada");
        var file = AppleExportFixture.RealShaped().Zip();
        await ImportAsync(ada, file);
        var before = await SamplesAsync(ada);
        var workoutsBefore = await WorkoutsAsync(ada);

        var again = await ImportAsync(ada, file);

        Assert.Equal(WorkStatus.Succeeded, again.Work.Status);
        Assert.Equal(before.Select(s => (s.Id, s.Value, s.UpdatedAt)), (await SamplesAsync(ada)).Select(s => (s.Id, s.Value, s.UpdatedAt)));
        Assert.Equal(0, again.State!.Written);
        Assert.All(again.State.Metrics.Values, m => Assert.Equal(0, m.Imported));
        Assert.Equal(3, again.State.Metrics[MetricCatalogue.Steps].Duplicates);
        Assert.Equal(1, again.State.Metrics[AppleHealthImporter.SleepKey].Duplicates);
        Assert.Equal(4, workoutsBefore.Count);
        Assert.Equal(workoutsBefore, await WorkoutsAsync(ada));
        Assert.Equal(4, again.State.Metrics[AppleHealthImporter.WorkoutsKey].Duplicates);
    }

    [Fact]
    public async Task AnExportXml_WithoutTheZip_IsReadToo()
    {
        var ada = await PersonAsync("ada");

        var view = await ImportAsync(ada, Encoding.UTF8.GetBytes(AppleExportFixture.RealShaped().Xml()), "export.xml");

        Assert.Equal(WorkStatus.Succeeded, view.Work.Status);
        Assert.Equal(2, (await SamplesAsync(ada)).Count(s => s.MetricCode == MetricCatalogue.Steps));
    }

    [Theory]
    [InlineData("billion-laughs")]
    [InlineData("external-entity")]
    public async Task AMaliciousExport_IsRefused_WithoutExpandingOrFetchingAnything(string attack)
    {
        var ada = await PersonAsync("ada");
        var secret = Path.Combine(app.DataDirectory, "secret.txt");
        await File.WriteAllTextAsync(secret, "72", Ct);
        var dtd = attack == "billion-laughs"
            ? string.Concat(Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">\n")).Insert(0, "<!ENTITY lol0 \"lol\">\n")
            : $"<!ENTITY xxe SYSTEM \"file://{secret}\">\n";
        var entity = attack == "billion-laughs" ? "&lol9;" : "&xxe;";
        var xml = $"""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE HealthData [
            {dtd}]>
            <HealthData locale="en_GB">
             <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Watch" unit="count/min" startDate="2026-11-20 09:00:00 +0100" endDate="2026-11-20 09:00:00 +0100" value="{entity}"/>
            </HealthData>
            """;

        var started = await StartAsync(ada, Encoding.UTF8.GetBytes(xml), "export.xml");
        await IdleAsync();

        var view = await WithAsync<AppleImportView?, AppleHealthImportService>(s => s.GetAsync(ada, started.WorkId!.Value, Ct));
        Assert.Equal(WorkStatus.Failed, view!.Work.Status);
        Assert.Contains("cannot be read past line", view.Work.Error, StringComparison.Ordinal);
        Assert.Contains("undeclared entity", view.Work.Error, StringComparison.Ordinal);
        Assert.Empty(await SamplesAsync(ada));
        Assert.Empty(Directory.EnumerateFiles(app.DataDirectory, "*.upload", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AZipThatIsNotAnAppleExport_IsRefusedAtOnce_AndNothingIsKept()
    {
        var ada = await PersonAsync("ada");
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var writer = new StreamWriter(await zip.CreateEntry("photos/holiday.txt").OpenAsync(Ct));
            await writer.WriteAsync("not health data");
        }

        var zipResult = await StartAsync(ada, buffer.ToArray());
        var xmlResult = await StartAsync(ada, Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><journal><entry/></journal>"), "notes.xml");
        var textResult = await StartAsync(ada, Encoding.UTF8.GetBytes("date,weight\n2026-11-20,70\n"), "weights.csv");

        Assert.Equal(AppleStartStatus.NotAnExport, zipResult.Status);
        Assert.Contains("holds no export.xml", zipResult.Problem, StringComparison.Ordinal);
        Assert.Equal(AppleStartStatus.NotAnExport, xmlResult.Status);
        Assert.Contains("does not start with <HealthData>", xmlResult.Problem, StringComparison.Ordinal);
        Assert.Equal(AppleStartStatus.NotAnExport, textResult.Status);
        Assert.DoesNotContain(Directory.EnumerateFiles(app.DataDirectory, "*", SearchOption.AllDirectories), f => f.Contains("apple-health", StringComparison.Ordinal));
        Assert.Equal(0, await app.WithDbAsync(db => db.BackgroundWork.CountAsync(Ct)));
    }

    [Fact]
    public async Task AStopMidImport_ThenARestart_EndsExactlyAsAnUninterruptedImport()
    {
        var ada = await PersonAsync("ada");
        var bob = await PersonAsync("bob");
        var file = Generated(days: 40).Zip();

        // Bob's import runs uninterrupted.
        var uninterrupted = await ImportAsync(bob, file);
        Assert.Equal(WorkStatus.Succeeded, uninterrupted.Work.Status);

        // Ada's is stopped (the worker is stopped, as at a shutdown) once a few chunks are committed...
        var worker = app.Services.GetRequiredService<BackgroundWorker>();
        var started = await StartAsync(ada, file);
        while (await app.WithDbAsync(db => db.BackgroundWork.AsNoTracking().Where(w => w.Id == started.WorkId).Select(w => w.Cursor).SingleAsync(Ct)) < 50)
        {
            await Task.Yield();
        }

        await worker.StopAsync(Ct);
        var stopped = await app.WithDbAsync(db => db.BackgroundWork.AsNoTracking().SingleAsync(w => w.Id == started.WorkId, Ct));
        Assert.Equal(WorkStatus.Running, stopped.Status);
        Assert.InRange(await app.WithDbAsync(db => db.SamplesOf(ada).CountAsync(Ct)), 1, (await SamplesAsync(bob)).Count - 1);

        // ...and a new worker (the next start) resumes it.
        using var restarted = new BackgroundWorker(app.Services.GetRequiredService<IServiceScopeFactory>(), app.Time, NullLogger<BackgroundWorker>.Instance);
        await restarted.StartAsync(Ct);
        await restarted.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60), Ct);
        await restarted.StopAsync(Ct);

        var resumed = (await WithAsync<AppleImportView?, AppleHealthImportService>(s => s.GetAsync(ada, started.WorkId!.Value, Ct)))!;
        Assert.Equal(WorkStatus.Succeeded, resumed.Work.Status);
        static object Shape(Sample s) => (s.MetricCode, s.Source, s.SourceRecordId, s.StartUtc, s.EndUtc, s.LocalDate, s.Value);
        Assert.Equal((await SamplesAsync(bob)).Select(Shape), (await SamplesAsync(ada)).Select(Shape));
        Assert.Equal((await DailyAsync(bob)).Select(d => (d.MetricCode, d.LocalDate, d.Value, d.SampleCount)), (await DailyAsync(ada)).Select(d => (d.MetricCode, d.LocalDate, d.Value, d.SampleCount)));
        Assert.Equal(uninterrupted.State!.Written, resumed.State!.Written);
        Assert.Equal(uninterrupted.State.Read, resumed.State.Read);
        Assert.Equal(
            uninterrupted.State.Metrics.OrderBy(m => m.Key).Select(m => (m.Key, m.Value.Imported, m.Value.Duplicates, m.Value.RejectedTotal)),
            resumed.State.Metrics.OrderBy(m => m.Key).Select(m => (m.Key, m.Value.Imported, m.Value.Duplicates, m.Value.RejectedTotal)));
    }

    [Fact]
    public async Task Progress_IsReportedAtLeastEverySecond_WhileReading_AndWhileAResumedImportReadsUpToItsCursor()
    {
        var ada = await PersonAsync("ada");
        var path = Path.Combine(app.DataDirectory, "progress-export.xml");
        await File.WriteAllTextAsync(path, Generated(days: 3).Xml(), Ct);
        // Every look at this clock is a second later, as if each record took a second to read; chunks never fill.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(app.Time.GetUtcNow()) { AutoAdvanceAmount = TimeSpan.FromSeconds(1) };
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>();
        var importer = new AppleHealthImporter(services.GetRequiredService<HealthStore>(), services.GetRequiredService<WorkoutStore>(), db, clock);
        var userClock = await LifeOs.Core.UserClocks.ClockAsync(db, ada, app.Time, Ct);

        async Task<List<(long Cursor, int Closing, DateTimeOffset At)>> RunAsync(AppleImportState state)
        {
            var reports = new List<(long, int, DateTimeOffset)>();
            Assert.True(await importer.RunAsync(ada, path, state, userClock, new HashSet<ProviderKind>(), chunkRows: 1_000_000, _ => { },
                s => { reports.Add((s.Cursor, s.ClosingChunksDone, clock.GetUtcNow())); return Task.FromResult(true); }, Ct));
            return reports;
        }

        // Reading: the chunk never fills, yet the time passed makes a report (and a committed chunk) at least every two records.
        var first = new AppleImportState();
        var reading = await RunAsync(first);
        var items = first.Read;
        Assert.True(items > 200, $"{items} records");
        Assert.InRange(reading.Count(r => r.Closing == 0), items / 2, items + 1);
        Assert.All(reading.Zip(reading.Skip(1)), p => Assert.True(p.Second.Cursor >= p.First.Cursor));
        Assert.Contains(reading, r => r.Closing > 0);

        // Resuming after everything was read (stopped before the close): the replay up to the cursor reports too, without moving it.
        var resumed = await RunAsync(new AppleImportState { Cursor = items, Read = items });
        var replay = resumed.Where(r => r.Closing == 0).ToList();
        Assert.InRange(replay.Count, items / 2, items + 1);
        Assert.All(replay, r => Assert.Equal(items, r.Cursor));
        Assert.Contains(resumed, r => r.Closing > 0);
    }

    [Fact]
    public async Task AnImportAndItsProgress_BelongToItsOwnerOnly()
    {
        var ada = await PersonAsync("ada");
        var bob = await PersonAsync("bob");
        var view = await ImportAsync(ada, AppleExportFixture.RealShaped().Zip());

        Assert.Null(await WithAsync<AppleImportView?, AppleHealthImportService>(s => s.GetAsync(bob, view.Work.Id, Ct)));
        Assert.Null(await WithAsync<long?, AppleHealthImportService>(s => s.LatestAsync(bob, Ct)));
        Assert.Equal(view.Work.Id, await WithAsync<long?, AppleHealthImportService>(s => s.LatestAsync(ada, Ct)));
        Assert.Empty(await SamplesAsync(bob));

        // Another kind of work of Ada's is not an Apple import.
        var other = await WithAsync<long, WorkQueue>(w => w.EnqueueAsync(ada, WorkKind.Redate, cancellationToken: Ct));
        Assert.Null(await WithAsync<AppleImportView?, AppleHealthImportService>(s => s.GetAsync(ada, other, Ct)));
        await IdleAsync();
    }

    [Fact]
    public async Task DeletingTheAccount_RemovesItsAppleUploads()
    {
        var ada = await PersonAsync("ada");
        await File.WriteAllTextAsync(Path.Combine(app.DataDirectory, "keep.txt"), "", Ct);
        var started = await StartAsync(ada, AppleExportFixture.RealShaped().Zip());
        await IdleAsync();
        Assert.NotEmpty(Directory.EnumerateFiles(app.DataDirectory, "*.state.json", SearchOption.AllDirectories));

        await WithAsync<bool, CsvImportService>(i => { i.DiscardAll(ada); return Task.FromResult(true); });

        Assert.NotNull(started.WorkId);
        Assert.Empty(Directory.EnumerateFiles(app.DataDirectory, "*.state.json", SearchOption.AllDirectories));
    }

    /// <summary>A watch's and a phone's days: minute heart rate, steps from both, weights, nights.</summary>
    private static AppleExportFixture Generated(int days)
    {
        var fixture = new AppleExportFixture();
        var first = new DateTime(2026, 9, 1, 0, 0, 0);
        for (var d = 0; d < days; d++)
        {
            var day = first.AddDays(d);
            for (var m = 0; m < 24 * 60; m += 20)
            {
                var at = day.AddMinutes(m);
                fixture.Quantity("HeartRate", "Watch", Stamp(at), (55 + (m % 40)).ToString(System.Globalization.CultureInfo.InvariantCulture), "count/min");
            }

            for (var h = 8; h < 20; h += 2)
            {
                fixture.Quantity("StepCount", "Watch", Stamp(day.AddHours(h)), (400 + h).ToString(System.Globalization.CultureInfo.InvariantCulture), "count", Stamp(day.AddHours(h).AddMinutes(10)));
                fixture.Quantity("StepCount", "iPhone", Stamp(day.AddHours(h).AddMinutes(5)), (300 + d).ToString(System.Globalization.CultureInfo.InvariantCulture), "count", Stamp(day.AddHours(h).AddMinutes(15)));
            }

            fixture.Quantity("BodyMass", "Scale", Stamp(day.AddHours(7)), (150 + (d / 10.0)).ToString(System.Globalization.CultureInfo.InvariantCulture), "lb");
            fixture.Sleep("Watch", Stamp(day.AddHours(-1)), Stamp(day.AddHours(3)), "AsleepCore");
            fixture.Sleep("Watch", Stamp(day.AddHours(3)), Stamp(day.AddHours(4)), "AsleepDeep");
            fixture.Sleep("iPhone", Stamp(day.AddHours(-1.5)), Stamp(day.AddHours(6.5)), "InBed");
        }

        return fixture;

        static string Stamp(DateTime local) => local.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture) + " +0200";
    }
}
