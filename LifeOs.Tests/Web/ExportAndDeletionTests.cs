using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using LifeOs.Core.Accounts;
using LifeOs.Core.Connections;
using LifeOs.Core.Goals;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;
using LifeOs.Core.Journal;
using LifeOs.Core.Sync;
using LifeOs.Tests.TestSupport;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LifeOs.Tests.Web;

/// <summary>The account export zip and account deletion, across every table the app has.</summary>
public sealed class ExportAndDeletionTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:DefaultTimeZone"] = "Europe/Paris" });

    /// <summary>
    /// Where each table's rows show in the zip: the file, and the marker <see cref="SeedEverythingAsync"/> gives the
    /// user's row. A table of the model that is neither here nor in <see cref="NotExported"/> fails the test, so a new
    /// table joins the export (one more <c>IUserDataExporter</c>) or is listed below with the reason.
    /// </summary>
    private static readonly Dictionary<string, (string File, Func<string, string> Marker)> Exported = new()
    {
        ["AspNetUsers"] = ("account.json", tag => $"+1 555 0100 {tag}"),
        ["AspNetUserRoles"] = ("account.json", _ => "Administrator"),
        ["AspNetUserLogins"] = ("account.json", tag => $"Provider-{tag}"),
        ["AspNetUserClaims"] = ("account.json", tag => $"claim-{tag}"),
        ["AspNetUserPasskeys"] = ("account.json", tag => $"passkey-{tag}"),
        // The stored order, then the sources it does not list (the phone through Withings, the API and Apple Health, newer than the stored order) in default order.
        ["SourcePriorities"] = ("account.json", tag => $"\"order\":[{string.Join(',', (PriorityOf(tag) + ",WithingsPhone,Api,AppleHealth").Split(',').Select(s => $"\"{s}\""))}]"),
        ["Samples"] = ("health/samples.csv", tag => $"rec-{tag}"),
        ["DailyValues"] = ("health/daily-values.csv", tag => tag == "mine" ? "steps,count,2026-11-20,12345,Oura,1" : "steps,count,2026-11-20,54321,Oura,1"),
        ["JournalEntries"] = ("journal/entries.json", tag => $"Café entry body {tag} ☕"),
        ["JournalTags"] = ("journal/entries.json", tag => $"tag-{tag}"),
        ["JournalTemplates"] = ("journal/settings.json", tag => $"template {tag}"),
        ["JournalDrafts"] = ("journal/drafts.json", tag => $"unsaved draft {tag}"),
        ["JournalPreferences"] = ("journal/settings.json", tag => $"\"streakGraceRule\": {(tag == "mine" ? "true" : "false")}"),
        ["Goals"] = ("goals.json", tag => $"goal {tag}"),
        ["Connections"] = ("connections.json", tag => $"oura-user-{tag}"),
        ["SyncRuns"] = ("sync-history.json", tag => $"run error {tag}"),
        ["SyncCursors"] = ("sync-progress.json", tag => $"cursor-{tag}"),
        ["AuditEvents"] = ("security-activity.json", tag => $"audit-{tag}"),
        ["ApiKeys"] = ("api-keys.json", tag => $"api key {tag}"),
        ["ImportBatches"] = ("health/import-batches.csv", tag => $"weights-{tag}.csv"),
        ["Workouts"] = ("health/workouts.csv", tag => $"workout-{tag}"),
        ["NotificationChannels"] = ("notifications.json", tag => $"channel-{tag}"),
        ["ReminderSettings"] = ("notifications.json", tag => tag == "mine" ? "\"localTime\":\"06:15:00\"" : "\"localTime\":\"23:45:00\""),
        ["NotificationPreferences"] = ("notifications.json", tag => tag == "mine" ? "\"from\":\"21:15:00\"" : "\"from\":\"20:45:00\""),
        ["NotificationOccurrences"] = ("notifications.json", tag => $"reminder {tag}"),
        ["NotificationDeliveries"] = ("notifications.json", tag => $"delivery error {tag}"),
    };

    private static readonly Dictionary<string, string> NotExported = new()
    {
        ["AspNetUserTokens"] = "the authenticator key and recovery codes: secrets",
        ["OAuthStates"] = "a provider sign-in in progress (a hashed state, an encrypted verifier), gone in 10 minutes",
        ["AppSettings"] = "the server's settings (registration open or closed), not a user's",
        ["AspNetRoles"] = "the roles that exist; the user's own roles are in account.json",
        ["AspNetRoleClaims"] = "claims of roles, not of users",
        ["Invitations"] = "links administrators make for others to join (only a hash of each), not a user's data",
        ["BackgroundWork"] = "progress of work running now (a time zone change, an import); what it did is in the data itself",
        ["ProviderNotifications"] = "providers' \"new data\" deliveries (ids and windows only), kept 30 days; the data they led to is in health/samples.csv and the runs in sync-history.json",
        ["DataProtectionKeys"] = "the server's key ring (it decrypts everyone's cookies and tokens): a secret, and no user's",
        ["SharedRateBuckets"] = "the app's remaining Withings permits, shared by its instances; no user's",
        ["UserNumbers"] = "the user's number that their samples name instead of their id: a key inside this database, given anew on restore",
    };

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    [Fact]
    public async Task EveryTableOfTheModel_IsExportedOrListedWithAReason()
    {
        var tables = await app.WithDbAsync(db => Task.FromResult(db.Model.GetEntityTypes()
            .Select(e => e.GetTableName()).OfType<string>().ToHashSet()));

        var unknown = tables.Except(Exported.Keys).Except(NotExported.Keys).Order().ToList();
        Assert.True(unknown.Count == 0,
            $"Tables the export test does not know: {string.Join(", ", unknown)}. Add an IUserDataExporter for them and a case in {nameof(Exported)} (and in {nameof(SeedEverythingAsync)}), or list them in {nameof(NotExported)} with the reason.");
        Assert.Empty(Exported.Keys.Concat(NotExported.Keys).Except(tables));
    }

    [Fact]
    public async Task Export_HoldsARowOfEveryTable_AndNothingOfAnotherUser_NorAnySecret()
    {
        using var mine = app.CreateTestClient();
        await mine.RegisterAsync("me@example.com");
        using var other = app.CreateTestClient();
        await other.RegisterAsync("other@example.com");
        var ids = await app.WithDbAsync(db => db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id));
        var mySecrets = await SeedEverythingAsync(app, ids["me@example.com"], "mine");
        await SeedEverythingAsync(app, ids["other@example.com"], "theirs");
        // A reading left out of its day (a guest on the scale): the export says so.
        await app.WithDbAsync(db => db.Samples.Where(s => s.SourceRecordId == "rec-mine").ExecuteUpdateAsync(u => u.SetProperty(s => s.Excluded, true)));

        // Every exported table really holds rows now, so each marker below comes from its own table.
        foreach (var table in Exported.Keys)
        {
            Assert.True(await CountAsync(table) >= 1, $"{table} was not seeded.");
        }

        var response = await mine.PostFormAsync("/Account/Manage/PersonalData", "", new Dictionary<string, string>(), postUrl: "/Account/Manage/DownloadPersonalData");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("lifeos-export-2026-11-25.zip", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName);

        using var zip = new ZipArchive(new MemoryStream(await response.Content.ReadAsByteArrayAsync(TestContext.Current.CancellationToken)));
        var files = zip.Entries.ToDictionary(e => e.FullName, e => Read(zip, e.FullName));
        Assert.Contains("README.txt", files.Keys);
        foreach (var (table, (file, marker)) in Exported)
        {
            Assert.True(files.ContainsKey(file), $"{file} (for {table}) is missing from the zip.");
            Assert.True(Squash(files[file]).Contains(Squash(marker("mine")), StringComparison.Ordinal), $"{table}: '{marker("mine")}' not found in {file}:\n{files[file]}");
        }

        var everything = string.Concat(files.Values);
        foreach (var (table, (_, marker)) in Exported.Where(e => e.Key != "AspNetUserRoles"))
        {
            Assert.False(Squash(everything).Contains(Squash(marker("theirs")), StringComparison.Ordinal), $"{table}: the other user's row is in the export.");
        }

        Assert.DoesNotContain("other@example.com", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("theirs", everything, StringComparison.Ordinal);
        foreach (var secret in mySecrets)
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("PasswordHash", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("SecurityStamp", everything, StringComparison.OrdinalIgnoreCase);

        // The shape of the main files.
        var account = JsonDocument.Parse(files["account.json"]).RootElement;
        Assert.Equal("me@example.com", account.GetProperty("email").GetString());
        Assert.Equal("Europe/Paris", account.GetProperty("settings").GetProperty("timeZoneId").GetString());
        Assert.Equal("Dark", account.GetProperty("settings").GetProperty("appearance").GetString());
        Assert.Equal(["Administrator"], account.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var body = account.GetProperty("settings").GetProperty("sourcePriorities").EnumerateArray().Single(g => g.GetProperty("group").GetString() == "Body");
        Assert.Equal(["Manual", "Import", "Withings", "Oura", "WithingsPhone", "Api", "AppleHealth"], body.GetProperty("order").EnumerateArray().Select(s => s.GetString()));

        Assert.Equal(
            ["metric,unit,source,source_record_id,start_utc,end_utc,local_date,value,excluded", "weight,kg,Manual,rec-mine,2026-11-24T06:15:00Z,,2026-11-24,71.3,true"],
            files["health/samples.csv"].Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var goal = Assert.Single(JsonDocument.Parse(files["goals.json"]).RootElement.EnumerateArray());
        Assert.Equal("goal mine", goal.GetProperty("name").GetString());
        Assert.Equal("DailyTarget", goal.GetProperty("kind").GetString());
        Assert.Equal("steps", goal.GetProperty("metric").GetString());
        Assert.Equal("AtLeast", goal.GetProperty("comparison").GetString());
        Assert.Equal(10000, goal.GetProperty("target").GetDouble());
        Assert.Equal("2026-11-01", goal.GetProperty("startDate").GetString());

        var cursor = Assert.Single(JsonDocument.Parse(files["sync-progress.json"]).RootElement.EnumerateArray());
        Assert.Equal("Oura", cursor.GetProperty("provider").GetString());
        Assert.Equal("2026-08-27", cursor.GetProperty("historyFrom").GetString());
        Assert.Equal("2026-11-24", cursor.GetProperty("completeThrough").GetString());
    }

    [Fact]
    public async Task Export_RequiresSignIn()
    {
        using var client = app.CreateTestClient();
        using var empty = new FormUrlEncodedContent([]);
        var response = await client.Http.PostAsync("/Account/Manage/DownloadPersonalData", empty, TestContext.Current.CancellationToken);
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task DeletingAnAccount_LeavesNoRowInAnyTableThatMentionsTheUser()
    {
        using var doomed = app.CreateTestClient();
        await doomed.RegisterAsync("doomed@example.com");
        using var survivor = app.CreateTestClient();
        await survivor.RegisterAsync("survivor@example.com");
        var ids = await app.WithDbAsync(db => db.Users.ToDictionaryAsync(u => u.Email!, u => u.Id));
        await SeedEverythingAsync(app, ids["doomed@example.com"], "doomed");
        await SeedEverythingAsync(app, ids["survivor@example.com"], "survivor");
        var doomedCursors = await CursorCountAsync(ids["doomed@example.com"]);
        Assert.Equal(1, doomedCursors);

        var before = await MentionsAsync(ids["doomed@example.com"]);
        foreach (var table in Exported.Keys.Concat(["AspNetUserTokens", "OAuthStates"]).Where(t => t != "SyncCursors"))
        {
            Assert.Contains(before, m => m.StartsWith(table + ".", StringComparison.Ordinal));
        }

        // A CSV upload waiting for confirmation is a file, not a row: it must go too.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var staged = await scope.ServiceProvider.GetRequiredService<CsvImportService>().StageAsync(
                ids["doomed@example.com"], new MemoryStream("timestamp,metric,value,unit\n2026-11-20T08:00,weight,70,kg\n"u8.ToArray()), "w.csv", TestContext.Current.CancellationToken);
            Assert.Equal(StageStatus.Staged, staged.Status);
        }

        var imports = Path.Combine(app.DataDirectory, "imports");
        Assert.Single(Directory.GetDirectories(imports));

        var response = await doomed.PostFormAsync("/Account/Manage/DeletePersonalData", "delete-user", new Dictionary<string, string> { ["Input.Password"] = TestClient.Password });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        Assert.Empty(await MentionsAsync(ids["doomed@example.com"]));
        Assert.Equal(0, await CursorCountAsync(ids["doomed@example.com"]));
        Assert.Empty(Directory.GetDirectories(imports));
        var survivorRows = await MentionsAsync(ids["survivor@example.com"]);
        foreach (var table in Exported.Keys.Where(t => t is not "SyncCursors" and not "AspNetUserRoles"))
        {
            Assert.Contains(survivorRows, m => m.StartsWith(table + ".", StringComparison.Ordinal));
        }

        Assert.Equal(1, await CursorCountAsync(ids["survivor@example.com"]));
    }

    /// <summary>
    /// One row in every table that holds a user's data, each carrying <paramref name="tag"/>, as the app's features
    /// would leave them. Returns the secrets written (tokens, keys, hashes) that no export may contain. Also the
    /// data the SQLite-to-PostgreSQL copy test moves.
    /// </summary>
    internal static async Task<List<string>> SeedEverythingAsync(LifeOsAppFactory app, string userId, string tag)
    {
        var secrets = new List<string>();
        var now = app.Time.GetUtcNow().UtcDateTime;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<ApplicationUser>>();
            var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("No such user.");
            await users.SetPhoneNumberAsync(user, $"+1 555 0100 {tag}");
            await users.AddClaimAsync(user, new System.Security.Claims.Claim("nickname", $"claim-{tag}"));
            await users.AddLoginAsync(user, new UserLoginInfo($"Provider-{tag}", $"provider-key-{tag}", $"Provider {tag}"));
            await users.ResetAuthenticatorKeyAsync(user);
            secrets.Add((await users.GetAuthenticatorKeyAsync(user))!);
            secrets.AddRange(await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 3) ?? []);
            user = await users.FindByIdAsync(userId);
            secrets.Add(user!.PasswordHash!);
            secrets.Add(user.SecurityStamp!);
            await scope.ServiceProvider.GetRequiredService<LifeOs.Core.Audit.AuditLog>().RecordAsync(LifeOs.Core.Audit.AuditKind.EmailChanged, userId, $"audit-{tag}");
            var apiKey = await scope.ServiceProvider.GetRequiredService<LifeOs.Core.Api.ApiKeyService>().CreateAsync(userId, $"api key {tag}", [LifeOs.Core.Api.ApiScopes.HealthRead], null);
            secrets.Add(apiKey.Key!);
            secrets.Add(apiKey.Key![(LifeOs.Core.Api.ApiKeyService.PrefixLength + 1)..]);
        }

        await app.WithDbAsync(async db =>
        {
            await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.ThemeMode, ThemeMode.Dark));
            db.UserPasskeys.Add(new IdentityUserPasskey<string>
            {
                CredentialId = Encoding.UTF8.GetBytes($"credential-{tag}"),
                UserId = userId,
                Data = new IdentityPasskeyData
                {
                    Name = $"passkey-{tag}",
                    CreatedAt = new DateTimeOffset(2026, 11, 2, 8, 0, 0, TimeSpan.Zero),
                    PublicKey = Encoding.UTF8.GetBytes($"public-key-{tag}"),
                    AttestationObject = [1],
                    ClientDataJson = [2],
                    Transports = ["internal"],
                },
            });
            // Samples name their owner by number: the number first, as the health store's first write gives it.
            var owner = new UserNumber { UserId = userId };
            db.UserNumbers.Add(owner);
            await db.SaveChangesAsync();
            db.Samples.Add(new Sample
            {
                UserNumber = owner.Number, MetricCode = MetricCatalogue.Weight, Source = SampleSource.Manual, SourceRecordId = $"rec-{tag}",
                StartUtc = new DateTime(2026, 11, 24, 6, 15, 0, DateTimeKind.Utc), LocalDate = new DateOnly(2026, 11, 24),
                Value = tag == "mine" ? 71.3 : 88.8, UpdatedAt = now,
            });
            db.ImportBatches.Add(new LifeOs.Core.Health.Import.ImportBatch
            {
                UserId = userId, UploadId = new string('a', 32), FileName = $"weights-{tag}.csv", Status = LifeOs.Core.Health.Import.ImportBatchStatus.Imported,
                CreatedAt = now, FinishedAt = now, Rows = 1, Metrics = MetricCatalogue.Weight,
            });
            db.Set<Workout>().Add(new Workout
            {
                UserId = userId, Source = SampleSource.Oura, SourceRecordId = $"workout-{tag}", Activity = "cycling",
                StartUtc = new DateTime(2026, 11, 24, 16, 30, 0, DateTimeKind.Utc), EndUtc = new DateTime(2026, 11, 24, 17, 32, 0, DateTimeKind.Utc),
                LocalDate = new DateOnly(2026, 11, 24), Calories = 412.5, DistanceMeters = 18350, UpdatedAt = now,
            });
            db.DailyValues.Add(new DailyValue
            {
                UserId = userId, MetricCode = MetricCatalogue.Steps, LocalDate = new DateOnly(2026, 11, 20),
                Value = tag == "mine" ? 12345 : 54321, Source = SampleSource.Oura, SampleCount = 1,
            });
            db.Set<UserSourcePriority>().Add(new UserSourcePriority { UserId = userId, Group = MetricGroup.Body, Sources = PriorityOf(tag) });
            db.JournalEntries.Add(new JournalEntry
            {
                Uid = $"uid-{tag}", UserId = userId, Kind = JournalKind.Note, LocalDate = new DateOnly(2026, 11, 23),
                Title = $"Title {tag}", Body = $"Café entry body {tag} ☕", Tags = $"tag-{tag}", WordCount = 3, CreatedAt = now, UpdatedAt = now,
                TagRows = [new JournalTag { UserId = userId, Name = $"tag-{tag}" }],
            });
            db.JournalTemplates.Add(new JournalTemplate { UserId = userId, Kind = JournalKind.DailyReflection, Body = $"template {tag}" });
            db.JournalDrafts.Add(new JournalDraft { UserId = userId, Key = JournalDraftTarget.New(JournalKind.MorningPages).Key, Kind = JournalKind.MorningPages, Body = $"unsaved draft {tag}", UpdatedAt = now });
            db.JournalPreferences.Add(new JournalPreferences { UserId = userId, StreakGraceRule = tag == "mine" });
            db.Set<Goal>().Add(new Goal
            {
                UserId = userId, Name = $"goal {tag}", Kind = GoalKind.DailyTarget, MetricCode = MetricCatalogue.Steps,
                Comparison = Comparison.AtLeast, Target = 10000, StartDate = new DateOnly(2026, 11, 1), CreatedAt = now,
            });
            var connection = new Connection
            {
                UserId = userId, Provider = ProviderKind.Oura, ProviderUserId = $"oura-user-{tag}", Status = ConnectionStatus.Connected,
                GrantedScopes = "daily heartrate", ProtectedAccessToken = $"protected-access-{tag}", ProtectedRefreshToken = $"protected-refresh-{tag}",
                AccessTokenExpiresAt = now.AddHours(1), ConnectedAt = now, UpdatedAt = now,
            };
            db.Connections.Add(connection);
            db.OAuthStates.Add(new OAuthState
            {
                UserId = userId, Provider = ProviderKind.Withings, StateHash = $"state-hash-{tag}", RedirectUri = "http://localhost/integrations/withings/callback",
                ProtectedCodeVerifier = $"protected-verifier-{tag}", CreatedAt = now, ExpiresAt = now.AddMinutes(10),
            });
            await db.SaveChangesAsync();
            db.Set<SyncRun>().Add(new SyncRun
            {
                ConnectionId = connection.Id, UserId = userId, Trigger = SyncTrigger.Manual, Status = SyncRunStatus.Failed,
                QueuedAt = now, StartedAt = now, FinishedAt = now, Error = $"run error {tag}",
            });
            db.Set<SyncCursor>().Add(new SyncCursor
            {
                ConnectionId = connection.Id, DataType = $"cursor-{tag}", HistoryFrom = new DateOnly(2026, 8, 27), CompleteThrough = new DateOnly(2026, 11, 24), UpdatedAt = now,
            });
            var channel = new LifeOs.Core.Notifications.NotificationChannel
            {
                UserId = userId, Kind = LifeOs.Core.Notifications.ChannelKind.Ntfy, Label = $"channel-{tag}", Address = $"https://ntfy.example.org/{tag}",
                ProtectedSecret = $"protected-ntfy-{tag}", LinkBase = "https://life.example.org/", CreatedAt = now,
            };
            db.NotificationChannels.Add(channel);
            db.ReminderSettings.Add(new LifeOs.Core.Notifications.ReminderSetting { UserId = userId, Kind = LifeOs.Core.Notifications.ReminderKind.MorningPages, Enabled = true, LocalTime = tag == "mine" ? new TimeOnly(6, 15) : new TimeOnly(23, 45) });
            db.NotificationPreferences.Add(new LifeOs.Core.Notifications.NotificationPreferences { UserId = userId, QuietFrom = tag == "mine" ? new TimeOnly(21, 15) : new TimeOnly(20, 45), QuietUntil = new TimeOnly(7, 0) });
            await db.SaveChangesAsync();
            db.NotificationOccurrences.Add(new LifeOs.Core.Notifications.NotificationOccurrence
            {
                UserId = userId, Kind = LifeOs.Core.Notifications.ReminderKind.MorningPages, Occurrence = "2026-11-24", DueAt = now, CreatedAt = now,
                Status = LifeOs.Core.Notifications.OccurrenceStatus.Failed, Title = $"reminder {tag}", Body = "Three pages.", Url = "/journal/new?kind=morning-pages",
                Deliveries = [new LifeOs.Core.Notifications.NotificationDelivery { UserId = userId, ChannelId = channel.Id, ChannelKind = channel.Kind, Status = LifeOs.Core.Notifications.DeliveryStatus.Failed, Attempts = 4, UpdatedAt = now, LastError = $"delivery error {tag}" }],
            });
            return await db.SaveChangesAsync();
        });
        secrets.AddRange([$"protected-ntfy-{tag}", $"protected-access-{tag}", $"protected-refresh-{tag}", $"state-hash-{tag}", $"protected-verifier-{tag}", $"public-key-{tag}"]);
        return secrets;
    }

    /// <summary>An order of body sources no default has, different for each user.</summary>
    private static string PriorityOf(string tag) => tag == "mine" ? "Manual,Import,Withings,Oura" : "Import,Manual,Withings,Oura";

    /// <summary>JSON indentation aside: markers are compared without whitespace.</summary>
    private static string Squash(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private Task<long> CountAsync(string table) => app.WithDbAsync(async db =>
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
        return (long)(await count.ExecuteScalarAsync())!;
    });

    /// <summary>Sync cursors hang off a connection, not the user id.</summary>
    private Task<int> CursorCountAsync(string userId) => app.WithDbAsync(db =>
        db.Set<SyncCursor>().CountAsync(s => db.Connections.Any(c => c.Id == s.ConnectionId && c.UserId == userId)));

    /// <summary>Every (table.column) in the database holding the user's id: every table, every text column.</summary>
    private Task<List<string>> MentionsAsync(string userId) => app.WithDbAsync(async db =>
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        var found = new List<string>();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        foreach (var table in tables)
        {
            var columns = new List<string>();
            await using (var info = connection.CreateCommand())
            {
                info.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                await using var reader = await info.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    columns.Add(reader.GetString(0));
                }
            }

            foreach (var column in columns)
            {
                // Samples name their owner by the user's number (UserNumbers): a row there mentions the user as much as an id.
                await using var count = connection.CreateCommand();
                count.CommandText = column == "UserNumber"
                    ? $"SELECT COUNT(*) FROM \"{table}\" WHERE \"{column}\" = (SELECT \"Number\" FROM \"UserNumbers\" WHERE \"UserId\" = $id)"
                    : $"SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{column}\" AS TEXT) = $id";
                count.Parameters.AddWithValue("$id", userId);
                if ((long)(await count.ExecuteScalarAsync())! > 0)
                {
                    found.Add($"{table}.{column}");
                }
            }
        }

        return found;
    });

    private static string Read(ZipArchive zip, string name)
    {
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
