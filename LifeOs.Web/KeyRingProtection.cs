using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LifeOs.Core.Data;
using Microsoft.AspNetCore.DataProtection;

namespace LifeOs.Web;

/// <summary>
/// The optional <c>LifeOs:DataProtection</c> section: a certificate that encrypts the DataProtection key ring at
/// rest, so a copy of the database (a backup, a leaked volume) cannot open the tokens encrypted in it without the
/// certificate's private key.
/// </summary>
public sealed class KeyRingOptions
{
    public const string SectionName = "LifeOs:DataProtection";

    /// <summary>A PFX (PKCS#12) file holding an RSA certificate with its private key; empty keeps the keys unencrypted.</summary>
    public string? CertificatePath { get; set; }

    public string? CertificatePassword { get; set; }

    /// <summary>
    /// Certificates that protected keys before the current one (separated by commas), opened with
    /// <see cref="CertificatePassword"/>: keys written under them stay readable after a rotation.
    /// </summary>
    public string? PreviousCertificatePaths { get; set; }
}

public static class KeyRingProtection
{
    private static string Key(string setting) => $"{KeyRingOptions.SectionName}:{setting} (env LifeOs__DataProtection__{setting})";

    /// <summary>
    /// Encrypts new keys with the configured certificate and lets keys written under it or a previous one be read.
    /// Every certificate is opened now, so a missing file, a wrong password or a certificate without its private
    /// key stops start-up with a <see cref="StartupException"/> that names the setting.
    /// </summary>
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder, IConfiguration configuration, string contentRoot)
    {
        var options = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        var previous = (options.PreviousCertificatePaths ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            if (previous.Length > 0)
            {
                throw new StartupException($"{Key("CertificatePath")} is required when {KeyRingOptions.SectionName}:PreviousCertificatePaths is set: it names the certificate that protects new keys.");
            }

            return builder;
        }

        var certificate = Load(options.CertificatePath, options.CertificatePassword, contentRoot, Key("CertificatePath"));
        var previousCertificates = previous.Select(path => Load(path, options.CertificatePassword, contentRoot, Key("PreviousCertificatePaths"))).ToArray();
        builder.ProtectKeysWithCertificate(certificate);
        if (previousCertificates.Length > 0)
        {
            builder.UnprotectKeysWithAnyCertificate([certificate, .. previousCertificates]);
        }

        return builder;
    }

    internal static X509Certificate2 Load(string configuredPath, string? password, string contentRoot, string key)
    {
        var path = Path.GetFullPath(Path.Combine(contentRoot, configuredPath));
        if (!File.Exists(path))
        {
            throw new StartupException($"{key} is '{configuredPath}', but there is no file at '{path}'. Set it to the PFX file of the certificate that protects the DataProtection keys.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, string.IsNullOrEmpty(password) ? null : password);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"{key}: the file '{path}' cannot be read ({ex.Message}). Give the app's user read access to it.", ex);
        }
        catch (CryptographicException ex)
        {
            throw new StartupException(
                $"{key}: '{path}' cannot be opened as a PFX (PKCS#12) file with the password in {Key("CertificatePassword")} ({ex.Message}). " +
                "Check the file and the password.", ex);
        }

        if (!certificate.HasPrivateKey || certificate.GetRSAPrivateKey() is null)
        {
            certificate.Dispose();
            throw new StartupException($"{key}: the certificate in '{path}' has no RSA private key. Export it with its private key (a PFX made from an RSA key pair).");
        }

        return certificate;
    }
}
