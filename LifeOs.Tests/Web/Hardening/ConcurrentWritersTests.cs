using System.Net;
using System.Text;
using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using LifeOs.Core.Data;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Core.Sync;
using LifeOs.Core.Work;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// SQLite has one writer. Sign-ins, a provider sync, a CSV import and a time zone change that moves tens of
/// thousands of samples, all at once, must all succeed: no "database is locked", no 5xx.
/// </summary>
public sealed class ConcurrentWritersTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignInsASyncAnImportAndATimeZoneChange_AtOnce_AllSucceed_WithNoLockError()
    {
        await using var h = await SyncHarness.StartAsync(connectBo: false);
        var people = new List<(TestClient Client, string Email)>();
        for (var i = 0; i < 20; i++)
        {
            var email = $"person{i}@example.com";
            var client = await h.Inner.SignedInAsync(email);
            await client.LogoutAsync();
            people.Add((client, email));
        }

        // Thirty days of minute heart rate: the time zone change moves them in the background, in chunks.
        var samples = Enumerable.Range(0, 30 * 1440)
            .Select(m => new SampleInput(MetricCatalogue.HeartRate, SampleSource.Manual, $"m{m}", new DateTime(2026, 10, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(m), 55 + (m % 40)))
            .ToList();
        await h.WithAsync<UpsertResult, HealthStore>(s => s.UpsertSamplesAsync(h.AdaId, samples, Ct));
        var csv = new StringBuilder("timestamp,metric,value,unit\n");
        for (var m = 0; m < 12_000; m++)
        {
            csv.Append(new DateTime(2026, 9, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(m).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture)).Append(",steps,1,count\n");
        }

        var staged = await h.WithAsync<StageResult, CsvImportService>(i => i.StageAsync(h.AdaId, new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString())), "steps.csv", Ct));
        Assert.Equal(StageStatus.Staged, staged.Status);
        var monitor = h.App.Services.GetRequiredService<WriteLockMonitor>();
        var busyBefore = monitor.BusyErrors;

        var signIns = people.Select(p => p.Client.LoginAsync(p.Email)).ToList();
        var sync = h.SyncAsync(h.AdaId, ProviderKind.Oura, Ct);
        var import = h.WithAsync<ImportOutcome, CsvImportService>(i => i.ImportAsync(h.AdaId, staged.UploadId!, Ct));
        var zone = h.WithAsync<SettingsUpdateResult, UserSettingsService>(s => s.UpdateAsync(h.AdaId, new UserSettings("America/Chicago", UnitSystem.Metric, 3), Ct));
        var signedIn = await Task.WhenAll(signIns);
        var (run, imported, saved) = (await sync, await import, await zone);
        await h.App.Services.GetRequiredService<BackgroundWorker>().WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(60), Ct);

        Assert.All(signedIn, s => Assert.Equal(HttpStatusCode.Redirect, s.StatusCode));
        Assert.Equal(SyncRunStatus.Succeeded, run.Status);
        Assert.Equal(ImportStatus.Imported, imported.Status);
        Assert.Equal(12_000, imported.Result!.Inserted);
        var redate = saved.RedateWorkId ?? throw new Xunit.Sdk.XunitException("The time zone change did not go to the background.");
        Assert.Equal(WorkStatus.Succeeded, (await h.App.WithDbAsync(db => db.BackgroundWork.SingleAsync(w => w.Id == redate))).Status);
        Assert.Equal(busyBefore, monitor.BusyErrors);
        Assert.DoesNotContain(h.App.Logs, l => l.Contains("database is locked", StringComparison.OrdinalIgnoreCase));
        people.ForEach(p => p.Client.Dispose());
    }
}
