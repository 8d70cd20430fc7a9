using System.Net;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

public sealed class AccountFlowTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:Lockout:MaxFailedAttempts"] = "3", ["LifeOs:DefaultTimeZone"] = "Europe/Lisbon" });

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task Register_Login_Shell_Logout_RedirectsToLogin()
    {
        using var client = app.CreateTestClient();

        var registered = await client.RegisterAsync("ada@example.com");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);

        // The app's pages are interactive; what they prerender already has the shell: the user menu and the navigation.
        var (shell, page) = await client.GetPageAsync("/settings");
        Assert.Equal(HttpStatusCode.OK, shell.StatusCode);
        var userMenu = page.QuerySelector("[data-testid=user-menu]");
        Assert.NotNull(userMenu);
        Assert.Contains("ada@example.com", userMenu.OuterHtml, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("#app-drawer a[href='settings']"));
        Assert.NotNull(page.QuerySelector("#app-drawer a[href='Account/Manage']"));

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
    public async Task AccountPages_LetTheDevicePickDarkOrLight_UntilItsPreferenceIsKnown()
    {
        using var client = app.CreateTestClient();
        const string DarkRule = "@media (prefers-color-scheme: dark)";
        var firstVisit = await TestClient.BodyAsync(await client.GetAsync("/Account/Login"));
        Assert.Contains(DarkRule, firstVisit, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-background: rgba(14,17,26,1)", firstVisit[firstVisit.IndexOf(DarkRule, StringComparison.Ordinal)..], StringComparison.Ordinal);

        // Once js/color-scheme.js has said what the device prefers, the server paints that and nothing else.
        using var plain = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        request.Headers.Add("Cookie", "lifeos-scheme=dark");
        var known = await TestClient.BodyAsync(await plain.SendAsync(request, TestContext.Current.CancellationToken));
        Assert.DoesNotContain(DarkRule, known, StringComparison.Ordinal);
        Assert.Contains("--mud-palette-background: rgba(14,17,26,1)", known, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RegisterPage_OffersEveryTimeZone_ForTheBrowserToPropose()
    {
        using var client = app.CreateTestClient();
        var (response, page) = await client.GetPageAsync("/Account/Register");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var field = page.QuerySelector("input[name='Input.TimeZone']");
        Assert.NotNull(field);
        Assert.Equal("time-zones", field.GetAttribute("list"));
        Assert.NotNull(field.GetAttribute("data-propose-time-zone"));
        Assert.Equal("", field.GetAttribute("value") ?? "");
        Assert.Equal(TimeZones.Ids, page.QuerySelectorAll("datalist#time-zones option").Select(o => o.GetAttribute("value")!));
        Assert.Contains(page.QuerySelectorAll("script[type=module]"), s => s.GetAttribute("src")!.Contains("time-zone-proposal", StringComparison.Ordinal));
        Assert.Equal("Time zone", page.QuerySelector("label[for='Input.TimeZone']")?.TextContent);
    }

    [Fact]
    public async Task Register_StoresTheTimeZoneSent_OrTheConfiguredDefaultWhenNoneIs()
    {
        using var tokyo = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await tokyo.RegisterAsync("tokyo@example.com", timeZone: "Asia/Tokyo")).StatusCode);
        using var blank = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await blank.RegisterAsync("blank@example.com", timeZone: "  ")).StatusCode);
        using var none = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await none.RegisterAsync("none@example.com")).StatusCode);

        var zones = await app.WithDbAsync(db => db.Users.ToDictionaryAsync(u => u.Email!, u => u.TimeZoneId));
        Assert.Equal("Asia/Tokyo", zones["tokyo@example.com"]);
        Assert.Equal("Europe/Lisbon", zones["blank@example.com"]);
        Assert.Equal("Europe/Lisbon", zones["none@example.com"]);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("Europe/Paris; DROP TABLE AspNetUsers")]
    public async Task Register_WithAnUnknownTimeZone_SaysSoBesideTheField_KeepsTheRest_AndCreatesNoAccount(string zone)
    {
        using var client = app.CreateTestClient();
        var response = await client.RegisterAsync("zone@example.com", timeZone: zone);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(response));
        var field = page.QuerySelector("input[name='Input.TimeZone']")!;
        Assert.Equal(zone, field.GetAttribute("value"));
        var error = page.GetElementById(field.GetAttribute("aria-describedby")!)!;
        Assert.Contains("is not a time zone LifeOs knows", error.TextContent, StringComparison.Ordinal);
        Assert.Equal("zone@example.com", page.QuerySelector("input[name='Input.Email']")?.GetAttribute("value"));
        Assert.Single(page.QuerySelectorAll("[data-testid=field-error]"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Register_WithIdentityErrors_ShowsEachBesideItsField_AndNeverEchoesThePassword()
    {
        using var first = app.CreateTestClient();
        await first.RegisterAsync("taken@example.com");
        using var client = app.CreateTestClient();

        var weak = await client.RegisterAsync("new@example.com", "alllowercase1");
        Assert.Equal(HttpStatusCode.OK, weak.StatusCode);
        var weakHtml = await TestClient.BodyAsync(weak);
        Assert.Contains("uppercase", HelpOf(weakHtml, "Input.Password"), StringComparison.Ordinal);
        Assert.DoesNotContain("alllowercase1", weakHtml, StringComparison.Ordinal);

        var taken = await client.RegisterAsync("taken@example.com");
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        var takenHtml = await TestClient.BodyAsync(taken);
        Assert.Contains("is already taken", HelpOf(takenHtml, "Input.Email"), StringComparison.Ordinal);
        Assert.DoesNotContain(TestClient.Password, takenHtml, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Users.CountAsync()));
    }

    /// <summary>The helper or error text under a field, found the way a screen reader finds it.</summary>
    private static string HelpOf(string html, string name)
    {
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html);
        var describedBy = page.QuerySelector($"input[name='{name}']")?.GetAttribute("aria-describedby");
        return describedBy is null ? "" : page.GetElementById(describedBy)?.TextContent ?? "";
    }

    [Fact]
    public async Task TwoFactor_SetUp_ThenSignInWithTheAppsCode_OrARecoveryCode()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("guarded@example.com");

        var (_, setup) = await client.GetPageAsync("/Account/Manage/EnableAuthenticator");
        var key = setup.QuerySelector("[data-testid=shared-key]")!.TextContent;
        var wrong = await client.PostFormAsync("/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = "000000" });
        Assert.Contains("That code is not right", await TestClient.BodyAsync(wrong), StringComparison.Ordinal);

        var enabled = await client.PostFormAsync("/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        var codesPage = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(enabled));
        var recoveryCodes = codesPage.QuerySelectorAll("[data-testid=recovery-codes] .recovery-code").Select(c => c.TextContent).ToList();
        Assert.Equal(10, recoveryCodes.Count);
        Assert.True(await app.WithDbAsync(db => db.Users.Select(u => u.TwoFactorEnabled).SingleAsync()));
        var (_, status) = await client.GetPageAsync("/Account/Manage/TwoFactorAuthentication");
        Assert.Equal("On", status.QuerySelector("[data-testid=two-factor-status]")?.TextContent.Trim());
        Assert.Equal("10 left", status.QuerySelector("[data-testid=recovery-codes-left]")?.TextContent);

        // The password alone now leads to the code page, which is usable (its field is the page's width, not 30 px).
        await client.LogoutAsync();
        var password = await client.LoginAsync("guarded@example.com");
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        var twoFactorUrl = password.Headers.Location!.OriginalString;
        Assert.Contains("Account/LoginWith2fa", twoFactorUrl, StringComparison.Ordinal);
        var (_, codePage) = await client.GetPageAsync(twoFactorUrl);
        Assert.NotNull(codePage.QuerySelector("[data-testid=login-2fa] .account-field input[name='Input.TwoFactorCode'][inputmode=numeric][autocomplete=one-time-code]"));
        Assert.Equal("Two-factor sign-in", codePage.QuerySelector("h1")?.TextContent);

        var badCode = await client.PostFormAsync(twoFactorUrl, "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = "000000" });
        Assert.Equal(HttpStatusCode.OK, badCode.StatusCode);
        Assert.Contains("That code is not right", await TestClient.BodyAsync(badCode), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/settings")).StatusCode);

        // The recovery page, reached from the code page's link.
        var recoveryHref = codePage.QuerySelector("[data-testid=use-recovery-code]")!.GetAttribute("href")!;
        var badRecovery = await client.PostFormAsync("/" + recoveryHref, "login-with-recovery-code", new Dictionary<string, string> { ["Input.RecoveryCode"] = "AAAAA-BBBBB" });
        Assert.Contains("That recovery code is not right", await TestClient.BodyAsync(badRecovery), StringComparison.Ordinal);
        var recovered = await client.PostFormAsync("/" + recoveryHref, "login-with-recovery-code", new Dictionary<string, string> { ["Input.RecoveryCode"] = recoveryCodes[0] });
        Assert.Equal(HttpStatusCode.Redirect, recovered.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/settings")).StatusCode);
        var (_, left) = await client.GetPageAsync("/Account/Manage/TwoFactorAuthentication");
        Assert.Equal("9 left", left.QuerySelector("[data-testid=recovery-codes-left]")?.TextContent);
    }

    [Fact]
    public async Task ChangeEmail_WithoutAMailServer_ChangesItAtOnce_AndTheNewAddressLogsIn()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("old@example.com");
        using var other = app.CreateTestClient();
        await other.RegisterAsync("someone@example.com");

        var taken = await client.PostFormAsync("/Account/Manage/Email", "change-email", new Dictionary<string, string> { ["Input.NewEmail"] = "someone@example.com" });
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.Contains("is already taken", await TestClient.BodyAsync(taken), StringComparison.Ordinal);

        var changed = await client.PostFormAsync("/Account/Manage/Email", "change-email", new Dictionary<string, string> { ["Input.NewEmail"] = "new@example.com" });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        var (_, page) = await client.GetPageAsync("/Account/Manage/Email");
        Assert.Contains("Your email is now new@example.com", page.QuerySelector("[data-testid=status-message]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("new@example.com", page.QuerySelector("input#email")?.GetAttribute("value"));

        await client.LogoutAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.LoginAsync("old@example.com")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("new@example.com")).StatusCode);
    }

    [Fact]
    public async Task ChangePassword_WrongCurrentPassword_SaysSoBesideIt()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("pat@example.com");
        var response = await client.PostFormAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = "Wrong-Password-1",
            ["Input.NewPassword"] = "Another-Horse-9",
            ["Input.ConfirmPassword"] = "Another-Horse-9",
        });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(response));
        var old = page.QuerySelector("input[name='Input.OldPassword']")!;
        Assert.Contains("Incorrect password", page.GetElementById(old.GetAttribute("aria-describedby")!)!.TextContent, StringComparison.Ordinal);
        Assert.Null(old.GetAttribute("value"));
    }

    [Theory]
    [InlineData("/Account/Manage")]
    [InlineData("/Account/Manage/Email")]
    [InlineData("/Account/Manage/ChangePassword")]
    [InlineData("/Account/Manage/TwoFactorAuthentication")]
    [InlineData("/Account/Manage/EnableAuthenticator")]
    [InlineData("/Account/Manage/PersonalData")]
    [InlineData("/Account/Manage/DeletePersonalData")]
    public async Task ManagePages_ShowTheSectionMenu_WithTheirSectionMarked(string url)
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("menu@example.com");
        var (response, page) = await client.GetPageAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var current = Assert.Single(page.QuerySelectorAll("[data-testid=manage-nav] a[aria-current=page]"));
        var expected = url switch
        {
            "/Account/Manage" => "Profile",
            "/Account/Manage/Email" => "Email",
            "/Account/Manage/ChangePassword" => "Password",
            "/Account/Manage/PersonalData" or "/Account/Manage/DeletePersonalData" => "Your data",
            _ => "Two-factor authentication",
        };
        Assert.Equal(expected, current.TextContent.Trim());
        Assert.Equal(6, page.QuerySelectorAll("[data-testid=manage-nav] a").Length);
        Assert.Equal("./", page.QuerySelector("a[data-testid=back-to-app]")?.GetAttribute("href"));
        Assert.Single(page.QuerySelectorAll("h1"));
    }

    [Fact]
    public async Task ManagePages_RequireSignIn()
    {
        using var client = app.CreateTestClient();
        var response = await client.GetAsync("/Account/Manage/TwoFactorAuthentication");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
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

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            Assert.True(await users.IsInRoleAsync((await users.FindByEmailAsync("first@example.com"))!, Roles.Administrator));
            Assert.False(await users.IsInRoleAsync((await users.FindByEmailAsync("second@example.com"))!, Roles.Administrator));
        }

        // The page itself (people, registration switch) is tested with bUnit in Components/Admin/AdminPageTests.
        var (adminResponse, adminPage) = await admin.GetPageAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, adminResponse.StatusCode);
        Assert.Equal(2, adminPage.QuerySelectorAll("[data-testid=users-table] tbody tr").Length);
        Assert.Contains("href=\"admin\"", await TestClient.BodyAsync(await admin.GetAsync("/")), StringComparison.Ordinal);

        // Members do not learn that the page exists: "not found", not "access denied", and no link to it.
        var memberResponse = await member.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.NotFound, memberResponse.StatusCode);
        var body = await TestClient.BodyAsync(memberResponse);
        Assert.Contains("data-testid=\"not-found\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain("users-table", body, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"admin\"", await TestClient.BodyAsync(await member.GetAsync("/")), StringComparison.Ordinal);

        // Nor can a member post to it.
        var post = await member.PostFormAsync("/settings", "registration", new Dictionary<string, string> { ["Mode"] = "Closed" }, postUrl: "/admin");
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        await using var check = app.Services.CreateAsyncScope();
        Assert.Equal(RegistrationMode.Open, await check.ServiceProvider.GetRequiredService<AccountService>().GetRegistrationModeAsync(TestContext.Current.CancellationToken));

        // A visitor who is not signed in is sent to sign in, as everywhere else.
        using var visitor = app.CreateTestClient();
        var anonymous = await visitor.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.StartsWith("/Account/Login", anonymous.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
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
        Assert.Contains("invite-only. Ask its administrator for an invitation link", document.QuerySelector("[data-testid=registration-closed]")?.TextContent, StringComparison.Ordinal);

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
    public async Task UnknownPage_ShowsNotFoundPage()
    {
        using var client = app.CreateTestClient();
        await client.RegisterAsync("lost@example.com");
        var response = await client.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(response));
        Assert.Contains("not yours to see", page.QuerySelector("[data-testid=not-found]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("./", page.QuerySelector("a[data-testid=not-found-home]")?.GetAttribute("href"));
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
