using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LifeOs.Core.Api;
using LifeOs.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Api;

/// <summary>The app with people and their API keys, and HTTP clients that send a key.</summary>
public sealed class ApiHarness : IAsyncDisposable
{
    public ApiHarness(Dictionary<string, string?>? settings = null)
    {
        App = new LifeOsAppFactory(settings ?? new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" });
    }

    public LifeOsAppFactory App { get; }

    /// <summary>Registers a person (through the sign-up form) and returns their id and a signed-in browser.</summary>
    public async Task<(string UserId, TestClient Browser)> PersonAsync(string email)
    {
        var browser = App.CreateTestClient();
        await browser.RegisterAsync(email, timeZone: "Europe/Paris");
        var id = await App.WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.Id).SingleAsync());
        return (id, browser);
    }

    public async Task<string> KeyAsync(string userId, string[]? scopes = null, DateTime? expiresAt = null, string name = "test key")
    {
        await using var scope = App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ApiKeyService>()
            .CreateAsync(userId, name, scopes ?? [.. ApiScopes.All.Select(s => s.Scope)], expiresAt, TestContext.Current.CancellationToken);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors.Values));
        return result.Key!;
    }

    public HttpClient Client(string? key, bool header = false)
    {
        var client = App.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        if (key is not null)
        {
            if (header)
            {
                client.DefaultRequestHeaders.Add("X-Api-Key", key);
            }
            else
            {
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }
        }

        return client;
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Task<HttpResponseMessage> PostJsonAsync(HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, Ct);

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
