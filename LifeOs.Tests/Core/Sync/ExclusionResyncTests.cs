using LifeOs.Core.Connections;
using LifeOs.Core.Health;
using LifeOs.Core.Sync;
using LifeOs.Tests.Fakes;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Core.Sync;

/// <summary>A Withings reading the user excluded stays excluded when the fake Withings server sends it again, changed or not.</summary>
public sealed class ExclusionResyncTests
{
    private static readonly DateOnly Nov24 = new(2026, 11, 24);

    [Fact]
    public async Task Exclusion_SurvivesTheNextWithingsSync_OfTheSameReading()
    {
        await using var h = await SyncHarness.StartAsync(connectBo: false);
        Assert.Equal(SyncRunStatus.Succeeded, (await h.SyncAsync(h.AdaId, ProviderKind.Withings)).Status);
        var weighIn = Assert.Single(await h.SamplesAsync(h.AdaId, SampleSource.Withings, MetricCatalogue.Weight), s => s.LocalDate == Nov24);
        Task<DailyValue?> DailyAsync() => h.App.WithDbAsync(db => db.DailyValues.SingleOrDefaultAsync(d => d.UserId == h.AdaId && d.MetricCode == MetricCatalogue.Weight && d.LocalDate == Nov24));
        Assert.Equal(78.42, (await DailyAsync())!.Value);

        Assert.Equal(1, await h.WithAsync<int, MeasurementHistoryService>(m => m.SetExcludedAsync(h.AdaId, [weighIn.Id], excluded: true)));
        Assert.Null(await DailyAsync());

        // Withings sends the same group again, its weight corrected: the row is updated, and stays excluded.
        var records = h.Withings.Data.Records["measures"];
        var at = new DateTimeOffset(2026, 11, 24, 6, 30, 0, TimeSpan.Zero);
        lock (records)
        {
            records.RemoveAll(r => r.At == at);
            records.Add(new FakeRecord(SyncHarness.AdaWithings, null, at, new
            {
                grpid = 5123456789L, attrib = 0, date = at.ToUnixTimeSeconds(), created = at.ToUnixTimeSeconds() + 27, modified = at.ToUnixTimeSeconds() + 99,
                category = 1, deviceid = "3e2f9c7a1b", model = "Body Comp", modelid = 18, comment = (string?)null,
                measures = new[] { new { value = 78900L, type = 1, unit = -3, algo = 0, fm = 3 } },
            }));
        }

        var requests = h.Withings.Data.Requests("measures");
        Assert.Equal(SyncRunStatus.Succeeded, (await h.SyncAsync(h.AdaId, ProviderKind.Withings)).Status);
        Assert.True(h.Withings.Data.Requests("measures") > requests);

        var again = await h.App.WithDbAsync(db => db.Samples.SingleAsync(s => s.Id == weighIn.Id));
        Assert.Equal((78.9, true), (again.Value, again.Excluded));
        Assert.Null(await DailyAsync());

        Assert.Equal(1, await h.WithAsync<int, MeasurementHistoryService>(m => m.SetExcludedAsync(h.AdaId, [weighIn.Id], excluded: false)));
        Assert.Equal(78.9, (await DailyAsync())!.Value);
    }
}
