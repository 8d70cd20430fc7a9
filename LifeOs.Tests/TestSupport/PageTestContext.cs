using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using LifeOs.Core.Accounts;
using LifeOs.Core.Data;
using LifeOs.Web;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// bUnit over the app's own services: every registration of AddLifeOsWeb (MudBlazor, Identity, Core over a
/// real SQLite file migrated like the app's), except what bUnit provides itself (renderer, JS runtime,
/// navigation, authentication) and hosted services (no scheduler). Pages render with the popover, dialog
/// and snackbar providers beside them, as in MainLayout.
/// </summary>
public class PageTestContext : BunitContext, IAsyncLifetime
{
    private readonly string dataDirectory = TempDirectory.Create("lifeos-bunit");

    public PageTestContext(Dictionary<string, string?>? settings = null, FakeTimeProvider? time = null)
    {
        Time = time ?? new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));
        JSInterop.Mode = JSRuntimeMode.Loose;
        Auth = AddAuthorization();
        PersistentState = AddBunitPersistentComponentState();

        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["LifeOs:DataDirectory"] = dataDirectory,
                ["Sync:RunScheduler"] = "false",
                ["Sync:RetryDelayScale"] = "0",
                // As in LifeOsAppFactory: pages are tested with several accounts; the invite-only default is tested over HTTP.
                ["LifeOs:Registration"] = "Open",
            })
            .AddInMemoryCollection(settings ?? [])
            .Build();
        var environment = new TestEnvironment(dataDirectory);
        var app = new ServiceCollection();
        app.AddSingleton<IConfiguration>(configuration);
        app.AddSingleton<IHostEnvironment>(environment);
        app.AddSingleton<TimeProvider>(Time);
        app.AddLogging();
        app.AddLifeOsWeb(configuration, environment);

        var provided = Services.Select(d => d.ServiceType).ToHashSet();
        foreach (var descriptor in app)
        {
            if (!provided.Contains(descriptor.ServiceType) && descriptor.ServiceType != typeof(IHostedService))
            {
                Services.Add(descriptor);
            }
        }

        // bUnit's own services already hold TimeProvider.System, which the loop above keeps: the app's services
        // must see this test's clock (what "today" is, how old a staged upload is).
        Services.RemoveAll<TimeProvider>();
        Services.AddSingleton<TimeProvider>(Time);

        // As on a live circuit: pages and the layout render interactively. Last: it builds the renderer,
        // after which no service can be added.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public FakeTimeProvider Time { get; }

    public BunitAuthorizationContext Auth { get; }

    /// <summary>What a prerender would have handed over: values put here are what [PersistentState] properties start with.</summary>
    public BunitPersistentComponentState PersistentState { get; }

    /// <summary>The popover provider's own render: open menus and select lists appear here.</summary>
    public IRenderedComponent<MudPopoverProvider> Popovers { get; private set; } = default!;

    private bool providersRendered;

    /// <summary>The dialog provider's own render: confirmation dialogs appear here.</summary>
    public IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = default!;

    /// <summary>The snackbar provider's own render: result messages appear here.</summary>
    public IRenderedComponent<MudSnackbarProvider> Snackbars { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        Services.GetRequiredService<NavigationManager>().OnNotFound += (_, _) => NotFoundRaised = true;
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(Xunit.TestContext.Current.CancellationToken);
    }

    /// <summary>Creates an account the way registration does and signs this context in as it.</summary>
    public async Task<string> SignInAsNewUserAsync(string email, bool administrator = false)
    {
        var id = await CreateUserAsync(email);
        SignInAs(id, email, administrator);
        return id;
    }

    public async Task<string> CreateUserAsync(string email)
    {
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
        var user = accounts.NewUser(email);
        var result = await users.CreateAsync(user, TestClient.Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return user.Id;
    }

    public void SignInAs(string userId, string email, bool administrator = false)
    {
        Auth.SetAuthorized(email);
        if (administrator)
        {
            // Roles before claims: bUnit's SetRoles publishes a principal without the claims set earlier. Its
            // authorization double answers named policies by the names set here, not by their requirements (the
            // policy itself is tested against the real authorization service).
            Auth.SetRoles(Roles.Administrator);
            Auth.SetPolicies(LifeOs.Web.Authorization.Policies.Administrator);
        }

        Auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, email));
    }

    /// <summary>
    /// Renders a page with MudBlazor's providers beside it, as MainLayout does. The providers are rendered once
    /// and outlive the pages, like the layout's: a second page in a test is the next page the person opens.
    /// </summary>
    public IRenderedComponent<TPage> RenderPage<TPage>(Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : IComponent
    {
        if (!providersRendered)
        {
            Popovers = Render<MudPopoverProvider>();
            Dialogs = Render<MudDialogProvider>();
            Snackbars = Render<MudSnackbarProvider>();
            providersRendered = true;
        }

        return Render(parameters);
    }

    /// <summary>Runs <paramref name="action"/> against the app's services in a scope of its own, like a request.</summary>
    public async Task<T> WithAsync<TService, T>(Func<TService, Task<T>> action)
        where TService : notnull
    {
        await using var scope = Services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<T> WithDbAsync<T>(Func<LifeOsDbContext, Task<T>> action) => WithAsync(action);

    /// <summary>Set once the page under test called NavigationManager.NotFound() (someone else's or a missing record).</summary>
    public bool NotFoundRaised { get; protected set; }

    /// <summary>The messages the snackbar shows now.</summary>
    public IReadOnlyList<string> SnackbarMessages() =>
        Snackbars.FindAll(".mud-snackbar-content-message").Select(e => e.TextContent.Trim()).ToList();

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        TempDirectory.Delete(dataDirectory);
        GC.SuppressFinalize(this);
    }

    private sealed class TestEnvironment(string root) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = Environments.Development;

        public string ApplicationName { get; set; } = "LifeOs.Web";

        public string ContentRootPath { get; set; } = root;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
