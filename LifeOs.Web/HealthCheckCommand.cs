namespace LifeOs.Web;

/// <summary>
/// <c>dotnet LifeOs.Web.dll healthcheck</c>: asks the running app for /healthz and exits 0 or 1.
/// The container's HEALTHCHECK uses it because the runtime image has no curl or wget.
/// </summary>
internal static class HealthCheckCommand
{
    public static bool IsRequested(string[] args) => args.Length > 0 && args[0] == "healthcheck";

    public static async Task<int> RunAsync(string[] args)
    {
        var port = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split(';', ',')[0] ?? "8080";
        var url = args.Length > 1 ? args[1] : $"http://localhost:{port}/healthz";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            using var response = await http.GetAsync(new Uri(url));
            await Console.Out.WriteLineAsync($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"unhealthy: {ex.Message}");
            return 1;
        }
    }
}
