using Bunit;
using LifeOs.Core.Health;
using LifeOs.Web.Components.Pages.Metrics;
using Microsoft.EntityFrameworkCore;

namespace LifeOs.Tests.Components.Metrics;

/// <summary>/metrics/outliers: the user's own far-off readings, why they are listed, and excluding one.</summary>
public sealed class OutliersPageTests : MetricsTestContext
{
    private Task WeighInsAsync(string userId, double guest) =>
        WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(userId,
        [
            .. Enumerable.Range(0, 30).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Withings, $"w{i}", new DateTime(2026, 10, 20, 7, 0, 0, DateTimeKind.Utc).AddDays(i), 72 + (i % 5 * 0.2))),
            new(MetricCatalogue.Weight, SampleSource.Withings, "guest", new DateTime(2026, 11, 22, 7, 0, 0, DateTimeKind.Utc), guest),
        ]));

    [Fact]
    public async Task Outlier_IsListedWithItsReason_AndCanBeExcluded_AnotherUsersAreNeverShown()
    {
        var other = await CreateUserAsync("other@example.com");
        await WeighInsAsync(other, 131.3);
        var id = await SignInAsNewUserAsync("scale@example.com");
        await WeighInsAsync(id, 96.4);

        var page = RenderPage<OutliersPage>();

        var section = page.WaitForElement("[data-testid=outliers-weight]");
        Assert.Contains("96.4 kg", section.TextContent, StringComparison.Ordinal);
        Assert.Contains("your usual spread above your median", page.Find("[data-testid=outlier-reason]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("131.3", page.Markup, StringComparison.Ordinal);

        await page.Find("[data-testid=exclude-measurement]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=include-measurement]")));
        Assert.True(await WithDbAsync(db => db.SamplesOf(id).Where(s => s.SourceRecordId == "guest").Select(s => s.Excluded).SingleAsync()));
        Assert.False(await WithDbAsync(db => db.SamplesOf(other).Where(s => s.SourceRecordId == "guest").Select(s => s.Excluded).SingleAsync()));
    }

    [Fact]
    public async Task NothingOff_SaysSo()
    {
        var id = await SignInAsNewUserAsync("steady@example.com");
        await WithAsync<HealthStore, UpsertResult>(s => s.UpsertSamplesAsync(id,
            [.. Enumerable.Range(0, 30).Select(i => new SampleInput(MetricCatalogue.Weight, SampleSource.Withings, $"w{i}", new DateTime(2026, 10, 20, 7, 0, 0, DateTimeKind.Utc).AddDays(i), 72 + (i % 5 * 0.2)))]));

        var page = RenderPage<OutliersPage>();

        page.WaitForElement("[data-testid=no-outliers]");
    }
}
