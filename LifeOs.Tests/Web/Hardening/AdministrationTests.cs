using System.Net;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>The administrator's tools, as the people they act on meet them: through sign-in, cookies and one-time links.</summary>
public sealed class AdministrationTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private async Task<T> AdminAsync<T>(Func<AdministrationService, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AdministrationService>());
    }

    private Task<string> IdOfAsync(string email) => app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    /// <summary>The first account is the administrator.</summary>
    private async Task<(TestClient Client, string Id)> AdministratorAsync()
    {
        var client = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.RegisterAsync("admin@example.com")).StatusCode);
        return (client, await IdOfAsync("admin@example.com"));
    }

    private static async Task<HttpResponseMessage> ChoosePasswordAsync(TestClient client, string code, string email, string password) =>
        await client.PostFormAsync($"/Account/ResetPassword?code={code}", "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });

    [Fact]
    public async Task ANewAccount_ChoosesItsPasswordThroughTheLink_Once()
    {
        var (_, adminId) = await AdministratorAsync();
        var created = await AdminAsync(a => a.CreateUserAsync(adminId, " new.person@example.com "));
        Assert.True(created.Succeeded, created.Message);
        Assert.NotNull(created.ResetCode);

        using var person = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.OK, (await person.LoginAsync("new.person@example.com", "Anything-123")).StatusCode);
        var chosen = await ChoosePasswordAsync(person, created.ResetCode, "new.person@example.com", "Chosen-Horse-11");
        Assert.Equal(HttpStatusCode.Redirect, chosen.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await person.LoginAsync("new.person@example.com", "Chosen-Horse-11")).StatusCode);

        // The link worked once: using it again changes nothing.
        using var replay = app.CreateTestClient();
        await ChoosePasswordAsync(replay, created.ResetCode, "new.person@example.com", "Stolen-Horse-12");
        Assert.Equal(HttpStatusCode.OK, (await replay.LoginAsync("new.person@example.com", "Stolen-Horse-12")).StatusCode);

        Assert.Equal(AdminOutcome.Invalid, (await AdminAsync(a => a.CreateUserAsync(adminId, "new.person@example.com"))).Outcome);
        Assert.Equal(AdminOutcome.Invalid, (await AdminAsync(a => a.CreateUserAsync(adminId, "not an email"))).Outcome);
    }

    [Fact]
    public async Task APasswordResetLink_KeepsTheOldPasswordUntilUsed_AndLastsADay()
    {
        var (_, adminId) = await AdministratorAsync();
        using var member = app.CreateTestClient();
        await member.RegisterAsync("forgetful@example.com");
        var memberId = await IdOfAsync("forgetful@example.com");

        var reset = await AdminAsync(a => a.PasswordResetLinkAsync(adminId, memberId));

        using var other = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await other.LoginAsync("forgetful@example.com")).StatusCode);
        await ChoosePasswordAsync(other, reset.ResetCode!, "forgetful@example.com", "Fresh-Horse-13");
        Assert.Equal(HttpStatusCode.Redirect, (await other.LoginAsync("forgetful@example.com", "Fresh-Horse-13")).StatusCode);
        // Identity's token provider reads the system clock, not the app's TimeProvider, so the day is checked as configured.
        Assert.Equal(TimeSpan.FromHours(24), app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DataProtectionTokenProviderOptions>>().Value.TokenLifespan);
    }

    [Fact]
    public async Task ADisabledAccount_IsSignedOutAndCannotSignIn_UntilEnabled()
    {
        var (_, adminId) = await AdministratorAsync();
        using var member = app.CreateTestClient();
        await member.RegisterAsync("disabled@example.com");
        var memberId = await IdOfAsync("disabled@example.com");
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/settings")).StatusCode);

        Assert.True((await AdminAsync(a => a.SetDisabledAsync(adminId, memberId, disabled: true))).Succeeded);

        // Their open session ends at the next security-stamp check.
        app.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Redirect, (await member.GetAsync("/settings")).StatusCode);
        using var again = app.CreateTestClient();
        var refused = await again.LoginAsync("disabled@example.com");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("This account is disabled", await TestClient.BodyAsync(refused), StringComparison.Ordinal);
        Assert.Contains(await ListAsync(), u => u.Id == memberId && u.Disabled);

        Assert.True((await AdminAsync(a => a.SetDisabledAsync(adminId, memberId, disabled: false))).Succeeded);
        Assert.Equal(HttpStatusCode.Redirect, (await again.LoginAsync("disabled@example.com")).StatusCode);
    }

    private async Task<IReadOnlyList<UserSummary>> ListAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AccountService>().ListUsersAsync();
    }

    [Fact]
    public async Task ResettingTwoFactor_LetsThemSignInWithTheirPassword()
    {
        var (_, adminId) = await AdministratorAsync();
        using var member = app.CreateTestClient();
        await member.RegisterAsync("lost-phone@example.com");
        var memberId = await IdOfAsync("lost-phone@example.com");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = (await users.FindByIdAsync(memberId))!;
            await users.ResetAuthenticatorKeyAsync(user);
            await users.SetTwoFactorEnabledAsync(user, true);
        }

        using var before = app.CreateTestClient();
        Assert.Contains("LoginWith2fa", (await before.LoginAsync("lost-phone@example.com")).Headers.Location!.ToString(), StringComparison.Ordinal);

        Assert.True((await AdminAsync(a => a.ResetTwoFactorAsync(adminId, memberId))).Succeeded);

        using var after = app.CreateTestClient();
        var signedIn = await after.LoginAsync("lost-phone@example.com");
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.DoesNotContain("LoginWith2fa", signedIn.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(AdminOutcome.Refused, (await AdminAsync(a => a.ResetTwoFactorAsync(adminId, memberId))).Outcome);
    }

    [Fact]
    public async Task TheLastAdministrator_CannotBeRemoved_AndNobodyDisablesOrDeletesThemself()
    {
        var (adminClient, adminId) = await AdministratorAsync();
        using var member = app.CreateTestClient();
        await member.RegisterAsync("member@example.com");
        var memberId = await IdOfAsync("member@example.com");

        Assert.Equal(AdminOutcome.Refused, (await AdminAsync(a => a.SetAdministratorAsync(adminId, adminId, administrator: false))).Outcome);
        Assert.Equal(AdminOutcome.Refused, (await AdminAsync(a => a.SetDisabledAsync(adminId, adminId, disabled: true))).Outcome);
        Assert.Equal(AdminOutcome.Refused, (await AdminAsync(a => a.DeleteAsync(adminId, adminId))).Outcome);
        Assert.Equal(AdminOutcome.NotFound, (await AdminAsync(a => a.DeleteAsync(adminId, "no-such-user"))).Outcome);

        // With a second administrator, the first may step down; the member's new role reaches their cookie.
        Assert.True((await AdminAsync(a => a.SetAdministratorAsync(adminId, memberId, administrator: true))).Succeeded);
        Assert.True((await AdminAsync(a => a.SetAdministratorAsync(memberId, adminId, administrator: false))).Succeeded);
        app.Time.Advance(TimeSpan.FromMinutes(2));
        await member.LoginAsync("member@example.com");
        Assert.Equal(HttpStatusCode.OK, (await member.GetAsync("/admin")).StatusCode);
        await adminClient.LoginAsync("admin@example.com");
        Assert.Equal(HttpStatusCode.NotFound, (await adminClient.GetAsync("/admin")).StatusCode);
        Assert.Equal(AdminOutcome.Refused, (await AdminAsync(a => a.DeleteAsync(adminId, memberId))).Outcome);
    }

    [Theory]
    [InlineData("/Account/RegisterConfirmation?email=admin@example.com")]
    [InlineData("/Account/ResendEmailConfirmation")]
    [InlineData("/Account/ConfirmEmail?userId=x&code=y")]
    [InlineData("/Account/ConfirmEmailChange?userId=x&email=y&code=z")]
    [InlineData("/Account/ExternalLogin")]
    [InlineData("/Account/Manage/ExternalLogins")]
    public async Task TemplatePagesForWhatLifeOsDoesNotShip_AreGone(string path)
    {
        // RegisterConfirmation told anyone whether an address has an account; the others need mail or external logins.
        var (client, _) = await AdministratorAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(path)).StatusCode);
    }

    [Fact]
    public async Task Deleting_RemovesTheAccountAndItsData()
    {
        var (_, adminId) = await AdministratorAsync();
        using var member = app.CreateTestClient();
        await member.RegisterAsync("leaving@example.com");
        var memberId = await IdOfAsync("leaving@example.com");
        await app.WithDbAsync(async db =>
        {
            db.Add(new LifeOs.Core.Journal.JournalEntry { Uid = Guid.NewGuid().ToString("N"), UserId = memberId, Kind = LifeOs.Core.Journal.JournalKind.Note, LocalDate = new DateOnly(2026, 11, 20), Body = "mine", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow });
            return await db.SaveChangesAsync();
        });

        Assert.True((await AdminAsync(a => a.DeleteAsync(adminId, memberId))).Succeeded);

        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync(u => u.Id == memberId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.JournalEntries.CountAsync()));
        Assert.Equal(HttpStatusCode.OK, (await member.LoginAsync("leaving@example.com")).StatusCode);
    }
}
