using Microsoft.AspNetCore.DataProtection;

namespace LifeOs.Core.Connections;

/// <summary>
/// The one place provider secrets are encrypted and decrypted. The key ring lives in the data directory
/// (see WebApplicationExtensions), so tokens still decrypt after a restart or an upgrade.
/// </summary>
public sealed class TokenProtector(IDataProtectionProvider provider)
{
    public const string Purpose = "LifeOs.Connections.Tokens.v1";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public string Protect(string secret) => protector.Protect(secret);

    public string Unprotect(string protectedSecret) => protector.Unprotect(protectedSecret);
}
