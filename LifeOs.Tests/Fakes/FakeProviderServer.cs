using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifeOs.Tests.Fakes;

/// <summary>How the token endpoint misbehaves while set.</summary>
public enum TokenFailure
{
    None,

    /// <summary>HTTP 500 with an HTML body.</summary>
    ServerError,

    /// <summary>HTTP 200 with something that is not JSON.</summary>
    Garbage,

    /// <summary>The provider's own error shape: Oura 401 {"error":"invalid_client"}, Withings HTTP 200 {"status":293}.</summary>
    ErrorEnvelope,
}

/// <summary>Holds token requests at the door until the test releases them (no sleeps: a gate).</summary>
public sealed class TokenGate
{
    private readonly TaskCompletionSource arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first token request is waiting at the gate.</summary>
    public Task Arrived => arrived.Task;

    public void Release() => released.TrySetResult();

    internal async Task PassAsync()
    {
        arrived.TrySetResult();
        await released.Task;
    }
}

/// <summary>An authorization code the fake issued, as its consent page recorded it.</summary>
public sealed record IssuedCode(string Code, string Account, string RedirectUri, string Scopes, string? CodeChallenge, DateTimeOffset IssuedAt)
{
    public bool Used { get; set; }
}

/// <summary>One access/refresh pair.</summary>
public sealed class IssuedGrant
{
    public required string Account { get; init; }
    public required string AccessToken { get; init; }
    public required string RefreshToken { get; init; }
    public required string Scopes { get; init; }
    public DateTimeOffset AccessExpiresAt { get; init; }
    public bool RefreshUsed { get; set; }
    public bool AccessUsed { get; set; }
    public bool Revoked { get; set; }

    /// <summary>Withings: the grant this one replaced, whose refresh token stays valid for a grace period.</summary>
    public IssuedGrant? Previous { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
}

/// <summary>
/// Common ground of the fake Oura and Withings servers: real Kestrel on loopback (real HTTP, so the app's
/// typed clients and a real browser both reach it), a consent page, codes and token bookkeeping, an
/// injectable clock, a failure switch and a gate on the token endpoint. Sync (issue 6) adds data endpoints
/// in <see cref="MapData"/> overrides.
/// </summary>
public abstract class FakeProviderServer : IAsyncDisposable
{
    private WebApplication? app;
    private int tokenRequests;

    protected FakeProviderServer(TimeProvider time) => Time = time;

    public TimeProvider Time { get; }

    public string ClientId { get; } = "lifeos-test-client";

    public string ClientSecret { get; } = "lifeos-test-secret";

    /// <summary>http://127.0.0.1:port, set by <see cref="StartAsync"/>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The provider account the browser is "signed in" as on the consent page.</summary>
    public string Account { get; set; } = "";

    /// <summary>Scopes the consent page grants; null grants what was asked for.</summary>
    public string? GrantedScopesOverride { get; set; }

    public TimeSpan AccessTokenLifetime { get; set; }

    public TokenFailure Failure { get; set; }

    /// <summary>Every request that reached the token endpoint (codes and refreshes).</summary>
    public int TokenRequests => Volatile.Read(ref tokenRequests);

    public int Revocations { get; protected set; }

    public ConcurrentDictionary<string, IssuedCode> Codes { get; } = new();

    public ConcurrentQueue<IssuedGrant> Grants { get; } = new();

    /// <summary>Every token the fake ever handed out, for "no plaintext token at rest" checks.</summary>
    public IEnumerable<string> AllIssuedTokens => Grants.SelectMany(g => new[] { g.AccessToken, g.RefreshToken });

    /// <summary>The query of the last authorize request (what LifeOs sent).</summary>
    public IReadOnlyDictionary<string, string> LastAuthorizeQuery { get; private set; } = new Dictionary<string, string>();

    protected object Sync { get; } = new();

    private TokenGate? gate;

    protected abstract string ProviderName { get; }

    protected abstract string AuthorizePath { get; }

    protected abstract string SettingsPrefix { get; }

    public TokenGate HoldTokenRequests() => gate = new TokenGate();

    /// <summary>Settings that point LifeOs at this fake.</summary>
    public virtual Dictionary<string, string?> Settings(bool usePkce = false) => new()
    {
        [$"{SettingsPrefix}:ClientId"] = ClientId,
        [$"{SettingsPrefix}:ClientSecret"] = ClientSecret,
        [$"{SettingsPrefix}:AuthorizeUrl"] = BaseUrl + AuthorizePath,
        [$"{SettingsPrefix}:TokenUrl"] = TokenUrl,
        [$"{SettingsPrefix}:ApiBaseUrl"] = BaseUrl,
        [$"{SettingsPrefix}:UsePkce"] = usePkce ? "true" : "false",
    };

    protected abstract string TokenUrl { get; }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.MapGet(AuthorizePath, ConsentPage);
        app.MapPost(AuthorizePath, ConsentDecision);
        app.MapGet("/favicon.ico", () => Results.NoContent());
        MapToken(app);
        MapData(app);
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    /// <summary>What a person does on the consent page, over HTTP: approve (or deny) and get LifeOs's callback URL.</summary>
    public async Task<string> ConsentAsync(string authorizeUrl, bool approve = true)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(new Uri(authorizeUrl).Query);
        var form = query.ToDictionary(q => q.Key, q => q.Value.ToString());
        form["decision"] = approve ? "allow" : "deny";
        using var response = await http.PostAsync(BaseUrl + AuthorizePath, new FormUrlEncodedContent(form));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The fake {ProviderName} consent answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return response.Headers.Location!.ToString();
    }

    /// <summary>The token endpoint's common door: counting, the gate and the failure switch. Returns a result to send instead, or null.</summary>
    protected async Task<IResult?> EnterTokenEndpointAsync()
    {
        Interlocked.Increment(ref tokenRequests);
        if (gate is { } held)
        {
            await held.PassAsync();
        }

        return Failure switch
        {
            TokenFailure.ServerError => Results.Content("<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html", statusCode: 500),
            TokenFailure.Garbage => Results.Content("<html><body>Maintenance</body></html>", "text/html"),
            TokenFailure.ErrorEnvelope => ErrorEnvelope(),
            _ => null,
        };
    }

    protected abstract IResult ErrorEnvelope();

    protected abstract void MapToken(WebApplication app);

    /// <summary>Data endpoints (sync adds more).</summary>
    protected virtual void MapData(WebApplication app)
    {
    }

    protected abstract string NewCodeRedirect(IssuedCode code, string state);

    protected IssuedGrant Issue(string account, string scopes, IssuedGrant? previous = null)
    {
        var grant = new IssuedGrant
        {
            Account = account,
            AccessToken = $"{ProviderName.ToLowerInvariant()}-access-{RandomHex()}",
            RefreshToken = $"{ProviderName.ToLowerInvariant()}-refresh-{RandomHex()}",
            Scopes = scopes,
            AccessExpiresAt = Time.GetUtcNow() + AccessTokenLifetime,
            Previous = previous,
            RotatedAt = previous is null ? null : Time.GetUtcNow(),
        };
        Grants.Enqueue(grant);
        return grant;
    }

    protected IssuedGrant? FindByAccessToken(string? token) => Grants.FirstOrDefault(g => g.AccessToken == token);

    protected static string? Bearer(HttpRequest request) =>
        AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header.Scheme == "Bearer" ? header.Parameter : null;

    protected static string RandomHex() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    protected static bool PkceMatches(string? challenge, string? verifier) =>
        challenge is null
        || (verifier is not null && challenge == Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    private IResult ConsentPage(HttpRequest request)
    {
        LastAuthorizeQuery = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString());
        if (request.Query["client_id"] != ClientId || string.IsNullOrEmpty(request.Query["redirect_uri"]))
        {
            return Results.BadRequest("unknown client or missing redirect_uri");
        }

        var enc = HtmlEncoder.Default;
        var hidden = string.Concat(request.Query.Select(q => $"<input type=\"hidden\" name=\"{enc.Encode(q.Key)}\" value=\"{enc.Encode(q.Value.ToString())}\">"));
        var scopes = string.Concat(request.Query["scope"].ToString().Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(s => $"<li>{enc.Encode(s)}</li>"));
        var html = $$"""
            <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ProviderName}} – authorize</title>
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <style>body{font-family:system-ui,sans-serif;background:#f2f2f2;display:flex;justify-content:center;padding:48px 16px}
            main{background:#fff;border-radius:12px;padding:32px;max-width:420px;box-shadow:0 2px 10px rgba(0,0,0,.1)}
            button{font-size:16px;padding:10px 18px;border-radius:8px;border:0;margin-right:8px;cursor:pointer}
            .allow{background:#222;color:#fff}</style></head>
            <body><main><h1>Fake {{ProviderName}}</h1>
            <p>Signed in as <strong id="account">{{enc.Encode(Account)}}</strong>.</p>
            <p><strong>LifeOs</strong> would like to read:</p><ul>{{scopes}}</ul>
            <form method="post">{{hidden}}
            <button class="allow" name="decision" value="allow">Allow</button>
            <button name="decision" value="deny">Deny</button></form></main></body></html>
            """;
        return Results.Content(html, "text/html");
    }

    private async Task<IResult> ConsentDecision(HttpRequest request)
    {
        var form = await request.ReadFormAsync();
        var redirectUri = form["redirect_uri"].ToString();
        var state = form["state"].ToString();
        if (form["client_id"] != ClientId || redirectUri.Length == 0)
        {
            return Results.BadRequest("unknown client or missing redirect_uri");
        }

        if (form["decision"] != "allow")
        {
            return Results.Redirect($"{redirectUri}?error=access_denied&state={Uri.EscapeDataString(state)}");
        }

        var scopes = GrantedScopesOverride ?? form["scope"].ToString();
        var code = new IssuedCode(RandomHex(), Account, redirectUri, scopes, form["code_challenge"].FirstOrDefault(), Time.GetUtcNow());
        Codes[code.Code] = code;
        return Results.Redirect(NewCodeRedirect(code, state));
    }

    public async ValueTask DisposeAsync()
    {
        gate?.Release();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
