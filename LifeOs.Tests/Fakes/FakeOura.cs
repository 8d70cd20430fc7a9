using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LifeOs.Tests.Fakes;

/// <summary>
/// Oura's OAuth2 as documented (shared/providers/oura.md): authorize page; POST /oauth/token with plain RFC 6749
/// JSON; client credentials in the body or Basic; codes 10 minutes and single use; refresh tokens single use
/// (a reused one gets 400 invalid_grant); no user id in the token answer, so /v2/usercollection/personal_info;
/// /oauth/revoke?access_token=….
/// </summary>
public sealed class FakeOura(TimeProvider time) : FakeProviderServer(time)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    public bool OmitScopeInTokenAnswer { get; set; }

    protected override string ProviderName => "Oura";

    protected override string AuthorizePath => "/oauth/authorize";

    protected override string SettingsPrefix => "Providers:Oura";

    protected override string TokenUrl => BaseUrl + "/oauth/token";

    public static async Task<FakeOura> StartAsync(TimeProvider time, string account = "8f3c2a71-4b9e-4d2a-9c51-0e6b7d1a2f34")
    {
        var fake = new FakeOura(time) { Account = account, AccessTokenLifetime = TimeSpan.FromHours(24) };
        await fake.StartAsync();
        return fake;
    }

    protected override string NewCodeRedirect(IssuedCode code, string state) =>
        $"{code.RedirectUri}?code={code.Code}&scope={Uri.EscapeDataString(code.Scopes)}&state={Uri.EscapeDataString(state)}";

    protected override IResult ErrorEnvelope() => Results.Json(new { error = "invalid_client", error_description = "Invalid client credentials" }, statusCode: 401);

    protected override void MapToken(WebApplication app)
    {
        app.MapPost("/oauth/token", async (HttpRequest request) =>
        {
            if (await EnterTokenEndpointAsync() is { } failure)
            {
                return failure;
            }

            var form = await request.ReadFormAsync();
            var (clientId, clientSecret) = ClientCredentials(request, form);
            if (clientId != ClientId || clientSecret != ClientSecret)
            {
                return Results.Json(new { error = "invalid_client" }, statusCode: 401);
            }

            IssuedGrant grant;
            lock (Sync)
            {
                switch (form["grant_type"].ToString())
                {
                    case "authorization_code":
                        if (!Codes.TryGetValue(form["code"].ToString(), out var code) || code.Used
                            || Time.GetUtcNow() - code.IssuedAt > CodeLifetime || code.RedirectUri != form["redirect_uri"]
                            || !PkceMatches(code.CodeChallenge, form["code_verifier"].FirstOrDefault()))
                        {
                            return InvalidGrant();
                        }

                        code.Used = true;
                        grant = Issue(code.Account, code.Scopes);
                        break;

                    case "refresh_token":
                        var previous = Grants.FirstOrDefault(g => g.RefreshToken == form["refresh_token"]);
                        if (previous is null || previous.RefreshUsed || previous.Revoked)
                        {
                            return InvalidGrant();
                        }

                        // Single use: "invalidated after being used".
                        previous.RefreshUsed = true;
                        grant = Issue(previous.Account, previous.Scopes);
                        break;

                    default:
                        return Results.Json(new { error = "unsupported_grant_type" }, statusCode: 400);
                }
            }

            // scope is not a documented field of Oura's token answer; real answers were seen with and without it.
            return OmitScopeInTokenAnswer
                ? Results.Json(new { token_type = "bearer", access_token = grant.AccessToken, expires_in = (int)AccessTokenLifetime.TotalSeconds, refresh_token = grant.RefreshToken })
                : Results.Json(new
                {
                    token_type = "bearer",
                    access_token = grant.AccessToken,
                    expires_in = (int)AccessTokenLifetime.TotalSeconds,
                    refresh_token = grant.RefreshToken,
                    scope = grant.Scopes,
                });
        });
    }

    /// <summary>Records served by /v2/usercollection/{collection}, faults and request counts.</summary>
    public FakeProviderData Data { get; } = new();

    /// <summary>The scope each collection needs (Oura does not document the mapping; these follow the scope names).</summary>
    public static string ScopeFor(string collection) => collection switch
    {
        "heartrate" => "heartrate",
        "workout" => "workout",
        "daily_spo2" => "spo2",
        "session" => "session",
        _ => "daily",
    };

    protected override void MapData(WebApplication app)
    {
        app.MapGet("/v2/usercollection/{collection}", async (string collection, HttpRequest request) =>
        {
            Data.Count(collection);
            if (await Data.NextFaultAsync(collection, request) is { } fault)
            {
                return fault;
            }

            if (ValidAccess(request) is not { } grant)
            {
                return Results.Json(new { status = 401, title = "Unauthorized", detail = "Invalid or expired token" }, statusCode: 401);
            }

            if (!grant.Scopes.Split(' ').Contains(ScopeFor(collection)))
            {
                return Results.Json(new { status = 403, title = "Forbidden", detail = "Missing scope" }, statusCode: 403);
            }

            Func<FakeRecord, bool> inWindow;
            if (collection == "heartrate")
            {
                if (!DateTimeOffset.TryParse(request.Query["start_datetime"], System.Globalization.CultureInfo.InvariantCulture, out var from)
                    || !DateTimeOffset.TryParse(request.Query["end_datetime"], System.Globalization.CultureInfo.InvariantCulture, out var to))
                {
                    // As at Oura: start_date on heart rate returns nothing (P9).
                    return Results.Json(new { data = Array.Empty<object>(), next_token = (string?)null });
                }

                inWindow = r => r.At >= from && r.At < to;
            }
            else
            {
                var from = DateOnly.Parse(request.Query["start_date"].ToString()[..10], System.Globalization.CultureInfo.InvariantCulture);
                var to = DateOnly.Parse(request.Query["end_date"].ToString()[..10], System.Globalization.CultureInfo.InvariantCulture);
                inWindow = r => r.Day >= from && r.Day <= to;
            }

            var rows = Data.Select(collection, grant.Account, inWindow);
            var offset = request.Query["next_token"].FirstOrDefault() is { Length: > 0 } token
                ? int.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)), System.Globalization.CultureInfo.InvariantCulture)
                : 0;
            var size = Data.PageSize(collection);
            var page = rows.Skip(offset).Take(size).Select(r => r.Body).ToList();
            var next = offset + size < rows.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes((offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture))) : null;
            return Results.Json(new { data = page, next_token = next });
        });

        MapWebhooks(app);

        app.MapGet("/v2/usercollection/personal_info", (HttpRequest request) =>
        {
            if (ValidAccess(request) is not { } grant)
            {
                return Results.Json(new { status = 401, title = "Unauthorized", detail = "Invalid or expired token" }, statusCode: 401);
            }

            if (!grant.Scopes.Split(' ').Contains("personal"))
            {
                return Results.Json(new { status = 403, title = "Forbidden", detail = "Missing scope: personal" }, statusCode: 403);
            }

            return Results.Json(new { id = grant.Account, age = 41, weight = 78.4, height = 1.81, biological_sex = "male", email = (string?)null });
        });

        app.MapMethods("/oauth/revoke", ["GET", "POST"], (HttpRequest request) =>
        {
            var grant = FindByAccessToken(request.Query["access_token"]);
            if (grant is null)
            {
                return Results.Json(new { error = "invalid_token" }, statusCode: 400);
            }

            lock (Sync)
            {
                grant.Revoked = true;
                Revocations++;
            }

            return Results.Ok();
        });
    }

    /// <summary>One application-level webhook subscription (oura.md §7).</summary>
    public sealed class WebhookSubscription
    {
        public required string Id { get; init; }
        public required string CallbackUrl { get; init; }
        public required string EventType { get; init; }
        public required string DataType { get; init; }
        public required string VerificationToken { get; init; }
        public DateTimeOffset ExpirationTime { get; set; }
        public int Renewals { get; set; }
    }

    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromDays(90);

    public ConcurrentDictionary<string, WebhookSubscription> Subscriptions { get; } = new();

    /// <summary>Reaches LifeOs's callbacks (the app's in-memory test server): verification GETs and signed POSTs.</summary>
    public HttpClient? Callbacks { get; set; }

    private void MapWebhooks(WebApplication app)
    {
        bool Authorized(HttpRequest request) => request.Headers["x-client-id"] == ClientId && request.Headers["x-client-secret"] == ClientSecret;
        object Json(WebhookSubscription s) => new { id = s.Id, callback_url = s.CallbackUrl, event_type = s.EventType, data_type = s.DataType, expiration_time = s.ExpirationTime };

        app.MapGet("/v2/webhook/subscription", (HttpRequest request) =>
            !Authorized(request) ? Results.StatusCode(401) : Results.Json(Subscriptions.Values.OrderBy(s => s.Id).Select(Json).ToList()));

        app.MapPost("/v2/webhook/subscription", async (HttpRequest request) =>
        {
            if (!Authorized(request))
            {
                return Results.StatusCode(401);
            }

            var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
            string Field(string name) => body.RootElement.TryGetProperty(name, out var v) ? v.GetString() ?? "" : "";
            var (callback, token, eventType, dataType) = (Field("callback_url"), Field("verification_token"), Field("event_type"), Field("data_type"));
            if (Subscriptions.Values.Any(s => s.CallbackUrl == callback && s.EventType == eventType && s.DataType == dataType))
            {
                return Results.Json(new { detail = "Subscription already exists" }, statusCode: 409);
            }

            // Oura verifies the callback before creating: GET with the token and a challenge, expecting it echoed.
            var challenge = RandomHex();
            using var response = Callbacks is null ? null
                : await Callbacks.GetAsync($"{new Uri(callback).AbsolutePath}?verification_token={Uri.EscapeDataString(token)}&challenge={challenge}");
            if (response is null || !response.IsSuccessStatusCode
                || System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("challenge").GetString() != challenge)
            {
                return Results.Json(new { detail = "Callback verification failed" }, statusCode: 422);
            }

            var subscription = new WebhookSubscription
            {
                Id = Guid.NewGuid().ToString(),
                CallbackUrl = callback,
                EventType = eventType,
                DataType = dataType,
                VerificationToken = token,
                ExpirationTime = Time.GetUtcNow() + SubscriptionLifetime,
            };
            Subscriptions[subscription.Id] = subscription;
            return Results.Json(Json(subscription), statusCode: 201);
        });

        app.MapPut("/v2/webhook/subscription/renew/{id}", (string id, HttpRequest request) =>
        {
            if (!Authorized(request))
            {
                return Results.StatusCode(401);
            }

            if (!Subscriptions.TryGetValue(id, out var subscription))
            {
                return Results.StatusCode(404);
            }

            subscription.ExpirationTime = Time.GetUtcNow() + SubscriptionLifetime;
            subscription.Renewals++;
            return Results.Json(Json(subscription));
        });
    }

    /// <summary>
    /// What Oura does when a document changes: a JSON POST signed with x-oura-signature (upper-case hex HMAC-SHA256
    /// of timestamp + body, keyed with the client secret) to the subscription of that data and event type.
    /// <paramref name="secret"/> signs with another key (a forged delivery).
    /// </summary>
    public async Task<HttpStatusCode> NotifyAsync(string eventType, string dataType, string objectId, string userId, DateTimeOffset eventTime, string? secret = null, string? rawBody = null)
    {
        var subscription = Subscriptions.Values.FirstOrDefault(s => s.EventType == eventType && s.DataType == dataType)
            ?? throw new InvalidOperationException($"No subscription for {eventType} {dataType}.");
        var body = rawBody ?? System.Text.Json.JsonSerializer.Serialize(new
        {
            event_type = eventType,
            data_type = dataType,
            object_id = objectId,
            event_time = eventTime.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            user_id = userId,
        });
        var timestamp = Time.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var signature = Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? ClientSecret), Encoding.UTF8.GetBytes(timestamp + body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(subscription.CallbackUrl).AbsolutePath)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-oura-signature", signature);
        request.Headers.Add("x-oura-timestamp", timestamp);
        using var response = await Callbacks!.SendAsync(request);
        return response.StatusCode;
    }

    /// <summary>The grant behind a valid Bearer token (issued, unexpired, not revoked), or null for a 401.</summary>
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

    private static IResult InvalidGrant() => Results.Json(new { error = "invalid_grant", error_description = "Token already used or revoked" }, statusCode: 400);

    private static (string? Id, string? Secret) ClientCredentials(HttpRequest request, IFormCollection form)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header) && header.Scheme == "Basic" && header.Parameter is { } basic)
        {
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(basic)).Split(':', 2);
            return (parts[0], parts.ElementAtOrDefault(1));
        }

        return (form["client_id"].FirstOrDefault(), form["client_secret"].FirstOrDefault());
    }
}
