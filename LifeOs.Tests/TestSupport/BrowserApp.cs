using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace LifeOs.Tests.TestSupport;

/// <summary>
/// The app on real Kestrel (loopback, random port) plus Debian's Chromium driven by Playwright.
/// Playwright's own browser download is impossible here; .ci/run installs the chromium package.
/// </summary>
public sealed class BrowserApp : IAsyncDisposable
{
    private readonly Dictionary<string, string?>? settings;
    private readonly string dataDirectory;

    private BrowserApp(LifeOsAppFactory factory, IPlaywright playwright, IBrowser browser, string baseUrl, Dictionary<string, string?>? settings, string dataDirectory)
    {
        Factory = factory;
        Playwright = playwright;
        Browser = browser;
        BaseUrl = baseUrl;
        this.settings = settings;
        this.dataDirectory = dataDirectory;
    }

    public LifeOsAppFactory Factory { get; private set; }

    public IPlaywright Playwright { get; }

    public IBrowser Browser { get; }

    /// <summary>http://localhost:port (not 127.0.0.1: browsers treat localhost as a secure context).</summary>
    public string BaseUrl { get; }

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot.Path, "artifacts", "screenshots");

    public static string ChromiumPath =>
        Environment.GetEnvironmentVariable("LIFEOS_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";

    public static async Task<BrowserApp> StartAsync(Dictionary<string, string?>? settings = null)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"Chromium not found at {ChromiumPath}. Install Debian's chromium package (.ci/run does) or set LIFEOS_CHROMIUM.");
        }

        var dataDirectory = TempDirectory.Create("lifeos-browser");
        var factory = Serve(settings, dataDirectory, port: 0);
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = address.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);

        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
        return new BrowserApp(factory, playwright, browser, baseUrl, settings, dataDirectory);
    }

    /// <summary>
    /// Stops the app and starts it again on the same port over the same data directory (database and
    /// key ring), as a restart or an upgrade would: open pages lose their circuits, cookies stay valid.
    /// </summary>
    public async Task RestartServerAsync()
    {
        var port = new Uri(BaseUrl).Port;
        await Factory.DisposeAsync();
        Factory = Serve(settings, dataDirectory, port);
    }

    private static LifeOsAppFactory Serve(Dictionary<string, string?>? settings, string dataDirectory, int port)
    {
        var factory = new LifeOsAppFactory(settings, dataDirectory);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        return factory;
    }

    /// <summary>A fresh browser context (its own cookies) with a page that records console errors.</summary>
    /// <param name="timeZone">The device's IANA time zone (what the browser reports to scripts); Chromium's own by default.</param>
    public async Task<(IBrowserContext Context, IPage Page, List<string> ConsoleErrors)> NewPageAsync(int width, int height, ColorScheme scheme = ColorScheme.Light, string? timeZone = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            DeviceScaleFactor = 1,
            TimezoneId = timeZone,
        });
        // Every journey runs under the app's Content-Security-Policy; anything it blocks fails the test (DisposeAsync).
        await context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} in ${e.sourceFile}:${e.lineNumber}`));");
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
                if (message.Text.Contains("CSP violation", StringComparison.Ordinal) || message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                {
                    CspViolations.Enqueue($"{page.Url}: {message.Text}");
                }
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return (context, page, errors);
    }

    /// <summary>Creates an account through the register form, as a person would; the caller asserts where it lands.</summary>
    public static async Task RegisterAsync(IPage page, string email, string password = TestClient.Password)
    {
        await page.GotoAsync("/Account/Register");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password);
        await page.GetByLabel("Confirm password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
    }

    /// <summary>Signs in through the login form; the caller asserts where it lands.</summary>
    public static async Task LogInAsync(IPage page, string email, string password = TestClient.Password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
    }

    /// <summary>
    /// Waits until the page runs on a live circuit (MainLayout marks its main element once it renders
    /// interactively), so clicks reach the server rather than the prerendered markup.
    /// </summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("main[data-interactive=true]").WaitForAsync(new LocatorWaitForOptions { Timeout = 15_000 });

    /// <summary>
    /// Chooses a file in a Blazor file input once Blazor listens to it: <c>InputFile</c> (under MudBlazor's file upload)
    /// attaches its change listener from a script run after the render that shows it, so a file chosen before then is
    /// never seen. On a loaded CI machine the CSV journey chose one in that gap and waited for a preview that never came.
    /// </summary>
    public static async Task ChooseFileAsync(ILocator input, FilePayload file)
    {
        await WhenListeningAsync(input);
        await input.SetInputFilesAsync(file);
    }

    /// <inheritdoc cref="ChooseFileAsync(ILocator, FilePayload)"/>
    public static async Task ChooseFileAsync(ILocator input, string path)
    {
        await WhenListeningAsync(input);
        await input.SetInputFilesAsync(path);
    }

    /// <summary>Blazor's InputFile script numbers an input's files from the moment it listens (blazor.web.js, InputFile.init).</summary>
    private static async Task WhenListeningAsync(ILocator input) =>
        await input.Page.WaitForFunctionAsync("e => e._blazorInputFileNextFileId !== undefined", await input.ElementHandleAsync(), new() { Timeout = 15_000 });

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });

    /// <summary>What the Content-Security-Policy blocked on any page of this app, from any test step.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> CspViolations { get; } = new();

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Factory.DisposeAsync();
        TempDirectory.Delete(dataDirectory);
        Assert.True(CspViolations.IsEmpty, "The Content-Security-Policy blocked something:\n" + string.Join("\n", CspViolations));
    }
}
