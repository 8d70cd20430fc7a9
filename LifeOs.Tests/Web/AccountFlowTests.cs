using System.Net;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

public sealed class AccountFlowTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:Lockout:MaxFailedAttempts"] = "3" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task Register_Login_Shell_Logout_RedirectsToLogin()
    {
        using var client = app.CreateTestClient();

        var registered = await client.RegisterAsync("ada@example.com");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);

        var (shell, page) = await client.GetPageAsync("/");
        Assert.Equal(HttpStatusCode.OK, shell.StatusCode);
        Assert.Equal("ada@example.com", page.QuerySelector("[data-testid=user-name]")?.TextContent.Trim());
        Assert.NotNull(page.QuerySelector("nav.side-nav a[href='settings']"));

        var loggedOut = await client.LogoutAsync();
        Assert.Equal(HttpStatusCode.Redirect, loggedOut.StatusCode);
        var afterLogout = await client.GetAsync("/settings");
        Assert.Equal(HttpStatusCode.Redirect, afterLogout.StatusCode);
        Assert.StartsWith("/Account/Login", afterLogout.Headers.Location!.PathAndQuery, StringComparison.Ordinal);

        var loggedIn = await client.LoginAsync("ada@example.com");
        Assert.Equal(HttpStatusCode.Redirect, loggedIn.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/settings")).StatusCode);
        var lastSignIn = await app.WithDbAsync(db => db.Users.Select(u => u.LastSignInAt).SingleAsync());
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, lastSignIn);
    }

    [Fact]
    public async Task AnonymousVisitor_IsSentToLogIn()
    {
        using var client = app.CreateTestClient();
        var response = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsMessage()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("bob@example.com");
        await client.LogoutAsync();

        var response = await client.LoginAsync("bob@example.com", "Wrong-Password-1");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("That email and password do not match an account.", await TestClient.BodyAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_RepeatedFailures_LocksTheAccountWithAClearMessage()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("eve@example.com");
        await client.LogoutAsync();

        for (var attempt = 0; attempt < 2; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync("eve@example.com", "Wrong-Password-1")).StatusCode);
        }

        var third = await client.LoginAsync("eve@example.com", "Wrong-Password-1");
        Assert.Equal(HttpStatusCode.Redirect, third.StatusCode);
        Assert.Equal("/Account/Lockout", third.Headers.Location!.OriginalString.Split('?')[0].Replace("http://localhost", "", StringComparison.Ordinal));

        // Even the right password is refused while locked.
        var right = await client.LoginAsync("eve@example.com");
        Assert.Equal("/Account/Lockout", right.Headers.Location!.OriginalString.Split('?')[0].Replace("http://localhost", "", StringComparison.Ordinal));
        var lockoutPage = await TestClient.BodyAsync(await client.GetAsync("/Account/Lockout"));
        Assert.Contains("Too many failed sign-in attempts", lockoutPage, StringComparison.Ordinal);
        Assert.Contains("15 minutes", lockoutPage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FormPost_WithoutAntiforgeryToken_Is400()
    {
        using var client = app.CreateTestClient();
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "register",
            ["Input.Email"] = "mallory@example.com",
            ["Input.Password"] = TestClient.Password,
            ["Input.ConfirmPassword"] = TestClient.Password,
        });
        var response = await client.Http.PostAsync("/Account/Register", content, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task FirstAccount_BecomesAdministrator_OthersDoNot_AndMembersGetNotFoundOnAdmin()
    {
        using var admin = app.CreateTestClient();
        await admin.RegisterAsync("first@example.com");
        using var member = app.CreateTestClient();
        await member.RegisterAsync("second@example.com");

        var (adminResponse, adminPage) = await admin.GetPageAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);
        var rows = adminPage.QuerySelectorAll("[data-testid=users-table] tbody tr");
        Assert.Equal(2, rows.Length);
        Assert.Contains("Administrator", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("Member", rows[1].TextContent, StringComparison.Ordinal);

        var memberResponse = await member.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.NotFound, memberResponse.StatusCode);
        Assert.DoesNotContain("users-table", await TestClient.BodyAsync(memberResponse), StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"admin\"", await TestClient.BodyAsync(await member.GetAsync("/")), StringComparison.Ordinal);

        // A member cannot flip registration by posting the admin form either.
        await member.PostFormAsync("/settings", "registration", new Dictionary<string, string> { ["Mode"] = "Closed" }, postUrl: "/admin");
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(RegistrationMode.Open, await scope.ServiceProvider.GetRequiredService<AccountService>().GetRegistrationModeAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task ClosedRegistration_RefusesNewAccounts_ButTheFirstAccountIsAlwaysAllowed()
    {
        await using var closed = new LifeOsAppFactory(new() { ["LifeOs:Registration"] = "Closed" });
        using var first = closed.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await first.RegisterAsync("owner@example.com")).StatusCode);

        using var stranger = closed.CreateTestClient();
        var (page, document) = await stranger.GetPageAsync("/Account/Register");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("not accepting new accounts", document.QuerySelector("[data-testid=registration-closed]")?.TextContent, StringComparison.Ordinal);

        // A hand-made post (token from the login page) creates nothing either.
        var forged = await stranger.PostFormAsync("/Account/Login", "register", new Dictionary<string, string>
        {
            ["Input.Email"] = "stranger@example.com",
            ["Input.Password"] = TestClient.Password,
            ["Input.ConfirmPassword"] = TestClient.Password,
        }, postUrl: "/Account/Register");
        Assert.NotEqual(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Equal(1, await closed.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Administrator_ClosesRegistration_FromAdminPage()
    {
        using var admin = app.CreateTestClient();
        await admin.RegisterAsync("root@example.com");

        var response = await admin.PostFormAsync("/admin", "registration", new Dictionary<string, string> { ["Mode"] = "Closed" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (_, page) = await admin.GetPageAsync("/admin");
        Assert.Equal("closed", page.QuerySelector("[data-testid=registration-mode]")?.TextContent);

        using var stranger = app.CreateTestClient();
        Assert.Contains("not accepting new accounts", await TestClient.BodyAsync(await stranger.GetAsync("/Account/Register")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPage_ShowsNotFoundPage()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("lost@example.com");
        var response = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("data-testid=\"not-found\"", await TestClient.BodyAsync(response), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnableAuthenticator_ShowsAQrCodeRenderedOnTheServer()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("totp@example.com");
        var (response, page) = await client.GetPageAsync("/Account/Manage/EnableAuthenticator");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var qr = page.QuerySelector("[data-testid=authenticator-qr] svg");
        Assert.NotNull(qr);
        Assert.NotEmpty(qr.QuerySelectorAll("path, rect"));
        Assert.DoesNotContain("qrcode.js", page.Source.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DeleteAccount_RemovesTheUser()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("gone@example.com");
        var response = await client.PostFormAsync("/Account/Manage/DeletePersonalData", "delete-user", new Dictionary<string, string> { ["Input.Password"] = TestClient.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync()));
    }
}
