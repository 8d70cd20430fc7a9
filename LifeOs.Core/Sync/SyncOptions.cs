using Microsoft.Extensions.Options;

namespace LifeOs.Core.Sync;

/// <summary>The <c>Sync</c> configuration section.</summary>
public sealed class SyncOptions
{
    public const string SectionName = "Sync";

    /// <summary>Local hour (0–23, in each user's own time zone) of the nightly sync.</summary>
    public int NightlyHour { get; set; } = 4;

    /// <summary>How many connections sync at once in this app instance.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>How much history the first sync after connecting fetches.</summary>
    public int BackfillDays { get; set; } = 365;

    /// <summary>Days re-fetched on every run before the cursor, to catch late and edited data.</summary>
    public int OverlapDays { get; set; } = 3;

    /// <summary>Withings allows 120 requests per minute for the whole app (all users together).</summary>
    public int WithingsRequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// Takes Withings' permits from a bucket in the database as well, so that all instances together stay within
    /// <see cref="WithingsRequestsPerMinute"/>. Unset: on with a database server (several instances can share it),
    /// off with SQLite (one process owns the file, and its own limiter suffices).
    /// </summary>
    public bool? SharedWithingsLimit { get; set; }

    /// <summary>Oura limits each access token (historically 5,000 requests per 5 minutes); LifeOs stays under this per connection.</summary>
    public int OuraRequestsPerMinutePerConnection { get; set; } = 1000;

    /// <summary>One request (one page) may take this long before it counts as a timeout and is retried.</summary>
    public double RequestTimeoutSeconds { get; set; } = 30;

    /// <summary>Retries after the first attempt for timeouts, 5xx, 429 and Withings 601.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>First backoff step; doubles each retry, with jitter.</summary>
    public double RetryBaseDelaySeconds { get; set; } = 2;

    /// <summary>Multiplies every wait (backoff, Retry-After, wait_seconds). Tests set 0 so they never wait in real time.</summary>
    public double RetryDelayScale { get; set; } = 1;

    /// <summary>Runs the Quartz scheduler (nightly dispatch and queued runs). Tests turn it off and run jobs directly.</summary>
    public bool RunScheduler { get; set; } = true;

    /// <summary>How often the dispatcher looks for users whose nightly time has come (and missed runs).</summary>
    public int DispatchIntervalMinutes { get; set; } = 5;

    /// <summary>Sync history older than this is deleted.</summary>
    public int HistoryDays { get; set; } = 90;

    /// <summary>
    /// A running sync that has not committed a window for this long lost its worker (a crash, a killed process):
    /// the planner fails it, and the connection's next run continues from its cursors.
    /// </summary>
    public int StaleRunMinutes { get; set; } = 30;

    /// <summary>
    /// The Quartz scheduler's name. On PostgreSQL it names the cluster: every instance of one installation uses the same
    /// (default <c>LifeOs</c>) and shares the schedule in the database. On SQLite each app host gets a unique name unless
    /// this is set. Quartz keeps one scheduler per name in a process, so hosts in one process (tests) need different names.
    /// </summary>
    public string? SchedulerName { get; set; }

    /// <summary>
    /// PostgreSQL: how often each instance tells the cluster it is alive; an instance silent for twice this long is
    /// taken for dead and another recovers its running syncs.
    /// </summary>
    public double ClusterCheckinSeconds { get; set; } = 10;

    /// <summary>
    /// How long the webhook dispatcher waits for deliveries to stop arriving before it gives their connections runs
    /// (at most three times this after the first). A phone's sync sends several notifications at once (weight, then
    /// activity, then sleep), and a run started on the first would miss the others' windows and need a second run:
    /// waiting makes one run of them, saves Withings requests, and keeps the runs' writes from competing with the
    /// deliveries still coming in. 0 dispatches at once.
    /// </summary>
    public double WebhookSettleSeconds { get; set; } = 1;
}

internal sealed class SyncOptionsValidator : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var failures = new List<string>();
        void Check(bool ok, string key, string rule)
        {
            if (!ok)
            {
                failures.Add($"Sync:{key} (env Sync__{key}) {rule}.");
            }
        }

        Check(options.NightlyHour is >= 0 and <= 23, nameof(options.NightlyHour), "must be an hour from 0 to 23");
        Check(options.MaxConcurrency is >= 1 and <= 64, nameof(options.MaxConcurrency), "must be from 1 to 64");
        Check(options.BackfillDays is >= 1 and <= 3650, nameof(options.BackfillDays), "must be from 1 to 3650 days");
        Check(options.OverlapDays is >= 0 and <= 60, nameof(options.OverlapDays), "must be from 0 to 60 days");
        Check(options.WithingsRequestsPerMinute >= 1, nameof(options.WithingsRequestsPerMinute), "must be at least 1");
        Check(options.OuraRequestsPerMinutePerConnection >= 1, nameof(options.OuraRequestsPerMinutePerConnection), "must be at least 1");
        Check(options.RequestTimeoutSeconds > 0, nameof(options.RequestTimeoutSeconds), "must be positive");
        Check(options.MaxRetries is >= 0 and <= 10, nameof(options.MaxRetries), "must be from 0 to 10");
        Check(options.RetryDelayScale >= 0, nameof(options.RetryDelayScale), "must not be negative");
        Check(options.DispatchIntervalMinutes is >= 1 and <= 60, nameof(options.DispatchIntervalMinutes), "must be from 1 to 60 minutes");
        Check(options.HistoryDays >= 1, nameof(options.HistoryDays), "must be at least 1 day");
        Check(options.StaleRunMinutes is >= 5 and <= 1440, nameof(options.StaleRunMinutes), "must be from 5 to 1440 minutes");
        Check(options.ClusterCheckinSeconds is >= 0.1 and <= 600, nameof(options.ClusterCheckinSeconds), "must be from 0.1 to 600 seconds");
        Check(options.WebhookSettleSeconds is >= 0 and <= 60, nameof(options.WebhookSettleSeconds), "must be from 0 to 60 seconds");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
