using System.Net;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;
using LifeOs.Core.Connections;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>The audit log, filled by what people actually do through the app, and read back where they look.</summary>
public sealed class AuditLogTests : IAsyncLifetime
{
    private const string Firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";

    private readonly LifeOsAppFactory app = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private Task<string> IdOfAsync(string email) => app.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());

    private Task<List<AuditEvent>> EventsAsync() => app.WithDbAsync(db => db.AuditEvents.AsNoTracking().OrderBy(e => e.Id).ToListAsync());

    private async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private TestClient Browser()
    {
        var client = app.CreateTestClient();
        client.Http.DefaultRequestHeaders.UserAgent.ParseAdd(Firefox);
        return client;
    }

    [Fact]
    public async Task SignIns_SucceededAndFailed_AreRecordedWithAddressAndBrowser_AndShownOnlyToTheirOwner()
    {
        using var ada = Browser();
        await ada.RegisterAsync("ada@example.com");
        using var bo = Browser();
        await bo.RegisterAsync("bo@example.com");
        await ada.LogoutAsync();

        Assert.Equal(HttpStatusCode.OK, (await ada.LoginAsync("ada@example.com", "Wrong-Horse-1")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await ada.LoginAsync("ada@example.com")).StatusCode);
        await Browser().LoginAsync("nobody@example.com");

        var adaId = await IdOfAsync("ada@example.com");
        var events = await EventsAsync();
        var failed = Assert.Single(events, e => e.Kind == AuditKind.SignInFailed && e.UserId == adaId);
        Assert.Equal("Wrong password", failed.Detail);
        Assert.Equal(PeerAddressStartupFilter.DefaultPeer.ToString(), failed.IpAddress);
        Assert.Equal(Firefox, failed.UserAgent);
        Assert.Single(events, e => e.Kind == AuditKind.SignedIn && e.UserId == adaId && e.Detail == "With password");
        Assert.Single(events, e => e.Kind == AuditKind.SignInFailed && e.UserId is null && e.Detail == "No account with this email");
        // Nothing secret is kept: not the password tried, not the email tried.
        Assert.DoesNotContain(events, e => (e.Detail ?? "").Contains("Wrong-Horse", StringComparison.Ordinal) || (e.Detail ?? "").Contains("nobody@", StringComparison.Ordinal));

        var (_, mine) = await ada.GetPageAsync("/Account/Manage/Activity");
        var kinds = mine.QuerySelectorAll("[data-testid=activity]").Select(li => li.GetAttribute("data-kind")).ToList();
        Assert.Equal([nameof(AuditKind.SignedIn), nameof(AuditKind.SignInFailed)], kinds);
        Assert.Contains("Firefox on Linux · 198.51.100.7", mine.QuerySelector("[data-testid=activity]")!.TextContent, StringComparison.Ordinal);

        var (_, theirs) = await bo.GetPageAsync("/Account/Manage/Activity");
        Assert.Empty(theirs.QuerySelectorAll("[data-testid=activity]"));
        Assert.NotNull(theirs.QuerySelector("[data-testid=activity-empty]"));
    }

    [Fact]
    public async Task RepeatedFailures_RecordTheLockout()
    {
        using var ada = Browser();
        await ada.RegisterAsync("ada@example.com");
        await ada.LogoutAsync();
        for (var i = 0; i < 5; i++)
        {
            await ada.LoginAsync("ada@example.com", $"Wrong-Horse-{i}");
        }

        await ada.LoginAsync("ada@example.com");

        var events = (await EventsAsync()).Where(e => e.UserId is not null).ToList();
        Assert.Equal(4, events.Count(e => e.Kind == AuditKind.SignInFailed && e.Detail == "Wrong password"));
        Assert.Single(events, e => e.Kind == AuditKind.LockedOut);
        // The right password during the lockout is still refused, and says why.
        Assert.Equal("The account was locked after failed attempts", events.Last().Detail);
        Assert.DoesNotContain(events, e => e.Kind == AuditKind.SignedIn);
    }

    [Fact]
    public async Task PasswordAndTwoFactorChanges_AndTwoFactorSignIns_AreRecorded()
    {
        using var client = Browser();
        await client.RegisterAsync("guarded@example.com");
        var changed = await client.PostFormAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = TestClient.Password,
            ["Input.NewPassword"] = "Newer-Horse-22",
            ["Input.ConfirmPassword"] = "Newer-Horse-22",
        });
        Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);

        var (_, setup) = await client.GetPageAsync("/Account/Manage/EnableAuthenticator");
        var key = setup.QuerySelector("[data-testid=shared-key]")!.TextContent;
        await client.PostFormAsync("/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });

        await client.LogoutAsync();
        var twoFactorUrl = (await client.LoginAsync("guarded@example.com", "Newer-Horse-22")).Headers.Location!.OriginalString;
        await client.PostFormAsync(twoFactorUrl, "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = "000000" });
        var signedIn = await client.PostFormAsync(twoFactorUrl, "login-with-2fa", new Dictionary<string, string> { ["Input.TwoFactorCode"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var id = await IdOfAsync("guarded@example.com");
        var kinds = (await EventsAsync()).Where(e => e.UserId == id).Select(e => (e.Kind, e.Detail)).ToList();
        Assert.Equal(
            [
                (AuditKind.PasswordChanged, null),
                (AuditKind.TwoFactorEnabled, null),
                (AuditKind.RecoveryCodesGenerated, null),
                (AuditKind.SignInFailed, "Wrong authenticator code"),
                (AuditKind.SignedIn, "With password and authenticator app"),
            ],
            kinds);
    }

    [Fact]
    public async Task AdminActions_AreRecordedOnce_AsTheAdministrators_AndThePersonSeesThem()
    {
        using var admin = Browser();
        await admin.RegisterAsync("admin@example.com");
        var adminId = await IdOfAsync("admin@example.com");
        var created = await WithAsync<AdminResult, AdministrationService>(a => a.CreateUserAsync(adminId, "new.person@example.com"));
        var personId = await IdOfAsync("new.person@example.com");
        using var person = Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await person.PostFormAsync($"/Account/ResetPassword?code={created.ResetCode}", "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = "new.person@example.com",
            ["Input.Password"] = "Chosen-Horse-11",
            ["Input.ConfirmPassword"] = "Chosen-Horse-11",
        })).StatusCode);
        await WithAsync<AdminResult, AdministrationService>(a => a.PasswordResetLinkAsync(adminId, personId));
        await WithAsync<AdminResult, AdministrationService>(a => a.SetDisabledAsync(adminId, personId, true));
        await WithAsync<AdminResult, AdministrationService>(a => a.SetDisabledAsync(adminId, personId, false));
        await WithAsync<AdminResult, AdministrationService>(a => a.SetAdministratorAsync(adminId, personId, true));
        // Refused actions are not recorded as done.
        Assert.False((await WithAsync<AdminResult, AdministrationService>(a => a.SetDisabledAsync(adminId, adminId, true))).Succeeded);

        var actions = await WithAsync<IReadOnlyList<AdminAuditEntry>, AuditLog>(a => a.AdminActionsAsync());
        Assert.Equal(
            [AuditKind.AdminPromotedUser, AuditKind.AdminEnabledUser, AuditKind.AdminDisabledUser, AuditKind.AdminCreatedPasswordLink, AuditKind.AdminCreatedUser],
            actions.Select(a => a.Kind));
        Assert.All(actions, a => Assert.Equal("admin@example.com", a.ActorEmail));
        Assert.All(actions, a => Assert.Equal("new.person@example.com", a.Detail));

        // The person's own page lists what was done to their account, and their own password reset through the link.
        var theirs = await WithAsync<IReadOnlyList<AuditEntry>, AuditLog>(a => a.ForUserAsync(personId));
        Assert.Contains(theirs, e => e.Kind == AuditKind.PasswordReset && !e.ByAnotherPerson);
        Assert.Contains(theirs, e => e.Kind == AuditKind.AdminDisabledUser && e.ByAnotherPerson);

        // Deleting them is recorded; their own events go with the account, the administrators' records stay.
        await WithAsync<AdminResult, AdministrationService>(a => a.DeleteAsync(adminId, personId));
        Assert.DoesNotContain(await EventsAsync(), e => e.UserId == personId && !e.Kind.IsAdminAction());
        var after = await WithAsync<IReadOnlyList<AdminAuditEntry>, AuditLog>(a => a.AdminActionsAsync());
        Assert.Equal(AuditKind.AdminDeletedUser, after[0].Kind);
        Assert.Equal(6, after.Count);
    }

    [Fact]
    public async Task AnAdministratorResettingTwoFactor_IsOneAdminEvent_NotAlsoThePersonTurningItOff()
    {
        using var admin = Browser();
        await admin.RegisterAsync("admin@example.com");
        using var person = Browser();
        await person.RegisterAsync("person@example.com");
        var (_, setup) = await person.GetPageAsync("/Account/Manage/EnableAuthenticator");
        var key = setup.QuerySelector("[data-testid=shared-key]")!.TextContent;
        await person.PostFormAsync("/Account/Manage/EnableAuthenticator", "send-code", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        var (adminId, personId) = (await IdOfAsync("admin@example.com"), await IdOfAsync("person@example.com"));

        Assert.True((await WithAsync<AdminResult, AdministrationService>(a => a.ResetTwoFactorAsync(adminId, personId))).Succeeded);

        var theirs = (await EventsAsync()).Where(e => e.UserId == personId).Select(e => e.Kind).ToList();
        Assert.Equal([AuditKind.TwoFactorEnabled, AuditKind.RecoveryCodesGenerated, AuditKind.AdminResetTwoFactor], theirs);
    }

    [Fact]
    public async Task DeletingYourOwnAccount_LeavesOnlyAnAnonymousRecord()
    {
        using var client = Browser();
        await client.RegisterAsync("admin@example.com");
        using var leaver = Browser();
        await leaver.RegisterAsync("leaver@example.com");
        await leaver.LogoutAsync();
        await leaver.LoginAsync("leaver@example.com");
        var leaverId = await IdOfAsync("leaver@example.com");
        Assert.Contains(await EventsAsync(), e => e.UserId == leaverId);

        var deleted = await leaver.PostFormAsync("/Account/Manage/DeletePersonalData", "delete-user", new Dictionary<string, string> { ["Input.Password"] = TestClient.Password });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);

        var events = await EventsAsync();
        Assert.DoesNotContain(events, e => e.UserId == leaverId || e.ActorUserId == leaverId);
        var record = Assert.Single(events, e => e.Kind == AuditKind.AccountDeleted);
        Assert.Null(record.Detail);
    }

    [Fact]
    public async Task DownloadingYourData_IsRecorded()
    {
        using var client = Browser();
        await client.RegisterAsync("ada@example.com");
        var token = await client.AntiforgeryTokenAsync("/Account/Manage/PersonalData");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        var response = await client.Http.PostAsync("/Account/Manage/DownloadPersonalData", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var exported = Assert.Single(await EventsAsync(), e => e.Kind == AuditKind.DataExported);
        Assert.Equal(await IdOfAsync("ada@example.com"), exported.UserId);
        Assert.Equal(Firefox, exported.UserAgent);
    }

    [Fact]
    public async Task EventsPastTheRetention_ArePruned()
    {
        await using var shortLived = new LifeOsAppFactory(new Dictionary<string, string?> { ["LifeOs:Audit:RetentionDays"] = "30" });
        using var client = shortLived.CreateTestClient();
        await client.RegisterAsync("ada@example.com");
        await client.LogoutAsync();
        await client.LoginAsync("ada@example.com");
        shortLived.Time.Advance(TimeSpan.FromDays(20));
        using var later = shortLived.CreateTestClient();
        await later.LoginAsync("ada@example.com", "Wrong-Horse-1");
        shortLived.Time.Advance(TimeSpan.FromDays(15));

        await using var scope = shortLived.Services.CreateAsyncScope();
        Assert.Equal(1, await scope.ServiceProvider.GetRequiredService<AuditLog>().PruneAsync(TestContext.Current.CancellationToken));
        var left = await shortLived.WithDbAsync(db => db.AuditEvents.Select(e => e.Kind).ToListAsync());
        Assert.Equal([AuditKind.SignInFailed], left);
    }

    [Fact]
    public void ARetentionOutOfRange_StopsStartUp_WithTheSettingNamed()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["LifeOs:Audit:RetentionDays"] = "0" })
            .Build();
        var failure = Assert.Throws<LifeOs.Core.Data.StartupException>(() => { new ServiceCollection().AddLifeOsCore(configuration, Path.GetTempPath()); });
        Assert.Equal("LifeOs:Audit:RetentionDays (env LifeOs__Audit__RetentionDays) is 0; keep the audit log between 1 and 3650 days.", failure.Message);
    }

    [Fact]
    public async Task ConnectingAndDisconnectingAProvider_AreRecorded()
    {
        await using var harness = await ConnectionsHarness.StartAsync();
        using var owner = await harness.SignedInAsync("owner@example.com");
        await harness.ConnectAsync(owner, "oura");
        var ownerId = await harness.App.WithDbAsync(db => db.Users.Where(u => u.Email == "owner@example.com").Select(u => u.Id).SingleAsync());
        await harness.WithServiceAsync<ConnectionOutcome, ConnectionService>(c => c.DisconnectAsync(ownerId, ProviderKind.Oura, deleteData: true));

        var events = await harness.App.WithDbAsync(db => db.AuditEvents.Where(e => e.UserId == ownerId && e.Kind != AuditKind.SignedIn).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal([(AuditKind.ProviderConnected, "Oura"), (AuditKind.ProviderDisconnected, "Oura, and deleted the data synced from it")],
            events.Select(e => (e.Kind, e.Detail)));
    }
}
