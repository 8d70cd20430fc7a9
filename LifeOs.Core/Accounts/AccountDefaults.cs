namespace LifeOs.Core.Accounts;

internal static class AccountDefaults
{
    public static readonly DateTime CreatedAtPlaceholder = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
