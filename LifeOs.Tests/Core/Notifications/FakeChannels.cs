using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LifeOs.Tests.Core.Notifications;

/// <summary>A request a fake channel server received.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>
/// An in-process HTTP server on loopback standing in for ntfy or a push service: it records every POST, can answer
/// with failures for a while, and can hold requests at a gate (a send in flight when the app stops).
/// </summary>
public class FakeChannelServer : IAsyncDisposable
{
    private WebApplication? app;

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    /// <summary>Answer this status to the next N requests (after recording them).</summary>
    public int FailNext { get; set; }

    public HttpStatusCode FailWith { get; set; } = HttpStatusCode.InternalServerError;

    /// <summary>While set, each request is recorded, then waits here until released.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>Completes when a request reached the gate.</summary>
    public TaskCompletionSource AtGate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string BaseUrl { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.MapPost("/{**path}", HandleAsync);
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single().Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
    }

    private async Task<IResult> HandleAsync(HttpContext context, string path)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var request = new ReceivedRequest("/" + path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body.ToArray());
        Received.Enqueue(request);
        if (Gate is { } gate)
        {
            AtGate.TrySetResult();
            await gate.Task;
        }

        var problem = Check(request);
        if (problem is not null)
        {
            return Results.Text(problem, statusCode: 400);
        }

        if (FailNext > 0)
        {
            FailNext--;
            return Results.StatusCode((int)FailWith);
        }

        return Accepted();
    }

    /// <summary>What a real service would refuse the request for; null when it is fine.</summary>
    protected virtual string? Check(ReceivedRequest request) => null;

    protected virtual IResult Accepted() => Results.Ok();

    public async ValueTask DisposeAsync()
    {
        Gate?.TrySetResult();
        if (app is not null)
        {
            await app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A push service (RFC 8030) that checks what a real one checks: the VAPID JWT (RFC 8292) is signed by the key in
/// the header, for this origin, not expired; and the payload is aes128gcm (RFC 8188/8291) for the subscription it
/// created. It also decrypts the payload with the subscription's private key, as the browser would.
/// </summary>
public sealed class FakePushService : FakeChannelServer
{
    private readonly ECDiffieHellman subscriber = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

    public byte[] AuthSecret { get; } = RandomNumberGenerator.GetBytes(16);

    public string P256dh => B64(PublicPoint(subscriber.ExportParameters(false)));

    public string Auth => B64(AuthSecret);

    public string Endpoint => BaseUrl + "/push/send/subscription-1";

    /// <summary>The VAPID public key the server must sign with (set by the test from the app's keys).</summary>
    public string? ExpectedVapidKey { get; set; }

    public ConcurrentQueue<string> Payloads { get; } = new();

    public ConcurrentQueue<string> Problems { get; } = new();

    protected override IResult Accepted() => Results.StatusCode(201);

    protected override string? Check(ReceivedRequest request)
    {
        var problem = Verify(request);
        if (problem is not null)
        {
            Problems.Enqueue(problem);
        }

        return problem;
    }

    private string? Verify(ReceivedRequest request)
    {
        if (!request.Headers.TryGetValue("Authorization", out var authorization) || !authorization.StartsWith("vapid ", StringComparison.Ordinal))
        {
            return "no vapid authorization";
        }

        var parts = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var token = parts["t"];
        var key = parts["k"];
        if (ExpectedVapidKey is not null && key != ExpectedVapidKey)
        {
            return "vapid key is not the server's";
        }

        var jwt = token.Split('.');
        var point = FromB64(key);
        using var verifier = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..65] } });
        if (!verifier.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), FromB64(jwt[2]), HashAlgorithmName.SHA256))
        {
            return "vapid signature does not verify";
        }

        using var claims = JsonDocument.Parse(FromB64(jwt[1]));
        var aud = claims.RootElement.GetProperty("aud").GetString();
        var exp = DateTimeOffset.FromUnixTimeSeconds(claims.RootElement.GetProperty("exp").GetInt64());
        // The origin of the push resource. Lib.Net.Http.WebPush leaves out the port, which real push services (all on
        // 443) never have; this fake listens on a random port, so scheme and host are what can be checked here.
        var origin = new Uri(BaseUrl);
        if (aud != origin.GetLeftPart(UriPartial.Authority) && aud != $"{origin.Scheme}://{origin.Host}")
        {
            return $"vapid aud {aud} is not this origin";
        }

        if (exp <= DateTimeOffset.UtcNow || exp > DateTimeOffset.UtcNow.AddHours(24))
        {
            return "vapid exp out of range";
        }

        if (!claims.RootElement.TryGetProperty("sub", out _))
        {
            return "vapid sub missing";
        }

        if (!request.Headers.TryGetValue("Content-Encoding", out var encoding) || encoding != "aes128gcm")
        {
            return "payload is not aes128gcm";
        }

        if (!request.Headers.TryGetValue("TTL", out var ttl) || !int.TryParse(ttl, out _))
        {
            return "no TTL";
        }

        var body = request.Body;
        if (body.Length < 16 + 4 + 1 + 65 + 17 || body[20] != 65 || body[21] != 0x04)
        {
            return "aes128gcm header is malformed (salt, record size, key id)";
        }

        Payloads.Enqueue(Decrypt(body));
        return null;
    }

    /// <summary>RFC 8291 section 3.4, as the user agent does it.</summary>
    private string Decrypt(byte[] body)
    {
        var salt = body[..16];
        var senderPublic = body[21..86];
        var ciphertext = body[86..];
        using var sender = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = senderPublic[1..33], Y = senderPublic[33..65] } });
        var ecdh = subscriber.DeriveRawSecretAgreement(sender.PublicKey);
        var uaPublic = PublicPoint(subscriber.ExportParameters(false));
        var keyInfo = Encoding.ASCII.GetBytes("WebPush: info\0").Concat(uaPublic).Concat(senderPublic).ToArray();
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, ecdh, 32, AuthSecret, keyInfo);
        var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, Encoding.ASCII.GetBytes("Content-Encoding: aes128gcm\0"));
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, Encoding.ASCII.GetBytes("Content-Encoding: nonce\0"));
        var plain = new byte[ciphertext.Length - 16];
        using var aes = new AesGcm(cek, 16);
        aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);
        var end = Array.LastIndexOf(plain, (byte)0x02);
        return Encoding.UTF8.GetString(plain, 0, end);
    }

    private static byte[] PublicPoint(ECParameters p) => [0x04, .. p.Q.X!, .. p.Q.Y!];

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromB64(string value)
    {
        var s = value.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }
}
