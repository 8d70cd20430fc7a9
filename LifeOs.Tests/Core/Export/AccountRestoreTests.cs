using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;
using LifeOs.Core.Export;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Core.Notifications;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Core.Export;

/// <summary>Restoring the full account export: the round trip, idempotence, merging into an account with data, settings, refusals, isolation.</summary>
public sealed class AccountRestoreTests : IAsyncDisposable
{
    private static readonly DateTime Day = new(2026, 11, 20, 7, 0, 0, DateTimeKind.Utc);

    /// <summary>The files a restore brings back, compared whole (their rows carry no database ids).</summary>
    private static readonly string[] RestoredFiles =
        ["health/samples.csv", "health/daily-values.csv", "health/workouts.csv", "goals.json", "journal/settings.json", "journal/drafts.json"];

    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" });

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task RoundTrip_IntoANewAccount_ExportsTheSameData()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        var copy = await CreateUserAsync("copy");

        var result = await RestoreAsync(copy, export);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal((3, 0, 0), Counts(result, "Measurements"));
        Assert.Equal((1, 0, 0), Counts(result, "Workouts"));
        Assert.Equal((1, 0, 0), Counts(result, "Goals"));
        Assert.Equal((1, 0, 0), Counts(result, "Journal entries"));
        Assert.Equal((2, 0, 0), Counts(result, "Journal drafts"));
        Assert.True(result.SettingsReplaced);
        var again = await ExportAsync(copy);
        foreach (var file in RestoredFiles)
        {
            Assert.Equal(await ReadEntryAsync(export, file), await ReadEntryAsync(again, file));
        }

        // Settings hold the time zone, units, day start, appearance and the source order (Body with Oura first).
        Assert.Contains("\"isDefault\": false", Settings(await ReadEntryAsync(export, "account.json")), StringComparison.Ordinal);
        Assert.Equal(Settings(await ReadEntryAsync(export, "account.json")), Settings(await ReadEntryAsync(again, "account.json")));
        Assert.Equal(Reminders(await ReadEntryAsync(export, "notifications.json")), Reminders(await ReadEntryAsync(again, "notifications.json")));
        // The draft of an edit points at the restored entry (the same id in the export), not at the original account's row.
        var draftEntry = await app.WithDbAsync(db => db.JournalDrafts.Where(d => d.UserId == copy && d.EntryId != null).Select(d => d.EntryId).SingleAsync());
        Assert.Equal(copy, await app.WithDbAsync(db => db.JournalEntries.Where(e => e.Id == draftEntry).Select(e => e.UserId).SingleAsync()));
        Assert.Equal(JournalBodies(await ReadEntryAsync(export, "journal/entries.json")), JournalBodies(await ReadEntryAsync(again, "journal/entries.json")));
        Assert.Contains(",true", await ReadEntryAsync(again, "health/samples.csv"), StringComparison.Ordinal);
        // A day the source gave stays fixed; one LifeOs worked out keeps following the time zone, as before the export.
        Assert.Equal([("guest-ada", false), ("steps-ada", true), ("weight-ada", false)], await app.WithDbAsync(db => db.SamplesOf(copy)
            .OrderBy(s => s.SourceRecordId).Select(s => new ValueTuple<string, bool>(s.SourceRecordId, s.DayFromSource)).ToListAsync()));
    }

    /// <summary>
    /// Oura's heart rate, whose record ids SQLite keeps without their instant (<see cref="SeriesRows.Stored"/>): the export
    /// shows them whole, the restore stores them as the store does, and an excluded reading stays excluded, once.
    /// </summary>
    [Fact]
    public async Task OurasHeartRate_RoundTrips_WithWholeRecordIds_AndItsExclusion()
    {
        var ct = TestContext.Current.CancellationToken;
        var ada = await CreateUserAsync("ada");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<HealthStore>();
            await store.UpsertSamplesAsync(ada, [.. Enumerable.Range(0, 3).Select(i => new SampleInput(MetricCatalogue.HeartRate, SampleSource.Oura, SeriesRows.RecordId(Day.AddMinutes(i), "awake"), Day.AddMinutes(i), 60 + i))], ct);
            var guest = await scope.ServiceProvider.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>().SamplesOf(ada).Where(s => s.Value == 61).Select(s => s.Id).SingleAsync(ct);
            await store.SetExcludedAsync(ada, [guest], excluded: true, ct);
        }

        var export = await ExportAsync(ada);
        var copy = await CreateUserAsync("copy");
        var samples = await ReadEntryAsync(export, "health/samples.csv");
        Assert.Contains($",Oura,{SeriesRows.RecordId(Day.AddMinutes(1), "awake")},", samples, StringComparison.Ordinal);
        Assert.DoesNotContain(",:awake,", samples, StringComparison.Ordinal);

        Assert.Equal((3, 0, 0), Counts(await RestoreAsync(copy, export), "Measurements"));
        Assert.Equal((0, 3, 0), Counts(await RestoreAsync(copy, export), "Measurements"));

        Assert.Equal(samples, await ReadEntryAsync(await ExportAsync(copy), "health/samples.csv"));
        Assert.Equal([":awake", ":awake", ":awake"], await app.WithDbAsync(db => db.SamplesOf(copy).Select(s => s.SourceRecordId).ToListAsync()));
        Assert.Equal([61.0], await app.WithDbAsync(db => db.SamplesOf(copy).Where(s => s.Excluded).Select(s => s.Value).ToListAsync()));
    }

    [Fact]
    public async Task RestoringTwice_AddsNothing()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        var copy = await CreateUserAsync("copy");
        await RestoreAsync(copy, export);

        var second = await RestoreAsync(copy, export);

        Assert.True(second.Succeeded);
        Assert.All(second.Parts, p => Assert.Equal(0, p.Added));
        Assert.Equal((0, 3, 0), Counts(second, "Measurements"));
        Assert.Equal(3, await app.WithDbAsync(db => db.SamplesOf(copy).CountAsync()));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Goal>().CountAsync(g => g.UserId == copy)));
        Assert.Equal((0, 2, 0), Counts(second, "Journal drafts"));
        Assert.Equal((2, 1, 1, 2, 1), await SettingRowsAsync(copy));
    }

    [Fact]
    public async Task OnTopOfAnAccountInUse_ItKeepsItsOwnSettingsUnlessAsked_AndNothingIsDoubled()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        var bob = await CreateUserAsync("bob");
        var ct = TestContext.Current.CancellationToken;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserSettingsService>().UpdateAsync(bob, new UserSettings("Asia/Tokyo", UnitSystem.Metric, 0), ct);
            await scope.ServiceProvider.GetRequiredService<JournalSettingsService>().UpdateAsync(bob,
                new JournalSettings(false, new Dictionary<JournalKind, string> { [JournalKind.MorningPages] = "Bob's pages" }), ct);
            await scope.ServiceProvider.GetRequiredService<JournalDraftService>().SaveAsync(bob, JournalDraftTarget.New(JournalKind.Note),
                new JournalEntryInput(JournalKind.Note, null, null, null, "Bob's own draft", null, null, null), ct);
            await scope.ServiceProvider.GetRequiredService<HealthStore>().UpsertSamplesAsync(bob, [new SampleInput("steps", SampleSource.Manual, "bob-steps", Day, 4000)], ct);
        }

        var preview = await PreviewAsync(bob, export);
        var kept = await RestoreAsync(bob, export, replaceSettings: false);

        Assert.True(preview.AccountInUse);
        Assert.Contains(preview.Settings, l => l.Contains("America/New_York", StringComparison.Ordinal));
        Assert.True(kept.Succeeded, string.Join("; ", kept.Errors));
        Assert.False(kept.SettingsReplaced);
        Assert.Equal(("Asia/Tokyo", UnitSystem.Metric, 0), await app.WithDbAsync(db => db.Users.Where(u => u.Id == bob).Select(u => new ValueTuple<string, UnitSystem, int>(u.TimeZoneId, u.UnitSystem, u.DayStartHour)).SingleAsync()));
        Assert.Equal(["Bob's pages"], await app.WithDbAsync(db => db.JournalTemplates.Where(t => t.UserId == bob).Select(t => t.Body).ToListAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.ReminderSettings.CountAsync(r => r.UserId == bob)));
        // His own draft of a new note stays; the export's draft for the same screen is already here; the edit's draft is added.
        Assert.Equal((1, 1, 0), Counts(kept, "Journal drafts"));
        Assert.Equal("Bob's own draft", await app.WithDbAsync(db => db.JournalDrafts.Where(d => d.UserId == bob && d.EntryId == null).Select(d => d.Body).SingleAsync()));
        Assert.Equal(4, await app.WithDbAsync(db => db.SamplesOf(bob).CountAsync()));

        var replaced = await RestoreAsync(bob, export, replaceSettings: true);

        Assert.True(replaced.SettingsReplaced);
        Assert.All(replaced.Parts, p => Assert.Equal(0, p.Added));
        Assert.Equal(("America/New_York", UnitSystem.Imperial, 4), await app.WithDbAsync(db => db.Users.Where(u => u.Id == bob).Select(u => new ValueTuple<string, UnitSystem, int>(u.TimeZoneId, u.UnitSystem, u.DayStartHour)).SingleAsync()));
        Assert.Equal(Settings(await ReadEntryAsync(export, "account.json")), Settings(await ReadEntryAsync(await ExportAsync(bob), "account.json")));
        Assert.Equal(await ReadEntryAsync(export, "journal/settings.json"), await ReadEntryAsync(await ExportAsync(bob), "journal/settings.json"));
        Assert.Equal((2, 1, 1, 2, 1), await SettingRowsAsync(bob));
    }

    [Fact]
    public async Task APreview_ProposesTheExportsSettings_OnlyForAnAccountHoldingNothingYet()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        var fresh = await CreateUserAsync("fresh");

        var preview = await PreviewAsync(fresh, export);

        Assert.True(preview.Succeeded);
        Assert.False(preview.AccountInUse);
        Assert.True((await PreviewAsync(ada, export)).AccountInUse);
        Assert.Equal([("Measurements", 3), ("Workouts", 1), ("Goals", 1), ("Journal entries", 1), ("Journal drafts", 2)], preview.Parts.Select(p => (p.Name, p.Added)));
        Assert.Equal([
            "time zone America/New_York, imperial units, days starting at 4:00", "appearance: dark", "your own source order for Body",
            "journal: your own templates for Morning pages, streak grace rule on", "2 reminders on, quiet hours 22:00–07:00",
        ], preview.Settings);
        Assert.Equal(0, await app.WithDbAsync(db => db.SamplesOf(fresh).CountAsync()));
    }

    [Fact]
    public async Task ARestore_IsInTheAuditLog()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        var copy = await CreateUserAsync("copy");

        await RestoreAsync(copy, export, replaceSettings: true, fileName: "lifeos-ada.zip");

        var entries = await app.WithDbAsync(db => db.AuditEvents.Where(e => e.UserId == copy && e.Kind == AuditKind.AccountRestored).Select(e => e.Detail).ToListAsync());
        Assert.Equal("lifeos-ada.zip: 3 measurements, 1 workouts, 1 goals, 1 journal entries, 2 journal drafts added; settings replaced", Assert.Single(entries));
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserId == ada && e.Kind == AuditKind.AccountRestored)));
    }

    [Fact]
    public async Task RestoringOntoTheSameAccountWithMore_AddsOnlyWhatIsMissing()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var store = scope.ServiceProvider.GetRequiredService<HealthStore>();
            // One sample gone since the export, one new one the export never saw.
            await store.DeleteSamplesAsync(ada, SampleSource.Oura, ["steps-ada"]);
            await store.UpsertSamplesAsync(ada, [new SampleInput("weight", SampleSource.Manual, "later-ada", Day.AddDays(2), 71)]);
        }

        var result = await RestoreAsync(ada, export);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal((1, 2, 0), Counts(result, "Measurements"));
        Assert.Equal((0, 1, 0), Counts(result, "Goals"));
        Assert.Equal(4, await app.WithDbAsync(db => db.SamplesOf(ada).CountAsync()));
    }

    [Fact]
    public async Task AZipThatIsNotALifeOsExport_IsRefused_AndNothingIsWritten()
    {
        var ada = await CreateUserAsync("ada");
        using var other = new MemoryStream();
        using (var zip = new ZipArchive(other, ZipArchiveMode.Create, leaveOpen: true))
        {
            await using var writer = new StreamWriter(await zip.CreateEntry("health/samples.csv").OpenAsync(TestContext.Current.CancellationToken));
            await writer.WriteAsync("metric,unit,source,source_record_id,start_utc,end_utc,local_date,value,excluded\nsteps,count,Oura,x,2026-11-20T07:00:00Z,,,100,false\n");
        }

        var result = await RestoreAsync(ada, other.ToArray());

        Assert.Contains("not a LifeOs export", Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.SamplesOf(ada).CountAsync()));
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("not a zip")]
    [InlineData("newer format")]
    public async Task BadInput_IsRefusedWithItsReason_AndNothingIsWritten(string kind)
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        var copy = await CreateUserAsync("copy");
        var zoneBefore = await ZoneAsync(copy);
        var (zip, expected) = kind switch
        {
            "empty" => ([], "The file is empty."),
            "not a zip" => ("PK\u0003\u0004 then nothing a zip holds"u8.ToArray(), "This file is not a zip."),
            _ => (await ReplaceEntryAsync(export, "account.json", text => text.Replace("\"formatVersion\": 1", "\"formatVersion\": 7", StringComparison.Ordinal)),
                "This export was made by a newer LifeOs (export format 7); this server reads format 1."),
        };

        var preview = await PreviewAsync(copy, zip);
        var result = await RestoreAsync(copy, zip);

        Assert.StartsWith(expected, Assert.Single(preview.Errors), StringComparison.Ordinal);
        Assert.StartsWith(expected, Assert.Single(result.Errors), StringComparison.Ordinal);
        Assert.Empty(result.Parts);
        Assert.Equal(0, await app.WithDbAsync(db => db.SamplesOf(copy).CountAsync()));
        Assert.Equal(zoneBefore, await ZoneAsync(copy));
    }

    [Fact]
    public async Task ABadRowDeepInALargeFile_IsNamedByItsLine_AndNothingAtAllIsWritten()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        // 12,000 good rows (more than one write chunk) before the bad one on line 12,002: a restore writing as it read would have
        // written two chunks before finding it.
        var rows = new StringBuilder("metric,unit,source,source_record_id,start_utc,end_utc,local_date,value,excluded\n");
        for (var i = 0; i < 12_000; i++)
        {
            rows.Append(System.Globalization.CultureInfo.InvariantCulture, $"heart_rate,bpm,Oura,hr-{i},{Day.AddMinutes(-i):yyyy-MM-dd'T'HH:mm:ss'Z'},,,{60 + i % 40},false\n");
        }

        rows.Append("heart_rate,bpm,Oura,hr-bad,2026-11-20T07:00:00Z,,,fast,false\n");
        var broken = await ReplaceEntryAsync(export, "health/samples.csv", _ => rows.ToString());
        var copy = await CreateUserAsync("copy");
        var zoneBefore = await ZoneAsync(copy);

        var result = await RestoreAsync(copy, broken);

        Assert.Equal("health/samples.csv line 12002, column 8 (value): 'fast' is not a valid heart_rate value.", Assert.Single(result.Errors));
        Assert.Equal(0, await app.WithDbAsync(db => db.SamplesOf(copy).CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.JournalDrafts.CountAsync(d => d.UserId == copy)));
        Assert.Equal(zoneBefore, await ZoneAsync(copy));
        Assert.Equal(0, await app.WithDbAsync(db => db.AuditEvents.CountAsync(e => e.UserId == copy && e.Kind == AuditKind.AccountRestored)));

        var fixedZip = await ReplaceEntryAsync(export, "health/samples.csv", _ => rows.ToString().Replace(",fast,", ",61,", StringComparison.Ordinal));
        var restored = await RestoreAsync(copy, fixedZip);

        Assert.Equal((12_001, 0, 0), Counts(restored, "Measurements"));
    }

    [Fact]
    public async Task AnUnclosedQuote_IsNamedByItsLine()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var broken = await ReplaceEntryAsync(await ExportAsync(ada), "health/workouts.csv", text => text + "Oura,\"w2,cycling,2026-11-20T07:00:00Z\n");
        var copy = await CreateUserAsync("copy");

        var result = await RestoreAsync(copy, broken);

        Assert.Equal("health/workouts.csv line 3: a quoted value starts here but its closing quote (\") is missing.", Assert.Single(result.Errors));
        Assert.Equal(0, await app.WithDbAsync(db => db.SamplesOf(copy).CountAsync()));
    }

    [Fact]
    public async Task ABadRow_IsNamedByFileLineAndColumn_AndNothingIsWritten()
    {
        var ada = await CreateUserAsync("ada");
        await SeedAsync(ada, "ada");
        var export = await ExportAsync(ada);
        var broken = await ReplaceEntryAsync(export, "health/samples.csv", text => text.Replace(",12345,", ",lots,", StringComparison.Ordinal));
        var copy = await CreateUserAsync("copy");

        var result = await RestoreAsync(copy, broken);

        var error = Assert.Single(result.Errors);
        Assert.StartsWith("health/samples.csv line ", error, StringComparison.Ordinal);
        Assert.Contains("column 8 (value)", error, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.SamplesOf(copy).CountAsync()));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Workout>().CountAsync(w => w.UserId == copy)));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Goal>().CountAsync(g => g.UserId == copy)));
    }

    [Fact]
    public async Task ARestore_NeverTouchesAnotherUsersData()
    {
        var ada = await CreateUserAsync("ada");
        var bob = await CreateUserAsync("bob");
        await SeedAsync(ada, "ada");
        await SeedAsync(bob, "bob");
        var adaBefore = await ExportAsync(ada);

        // Bob restores Ada's export (shared with him), and his own: Ada's account stays exactly as it was.
        await RestoreAsync(bob, adaBefore);
        await RestoreAsync(bob, await ExportAsync(bob));

        var adaAfter = await ExportAsync(ada);
        foreach (var file in RestoredFiles)
        {
            Assert.Equal(await ReadEntryAsync(adaBefore, file), await ReadEntryAsync(adaAfter, file));
        }

        Assert.Equal(Settings(await ReadEntryAsync(adaBefore, "account.json")), Settings(await ReadEntryAsync(adaAfter, "account.json")));
        Assert.Equal(Reminders(await ReadEntryAsync(adaBefore, "notifications.json")), Reminders(await ReadEntryAsync(adaAfter, "notifications.json")));
        Assert.Equal(3, await app.WithDbAsync(db => db.SamplesOf(ada).CountAsync()));
        Assert.Equal(6, await app.WithDbAsync(db => db.SamplesOf(bob).CountAsync()));
        Assert.Equal((2, 1, 1, 2, 1), await SettingRowsAsync(ada));
    }

    private Task<string> ZoneAsync(string userId) => app.WithDbAsync(db => db.Users.Where(u => u.Id == userId).Select(u => u.TimeZoneId).SingleAsync());

    /// <summary>The user's rows of each setting table: drafts, templates, journal preferences, reminders, source orders.</summary>
    private Task<(int, int, int, int, int)> SettingRowsAsync(string userId) => app.WithDbAsync(async db => (
        await db.JournalDrafts.CountAsync(d => d.UserId == userId),
        await db.JournalTemplates.CountAsync(t => t.UserId == userId),
        await db.JournalPreferences.CountAsync(p => p.UserId == userId),
        await db.ReminderSettings.CountAsync(r => r.UserId == userId),
        await db.Set<UserSourcePriority>().CountAsync(p => p.UserId == userId)));

    private static (int Added, int AlreadyThere, int Rejected) Counts(RestoreResult result, string part) =>
        result.Parts.Single(p => p.Name == part) is var p ? (p.Added, p.AlreadyThere, p.Rejected) : default;

    private async Task<string> CreateUserAsync(string name)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = new ApplicationUser { UserName = $"{name}@example.com", Email = $"{name}@example.com" };
        Assert.True((await users.CreateAsync(user, "Correct-Horse-42")).Succeeded);
        return user.Id;
    }

    private async Task SeedAsync(string userId, string tag)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        await services.GetRequiredService<UserSettingsService>().UpdateAsync(userId, new UserSettings("America/New_York", UnitSystem.Imperial, 4), ct);
        var store = services.GetRequiredService<HealthStore>();
        await store.UpsertSamplesAsync(userId, [
            new SampleInput("steps", SampleSource.Oura, $"steps-{tag}", Day, 12345, Day.AddHours(12), new DateOnly(2026, 11, 20)),
            new SampleInput("weight", SampleSource.Withings, $"weight-{tag}", Day, 70.5),
            new SampleInput("weight", SampleSource.Withings, $"guest-{tag}", Day.AddMinutes(5), 98.2),
        ], ct);
        var guest = await services.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>().SamplesOf(userId)
            .Where(s => s.SourceRecordId == $"guest-{tag}").Select(s => s.Id).SingleAsync(ct);
        await store.SetExcludedAsync(userId, [guest], excluded: true, ct);
        await services.GetRequiredService<WorkoutStore>().UpsertAsync(userId,
            [new WorkoutInput(SampleSource.Oura, $"workout-{tag}", "cycling", Day, Day.AddHours(1), new DateOnly(2026, 11, 20), 420.5, 21_000)], ct);
        var db = services.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>();
        db.Add(new Goal
        {
            UserId = userId, Name = $"goal {tag}", Kind = GoalKind.DailyTarget, MetricCode = "steps", Comparison = Comparison.AtLeast, Target = 10_000,
            StartDate = new DateOnly(2026, 11, 1), CreatedAt = Day,
        });
        await db.SaveChangesAsync(ct);
        var saved = await services.GetRequiredService<JournalService>().CreateAsync(userId,
            new JournalEntryInput(JournalKind.DailyReflection, new DateOnly(2026, 11, 20), null, "A day", $"Entry of {tag}", 4, null, "a, b"), ct);
        Assert.True(saved.Succeeded);

        // Settings beyond the account's own: appearance, source order, journal templates, drafts, reminders and quiet hours.
        await services.GetRequiredService<UserSettingsService>().SetThemeAsync(userId, ThemeMode.Dark, ct);
        Assert.True(await store.MoveSourceAsync(userId, MetricGroup.Body, SampleSource.Oura, -1, ct));
        await services.GetRequiredService<JournalSettingsService>().UpdateAsync(userId,
            new JournalSettings(true, new Dictionary<JournalKind, string> { [JournalKind.MorningPages] = $"Pages of {tag}" }), ct);
        var drafts = services.GetRequiredService<JournalDraftService>();
        await drafts.SaveAsync(userId, JournalDraftTarget.New(JournalKind.Note),
            new JournalEntryInput(JournalKind.Note, new DateOnly(2026, 11, 21), null, "Half", $"A note {tag} is writing", null, null, "x"), ct);
        await drafts.SaveAsync(userId, JournalDraftTarget.Edit(JournalKind.DailyReflection, saved.Id!.Value),
            new JournalEntryInput(JournalKind.DailyReflection, new DateOnly(2026, 11, 20), null, "A day", $"Entry of {tag}, edited", 5, null, "a"), ct);
        var reminders = await services.GetRequiredService<NotificationService>().SaveAsync(userId, [
            new ReminderView(ReminderKind.MorningPages, true, new TimeOnly(7, 15), null),
            new ReminderView(ReminderKind.WeeklyReview, true, new TimeOnly(18, 0), DayOfWeek.Sunday),
        ], new TimeOnly(22, 0), new TimeOnly(7, 0), ct);
        Assert.True(reminders.Succeeded);
    }

    private async Task<byte[]> ExportAsync(string userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        using var stream = new MemoryStream();
        await scope.ServiceProvider.GetRequiredService<UserDataExportService>().WriteZipAsync(userId, stream, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }

    private async Task<RestoreResult> RestoreAsync(string userId, byte[] zip, bool replaceSettings = true, string fileName = "export.zip")
    {
        await using var scope = app.Services.CreateAsyncScope();
        using var stream = new MemoryStream(zip);
        return await scope.ServiceProvider.GetRequiredService<AccountRestoreService>()
            .RestoreAsync(userId, stream, new RestoreChoices(replaceSettings, fileName), TestContext.Current.CancellationToken);
    }

    private async Task<RestoreResult> PreviewAsync(string userId, byte[] zip)
    {
        await using var scope = app.Services.CreateAsyncScope();
        using var stream = new MemoryStream(zip);
        return await scope.ServiceProvider.GetRequiredService<AccountRestoreService>().PreviewAsync(userId, stream, TestContext.Current.CancellationToken);
    }

    private static async Task<string> ReadEntryAsync(byte[] zip, string path)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        using var reader = new StreamReader(await archive.GetEntry(path)!.OpenAsync(TestContext.Current.CancellationToken));
        return await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
    }

    private static async Task<byte[]> ReplaceEntryAsync(byte[] zip, string path, Func<string, string> change)
    {
        var text = change(await ReadEntryAsync(zip, path));
        using var copy = new MemoryStream();
        copy.Write(zip);
        using (var archive = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            archive.GetEntry(path)!.Delete();
            await using var stream = await archive.CreateEntry(path).OpenAsync(TestContext.Current.CancellationToken);
            await stream.WriteAsync(Encoding.UTF8.GetBytes(text), TestContext.Current.CancellationToken);
        }

        return copy.ToArray();
    }

    private static string Settings(string accountJson) => JsonDocument.Parse(accountJson).RootElement.GetProperty("settings").GetRawText();

    private static string Reminders(string notificationsJson) =>
        JsonDocument.Parse(notificationsJson).RootElement is var root ? root.GetProperty("reminders").GetRawText() + root.GetProperty("quietHours").GetRawText() : "";

    private static List<string> JournalBodies(string entriesJson) =>
        JsonDocument.Parse(entriesJson).RootElement.EnumerateArray().Select(e => $"{e.GetProperty("date")}|{e.GetProperty("kind")}|{e.GetProperty("title")}|{e.GetProperty("body")}").ToList();
}
