namespace LifeOs.Core.Accounts;

public static class Roles
{
    /// <summary>The first account on an install; sees /admin and can open or close registration.</summary>
    public const string Administrator = "Administrator";
}
