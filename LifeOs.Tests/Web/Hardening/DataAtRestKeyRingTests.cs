using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LifeOs.Core.Data;
using LifeOs.Tests.TestSupport;
using LifeOs.Web;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// LifeOs:DataProtection:CertificatePath: the key ring in the database is encrypted with the certificate,
/// still opens after a restart with it, and no longer opens without it. Without the setting, keys are written as before.
/// </summary>
public sealed class DataAtRestKeyRingTests : IDisposable
{
    private const string PfxPassword = "pfx-Password-1";

    private readonly string dataDirectory = TempDirectory.Create("lifeos-keyring");
    private readonly string certificates = TempDirectory.Create("lifeos-certs");

    public void Dispose()
    {
        TempDirectory.Delete(dataDirectory);
        TempDirectory.Delete(certificates);
    }

    /// <summary>A self-signed RSA certificate with its private key, as a PFX file; or without the key when asked.</summary>
    private string CreatePfx(string name, bool withPrivateKey = true)
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=LifeOs key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        using var exported = withPrivateKey ? certificate : X509CertificateLoader.LoadCertificate(certificate.RawData);
        var path = Path.Combine(certificates, name);
        File.WriteAllBytes(path, exported.Export(X509ContentType.Pfx, PfxPassword));
        return path;
    }

    private static Dictionary<string, string?> WithCertificate(string path) => new()
    {
        ["LifeOs:DataProtection:CertificatePath"] = path,
        ["LifeOs:DataProtection:CertificatePassword"] = PfxPassword,
    };

    private string[] StoredKeys() => [.. StoredKeyRing.Read(dataDirectory).Values];

    [Fact]
    public async Task WithACertificate_KeysAreEncrypted_AndSignInSurvivesARestart_ButNotTheCertificatesLoss()
    {
        var pfx = CreatePfx("keyring.pfx");
        string cookie;
        await using (var first = new LifeOsAppFactory(WithCertificate(pfx), dataDirectory))
        {
            cookie = await AuthCookie.RegisterAsync(first, "keys@example.com");
        }

        var keys = StoredKeys();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        });

        await using (var restarted = new LifeOsAppFactory(WithCertificate(pfx), dataDirectory))
        {
            Assert.Equal(HttpStatusCode.OK, await AuthCookie.GetWithCookieAsync(restarted, cookie));
            using var client = restarted.CreateTestClient();
            Assert.Equal(HttpStatusCode.Redirect, (await client.LoginAsync("keys@example.com")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/settings")).StatusCode);
        }

        // Why the certificate must be backed up with the database: without it the same key ring opens nothing.
        await using var withoutCertificate = new LifeOsAppFactory(dataDirectory: dataDirectory);
        Assert.Equal(HttpStatusCode.Redirect, await AuthCookie.GetWithCookieAsync(withoutCertificate, cookie));
    }

    [Fact]
    public async Task AfterARotation_KeysOfThePreviousCertificate_StillOpen()
    {
        var old = CreatePfx("old.pfx");
        string cookie;
        await using (var first = new LifeOsAppFactory(WithCertificate(old), dataDirectory))
        {
            cookie = await AuthCookie.RegisterAsync(first, "keys@example.com");
        }

        var rotated = WithCertificate(CreatePfx("new.pfx"));
        rotated["LifeOs:DataProtection:PreviousCertificatePaths"] = old;
        await using var restarted = new LifeOsAppFactory(rotated, dataDirectory);
        Assert.Equal(HttpStatusCode.OK, await AuthCookie.GetWithCookieAsync(restarted, cookie));
    }

    [Fact]
    public async Task WithoutACertificate_KeysAreWrittenAsBefore()
    {
        await using (var app = new LifeOsAppFactory(dataDirectory: dataDirectory))
        {
            await AuthCookie.RegisterAsync(app, "keys@example.com");
        }

        var keys = StoredKeys();
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("<masterKey", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<encryptedSecret", xml, StringComparison.Ordinal);
        });
    }

    private void Configure(Dictionary<string, string?> settings) =>
        new ServiceCollection().AddDataProtection()
            .ProtectKeysWithConfiguredCertificate(new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), certificates);

    [Fact]
    public void AMissingFile_StopsStartUp_NamingTheSetting()
    {
        var failure = Assert.Throws<StartupException>(() => Configure(WithCertificate("missing.pfx")));
        Assert.Equal(
            $"LifeOs:DataProtection:CertificatePath (env LifeOs__DataProtection__CertificatePath) is 'missing.pfx', but there is no file at '{Path.Combine(certificates, "missing.pfx")}'. " +
            "Set it to the PFX file of the certificate that protects the DataProtection keys.",
            failure.Message);
    }

    [Fact]
    public void AWrongPassword_OrAFileThatIsNoPfx_StopsStartUp_NamingThePasswordSetting()
    {
        var settings = WithCertificate(CreatePfx("keyring.pfx"));
        settings["LifeOs:DataProtection:CertificatePassword"] = "not-the-password";
        var wrongPassword = Assert.Throws<StartupException>(() => Configure(settings));
        Assert.StartsWith("LifeOs:DataProtection:CertificatePath (env LifeOs__DataProtection__CertificatePath): ", wrongPassword.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be opened as a PFX (PKCS#12) file with the password in LifeOs:DataProtection:CertificatePassword (env LifeOs__DataProtection__CertificatePassword)", wrongPassword.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", wrongPassword.Message, StringComparison.Ordinal);

        var text = Path.Combine(certificates, "keyring.txt");
        File.WriteAllText(text, "not a certificate");
        var notPfx = Assert.Throws<StartupException>(() => Configure(WithCertificate(text)));
        Assert.Contains("cannot be opened as a PFX (PKCS#12) file", notPfx.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ACertificateWithoutItsPrivateKey_StopsStartUp()
    {
        var path = CreatePfx("public-only.pfx", withPrivateKey: false);
        var failure = Assert.Throws<StartupException>(() => Configure(WithCertificate(path)));
        Assert.Equal(
            $"LifeOs:DataProtection:CertificatePath (env LifeOs__DataProtection__CertificatePath): the certificate in '{path}' has no RSA private key. " +
            "Export it with its private key (a PFX made from an RSA key pair).",
            failure.Message);
    }

    [Fact]
    public void PreviousCertificates_WithoutACurrentOne_StopStartUp()
    {
        var failure = Assert.Throws<StartupException>(() => Configure(new() { ["LifeOs:DataProtection:PreviousCertificatePaths"] = "old.pfx" }));
        Assert.Equal(
            "LifeOs:DataProtection:CertificatePath (env LifeOs__DataProtection__CertificatePath) is required when LifeOs:DataProtection:PreviousCertificatePaths is set: it names the certificate that protects new keys.",
            failure.Message);
    }
}
