using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using LifeOs.Tests.TestSupport;

namespace LifeOs.Tests.Web;

/// <summary>
/// No Docker engine runs here, so this proves the container's contents instead: the Dockerfile's own
/// publish command, then the published app started on an empty data directory.
/// </summary>
public sealed partial class PublishedAppTests
{
    [Fact]
    public async Task PublishedApp_StartsFromEmptyDataDirectory_Migrates_AndServesHealthAndLogin()
    {
        var ct = TestContext.Current.CancellationToken;
        var publishDir = TempDirectory.Create("lifeos-publish");
        var dataDir = Path.Combine(TempDirectory.Create("lifeos-published-data"), "data");
        try
        {
            var (code, output) = await ChildProcess.RunAsync("dotnet", PublishArguments(publishDir), TimeSpan.FromMinutes(4), workingDirectory: RepositoryRoot.Path);
            Assert.True(code == 0, "dotnet publish failed:\n" + output);
            Assert.True(File.Exists(Path.Combine(publishDir, "LifeOs.Web.dll")));

            var port = ChildProcess.FreePort();
            var environment = new Dictionary<string, string>
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
                ["ASPNETCORE_ENVIRONMENT"] = "Production",
                ["LifeOs__DataDirectory"] = dataDir,
            };
            using var app = new ChildProcess("dotnet", [Path.Combine(publishDir, "LifeOs.Web.dll")], environment, publishDir);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

            var health = await WaitForHealthyAsync(http, app, ct);
            Assert.Contains("\"status\":\"healthy\"", health, StringComparison.Ordinal);

            var login = await http.GetAsync(new Uri("/Account/Login", UriKind.Relative), ct);
            Assert.Equal(HttpStatusCode.OK, login.StatusCode);
            var html = await login.Content.ReadAsStringAsync(ct);
            Assert.Contains("Welcome back", html, StringComparison.Ordinal);
            // The account pages stay static: no interactive component is prerendered on them.
            Assert.DoesNotContain("<!--Blazor:", html, StringComparison.Ordinal);
            var css = CssHref().Match(html);
            Assert.True(css.Success, "no app stylesheet link");
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(css.Groups[1].Value, UriKind.Relative), ct)).StatusCode);

            Assert.True(File.Exists(Path.Combine(dataDir, "lifeos.db")));
            Assert.NotEmpty(StoredKeyRing.Read(dataDir));
            Assert.Contains("Applied migrations", app.Output, StringComparison.Ordinal);

            // The container's HEALTHCHECK command.
            var (healthExit, healthOutput) = await ChildProcess.RunAsync("dotnet", [Path.Combine(publishDir, "LifeOs.Web.dll"), "healthcheck", $"http://127.0.0.1:{port}/healthz"], TimeSpan.FromSeconds(60));
            Assert.True(healthExit == 0, healthOutput);

            // An unwritable data directory stops start-up with a message naming the path and the setting.
            var blocker = Path.Combine(Path.GetDirectoryName(dataDir)!, "not-a-directory");
            await File.WriteAllTextAsync(blocker, "x", ct);
            var badEnvironment = new Dictionary<string, string>(environment) { ["LifeOs__DataDirectory"] = Path.Combine(blocker, "data"), ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ChildProcess.FreePort()}" };
            var (badExit, badOutput) = await ChildProcess.RunAsync("dotnet", [Path.Combine(publishDir, "LifeOs.Web.dll")], TimeSpan.FromSeconds(60), badEnvironment, publishDir);
            Assert.Equal(1, badExit);
            Assert.Contains("LifeOs cannot start", badOutput, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(blocker, "data"), badOutput, StringComparison.Ordinal);
            Assert.Contains("LifeOs:DataDirectory", badOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", badOutput, StringComparison.Ordinal);

            // So does a setting that fails validation, naming the key instead of printing a stack trace.
            var badUrl = new Dictionary<string, string>(environment) { ["LifeOs__PublicBaseUrl"] = "not a url", ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ChildProcess.FreePort()}" };
            var (urlExit, urlOutput) = await ChildProcess.RunAsync("dotnet", [Path.Combine(publishDir, "LifeOs.Web.dll")], TimeSpan.FromSeconds(60), badUrl, publishDir);
            Assert.Equal(1, urlExit);
            Assert.Contains("LifeOs:PublicBaseUrl", urlOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", urlOutput, StringComparison.Ordinal);
        }
        finally
        {
            TempDirectory.Delete(publishDir);
            TempDirectory.Delete(Path.GetDirectoryName(dataDir)!);
        }
    }

    /// <summary>
    /// The app's runtime settings as built (publish writes the same file): workstation GC, as LifeOs.Web.csproj means.
    /// The csproj once spelled the property <c>ServerGarbageCollector</c>, which MSBuild ignores, so the web SDK's
    /// default (server GC) shipped unnoticed and its collections paused the webhook burst's slowest answers.
    /// Background collections stay on (a blocking gen 2 would pause every request).
    /// </summary>
    [Fact]
    public void RuntimeConfig_UsesWorkstationGc_WithBackgroundCollections()
    {
        using var config = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "LifeOs.Web.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.TryGetProperty("System.GC.Concurrent", out var concurrent) && !concurrent.GetBoolean());
    }

    /// <summary>The arguments of the Dockerfile's <c>RUN dotnet publish</c> line, with its output directory moved.</summary>
    internal static IReadOnlyList<string> PublishArguments(string outputDirectory)
    {
        var line = File.ReadLines(Path.Combine(RepositoryRoot.Path, "Dockerfile")).Single(l => l.StartsWith("RUN dotnet publish ", StringComparison.Ordinal));
        var args = line["RUN dotnet ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var output = args.IndexOf("-o");
        Assert.True(output >= 0, "the Dockerfile's publish line has no -o");
        args[output + 1] = outputDirectory;
        // The image restores in its own layer; here the solution's restore already covered linux-x64.
        return args;
    }

    private static async Task<string> WaitForHealthyAsync(HttpClient http, ChildProcess app, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(app.HasExited, "the published app exited:\n" + app.Output);
            try
            {
                var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), ct);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return await response.Content.ReadAsStringAsync(ct);
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, ct);
        }

        throw new TimeoutException("The published app did not become healthy:\n" + app.Output);
    }

    [GeneratedRegex("<link rel=\"stylesheet\" href=\"(app[^\"]*\\.css)\"")]
    private static partial Regex CssHref();
}
