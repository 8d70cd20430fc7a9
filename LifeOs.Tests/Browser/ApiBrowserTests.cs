using System.Net.Http.Headers;
using System.Net.Http.Json;
using LifeOs.Tests.TestSupport;
using Microsoft.Playwright;

namespace LifeOs.Tests.Browser;

/// <summary>What a person sees of the API: the API keys section with a key their phone has used, and the reference at /api/docs.</summary>
public sealed class ApiBrowserTests
{
    [Fact]
    public async Task ApiKeysSection_AndReference_Render_UnderThePolicy_OnDesktopAndPhone()
    {
        await using var app = await BrowserApp.StartAsync();
        var (context, page, errors) = await app.NewPageAsync(1280, 860);
        await using (context)
        {
            await BrowserApp.RegisterAsync(page, "api@example.com");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/$"));

            // A key for the phone, made as a person would.
            await page.GotoAsync("/settings#api-keys");
            await BrowserApp.WaitForInteractiveAsync(page);
            var section = page.GetByTestId("settings-api-keys");
            await section.ScrollIntoViewIfNeededAsync();
            await page.Locator("input[data-testid=api-key-name], [data-testid=api-key-name] input").First.FillAsync("iPhone Health Auto Export");
            await page.GetByTestId("scope-health-write").ClickAsync();
            await page.GetByTestId("create-api-key").ClickAsync();
            var key = await page.GetByTestId("new-api-key-value").TextContentAsync();
            Assert.StartsWith("lo_", key, StringComparison.Ordinal);
            await ShowAsync(page, "settings-api-keys", "api-keys-created-desktop");

            // The phone pushes once, so the list shows when and from where the key was last used.
            using (var phone = new HttpClient { BaseAddress = new Uri(app.BaseUrl) })
            {
                phone.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
                var push = await phone.PostAsJsonAsync("/api/v1/ingest/health-auto-export", new
                {
                    data = new { metrics = new[] { new { name = "step_count", units = "count", data = new[] { new { date = "2026-11-24 08:00:00 +0100", qty = 1200 } } } } },
                }, TestContext.Current.CancellationToken);
                push.EnsureSuccessStatusCode();
            }

            await page.ReloadAsync();
            await BrowserApp.WaitForInteractiveAsync(page);
            await Assertions.Expect(page.GetByTestId("api-key-row")).ToContainTextAsync("health:write");
            await Assertions.Expect(page.GetByTestId("api-key-row")).ToContainTextAsync(" from ");
            await ShowAsync(page, "api-keys", "api-keys-desktop");
            await page.SetViewportSizeAsync(390, 844);
            await ShowAsync(page, "api-keys", "api-keys-phone");

            // The reference: Scalar's page under its own policy, with the ingest route listed.
            foreach (var (width, height, name) in new[] { (1280, 860, "api-docs-desktop"), (390, 844, "api-docs-phone") })
            {
                await page.SetViewportSizeAsync(width, height);
                await page.GotoAsync("/api/docs");
                await Assertions.Expect(page.GetByText("LifeOs API").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await Assertions.Expect(page.GetByText("Ingest").First).ToBeAttachedAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.ScreenshotDirectory, name + ".png"), Animations = ScreenshotAnimations.Disabled });
            }

            Assert.True(app.CspViolations.IsEmpty, string.Join("\n", app.CspViolations));
            Assert.Empty(errors);
        }
    }

    /// <summary>Scrolls the element to just below the app bar and saves the viewport.</summary>
    private static async Task ShowAsync(IPage page, string testId, string name)
    {
        await page.GetByTestId(testId).EvaluateAsync("e => window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - 80)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserApp.ScreenshotDirectory, name + ".png"), Animations = ScreenshotAnimations.Disabled });
    }
}
