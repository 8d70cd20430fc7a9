using System.IO.Compression;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Accounts;
using LifeOs.Core.Export;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Core.Export;

/// <summary>Restoring the full account export: the round trip, idempotence, merging into an account with data, refusals, isolation.</summary>
public sealed class AccountRestoreTests : IAsyncDisposable
{
    private static readonly DateTime Day = new(2026, 11, 20, 7, 0, 0, DateTimeKind.Utc);

    /// <summary>The files a restore brings back, compared whole (their rows carry no database ids).</summary>
    private static readonly string[] RestoredFiles = ["health/samples.csv", "health/daily-values.csv", "health/workouts.csv", "goals.json"];

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
        var again = await ExportAsync(copy);
        foreach (var file in RestoredFiles)
        {
            Assert.Equal(await ReadEntryAsync(export, file), await ReadEntryAsync(again, file));
        }

        Assert.Equal(Settings(await ReadEntryAsync(export, "account.json")), Settings(await ReadEntryAsync(again, "account.json")));
        Assert.Equal(JournalBodies(await ReadEntryAsync(export, "journal/entries.json")), JournalBodies(await ReadEntryAsync(again, "journal/entries.json")));
        Assert.Contains(",true", await ReadEntryAsync(again, "health/samples.csv"), StringComparison.Ordinal);
        // A day the source gave stays fixed; one LifeOs worked out keeps following the time zone, as before the export.
        Assert.Equal([("guest-ada", false), ("steps-ada", true), ("weight-ada", false)], await app.WithDbAsync(db => db.Samples.Where(s => s.UserId == copy)
            .OrderBy(s => s.SourceRecordId).Select(s => new ValueTuple<string, bool>(s.SourceRecordId, s.DayFromSource)).ToListAsync()));
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
        Assert.Equal(3, await app.WithDbAsync(db => db.Samples.CountAsync(s => s.UserId == copy)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Goal>().CountAsync(g => g.UserId == copy)));
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
        Assert.Equal(4, await app.WithDbAsync(db => db.Samples.CountAsync(s => s.UserId == ada)));
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
        Assert.Equal(0, await app.WithDbAsync(db => db.Samples.CountAsync(s => s.UserId == ada)));
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
        Assert.Equal(0, await app.WithDbAsync(db => db.Samples.CountAsync(s => s.UserId == copy)));
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

        Assert.Equal(3, await app.WithDbAsync(db => db.Samples.CountAsync(s => s.UserId == ada)));
        Assert.Equal(6, await app.WithDbAsync(db => db.Samples.CountAsync(s => s.UserId == bob)));
    }

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
        var guest = await services.GetRequiredService<LifeOs.Core.Data.LifeOsDbContext>().Samples
            .Where(s => s.UserId == userId && s.SourceRecordId == $"guest-{tag}").Select(s => s.Id).SingleAsync(ct);
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
    }

    private async Task<byte[]> ExportAsync(string userId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        using var stream = new MemoryStream();
        await scope.ServiceProvider.GetRequiredService<UserDataExportService>().WriteZipAsync(userId, stream, TestContext.Current.CancellationToken);
        return stream.ToArray();
    }

    private async Task<RestoreResult> RestoreAsync(string userId, byte[] zip)
    {
        await using var scope = app.Services.CreateAsyncScope();
        using var stream = new MemoryStream(zip);
        return await scope.ServiceProvider.GetRequiredService<AccountRestoreService>().RestoreAsync(userId, stream, TestContext.Current.CancellationToken);
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

    private static List<string> JournalBodies(string entriesJson) =>
        JsonDocument.Parse(entriesJson).RootElement.EnumerateArray().Select(e => $"{e.GetProperty("date")}|{e.GetProperty("kind")}|{e.GetProperty("title")}|{e.GetProperty("body")}").ToList();
}
