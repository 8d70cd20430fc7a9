using Bunit;
using LifeOs.Core.Journal;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Components.Journal;

/// <summary>
/// The journal pages over the app's own services (PageTestContext), with what their tests share: entries written
/// through JournalService, pages rendered at an address (query strings reach [SupplyParameterFromQuery]), and
/// whether a page answered "not found". The clock stands at Wednesday 25 November 2026, 09:30 UTC.
/// </summary>
public abstract class JournalTestContext(Dictionary<string, string?>? settings = null) : PageTestContext(settings)
{
    private bool providers;

    protected static readonly DateOnly Today = new(2026, 11, 25);

    protected NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    /// <summary>True once a page called NavigationManager.NotFound().</summary>
    protected bool NotFound { get; private set; }

    /// <summary>
    /// Renders <typeparamref name="TPage"/> at <paramref name="url"/>; MudBlazor's providers are rendered once per test.
    /// As in the app, pages already rendered receive the new address's query values too.
    /// </summary>
    protected IRenderedComponent<TPage> RenderAt<TPage>(string url, Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        Navigation.NavigateTo(url);
        if (!providers)
        {
            providers = true;
            Navigation.OnNotFound += OnNotFound;
            return RenderPage(parameters);
        }

        return Render(parameters);
    }

    /// <summary>Waits (up to 10 s) until the data says so: drafts are written by the page's own timers, off the test's path.</summary>
    protected static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < until, $"Still not true after 10 s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Disposes every rendered component, as when a tab closes (its circuit ends).</summary>
    protected async Task CloseAllAsync()
    {
        await DisposeComponentsAsync();
        providers = false;
    }

    private void OnNotFound(object? sender, NotFoundEventArgs e) => NotFound = true;

    protected Task<long> WriteAsync(string userId, JournalKind kind, string body, DateOnly? date = null, string? title = null, int? mood = null, int? energy = null, string? tags = null, string? week = null) =>
        WithAsync<JournalService, long>(async journal =>
        {
            var result = await journal.CreateAsync(userId, new JournalEntryInput(kind, date ?? Today, week, title, body, mood, energy, tags));
            Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
            return result.Id!.Value;
        });

    protected Task<int> EntryCountAsync() => WithDbAsync(db => db.JournalEntries.CountAsync());

    protected Task<int> DraftCountAsync() => WithDbAsync(db => db.JournalDrafts.CountAsync());

    /// <summary>The path and query the app navigated to last, without the base address ("journal/12").</summary>
    protected string Location => Navigation.ToBaseRelativePath(Navigation.Uri);

    /// <summary>Clicks a button whose handler waits for a confirmation, and answers it.</summary>
    protected async Task ClickAndConfirmAsync<TPage>(IRenderedComponent<TPage> page, string selector, bool confirm)
        where TPage : IComponent
    {
        var click = page.Find(selector).ClickAsync(new());
        Dialogs.WaitForElement(confirm ? "[data-testid=confirm-ok]" : "[data-testid=confirm-cancel]").Click();
        await click;
    }
}
