using System.Net;
using LifeOs.Core.Connections;
using LifeOs.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LifeOs.Tests.TestSupport;

/// <summary>The app wired to a fake Oura and a fake Withings that share its clock, plus the connect flow as a browser does it.</summary>
public sealed class ConnectionsHarness : IAsyncDisposable
{
    private ConnectionsHarness(FakeTimeProvider time, FakeOura oura, FakeWithings withings, LifeOsAppFactory app)
    {
        Time = time;
        Oura = oura;
        Withings = withings;
        App = app;
    }

    public FakeTimeProvider Time { get; }

    public FakeOura Oura { get; }

    public FakeWithings Withings { get; }

    public LifeOsAppFactory App { get; }

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 11, 25, 9, 30, 0, TimeSpan.Zero));

    /// <summary>Starts both fakes and an app configured for them (over <paramref name="dataDirectory"/> to simulate a restart).</summary>
    public static async Task<ConnectionsHarness> StartAsync(bool usePkce = false, string? dataDirectory = null, Dictionary<string, string?>? settings = null)
    {
        var time = NewClock();
        var oura = await FakeOura.StartAsync(time);
        var withings = await FakeWithings.StartAsync(time);
        var all = new Dictionary<string, string?>(settings ?? []);
        foreach (var (key, value) in oura.Settings(usePkce).Concat(withings.Settings(usePkce)))
        {
            all[key] = value;
        }

        return new ConnectionsHarness(time, oura, withings, new LifeOsAppFactory(all, dataDirectory, time));
    }

    /// <summary>A second app instance over the same database and keys, talking to the same fakes.</summary>
    public LifeOsAppFactory StartSecondInstance(Dictionary<string, string?>? settings = null)
    {
        var all = new Dictionary<string, string?>(settings ?? []);
        foreach (var (key, value) in Oura.Settings().Concat(Withings.Settings()))
        {
            all[key] = value;
        }

        return new LifeOsAppFactory(all, App.DataDirectory, Time);
    }

    public FakeProviderServer Fake(string provider) => provider == "oura" ? Oura : Withings;

    public async Task<TestClient> SignedInAsync(string email)
    {
        var client = App.CreateTestClient();
        var response = await client.RegisterAsync(email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    /// <summary>POST /integrations/{provider}/connect; returns the provider authorize URL it redirects to.</summary>
    public static async Task<string> StartConnectAsync(TestClient client, string provider)
    {
        // The antiforgery token belongs to the user, not the page: /integrations has one while a card offers Connect
        // or Reconnect; when every card is connected (a test reconnecting anyway), /settings has one too.
        var (_, page) = await client.GetPageAsync("/integrations");
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? await client.AntiforgeryTokenAsync("/settings");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token });
        var response = await client.Http.PostAsync($"/integrations/{provider}/connect", form, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.Location!.ToString();
    }

    /// <summary>GETs a callback URL (as the browser would after consent), follows it to /integrations and returns the status message shown.</summary>
    public static async Task<string> CallbackAsync(TestClient client, string callbackUrl)
    {
        var response = await client.GetAsync(callbackUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/integrations", response.Headers.Location!.ToString());
        return await StatusMessageAsync(client);
    }

    /// <summary>
    /// The message the (prerendered) integrations page shows once after a connect step, prefixed "Error: " when it
    /// shows it as an error, as the status cookie carries it; "" when there is none.
    /// </summary>
    public static async Task<string> StatusMessageAsync(TestClient client)
    {
        var (response, page) = await client.GetPageAsync("/integrations");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (page.QuerySelector("[data-testid=integrations-message]") is not { } alert)
        {
            return "";
        }

        Assert.Equal("alert", alert.GetAttribute("role"));
        var text = alert.TextContent.Trim();
        return alert.GetAttribute("data-severity") == "error" ? "Error: " + text : text;
    }

    /// <summary>The whole flow: connect, consent on the fake, callback. Returns the status message.</summary>
    public async Task<string> ConnectAsync(TestClient client, string provider, bool approve = true)
    {
        var authorize = await StartConnectAsync(client, provider);
        var callback = await Fake(provider).ConsentAsync(authorize, approve);
        // With LifeOs:PublicBaseUrl the redirect names the public host; the test client's cookies belong to the test server's.
        return await CallbackAsync(client, new Uri(callback).PathAndQuery);
    }

    public async Task<T> WithServiceAsync<T, TService>(Func<TService, Task<T>> action, LifeOsAppFactory? app = null)
        where TService : notnull
    {
        await using var scope = (app ?? App).Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public Task<string> AccessTokenAsync(string userId, ProviderKind provider, LifeOsAppFactory? app = null) =>
        WithServiceAsync<string, ConnectionTokenService>(s => s.GetAccessTokenAsync(userId, provider, TestContext.Current.CancellationToken), app);

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Oura.DisposeAsync();
        await Withings.DisposeAsync();
    }
}
