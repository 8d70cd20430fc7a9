using Bunit;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Components.Pages.Goals;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace LifeOs.Tests.Components.Goals;

/// <summary>
/// The goals list and the goal form over the app's services and a real database, as a person uses them:
/// kind first, then only that kind's fields; archive, restore and delete from the menu, each confirmed.
/// Today is Wednesday 25 November 2026 in London.
/// </summary>
public sealed class GoalsPageTests() : PageTestContext(new() { ["LifeOs:DefaultTimeZone"] = "Europe/London" })
{
    private static readonly DateOnly Today = new(2026, 11, 25);

    private Task<List<Goal>> GoalsInDbAsync() => WithDbAsync(db => db.Set<Goal>().AsNoTracking().OrderBy(g => g.Id).ToListAsync());

    private Task<long> CreateAsync(string userId, GoalInput input) =>
        WithAsync<GoalService, long>(async goals =>
        {
            var result = await goals.CreateAsync(userId, input, CancellationToken.None);
            Assert.True(result.Succeeded, string.Join(" ", result.Errors.Values));
            return result.Id!.Value;
        });

    private static GoalInput Steps(string name = "10k steps", double target = 10_000) => new()
    {
        Name = name, Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.Steps, Comparison = Comparison.AtLeast, Target = target, StartDate = new DateOnly(2026, 11, 1),
    };

    private Task StepsAsync(string userId, params (DateOnly Day, double Steps)[] days) =>
        WithAsync<HealthStore, UpsertResult>(store => store.UpsertSamplesAsync(userId,
            days.Select(d => new SampleInput(MetricCatalogue.Steps, SampleSource.Oura, "s-" + d.Day.ToString("O"), d.Day.ToDateTime(new TimeOnly(18, 0), DateTimeKind.Utc), d.Steps)).ToList()));

    private static async Task SetAsync<TComponent, TValue>(IRenderedComponent<IComponent> page, Func<TComponent, bool> which, Func<TComponent, EventCallback<TValue>> callback, TValue value)
        where TComponent : IComponent
    {
        var component = page.FindComponents<TComponent>().Single(c => which(c.Instance));
        await page.InvokeAsync(() => callback(component.Instance).InvokeAsync(value));
    }

    /// <summary>Fills the form as a person would: kind card, then the fields that kind shows.</summary>
    private static async Task FillAsync(IRenderedComponent<IComponent> page, GoalKind kind, string name, string? metric = null, double? target = null,
        int? days = null, DateTime? start = null, DateTime? end = null, string? journalKind = null)
    {
        await page.Find($"[data-testid=kind-{kind}]").ClickAsync(new());
        await SetAsync<MudTextField<string>, string?>(page, c => c.Label == "Name", c => c.ValueChanged, name);
        if (metric is not null)
        {
            await SetAsync<MudSelect<string>, string?>(page, c => c.Label is "Metric" or "Measurement", c => c.ValueChanged, metric);
        }

        if (target is not null)
        {
            await SetAsync<MudNumericField<double?>, double?>(page, c => c.Label == "Target", c => c.ValueChanged, target);
        }

        if (days is not null)
        {
            await SetAsync<MudSelect<int?>, int?>(page, c => c.Label == "Days a week", c => c.ValueChanged, days);
        }

        if (journalKind is not null)
        {
            await SetAsync<MudSelect<string>, string?>(page, c => c.Label == "Entry that counts", c => c.ValueChanged, journalKind);
        }

        if (start is not null)
        {
            await SetAsync<MudDatePicker, DateTime?>(page, c => c.Label == "Starts", c => c.DateChanged, start);
        }

        if (end is not null)
        {
            await SetAsync<MudDatePicker, DateTime?>(page, c => c.Label is "Ends (optional)" or "Reach it by", c => c.DateChanged, end);
        }
    }

    private static Task SaveAsync(IRenderedComponent<IComponent> page) => page.Find("[data-testid=save-goal]").ClickAsync(new());

    /// <summary>Opens a goal's menu, picks an item, and answers the confirmation.</summary>
    private async Task ChooseAsync(IRenderedComponent<IComponent> page, string goalName, string item, bool confirm = true)
    {
        await page.Find($"button[aria-label='Actions for {goalName}']").ClickAsync(new());
        var chosen = Popovers.WaitForElement($"[data-testid={item}]").ClickAsync(new());
        var answer = Dialogs.WaitForElement(confirm ? "[data-testid=confirm-ok]" : "[data-testid=confirm-cancel]");
        await answer.ClickAsync(new());
        await chosen;
    }

    [Fact]
    public async Task Create_ShowsTheGoalScoredFromTheData_ThenEditArchiveRestoreAndDelete()
    {
        var userId = await SignInAsNewUserAsync("goals@example.com");
        var empty = RenderPage<GoalsPage>();
        empty.WaitForElement("[data-testid=no-goals] a[href='goals/new?template=steps']");

        var form = RenderPage<GoalEditPage>();
        Assert.Empty(form.FindAll("[data-testid=save-goal]")); // kind first: no fields until one is picked
        await FillAsync(form, GoalKind.DailyTarget, "10k steps", MetricCatalogue.Steps, 10_000, start: new DateTime(2026, 11, 1));
        await SaveAsync(form);

        var goal = Assert.Single(await GoalsInDbAsync());
        Assert.Equal((GoalKind.DailyTarget, 10_000.0, new DateOnly(2026, 11, 1), userId), (goal.Kind, goal.Target, goal.StartDate, goal.UserId));
        Assert.EndsWith("/goals", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
        Snackbars.WaitForAssertion(() => Assert.Contains("Goal “10k steps” created.", SnackbarMessages()));

        // Yesterday 12,000 steps; Monday no data; today nothing yet.
        await StepsAsync(userId, (Today.AddDays(-1), 12_000));
        var list = RenderPage<GoalsPage>();
        var card = list.WaitForElement($"[data-testid=goal-{goal.Id}]");
        Assert.Contains("Steps at least 10,000, every day", card.TextContent, StringComparison.Ordinal);
        Assert.Equal("no data yet", card.QuerySelector("[data-testid=goal-today]")!.TextContent.Trim());
        Assert.Equal("1 day", card.QuerySelector("[data-testid=goal-streak]")!.TextContent.Trim());
        Assert.Equal("1 of 2 days", card.QuerySelector("[data-testid=goal-week]")!.TextContent.Trim()); // Monday without data, Tuesday met
        Assert.Equal("1 without data", card.QuerySelector("[data-testid=goal-week-note]")!.TextContent.Trim());
        Assert.Equal("On track", card.QuerySelector("[data-testid=goal-state-label]")!.TextContent.Trim());
        Assert.Equal(30, card.QuerySelectorAll(".day-cell[data-result]").Length);
        Assert.Equal("Last 30 days: 1 met, 0 missed, 23 no data", card.QuerySelector("[data-testid=goal-strip-summary]")!.TextContent.Trim());

        var edit = RenderPage<GoalEditPage>(p => p.Add(x => x.Id, goal.Id));
        edit.WaitForElement("[data-testid=save-goal]");
        await SetAsync<MudTextField<string>, string?>(edit, c => c.Label == "Name", c => c.ValueChanged, "12k steps");
        await SetAsync<MudNumericField<double?>, double?>(edit, c => c.Label == "Target", c => c.ValueChanged, 12_000);
        await SaveAsync(edit);
        goal = Assert.Single(await GoalsInDbAsync());
        Assert.Equal(("12k steps", 12_000.0), (goal.Name, goal.Target));

        list = RenderPage<GoalsPage>();
        list.WaitForElement($"[data-testid=goal-{goal.Id}]");
        await ChooseAsync(list, "12k steps", "goal-archive");
        Assert.NotNull(Assert.Single(await GoalsInDbAsync()).ArchivedAt);
        list.WaitForAssertion(() => Assert.NotNull(list.Find($"[data-testid=archived-goals] [data-testid=goal-{goal.Id}]")));
        Assert.Contains("Goal archived. Its history is kept.", SnackbarMessages());

        await ChooseAsync(list, "12k steps", "goal-restore");
        Assert.Null(Assert.Single(await GoalsInDbAsync()).ArchivedAt);
        list.WaitForAssertion(() => Assert.NotNull(list.Find($"[data-testid=goal-list] [data-testid=goal-{goal.Id}]")));

        await ChooseAsync(list, "12k steps", "goal-delete");
        Assert.Empty(await GoalsInDbAsync());
        Assert.Equal(1, await WithDbAsync(db => db.Samples.CountAsync())); // the data stays
        list.WaitForElement("[data-testid=no-goals]");
        Assert.Contains("Goal deleted.", SnackbarMessages());
    }

    [Fact]
    public async Task Menu_Cancelled_ChangesNothing()
    {
        var userId = await SignInAsNewUserAsync("careful@example.com");
        var id = await CreateAsync(userId, Steps());
        var list = RenderPage<GoalsPage>();
        list.WaitForElement($"[data-testid=goal-{id}]");

        await ChooseAsync(list, "10k steps", "goal-delete", confirm: false);
        await ChooseAsync(list, "10k steps", "goal-archive", confirm: false);

        var goal = Assert.Single(await GoalsInDbAsync());
        Assert.Null(goal.ArchivedAt);
        Assert.Empty(SnackbarMessages());
    }

    [Theory]
    [InlineData(GoalKind.DailyTarget, MetricCatalogue.Steps, 300_000d, null, "2026-11-01", null, "Steps targets must be between 0 and 200000")]
    [InlineData(GoalKind.DailyTarget, MetricCatalogue.Steps, 10_000d, null, "2026-11-10", "2026-11-01", "The end date must be on or after the start date.")]
    [InlineData(GoalKind.WeeklyCount, MetricCatalogue.Steps, null, 4, "2026-11-01", null, "Enter a target number.")]
    [InlineData(GoalKind.DailyTarget, null, 10_000d, null, "2026-11-01", null, "Choose a metric from the list.")]
    [InlineData(GoalKind.BodyTarget, MetricCatalogue.Weight, 75d, null, "2026-11-01", null, "A body target needs the date to reach it by.")]
    [InlineData(GoalKind.BodyTarget, MetricCatalogue.Weight, 0.2d, null, "2026-11-01", "2027-03-01", "Weight targets must be between 1 and 500 kg.")]
    public async Task BadInput_IsAFieldError_AndSavesNothing(GoalKind kind, string? metric, double? target, int? days, string start, string? end, string message)
    {
        await SignInAsNewUserAsync("typo@example.com");
        var form = RenderPage<GoalEditPage>();
        await FillAsync(form, kind, "A goal", metric, target, days, DateTime.Parse(start, System.Globalization.CultureInfo.InvariantCulture),
            end is null ? null : DateTime.Parse(end, System.Globalization.CultureInfo.InvariantCulture));
        if (kind == GoalKind.BodyTarget && end is null)
        {
            await SetAsync<MudDatePicker, DateTime?>(form, c => c.Label == "Reach it by", c => c.DateChanged, null);
        }

        await SaveAsync(form);

        form.WaitForAssertion(() => Assert.Contains(form.FindAll(".mud-input-control .mud-input-helper-text.mud-input-error, .mud-input-error .mud-input-helper-text, .mud-input-control-helper-container .mud-input-error"),
            e => e.TextContent.Contains(message, StringComparison.Ordinal)));
        Assert.Empty(await GoalsInDbAsync());
        Assert.Empty(SnackbarMessages());
    }

    [Fact]
    public async Task BadInput_KeepsWhatWasTyped_AndFixingItSaves()
    {
        await SignInAsNewUserAsync("fixer@example.com");
        var form = RenderPage<GoalEditPage>();
        await FillAsync(form, GoalKind.WeeklyCount, "Active days", MetricCatalogue.Steps, 999_999, days: 4);
        await SaveAsync(form);
        form.WaitForAssertion(() => Assert.Contains("Steps targets must be between", form.Markup, StringComparison.Ordinal));
        Assert.Equal("Active days", form.FindComponents<MudTextField<string>>().Single(c => c.Instance.Label == "Name").Instance.GetState(x => x.Value));

        await SetAsync<MudNumericField<double?>, double?>(form, c => c.Label == "Target", c => c.ValueChanged, 9_000);
        await SaveAsync(form);

        var goal = Assert.Single(await GoalsInDbAsync());
        Assert.Equal((GoalKind.WeeklyCount, 9_000.0, 4), (goal.Kind, goal.Target, goal.DaysPerWeek));
    }

    [Fact]
    public async Task Form_AsksTheKindFirst_ThenShowsOnlyThatKindsFields()
    {
        await SignInAsNewUserAsync("kinds@example.com");
        var form = RenderPage<GoalEditPage>();
        var kinds = form.FindAll("[data-testid=kind-picker] [role=radio]");
        Assert.Equal(5, kinds.Count);
        Assert.All(kinds, k => Assert.Equal("false", k.GetAttribute("aria-checked")));
        Assert.Contains("e.g. 10,000 steps on 4 days a week", form.Find("[data-testid=kind-WeeklyCount]").TextContent, StringComparison.Ordinal);
        Assert.Empty(form.FindAll("[data-testid=goal-details]"));

        await form.Find("[data-testid=kind-JournalHabit]").ClickAsync(new());
        Assert.Equal("true", form.Find("[data-testid=kind-JournalHabit]").GetAttribute("aria-checked"));
        Assert.NotNull(form.Find("[data-testid=goal-journal-kind]"));
        Assert.NotNull(form.Find("[data-testid=goal-days]"));
        Assert.Empty(form.FindAll("[data-testid=goal-metric]"));
        Assert.Empty(form.FindAll("[data-testid=goal-target]"));

        await form.Find("[data-testid=kind-BodyTarget]").ClickAsync(new());
        Assert.Empty(form.FindAll("[data-testid=goal-days]"));
        Assert.Empty(form.FindAll("[data-testid=goal-journal-kind]"));
        Assert.NotNull(form.Find("[data-testid=goal-direction]"));
        var metrics = form.FindComponents<MudSelectItem<string>>().Select(i => i.Instance.GetState(x => x.Value)).ToList();
        Assert.Contains(MetricCatalogue.Weight, metrics);
        Assert.DoesNotContain(MetricCatalogue.Steps, metrics); // a body target is for a body measurement
        Assert.Equal("Reach it by", form.FindComponents<MudDatePicker>()[1].Instance.Label);

        // A common goal of the kind fills the form.
        await form.Find("[data-testid=template-weight]").ClickAsync(new());
        Assert.Equal("Reach 75 kg", form.FindComponents<MudTextField<string>>().Single(c => c.Instance.Label == "Name").Instance.GetState(x => x.Value));
        await SaveAsync(form);
        var goal = Assert.Single(await GoalsInDbAsync());
        Assert.Equal((GoalKind.BodyTarget, 75.0, Today.AddDays(98)), (goal.Kind, goal.Target, goal.EndDate));
    }

    [Fact]
    public async Task Form_DatePickersAreBounded()
    {
        await SignInAsNewUserAsync("bounds@example.com");
        Services.GetRequiredService<NavigationManager>().NavigateTo("goals/new?template=steps");
        var form = RenderPage<GoalEditPage>();
        form.WaitForElement("[data-testid=save-goal]");
        var pickers = form.FindComponents<MudDatePicker>();
        Assert.Equal((new DateTime(1900, 1, 1), new DateTime(2027, 11, 25)), (pickers[0].Instance.GetState(x => x.MinDate), pickers[0].Instance.GetState(x => x.MaxDate)));
        Assert.Equal((new DateTime(2026, 11, 25), new DateTime(2100, 12, 31)), (pickers[1].Instance.GetState(x => x.MinDate), pickers[1].Instance.GetState(x => x.MaxDate)));
    }

    [Theory]
    [InlineData("steps", "10,000 steps", GoalKind.DailyTarget)]
    [InlineData("morning-pages", "Morning pages", GoalKind.JournalHabit)]
    public async Task Template_FromTheQuery_PicksTheKindAndFillsTheForm(string template, string name, GoalKind kind)
    {
        await SignInAsNewUserAsync("template@example.com");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"goals/new?template={template}");
        var form = RenderPage<GoalEditPage>();
        form.WaitForElement("[data-testid=save-goal]");
        Assert.Equal("true", form.Find($"[data-testid=kind-{kind}]").GetAttribute("aria-checked"));
        Assert.Equal(name, form.FindComponents<MudTextField<string>>().Single(c => c.Instance.Label == "Name").Instance.GetState(x => x.Value));
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("99999999999")]
    [InlineData("")]
    public async Task Template_Unknown_IsIgnored(string template)
    {
        await SignInAsNewUserAsync("odd@example.com");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"goals/new?template={Uri.EscapeDataString(template)}");
        var form = RenderPage<GoalEditPage>();
        form.WaitForElement("[data-testid=kind-picker]");
        Assert.Empty(form.FindAll("[data-testid=goal-details]"));
        Assert.False(NotFoundRaised);
    }

    [Fact]
    public async Task AnotherUsersGoal_IsNotFound_ForViewEditArchiveAndDelete()
    {
        var owner = await CreateUserAsync("owner@example.com");
        var id = await CreateAsync(owner, Steps());
        var intruder = await SignInAsNewUserAsync("intruder@example.com");
        var own = await CreateAsync(intruder, Steps("mine"));

        // The list shows only the intruder's own goal.
        var list = RenderPage<GoalsPage>();
        list.WaitForElement($"[data-testid=goal-{own}]");
        Assert.Empty(list.FindAll($"[data-testid=goal-{id}]"));
        Assert.DoesNotContain("10k steps", list.Markup, StringComparison.Ordinal);

        // View and edit: /goals/{id} answers not found and shows nothing of it.
        var edit = RenderPage<GoalEditPage>(p => p.Add(x => x.Id, id));
        edit.WaitForAssertion(() => Assert.True(NotFoundRaised));
        Assert.Empty(edit.FindAll("[data-testid=goal-form]"));
        Assert.DoesNotContain("10k steps", edit.Markup, StringComparison.Ordinal);

        // Archive and delete through the menu, given the other user's id (a stale or forged card): not found.
        foreach (var item in new[] { "goal-archive", "goal-delete" })
        {
            NotFoundRaised = false;
            var menu = RenderPage<GoalActions>(p => p
                .Add(x => x.Goal, new Goal { Id = id, UserId = intruder, Name = "10k steps", StartDate = Today }));
            await ChooseAsync(menu, "10k steps", item);
            Assert.True(NotFoundRaised, item);
        }

        var goal = await WithDbAsync(db => db.Set<Goal>().AsNoTracking().SingleAsync(g => g.Id == id));
        Assert.Equal(("10k steps", (DateTime?)null, owner), (goal.Name, goal.ArchivedAt, goal.UserId));
        Assert.DoesNotContain(SnackbarMessages(), m => m.Contains("archived", StringComparison.Ordinal) || m.Contains("deleted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EditPage_ShowsWhereTheGoalStands_AndItsMenuArchivesAndDeletes()
    {
        var userId = await SignInAsNewUserAsync("editor@example.com");
        var id = await CreateAsync(userId, Steps());
        await StepsAsync(userId, (Today.AddDays(-2), 12_000), (Today.AddDays(-1), 4_000));

        var edit = RenderPage<GoalEditPage>(p => p.Add(x => x.Id, id));
        edit.WaitForElement("[data-testid=save-goal]");
        Assert.Equal("Behind", edit.Find("[data-testid=goal-state-label]").TextContent.Trim());
        Assert.Equal("1 day missed this week.", edit.Find("[data-testid=goal-state-detail]").TextContent.Trim());

        await ChooseAsync(edit, "10k steps", "goal-archive");
        Assert.NotNull(Assert.Single(await GoalsInDbAsync()).ArchivedAt);
        edit.WaitForAssertion(() => Assert.Equal("archived", edit.Find("[data-testid=goal-state]").GetAttribute("data-state")));

        await ChooseAsync(edit, "10k steps", "goal-delete");
        Assert.Empty(await GoalsInDbAsync());
        Assert.EndsWith("/goals", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }
}
