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
    private BrowserApp(LifeOsAppFactory factory, IPlaywright playwright, IBrowser browser, string baseUrl)
    {
        Factory = factory;
        Playwright = playwright;
        Browser = browser;
        BaseUrl = baseUrl;
    }

    public LifeOsAppFactory Factory { get; }

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

        var factory = new LifeOsAppFactory(settings);
        factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        factory.StartServer();
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
        return new BrowserApp(factory, playwright, browser, baseUrl);
    }

    /// <summary>A fresh browser context (its own cookies) with a page that records console errors.</summary>
    public async Task<(IBrowserContext Context, IPage Page, List<string> ConsoleErrors)> NewPageAsync(int width, int height, ColorScheme scheme = ColorScheme.Light)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            DeviceScaleFactor = 1,
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
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

    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true, Animations = ScreenshotAnimations.Disabled });

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Factory.DisposeAsync();
    }
}
