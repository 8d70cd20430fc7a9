using System.Security.Cryptography;
using System.Text.Json;
using LifeOs.Core.Data;
using Microsoft.Extensions.Options;

namespace LifeOs.Core.Notifications;

/// <summary>
/// The server's VAPID key pair (P-256), made once and kept in the data directory (<c>vapid.json</c>, owner-only):
/// browsers bind each push subscription to the public key, so a new pair would silently end every subscription.
/// </summary>
public sealed class VapidKeys
{
    public VapidKeys(DataDirectory directory, IOptions<LifeOsOptions> options)
    {
        this.options = options;
        var path = Path.Combine(directory.Root, "vapid.json");
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path))!;
            PublicKey = stored.PublicKey;
            PrivateKey = stored.PrivateKey;
            return;
        }

        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
        // The uncompressed point (0x04 || X || Y) that PushManager.subscribe takes as applicationServerKey.
        PublicKey = Base64Url([0x04, .. parameters.Q.X!, .. parameters.Q.Y!]);
        PrivateKey = Base64Url(parameters.D!);
        Directory.CreateDirectory(directory.Root);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(new Stored(PublicKey, PrivateKey)));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        // Two instances starting at once: the first file wins, and both use it.
        try
        {
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException)
        {
            File.Delete(temporary);
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path))!;
            PublicKey = stored.PublicKey;
            PrivateKey = stored.PrivateKey;
        }
    }

    private readonly IOptions<LifeOsOptions> options;

    /// <summary>Base64url, as browsers and Lib.Net.Http.WebPush take it.</summary>
    public string PublicKey { get; }

    internal string PrivateKey { get; }

    /// <summary>The contact push services may use: the public address, else the address the channel was added from.</summary>
    internal string Subject(string linkBase) => string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl) ? linkBase.TrimEnd('/') : options.Value.PublicBaseUrl.TrimEnd('/');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Stored(string PublicKey, string PrivateKey);
}
