using System.Reflection;
using System.Security.Claims;
using Bunit;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Authorization;
using LifeOs.Web.Components;
using LifeOs.Web.Components.Pages.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Extensions;

namespace LifeOs.Tests.Components.Admin;

public sealed class AdminPageTests() : PageTestContext(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" })
{
    /// <summary>Creates an account and makes it the administrator the way the first registration does, then signs in as it.</summary>
    private async Task<string> SignInAsAdministratorAsync(string email)
    {
        var id = await CreateUserAsync(email);
        await using (var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope())
        {
            var user = await scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>().FindByIdAsync(id);
            Assert.True(await scope.ServiceProvider.GetRequiredService<AccountService>().PromoteIfFirstAsync(user!));
        }

        SignInAs(id, email, administrator: true);
        return id;
    }

    private static bool SwitchIsOn(IRenderedComponent<AdminPage> page) => page.FindComponent<MudSwitch<bool>>().Instance.GetState(x => x.Value);

    private Task<RegistrationMode> ModeAsync() => WithAsync<AccountService, RegistrationMode>(a => a.GetRegistrationModeAsync());

    /// <summary>Flips the switch; the returned task completes once the confirmation is answered.</summary>
    private static Task ToggleRegistrationAsync(IRenderedComponent<AdminPage> page) =>
        page.InvokeAsync(() => page.FindComponent<MudSwitch<bool>>().Instance.ValueChanged.InvokeAsync(!SwitchIsOn(page)));

    [Fact]
    public async Task People_AreListed_WithJoinedLastSignInTwoFactorAndRole_InTheAdministratorsZone()
    {
        var admin = await SignInAsAdministratorAsync("first@example.com");
        Time.Advance(TimeSpan.FromDays(2));
        var member = await CreateUserAsync("second@example.com");
        await WithAsync<AccountService, bool>(async a =>
        {
            await a.RecordSignInAsync(admin);
            return true;
        });
        await WithAsync<UserManager<ApplicationUser>, IdentityResult>(async users => await users.SetTwoFactorEnabledAsync((await users.FindByIdAsync(member))!, true));

        var page = RenderPage<AdminPage>();

        var rows = page.WaitForElements("[data-testid=users-table] tbody tr");
        Assert.Equal(2, rows.Count);
        // Oldest first; the administrator's own row says so.
        Assert.Contains("first@example.com", rows[0].QuerySelector("[data-testid=user-email]")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("You", rows[0].QuerySelector("[data-testid=user-email]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Administrator", rows[0].QuerySelector("[data-testid=user-role]")!.TextContent.Trim());
        Assert.Equal("Member", rows[1].QuerySelector("[data-testid=user-role]")!.TextContent.Trim());
        Assert.DoesNotContain("You", rows[1].QuerySelector("[data-testid=user-email]")!.TextContent, StringComparison.Ordinal);
        // 27 Nov 09:30 UTC is 10:30 in Paris; the member never signed in.
        Assert.Equal("27 Nov 2026, 10:30", rows[0].QuerySelector("[data-testid=user-last-sign-in]")!.TextContent.Trim());
        Assert.Equal("Never", rows[1].QuerySelector("[data-testid=user-last-sign-in]")!.TextContent.Trim());
        Assert.Equal("Off", rows[0].QuerySelector("[data-testid=user-2fa]")!.TextContent.Trim());
        Assert.Equal("On", rows[1].QuerySelector("[data-testid=user-2fa]")!.TextContent.Trim());
        Assert.Contains("25 Nov 2026", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("27 Nov 2026", rows[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("2 accounts · 1 administrator · 1 with two-factor sign-in", page.Find("[data-testid=admin-users]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloseRegistration_AsksFirst_ThenClosesIt_AndNewAccountsAreRefused()
    {
        await SignInAsAdministratorAsync("root@example.com");
        var page = RenderPage<AdminPage>();
        page.WaitForAssertion(() => Assert.Equal("open", page.Find("[data-testid=registration-mode]").TextContent));

        var toggling = ToggleRegistrationAsync(page);
        Dialogs.WaitForAssertion(() => Assert.Contains("Make registration invite-only?", Dialogs.Markup, StringComparison.Ordinal));
        Assert.Equal(RegistrationMode.Open, await ModeAsync());
        await Dialogs.Find("[data-testid=confirm-ok]").ClickAsync(new());
        await toggling;

        Snackbars.WaitForAssertion(() => Assert.Contains("Registration is now invite-only.", SnackbarMessages()));
        Assert.Equal(RegistrationMode.InviteOnly, await ModeAsync());
        Assert.False(await WithAsync<AccountService, bool>(a => a.CanRegisterAsync()));
        page.WaitForAssertion(() => Assert.Equal("invite-only", page.Find("[data-testid=registration-mode]").TextContent));
        Assert.False(SwitchIsOn(page));

        // And open again.
        toggling = ToggleRegistrationAsync(page);
        await Dialogs.WaitForElement("[data-testid=confirm-ok]").ClickAsync(new());
        await toggling;
        Snackbars.WaitForAssertion(() => Assert.Contains("Registration is now open.", SnackbarMessages()));
        Assert.Equal(RegistrationMode.Open, await ModeAsync());
        Assert.True(await WithAsync<AccountService, bool>(a => a.CanRegisterAsync()));
    }

    [Fact]
    public async Task AddingAPerson_ShowsTheirOneTimeLink_AndTheMenuDisablesAndEnablesThem()
    {
        await SignInAsAdministratorAsync("keeper@example.com");
        var page = RenderPage<AdminPage>();
        page.WaitForElement("[data-testid=create-user]");

        // An address that is not one is refused with a field error, and nothing is created.
        page.Find("input[data-testid=create-user-email]").Change("nobody");
        await page.Find("[data-testid=create-user]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("Enter an email address", page.Markup, StringComparison.Ordinal));
        Assert.Equal(1, await WithDbAsync(db => db.Users.CountAsync()));

        page.Find("input[data-testid=create-user-email]").Change("grandma@example.com");
        await page.Find("[data-testid=create-user]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Created an account for grandma@example.com", page.Find("[data-testid=one-time-link]").TextContent, StringComparison.Ordinal));
        var url = page.FindComponents<MudTextField<string>>().Single(f => f.Instance.GetState(x => x.Value)?.Contains("/Account/ResetPassword?code=", StringComparison.Ordinal) == true)
            .Instance.GetState(x => x.Value)!;
        Assert.StartsWith("http://localhost/Account/ResetPassword?code=", url, StringComparison.Ordinal);
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=users-table] tbody tr").Count));

        // Disable, confirmed in a dialog; the row says so; then enable again.
        await page.Find("button[aria-label='Actions for grandma@example.com']").ClickAsync(new());
        var disabling = Popovers.WaitForElement("[data-testid=action-disable]").ClickAsync(new());
        await Dialogs.WaitForElement("[data-testid=confirm-ok]").ClickAsync(new());
        await disabling;
        Snackbars.WaitForAssertion(() => Assert.Contains("grandma@example.com is disabled: signed out everywhere and cannot sign in. Their data is kept.", SnackbarMessages()));
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=user-disabled]")));

        await page.Find("button[aria-label='Actions for grandma@example.com']").ClickAsync(new());
        await Popovers.WaitForElement("[data-testid=action-enable]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("[data-testid=user-disabled]")));

        // The administrator's own row offers neither disable nor delete.
        await page.Find("button[aria-label='Actions for keeper@example.com']").ClickAsync(new());
        Popovers.WaitForElement("[data-testid=action-reset-password]");
        Assert.Empty(Popovers.FindAll("[data-testid=action-disable], [data-testid=action-delete]"));
    }

    [Fact]
    public async Task Invitations_ShowTheLinkOnce_AreListed_AndRevokingAsksFirst()
    {
        await SignInAsAdministratorAsync("inviter@example.com");
        var page = RenderPage<AdminPage>();
        page.WaitForAssertion(() => Assert.Contains("No invitations yet", page.Find("[data-testid=invitations-empty]").TextContent, StringComparison.Ordinal));

        // A bad address is said beside the field, and nothing is made.
        page.Find("input[data-testid=invitation-email]").Change("nobody");
        await page.Find("[data-testid=create-invitation]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Contains("'nobody' is not an email address.", page.Find("[data-testid=admin-invitations]").TextContent, StringComparison.Ordinal));
        Assert.Equal(0, await WithDbAsync(db => db.Invitations.CountAsync()));

        page.Find("input[data-testid=invitation-email]").Change("friend@example.com");
        await page.Find("[data-testid=create-invitation]").ClickAsync(new());

        page.WaitForAssertion(() => Assert.Contains("Send this link to friend@example.com", page.Find("[data-testid=invitation-link]").TextContent, StringComparison.Ordinal));
        var url = page.FindComponents<MudTextField<string>>().Single(f => f.Instance.GetState(x => x.Value)?.Contains("/Account/Register?invite=", StringComparison.Ordinal) == true)
            .Instance.GetState(x => x.Value)!;
        Assert.StartsWith("http://localhost/Account/Register?invite=", url, StringComparison.Ordinal);
        var token = Uri.UnescapeDataString(url[(url.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        Assert.Equal(InvitationState.Valid, (await WithAsync<InvitationService, InvitationCheck>(i => i.CheckAsync(token))).State);
        var row = page.WaitForElement("[data-testid=invitations-table] tbody tr");
        Assert.Contains("friend@example.com", row.TextContent, StringComparison.Ordinal);
        Assert.Equal("Pending", row.QuerySelector("[data-testid=invitation-status]")!.TextContent.Trim());
        // The form starts over (a week, no email) for the next one.
        Assert.Equal(InvitationService.DefaultDays, page.FindComponent<MudSelect<int>>().Instance.GetState(x => x.Value));

        // Revoking asks first; cancelled, nothing changes.
        var revoking = page.Find("[data-testid=revoke-invitation]").ClickAsync(new());
        Dialogs.WaitForAssertion(() => Assert.Contains("Revoke this invitation?", Dialogs.Markup, StringComparison.Ordinal));
        await Dialogs.Find("[data-testid=confirm-cancel]").ClickAsync(new());
        await revoking;
        Assert.Equal(InvitationState.Valid, (await WithAsync<InvitationService, InvitationCheck>(i => i.CheckAsync(token))).State);

        revoking = page.Find("[data-testid=revoke-invitation]").ClickAsync(new());
        await Dialogs.WaitForElement("[data-testid=confirm-ok]").ClickAsync(new());
        await revoking;
        Snackbars.WaitForAssertion(() => Assert.Contains("Invitation revoked: its link no longer works.", SnackbarMessages()));
        page.WaitForAssertion(() => Assert.Equal("Revoked", page.Find("[data-testid=invitation-status]").TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=revoke-invitation]"));
        Assert.Equal(InvitationState.Revoked, (await WithAsync<InvitationService, InvitationCheck>(i => i.CheckAsync(token))).State);
    }

    [Fact]
    public async Task ChangingRegistration_Cancelled_ChangesNothing_AndTheSwitchStaysPut()
    {
        await SignInAsAdministratorAsync("careful@example.com");
        var page = RenderPage<AdminPage>();
        page.WaitForElement("[data-testid=registration-mode]");

        var toggling = ToggleRegistrationAsync(page);
        await Dialogs.WaitForElement("[data-testid=confirm-cancel]").ClickAsync(new());
        await toggling;

        page.WaitForAssertion(() => Assert.True(SwitchIsOn(page)));
        Assert.Equal("open", page.Find("[data-testid=registration-mode]").TextContent);
        Assert.Equal(RegistrationMode.Open, await ModeAsync());
        Assert.Empty(SnackbarMessages());
    }

    [Fact]
    public async Task Search_FiltersPeopleByEmail_OnceTheListIsLong()
    {
        await SignInAsAdministratorAsync("admin@example.com");
        for (var i = 1; i <= AdminPage.SearchFrom; i++)
        {
            await CreateUserAsync($"person{i}@example.com");
        }

        var page = RenderPage<AdminPage>();
        page.WaitForAssertion(() => Assert.Equal(AdminPage.SearchFrom + 1, page.FindAll("[data-testid=users-table] tbody tr").Count));

        page.Find("#users-search").Input(new ChangeEventArgs { Value = "PERSON3" });

        page.WaitForAssertion(() => Assert.Contains("person3@example.com", Assert.Single(page.FindAll("[data-testid=users-table] tbody tr")).TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AdministratorPolicy_AdmitsTheAdministratorRole_AndNoOneElse()
    {
        var attribute = typeof(AdminPage).GetCustomAttributes<AuthorizeAttribute>().Single(a => a.Policy is not null);
        Assert.Equal(Policies.Administrator, attribute.Policy);

        // The real policy (bUnit's authorization double only knows names).
        var services = new ServiceCollection().AddLogging().AddLifeOsAuthorization().BuildServiceProvider();
        var authorization = services.GetRequiredService<IAuthorizationService>();
        ClaimsPrincipal Principal(params string[] roles) => new(new ClaimsIdentity(
            roles.Select(r => new Claim(ClaimTypes.Role, r)).Prepend(new Claim(ClaimTypes.NameIdentifier, "u1")), "Identity.Application"));

        Assert.True((await authorization.AuthorizeAsync(Principal(Roles.Administrator), Policies.Administrator)).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(Principal(), Policies.Administrator)).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(Principal("Member"), Policies.Administrator)).Succeeded);
        Assert.False((await authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), Policies.Administrator)).Succeeded);
    }

    [Fact]
    public async Task Member_FollowingALinkToAdmin_InTheApp_GetsTheNotFoundPage()
    {
        await CreateUserAsync("first@example.com");
        var id = await CreateUserAsync("member@example.com");
        SignInAs(id, "member@example.com");
        Services.GetRequiredService<NavigationManager>().NavigateTo("admin");
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var app = Render<Routes>();

        app.WaitForElement("[data-testid=not-found]");
        Assert.Empty(app.FindAll("[data-testid=users-table]"));
        Assert.DoesNotContain("Administration", app.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Administrator_FollowingALinkToAdmin_InTheApp_GetsThePage()
    {
        await SignInAsAdministratorAsync("first@example.com");
        Services.GetRequiredService<NavigationManager>().NavigateTo("admin");
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var app = Render<Routes>();

        app.WaitForElement("[data-testid=users-table]");
        Assert.Empty(app.FindAll("[data-testid=not-found]"));
    }
}
