namespace LifeOs.Core.Audit;

/// <summary>
/// One thing that happened to an account or the server, kept for <c>LifeOs:Audit:RetentionDays</c>. Never holds a
/// secret: no password, token, code or link, only what happened, to whom, by whom, from where.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    /// <summary>When it happened (UTC).</summary>
    public DateTime At { get; set; }

    public AuditKind Kind { get; set; }

    /// <summary>The account it concerns; null for a sign-in attempt with an unknown email, or a server-wide change.</summary>
    public string? UserId { get; set; }

    /// <summary>Who did it, when signed in; null for the person themself signing in, an anonymous request, or the server.</summary>
    public string? ActorUserId { get; set; }

    public string? IpAddress { get; set; }

    public string? UserAgent { get; set; }

    /// <summary>A short description for people (a provider's name, a file name and row count, an email for admin actions).</summary>
    public string? Detail { get; set; }
}

/// <summary>Stored by name, so the list can grow and be reordered.</summary>
public enum AuditKind
{
    // The person's own security events.
    SignedIn,
    SignInFailed,
    LockedOut,
    PasswordChanged,
    PasswordSet,
    PasswordReset,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodesGenerated,
    EmailChanged,

    // Their data.
    ProviderConnected,
    ProviderDisconnected,
    DataExported,
    MeasurementsImported,
    JournalImported,
    ApiKeyCreated,
    ApiKeyRevoked,

    // What administrators did.
    AdminCreatedUser,
    AdminCreatedPasswordLink,
    AdminResetTwoFactor,
    AdminDisabledUser,
    AdminEnabledUser,
    AdminDeletedUser,
    AdminPromotedUser,
    AdminDemotedUser,
    AdminChangedRegistration,
    AdminCreatedInvitation,
    AdminRevokedInvitation,
    AccountDeleted,

    // Fixing their measurements (appended: the list is append-only).
    MeasurementsEdited,
    MeasurementsDeleted,
    MeasurementsExcluded,
    MeasurementsIncluded,

    // Appended: a full account export restored into the account.
    AccountRestored,
}

public static class AuditKinds
{
    public static bool IsAdminAction(this AuditKind kind) => kind.ToString().StartsWith("Admin", StringComparison.Ordinal);

    /// <summary>How the event reads on the person's own page and the admin page.</summary>
    public static string Describe(this AuditKind kind) => kind switch
    {
        AuditKind.SignedIn => "Signed in",
        AuditKind.SignInFailed => "Sign-in failed",
        AuditKind.LockedOut => "Locked out after failed sign-ins",
        AuditKind.PasswordChanged => "Password changed",
        AuditKind.PasswordSet => "Password set",
        AuditKind.PasswordReset => "Password reset with a link",
        AuditKind.TwoFactorEnabled => "Two-factor sign-in turned on",
        AuditKind.TwoFactorDisabled => "Two-factor sign-in turned off",
        AuditKind.RecoveryCodesGenerated => "New recovery codes made",
        AuditKind.EmailChanged => "Email changed",
        AuditKind.ProviderConnected => "Connected a device account",
        AuditKind.ProviderDisconnected => "Disconnected a device account",
        AuditKind.DataExported => "Downloaded their data",
        AuditKind.MeasurementsImported => "Imported measurements",
        AuditKind.JournalImported => "Imported journal entries",
        AuditKind.ApiKeyCreated => "Created an API key",
        AuditKind.ApiKeyRevoked => "Revoked an API key",
        AuditKind.AdminCreatedUser => "Created an account",
        AuditKind.AdminCreatedPasswordLink => "Made a password link",
        AuditKind.AdminResetTwoFactor => "Reset two-factor sign-in",
        AuditKind.AdminDisabledUser => "Disabled an account",
        AuditKind.AdminEnabledUser => "Enabled an account",
        AuditKind.AdminDeletedUser => "Deleted an account",
        AuditKind.AdminPromotedUser => "Made an administrator",
        AuditKind.AdminDemotedUser => "Removed an administrator",
        AuditKind.AdminChangedRegistration => "Changed registration",
        AuditKind.AdminCreatedInvitation => "Created an invitation",
        AuditKind.AdminRevokedInvitation => "Revoked an invitation",
        AuditKind.AccountDeleted => "An account was deleted by its owner",
        AuditKind.MeasurementsEdited => "Edited a measurement",
        AuditKind.MeasurementsDeleted => "Deleted measurements",
        AuditKind.MeasurementsExcluded => "Excluded measurements from their days",
        AuditKind.MeasurementsIncluded => "Included measurements again",
        AuditKind.AccountRestored => "Restored an export of their data",
        _ => kind.ToString(),
    };
}
