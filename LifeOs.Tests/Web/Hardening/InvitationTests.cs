using System.Net;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Html.Dom;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// Invitations as the people who get one meet them: through the register form, over the real app, on a server
/// left with its default (invite-only once the first account exists).
/// </summary>
public sealed class InvitationTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:Registration"] = null });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<T> InvitationsAsync<T>(Func<InvitationService, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<InvitationService>());
    }

    private Task<string> IdOfAsync(string email) => app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<int> AccountsAsync() => app.WithDbAsync(db => db.Users.CountAsync());

    /// <summary>The first account registers without an invitation and is the administrator.</summary>
    private async Task<string> AdministratorAsync()
    {
        using var client = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.RegisterAsync("admin@example.com")).StatusCode);
        return await IdOfAsync("admin@example.com");
    }

    private async Task<string> InviteAsync(string adminId, string? email = null, int days = InvitationService.DefaultDays)
    {
        var created = await InvitationsAsync(i => i.CreateAsync(adminId, email, days));
        Assert.True(created.Succeeded, created.Message);
        return created.Token!;
    }

    private static string RegisterUrl(string token) => $"/Account/Register?invite={Uri.EscapeDataString(token)}";

    /// <summary>
    /// Posts the register form to the invitation's address. The antiforgery token comes from the login page, as a
    /// hand-made post would get it: a refused link shows no form, and the post must be refused all the same.
    /// </summary>
    private static Task<HttpResponseMessage> RegisterWithAsync(TestClient client, string token, string email, string password = TestClient.Password) =>
        client.PostFormAsync("/Account/Login", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        }, postUrl: RegisterUrl(token));

    private static async Task<IHtmlDocument> PageOfAsync(HttpResponseMessage response) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(response));

    private Task<Invitation> InvitationAsync() => app.WithDbAsync(db => db.Invitations.AsNoTracking().SingleAsync());

    [Fact]
    public async Task Registration_IsInviteOnly_AfterTheFirstAccount_ByDefault()
    {
        using var visitor = app.CreateTestClient();
        var (_, emptyLogin) = await visitor.GetPageAsync("/Account/Login");
        Assert.Contains(emptyLogin.QuerySelectorAll("a"), a => a.TextContent == "Create an account");

        await AdministratorAsync();
        Assert.Equal(RegistrationMode.InviteOnly, await ModeAsync());

        var (response, page) = await visitor.GetPageAsync("/Account/Register");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("invite-only. Ask its administrator for an invitation link", page.QuerySelector("[data-testid=registration-closed]")?.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("input[name='Input.Password']"));
        var (_, login) = await visitor.GetPageAsync("/Account/Login");
        Assert.DoesNotContain(login.QuerySelectorAll("a"), a => a.TextContent == "Create an account");

        // A hand-made post (token from the login page) creates nothing.
        var forged = await visitor.PostFormAsync("/Account/Login", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = "stranger@example.com",
            ["Input.Password"] = TestClient.Password,
            ["Input.ConfirmPassword"] = TestClient.Password,
        }, postUrl: "/Account/Register");
        Assert.NotEqual(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Equal(1, await AccountsAsync());
    }

    private async Task<RegistrationMode> ModeAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountService>().GetRegistrationModeAsync();
    }

    [Fact]
    public async Task OpenInConfiguration_LetsAnyoneRegister_AndAStoredClosedStillMeansInviteOnly()
    {
        await using var open = new LifeOsAppFactory(new() { ["LifeOs:Registration"] = "Open" });
        using var first = open.CreateTestClient();
        await first.RegisterAsync("first@example.com");
        using var second = open.CreateTestClient();
        var (_, login) = await second.GetPageAsync("/Account/Login");
        Assert.Contains(login.QuerySelectorAll("a"), a => a.TextContent == "Create an account");
        Assert.Equal(HttpStatusCode.Redirect, (await second.RegisterAsync("second@example.com")).StatusCode);

        // "Closed", the switch's value before invitations, is kept by databases from then: it still means not open.
        await open.WithDbAsync(async db =>
        {
            db.AppSettings.Add(new AppSetting { Key = "Registration", Value = "Closed", UpdatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });
        using var third = open.CreateTestClient();
        var refused = await third.PostFormAsync("/Account/Login", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = "third@example.com",
            ["Input.Password"] = TestClient.Password,
            ["Input.ConfirmPassword"] = TestClient.Password,
        }, postUrl: "/Account/Register");
        Assert.NotEqual(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal(2, await open.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Theory]
    [InlineData("Closed", RegistrationMode.InviteOnly)]
    [InlineData("InviteOnly", RegistrationMode.InviteOnly)]
    [InlineData("invite-only", RegistrationMode.InviteOnly)]
    [InlineData("open", RegistrationMode.Open)]
    public void RegistrationInConfiguration_ReadsBothNames(string value, RegistrationMode expected) =>
        Assert.Equal(expected, new LifeOsOptions { Registration = value }.ConfiguredRegistration());

    [Theory]
    [InlineData("Sometimes")]
    [InlineData("1")]
    public void ABadRegistrationValue_StopsStartUp_NamingTheKey(string value)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LifeOs:Registration"] = value })
            .Build();
        var failure = Assert.Throws<StartupException>(() => { new ServiceCollection().AddLifeOsCore(configuration, Path.GetTempPath()); });
        Assert.StartsWith($"LifeOs:Registration (env LifeOs__Registration) is '{value}'; set 'Open'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvitationLink_RegistersOnce_AndAReusedLinkIsRefused()
    {
        var adminId = await AdministratorAsync();
        var token = await InviteAsync(adminId);

        // Only the hash is stored, and the default is a week.
        var stored = await InvitationAsync();
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), stored.TokenHash);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime.AddDays(7), stored.ExpiresAt);
        Assert.Equal(adminId, stored.CreatedByUserId);

        Assert.Equal(InvitationState.Valid, (await InvitationsAsync(i => i.CheckAsync(token))).State);
        using var guest = app.CreateTestClient();
        var (form, page) = await guest.GetPageAsync(RegisterUrl(token));
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        Assert.NotNull(page.QuerySelector("input[name='Input.Password']"));
        // The form posts back to the address with the invitation in it.
        var formElement = page.QuerySelector("input[name='Input.Password']")!.Closest("form")!;
        Assert.EndsWith(RegisterUrl(token), formElement.GetAttribute("action"), StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("input[name='Input.Email']")!.GetAttribute("readonly"));

        Assert.Equal(HttpStatusCode.Redirect, (await RegisterWithAsync(guest, token, "guest@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await guest.GetAsync("/settings")).StatusCode);
        var used = await InvitationAsync();
        Assert.Equal(await IdOfAsync("guest@example.com"), used.UsedByUserId);
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, used.UsedAt);

        using var replay = app.CreateTestClient();
        var (again, againPage) = await replay.GetPageAsync(RegisterUrl(token));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("creates one account", againPage.QuerySelector("[data-testid=invitation-used]")?.TextContent, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Redirect, (await RegisterWithAsync(replay, token, "second-guest@example.com")).StatusCode);
        Assert.Equal(2, await AccountsAsync());

        var listed = Assert.Single(await InvitationsAsync(i => i.ListAsync()));
        Assert.Equal(InvitationStatus.Used, listed.Status);
        Assert.Equal("guest@example.com", listed.UsedByEmail);
        Assert.Equal("admin@example.com", listed.CreatedByEmail);
    }

    [Fact]
    public async Task TwoRegistrationsWithOneLink_AtOnce_MakeOneAccount()
    {
        var adminId = await AdministratorAsync();
        var token = await InviteAsync(adminId);

        var clients = Enumerable.Range(1, 4).Select(_ => app.CreateTestClient()).ToList();
        var responses = await Task.WhenAll(clients.Select((c, n) => RegisterWithAsync(c, token, $"racer{n}@example.com")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Redirect);
        // The others are told the link was used, not given an error.
        foreach (var refused in responses.Where(r => r.StatusCode != HttpStatusCode.Redirect))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.NotNull((await PageOfAsync(refused)).QuerySelector("[data-testid=invitation-used]"));
        }

        Assert.Equal(2, await AccountsAsync());
        var used = await InvitationAsync();
        Assert.NotNull(used.UsedByUserId);
        clients.ForEach(c => c.Dispose());
    }

    [Fact]
    public async Task AnExpiredLink_IsRefused_AndTheChoiceOfDaysIsBounded()
    {
        var adminId = await AdministratorAsync();
        var token = await InviteAsync(adminId, days: 1);
        Assert.Equal(AdminOutcome.Invalid, (await InvitationsAsync(i => i.CreateAsync(adminId, null, 0))).Outcome);
        Assert.Equal(AdminOutcome.Invalid, (await InvitationsAsync(i => i.CreateAsync(adminId, null, 31))).Outcome);

        app.Time.Advance(TimeSpan.FromDays(1));

        using var late = app.CreateTestClient();
        var (response, page) = await late.GetPageAsync(RegisterUrl(token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("This invitation has expired", page.Title + page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("limited time", page.QuerySelector("[data-testid=invitation-expired]")?.TextContent, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Redirect, (await RegisterWithAsync(late, token, "late@example.com")).StatusCode);
        Assert.Equal(1, await AccountsAsync());
        var expired = Assert.Single(await InvitationsAsync(i => i.ListAsync()));
        Assert.Equal(InvitationStatus.Expired, expired.Status);
        Assert.Equal(AdminOutcome.Refused, (await InvitationsAsync(i => i.RevokeAsync(adminId, expired.Id))).Outcome);
    }

    [Fact]
    public async Task ARevokedLink_IsRefused()
    {
        var adminId = await AdministratorAsync();
        var token = await InviteAsync(adminId);
        var id = (await InvitationAsync()).Id;

        Assert.True((await InvitationsAsync(i => i.RevokeAsync(adminId, id))).Succeeded);
        Assert.Equal(AdminOutcome.Refused, (await InvitationsAsync(i => i.RevokeAsync(adminId, id))).Outcome);
        Assert.Equal(AdminOutcome.NotFound, (await InvitationsAsync(i => i.RevokeAsync(adminId, id + 1))).Outcome);

        using var guest = app.CreateTestClient();
        var (response, page) = await guest.GetPageAsync(RegisterUrl(token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("revoked this link", page.QuerySelector("[data-testid=invitation-revoked]")?.TextContent, StringComparison.Ordinal);
        Assert.NotEqual(HttpStatusCode.Redirect, (await RegisterWithAsync(guest, token, "guest@example.com")).StatusCode);
        Assert.Equal(1, await AccountsAsync());
        Assert.Equal(InvitationStatus.Revoked, Assert.Single(await InvitationsAsync(i => i.ListAsync())).Status);
    }

    [Theory]
    [InlineData("not-a-real-token")]
    [InlineData("%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task AnUnknownLink_SaysSo_WithoutAnError(string token)
    {
        await AdministratorAsync();
        using var guest = app.CreateTestClient();
        var response = await guest.GetAsync($"/Account/Register?invite={token}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await PageOfAsync(response);
        Assert.Contains("incomplete or was never made", page.QuerySelector("[data-testid=invitation-unknown]")?.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", await TestClient.BodyAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ALinkForAnEmail_ShowsIt_AndRefusesAnotherEmail_ThenWorksForTheRightOne()
    {
        var adminId = await AdministratorAsync();
        var token = await InviteAsync(adminId, " Grandma@Example.com ");
        Assert.Equal(AdminOutcome.Invalid, (await InvitationsAsync(i => i.CreateAsync(adminId, "admin@example.com"))).Outcome);
        Assert.Equal(AdminOutcome.Invalid, (await InvitationsAsync(i => i.CreateAsync(adminId, "not an email"))).Outcome);

        using var guest = app.CreateTestClient();
        var (_, page) = await guest.GetPageAsync(RegisterUrl(token));
        var email = page.QuerySelector("input[name='Input.Email']")!;
        Assert.Equal("Grandma@Example.com", email.GetAttribute("value"));
        Assert.NotNull(email.GetAttribute("readonly"));

        var other = await RegisterWithAsync(guest, token, "someone-else@example.com");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        var otherPage = await PageOfAsync(other);
        var field = otherPage.QuerySelector("input[name='Input.Email']")!;
        Assert.Contains("for another email address", otherPage.GetElementById(field.GetAttribute("aria-describedby")!)!.TextContent, StringComparison.Ordinal);
        Assert.Equal(1, await AccountsAsync());
        Assert.Null((await InvitationAsync()).UsedAt);

        Assert.Equal(HttpStatusCode.Redirect, (await RegisterWithAsync(guest, token, "grandma@example.com")).StatusCode);
        Assert.NotNull((await InvitationAsync()).UsedAt);
    }

    [Fact]
    public async Task ARefusedRegistration_LeavesTheLinkUsable()
    {
        var adminId = await AdministratorAsync();
        var token = await InviteAsync(adminId);

        using var guest = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.OK, (await RegisterWithAsync(guest, token, "guest@example.com", "weakpassword")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RegisterWithAsync(guest, token, "admin@example.com")).StatusCode);
        Assert.Equal(1, await AccountsAsync());
        Assert.Null((await InvitationAsync()).UsedAt);

        Assert.Equal(HttpStatusCode.Redirect, (await RegisterWithAsync(guest, token, "guest@example.com")).StatusCode);
        Assert.Equal(2, await AccountsAsync());
    }

    [Fact]
    public async Task OnlyAnAdministrator_SeesMakesOrRevokesInvitations()
    {
        var adminId = await AdministratorAsync();
        var token = await InviteAsync(adminId);
        using var member = app.CreateTestClient();
        await RegisterWithAsync(member, token, "member@example.com");
        var memberId = await IdOfAsync("member@example.com");
        await InviteAsync(adminId, "pending@example.com");
        var pendingId = (await InvitationsAsync(i => i.ListAsync()))[0].Id;

        Assert.Equal(AdminOutcome.Refused, (await InvitationsAsync(i => i.CreateAsync(memberId, null))).Outcome);
        Assert.Equal(AdminOutcome.Refused, (await InvitationsAsync(i => i.RevokeAsync(memberId, pendingId))).Outcome);
        Assert.Equal(AdminOutcome.Refused, (await InvitationsAsync(i => i.CreateAsync("no-such-user", null))).Outcome);
        Assert.Equal(2, await app.WithDbAsync(db => db.Invitations.CountAsync()));

        // The list is on /admin, which members do not learn exists.
        var memberPage = await member.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.NotFound, memberPage.StatusCode);
        Assert.DoesNotContain("pending@example.com", await TestClient.BodyAsync(memberPage), StringComparison.Ordinal);

        using var admin = app.CreateTestClient();
        await admin.LoginAsync("admin@example.com");
        var (adminResponse, adminPage) = await admin.GetPageAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);
        var rows = adminPage.QuerySelectorAll("[data-testid=invitations-table] tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains("pending@example.com", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("Pending", rows[0].QuerySelector("[data-testid=invitation-status]")!.TextContent.Trim());
        Assert.Equal("Used", rows[1].QuerySelector("[data-testid=invitation-status]")!.TextContent.Trim());
        Assert.Contains("member@example.com joined", rows[1].QuerySelector("[data-testid=invitation-details]")!.TextContent, StringComparison.Ordinal);
        // The token was shown once, when made; no page carries it afterwards.
        Assert.DoesNotContain(token, await TestClient.BodyAsync(adminResponse), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeletingTheAccountMadeWithALink_KeepsTheInvitationUsed()
    {
        var adminId = await AdministratorAsync();
        var token = await InviteAsync(adminId);
        using var guest = app.CreateTestClient();
        await RegisterWithAsync(guest, token, "short-stay@example.com");
        var guestId = await IdOfAsync("short-stay@example.com");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            Assert.True((await scope.ServiceProvider.GetRequiredService<AdministrationService>().DeleteAsync(adminId, guestId)).Succeeded);
        }

        var listed = Assert.Single(await InvitationsAsync(i => i.ListAsync()));
        Assert.Equal(InvitationStatus.Used, listed.Status);
        Assert.Null(listed.UsedByEmail);
        using var replay = app.CreateTestClient();
        Assert.NotEqual(HttpStatusCode.Redirect, (await RegisterWithAsync(replay, token, "short-stay@example.com")).StatusCode);
    }
}
