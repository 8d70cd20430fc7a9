using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LifeOs.Tests.Fakes;

/// <summary>
/// Withings' OAuth2 as documented (shared/providers/withings.md): RPC-style form posts, every answer HTTP 200 with
/// {"status", "body"}; codes valid 30 seconds and single use; status 503 for a bad code or refresh token; 601 with
/// wait_seconds for an identical request within 10 s; every refresh rotates the refresh token, and the previous one
/// stays valid until the new access token is first used or 8 hours pass; revocation with a signed nonce.
/// </summary>
public sealed class FakeWithings(TimeProvider time) : FakeProviderServer(time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RefreshGrace = TimeSpan.FromHours(8);

    private readonly Dictionary<string, DateTimeOffset> nonces = [];
    private (string Body, DateTimeOffset At)? lastTokenRequest;

    protected override string ProviderName => "Withings";

    protected override string AuthorizePath => "/oauth2_user/authorize2";

    protected override string SettingsPrefix => "Providers:Withings";

    protected override string TokenUrl => BaseUrl + "/v2/oauth2";

    public static async Task<FakeWithings> StartAsync(TimeProvider time, string account = "38271645")
    {
        var fake = new FakeWithings(time) { Account = account, AccessTokenLifetime = TimeSpan.FromHours(3) };
        await fake.StartAsync();
        return fake;
    }

    protected override string NewCodeRedirect(IssuedCode code, string state) =>
        $"{code.RedirectUri}?code={code.Code}&state={Uri.EscapeDataString(state)}";

    protected override IResult ErrorEnvelope() => Status(293, "Invalid params");

    protected override void MapToken(WebApplication app)
    {
        app.MapPost("/v2/oauth2", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            return form["action"].ToString() switch
            {
                "requesttoken" => await RequestTokenAsync(form),
                "revoke" => Revoke(form),
                _ => Status(2554, "Not implemented"),
            };
        });

        app.MapPost("/v2/signature", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["action"] != "getnonce" || form["client_id"] != ClientId
                || form["signature"] != Sign($"getnonce,{ClientId},{form["timestamp"]}"))
            {
                return Status(2555, "Invalid signature");
            }

            var nonce = RandomHex();
            lock (Sync)
            {
                nonces[nonce] = Time.GetUtcNow();
            }

            return Ok(new { nonce });
        });
    }

    /// <summary>Records served by getmeas ("measures"), getactivity ("activity"), getworkouts ("workouts") and getsummary ("sleep_summary"), faults and request counts.</summary>
    public FakeProviderData Data { get; } = new();

    /// <summary>Answers status 601 with wait_seconds (Withings' rate limit) for the next request of a type.</summary>
    public static Func<HttpRequest, IResult?> TooManyRequests(int waitSeconds) =>
        _ => Results.Json(new { status = 601, body = new { wait_seconds = waitSeconds }, error = "Too many requests" });

    protected override void MapData(WebApplication app)
    {
        app.MapPost("/measure", (HttpRequest request) => DataAsync(request, "getmeas", "measures", "measuregrps", "user.metrics"));
        app.MapPost("/v2/measure", async (HttpRequest request) => (await request.ReadFormAsync())["action"] == "getworkouts"
            ? await DataAsync(request, "getworkouts", "workouts", "series", "user.activity")
            : await DataAsync(request, "getactivity", "activity", "activities", "user.activity"));
        app.MapPost("/v2/sleep", (HttpRequest request) => DataAsync(request, "getsummary", "sleep_summary", "series", "user.activity"));

        MapNotify(app);

        // The smallest data call: proves an access token works (and, as at Withings, its first use ends the
        // previous refresh token's grace period). Sync adds getmeas, getactivity, getworkouts and getsummary.
        app.MapPost("/v2/user", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (ValidAccess(request) is null)
            {
                return Status(401, "invalid_token: access token is invalid");
            }

            return form["action"] == "getdevice" ? Ok(new { devices = Array.Empty<object>() }) : Status(2554, "Not implemented");
        });
    }

    private async Task<IResult> DataAsync(HttpRequest request, string action, string type, string listName, string scope)
    {
        var form = await request.ReadFormAsync();
        Data.Count(type);
        if (await Data.NextFaultAsync(type, request) is { } fault)
        {
            return fault;
        }

        if (ValidAccess(request) is not { } grant)
        {
            return Status(401, "invalid_token: access token is invalid");
        }

        if (form["action"] != action)
        {
            return Status(2554, "Not implemented");
        }

        if (!grant.Scopes.Split(',', ' ').Contains(scope))
        {
            return Status(214, "Unauthorized");
        }

        if (form.ContainsKey("lastupdate") && (form.ContainsKey("startdate") || form.ContainsKey("startdateymd")))
        {
            // Mixing lastupdate with a window returns nothing at Withings.
            return Ok(new Dictionary<string, object?> { [listName] = Array.Empty<object>(), ["more"] = false, ["offset"] = 0 });
        }

        Func<FakeRecord, bool> inWindow;
        if (type == "measures")
        {
            var from = DateTimeOffset.FromUnixTimeSeconds(long.Parse(form["startdate"]!, System.Globalization.CultureInfo.InvariantCulture));
            var to = DateTimeOffset.FromUnixTimeSeconds(long.Parse(form["enddate"]!, System.Globalization.CultureInfo.InvariantCulture));
            inWindow = r => r.At >= from && r.At <= to;
        }
        else
        {
            var from = DateOnly.Parse(form["startdateymd"]!, System.Globalization.CultureInfo.InvariantCulture);
            var to = DateOnly.Parse(form["enddateymd"]!, System.Globalization.CultureInfo.InvariantCulture);
            inWindow = r => r.Day >= from && r.Day <= to;
        }

        var rows = Data.Select(type, grant.Account, inWindow);
        var offset = int.TryParse(form["offset"], System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : 0;
        var size = Data.PageSize(type);
        var page = rows.Skip(offset).Take(size).Select(r => r.Body).ToList();
        var more = offset + size < rows.Count;
        var body = new Dictionary<string, object?>
        {
            [listName] = page,
            // getmeas says 0/1; the v2 services say true/false.
            ["more"] = type == "measures" ? (more ? 1 : 0) : more,
            ["offset"] = more ? offset + size : 0,
        };
        if (type == "measures")
        {
            body["timezone"] = TimeZoneOf(grant.Account);
            body["updatetime"] = Time.GetUtcNow().ToUnixTimeSeconds();
        }

        return Ok(body);
    }

    /// <summary>A Withings notification subscription: one user, one category, one callback URL.</summary>
    public sealed record Subscription(string Account, int Appli, string CallbackUrl, string? Comment);

    /// <summary>Subscriptions per user (withings.md §6): list, subscribe (after a HEAD probe of the callback), revoke.</summary>
    public List<Subscription> Subscriptions { get; } = [];

    /// <summary>Reaches LifeOs's callbacks (the app's in-memory test server): HEAD probes and notification posts.</summary>
    public HttpClient? Callbacks { get; set; }

    /// <summary>Every request /notify answered, by action.</summary>
    public ConcurrentQueue<string> NotifyCalls { get; } = new();

    private void MapNotify(WebApplication app)
    {
        app.MapPost("/notify", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (ValidAccess(request) is not { } grant)
            {
                return Status(401, "invalid_token: access token is invalid");
            }

            var action = form["action"].ToString();
            NotifyCalls.Enqueue(action);
            var callback = form["callbackurl"].ToString();
            var appli = int.TryParse(form["appli"], System.Globalization.CultureInfo.InvariantCulture, out var a) ? a : -1;
            switch (action)
            {
                case "list":
                    lock (Subscriptions)
                    {
                        return Ok(new
                        {
                            profiles = Subscriptions.Where(x => x.Account == grant.Account)
                                .Select(x => new { appli = x.Appli, callbackurl = x.CallbackUrl, expires = 2147483647, comment = x.Comment }).ToList(),
                        });
                    }

                case "subscribe":
                    if (appli < 0 || !Uri.TryCreate(callback, UriKind.Absolute, out _))
                    {
                        return Status(293, "Invalid params");
                    }

                    if (appli is 16 or 44 && !grant.Scopes.Split(',', ' ').Contains("user.activity"))
                    {
                        return Status(214, "Unauthorized");
                    }

                    // Withings probes the URL with HEAD before accepting it.
                    if (Callbacks is null || !(await ProbeAsync(callback)))
                    {
                        return Status(293, "The callback URL is either absent or incorrect");
                    }

                    lock (Subscriptions)
                    {
                        if (!Subscriptions.Exists(x => x.Account == grant.Account && x.Appli == appli && x.CallbackUrl == callback))
                        {
                            Subscriptions.Add(new Subscription(grant.Account, appli, callback, form["comment"].FirstOrDefault()));
                        }
                    }

                    return Ok(new { });

                case "revoke":
                    lock (Subscriptions)
                    {
                        return Subscriptions.RemoveAll(x => x.Account == grant.Account && x.Appli == appli && x.CallbackUrl == callback) > 0
                            ? Ok(new { })
                            : Status(294, "No such subscription");
                    }

                default:
                    return Status(2554, "Not implemented");
            }
        });
    }

    private async Task<bool> ProbeAsync(string callback)
    {
        using var probe = new HttpRequestMessage(HttpMethod.Head, new Uri(callback).PathAndQuery);
        using var response = await Callbacks!.SendAsync(probe);
        return response.IsSuccessStatusCode;
    }

    /// <summary>
    /// What Withings does when new data arrives: a form POST (userid, appli, startdate, enddate) to every callback the
    /// account subscribed for that category. Returns the status codes LifeOs answered.
    /// </summary>
    public async Task<List<HttpStatusCode>> NotifyAsync(string account, int appli, DateTimeOffset start, DateTimeOffset end)
    {
        List<string> callbacks;
        lock (Subscriptions)
        {
            callbacks = Subscriptions.Where(x => x.Account == account && x.Appli == appli).Select(x => x.CallbackUrl).ToList();
        }

        var answers = new List<HttpStatusCode>();
        foreach (var callback in callbacks)
        {
            answers.Add(await PostToAsync(callback, new Dictionary<string, string>
            {
                ["userid"] = account,
                ["appli"] = appli.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["startdate"] = start.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["enddate"] = end.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            }));
        }

        return answers;
    }

    /// <summary>Posts any form to a callback URL (tests of unknown users and malformed bodies).</summary>
    public async Task<HttpStatusCode> PostToAsync(string callbackUrl, IEnumerable<KeyValuePair<string, string>> form)
    {
        using var content = new FormUrlEncodedContent(form);
        using var response = await Callbacks!.PostAsync(new Uri(callbackUrl).PathAndQuery, content);
        return response.StatusCode;
    }

    /// <summary>The account's time zone, as getmeas reports it.</summary>
    public Dictionary<string, string> TimeZones { get; } = [];

    private string TimeZoneOf(string account) => TimeZones.GetValueOrDefault(account, "Europe/Berlin");

    /// <summary>The grant behind a valid Bearer token, or null (Withings then answers status 401).</summary>
    public IssuedGrant? ValidAccess(HttpRequest request)
    {
        var grant = FindByAccessToken(Bearer(request));
        if (grant is null || grant.Revoked || grant.AccessExpiresAt <= Time.GetUtcNow())
        {
            return null;
        }

        grant.AccessUsed = true;
        return grant;
    }

    private async Task<IResult> RequestTokenAsync(IFormCollection form)
    {
        if (await EnterTokenEndpointAsync() is { } failure)
        {
            return failure;
        }

        if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            return Status(503, "Invalid Params: invalid client_id or client_secret");
        }

        var now = Time.GetUtcNow();
        IssuedGrant grant;
        lock (Sync)
        {
            // "Same arguments in less than 10 seconds" is throttled.
            var body = string.Join('&', form.OrderBy(f => f.Key).Select(f => $"{f.Key}={f.Value}"));
            if (lastTokenRequest is { } last && last.Body == body && now - last.At < TimeSpan.FromSeconds(10))
            {
                return Json(new { status = 601, body = new { wait_seconds = 10 }, error = "Same arguments in less than 10 seconds" });
            }

            lastTokenRequest = (body, now);
            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                    if (!Codes.TryGetValue(form["code"].ToString(), out var code) || code.Used
                        || now - code.IssuedAt > CodeLifetime || code.RedirectUri != form["redirect_uri"]
                        || !PkceMatches(code.CodeChallenge, form["code_verifier"].FirstOrDefault()))
                    {
                        return Status(503, "Invalid Params: invalid code");
                    }

                    code.Used = true;
                    grant = Issue(code.Account, code.Scopes);
                    break;

                case "refresh_token":
                    var previous = Grants.FirstOrDefault(g => g.RefreshToken == form["refresh_token"]);
                    if (previous is null || previous.Revoked || !RefreshStillValid(previous, now))
                    {
                        return Status(503, "Invalid Params: invalid refresh_token");
                    }

                    previous.RefreshUsed = true;
                    grant = Issue(previous.Account, previous.Scopes, previous);
                    break;

                default:
                    return Status(503, "Invalid Params: grant_type");
            }
        }

        return Ok(new
        {
            userid = long.Parse(grant.Account, System.Globalization.CultureInfo.InvariantCulture),
            access_token = grant.AccessToken,
            refresh_token = grant.RefreshToken,
            expires_in = (int)AccessTokenLifetime.TotalSeconds,
            scope = grant.Scopes,
            csrf_token = RandomHex(),
            token_type = "Bearer",
        });
    }

    /// <summary>
    /// A refresh token works until it is rotated; after that, for 8 hours or until the access token issued
    /// with its successor is first used, whichever comes first.
    /// </summary>
    private bool RefreshStillValid(IssuedGrant grant, DateTimeOffset now)
    {
        var successors = Grants.Where(g => ReferenceEquals(g.Previous, grant)).ToList();
        return successors.Count == 0
            || (!successors.Exists(s => s.AccessUsed) && now - successors.Min(s => s.RotatedAt!.Value) < RefreshGrace);
    }

    private IResult Revoke(IFormCollection form)
    {
        lock (Sync)
        {
            var nonce = form["nonce"].ToString();
            if (form["client_id"] != ClientId || !nonces.Remove(nonce) || form["signature"] != Sign($"revoke,{ClientId},{nonce}"))
            {
                return Status(2555, "Invalid signature");
            }

            foreach (var grant in Grants.Where(g => g.Account == form["userid"]))
            {
                grant.Revoked = true;
            }

            Revocations++;
        }

        return Ok(new { });
    }

    private string Sign(string message) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(ClientSecret), Encoding.UTF8.GetBytes(message)));

    private static IResult Ok(object body) => Json(new { status = 0, body });

    private static IResult Status(int status, string error) => Json(new { status, body = new { }, error });

    private static IResult Json(object value) => Results.Json(value);
}
