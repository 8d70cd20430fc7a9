using System.Globalization;
using LifeOs.Core.Connections;
using LifeOs.Core.Sync;
using MudBlazor;

namespace LifeOs.Web.Components.Pages.Integrations;

/// <summary>The words and colours /integrations uses for states, permissions, triggers and results.</summary>
public static class IntegrationText
{
    /// <summary>The card's <c>data-state</c>: not-configured, not-connected, connected, needs-reconnect, error.</summary>
    public static string StateName(ConnectionState state) => state switch
    {
        ConnectionState.NotConfigured => "not-configured",
        ConnectionState.NotConnected => "not-connected",
        ConnectionState.Connected => "connected",
        ConnectionState.NeedsReconnect => "needs-reconnect",
        _ => "error",
    };

    public static string StateLabel(ConnectionState state) => state switch
    {
        ConnectionState.NotConfigured => "Not configured",
        ConnectionState.NotConnected => "Not connected",
        ConnectionState.Connected => "Connected",
        ConnectionState.NeedsReconnect => "Needs reconnect",
        _ => "Error",
    };

    public static Color StateColor(ConnectionState state) => state switch
    {
        ConnectionState.Connected => Color.Success,
        ConnectionState.NeedsReconnect => Color.Warning,
        ConnectionState.Error => Color.Error,
        ConnectionState.NotConnected => Color.Primary,
        _ => Color.Default,
    };

    public static string StateIcon(ConnectionState state) => state switch
    {
        ConnectionState.Connected => Icons.Material.Rounded.CheckCircle,
        ConnectionState.NeedsReconnect => Icons.Material.Rounded.LinkOff,
        ConnectionState.Error => Icons.Material.Rounded.ErrorOutline,
        ConnectionState.NotConnected => Icons.Material.Rounded.AddLink,
        _ => Icons.Material.Rounded.Settings,
    };

    public static string Blurb(ProviderKind provider) => provider switch
    {
        ProviderKind.Oura => "Sleep, readiness, activity, heart rate and blood oxygen from your Oura Ring.",
        _ => "Weight, body composition, blood pressure, activity and sleep from your Withings devices.",
    };

    /// <summary>Where an administrator registers LifeOs as an app with the provider.</summary>
    public static string DeveloperPortal(ProviderKind provider) => provider switch
    {
        ProviderKind.Oura => "https://developer.ouraring.com/",
        _ => "https://developer.withings.com/dashboard/",
    };

    public static string DeveloperPortalName(ProviderKind provider) => provider switch
    {
        ProviderKind.Oura => "Oura developer portal",
        _ => "Withings developer dashboard",
    };

    public static string ScopeLabel(string scope) => scope switch
    {
        "personal" => "Profile",
        "email" => "Email address",
        "daily" => "Daily sleep, readiness and activity",
        "heartrate" => "Heart rate",
        "workout" => "Workouts",
        "session" => "Sessions",
        "spo2" or "spo2Daily" => "Blood oxygen",
        "tag" => "Tags",
        "user.metrics" => "Body measurements and blood pressure",
        "user.activity" => "Activity and sleep",
        "user.sleepevents" => "Bed in / out events",
        "user.info" => "Profile",
        _ => scope,
    };

    public static string TriggerLabel(SyncTrigger trigger) => trigger switch
    {
        SyncTrigger.Manual => "Sync now",
        SyncTrigger.Nightly => "Nightly",
        SyncTrigger.Webhook => "Live update",
        _ => "History",
    };

    /// <summary>"Live updates: on · last notification 3 minutes ago".</summary>
    public static string LiveUpdates(DateTime? lastNotification, DateTime nowUtc)
    {
        if (lastNotification is not { } last)
        {
            return "Live updates: on · no notification yet";
        }

        var ago = nowUtc - last;
        var when = ago < TimeSpan.FromMinutes(1) ? "just now"
            : ago < TimeSpan.FromHours(1) ? Count((int)ago.TotalMinutes, "minute", "minutes") + " ago"
            : ago < TimeSpan.FromDays(1) ? Count((int)ago.TotalHours, "hour", "hours") + " ago"
            : Count((int)ago.TotalDays, "day", "days") + " ago";
        return $"Live updates: on · last notification {when}";
    }

    public static string RunStatusLabel(SyncRunStatus status) => status switch
    {
        SyncRunStatus.Queued => "Queued",
        SyncRunStatus.Running => "Running",
        SyncRunStatus.Succeeded => "Succeeded",
        SyncRunStatus.Partial => "Partly synced",
        _ => "Failed",
    };

    public static string RunStatusIcon(SyncRunStatus status) => status switch
    {
        SyncRunStatus.Succeeded => Icons.Material.Rounded.CheckCircle,
        SyncRunStatus.Partial => Icons.Material.Rounded.Warning,
        SyncRunStatus.Failed => Icons.Material.Rounded.Error,
        _ => Icons.Material.Rounded.Schedule,
    };

    public static Color RunStatusColor(SyncRunStatus status) => status switch
    {
        SyncRunStatus.Succeeded => Color.Success,
        SyncRunStatus.Partial => Color.Warning,
        SyncRunStatus.Failed => Color.Error,
        _ => Color.Primary,
    };

    public static string Count(int value, string one, string many) =>
        string.Create(CultureInfo.InvariantCulture, $"{value:N0} {(value == 1 ? one : many)}");

    /// <summary>What a run ended with, for the snackbar that appears when a run the page watched finishes.</summary>
    public static (string Message, Severity Severity) RunFinished(ProviderKind provider, SyncRunView run)
    {
        var name = provider.DisplayName();
        var values = Count(run.SamplesWritten, "value", "values");
        return run.Status switch
        {
            SyncRunStatus.Succeeded when run.SamplesWritten == 0 => ($"{name} sync finished: nothing new since the last one.", Severity.Success),
            SyncRunStatus.Succeeded => ($"{name} sync finished: {values} saved.", Severity.Success),
            SyncRunStatus.Partial => ($"{name} sync finished with gaps: {values} saved. Recent syncs say what was missing.", Severity.Warning),
            _ => ($"{name} sync failed. {run.Error}".TrimEnd(), Severity.Error),
        };
    }

    /// <summary>What the snackbar says after "Sync now" or "Fetch older history" asked for a run.</summary>
    public static (string Message, Severity Severity) Enqueued(ProviderKind provider, EnqueueOutcome outcome) => outcome switch
    {
        EnqueueOutcome.Queued => ($"{provider.DisplayName()} sync queued. Its progress shows on the card.", Severity.Success),
        EnqueueOutcome.AlreadyActive => ($"{provider.DisplayName()} is already syncing. Its progress shows on the card.", Severity.Info),
        EnqueueOutcome.NeedsReconnect => ($"{provider.DisplayName()} needs to be connected again before it can sync.", Severity.Warning),
        _ => ($"{provider.DisplayName()} is not connected.", Severity.Error),
    };
}
