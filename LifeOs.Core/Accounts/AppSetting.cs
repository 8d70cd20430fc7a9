namespace LifeOs.Core.Accounts;

/// <summary>An install-wide setting changed at runtime by the administrator (overrides configuration).</summary>
public class AppSetting
{
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}
