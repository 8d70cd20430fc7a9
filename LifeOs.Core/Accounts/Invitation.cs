namespace LifeOs.Core.Accounts;

/// <summary>
/// A single-use link to create an account while registration is invite-only. Only the SHA-256 hash of the link's
/// token is stored: the token itself is shown to the administrator once, when the invitation is made.
/// </summary>
public class Invitation
{
    public int Id { get; set; }

    /// <summary>hex(SHA-256(token)).</summary>
    public required string TokenHash { get; set; }

    /// <summary>When set, only an account with this email can be created with the link.</summary>
    public string? Email { get; set; }

    /// <summary>The administrator who made it (null once their account is deleted).</summary>
    public string? CreatedByUserId { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? UsedAt { get; set; }

    /// <summary>The account created with it (null once that account is deleted; <see cref="UsedAt"/> stays).</summary>
    public string? UsedByUserId { get; set; }

    public DateTime? RevokedAt { get; set; }
}
