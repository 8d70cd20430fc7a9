using System.Net;
using LifeOs.Tests.TestSupport;
using LifeOs.Web;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>The limits at their real size (scale 1), as a password-guessing script would meet them.</summary>
public sealed class RateLimitTests : IAsyncLifetime
{
    private readonly LifeOsAppFactory app = new(new() { ["LifeOs:RateLimits:Scale"] = "1", ["LifeOs:Lockout:MaxFailedAttempts"] = "1000" });

    private static readonly RateLimitSettings Limits = new(1);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => app.DisposeAsync();

    private TestClient From(string address)
    {
        var client = app.CreateTestClient();
        client.Http.DefaultRequestHeaders.Add(PeerAddressStartupFilter.Header, address);
        return client;
    }

    private static async Task<HttpResponseMessage> WrongPasswordAsync(TestClient client, string email) =>
        await client.LoginAsync(email, "not-the-password");

    [Fact]
    public async Task SignIn_FromOneAddress_IsRefusedAfterTheLimit_With429_RetryAfter_AndAFriendlyPage()
    {
        using var owner = From("198.51.100.20");
        await owner.RegisterAsync("target@example.com");

        using var attacker = From("203.0.113.66");
        var permits = Limits.PerAddress(RateLimitBucket.SignIn).Permits;
        for (var i = 0; i < permits; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await WrongPasswordAsync(attacker, $"guess-{i}@example.com")).StatusCode);
        }

        attacker.Http.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var refused = await WrongPasswordAsync(attacker, "target@example.com");
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 5 * 60);
        var page = await TestClient.BodyAsync(refused);
        Assert.Contains("Too many attempts", page, StringComparison.Ordinal);
        Assert.Contains("Try again in", page, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", refused.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        // Looking at pages is not limited, and people at other addresses still sign in.
        Assert.Equal(HttpStatusCode.OK, (await attacker.GetAsync("/Account/Login")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await owner.LoginAsync("target@example.com")).StatusCode);
    }

    [Fact]
    public async Task Registration_FromOneAddress_IsLimited()
    {
        using var client = From("203.0.113.70");
        var permits = Limits.PerAddress(RateLimitBucket.Registration).Permits;
        for (var i = 0; i < permits; i++)
        {
            Assert.NotEqual(HttpStatusCode.TooManyRequests, (await client.RegisterAsync($"sign-up-{i}@example.com", "short")).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.RegisterAsync("one-more@example.com")).StatusCode);
    }

    [Fact]
    public async Task PasswordChanges_AreLimitedPerAccount_WhicheverAddressTheyComeFrom()
    {
        using var first = From("198.51.100.30");
        await first.RegisterAsync("changer@example.com");
        var permits = Limits.PerAccount(RateLimitBucket.Credentials).Permits;
        for (var i = 0; i < permits; i++)
        {
            // A new address each time: only the per-account limit can stop this.
            first.Http.DefaultRequestHeaders.Remove(PeerAddressStartupFilter.Header);
            first.Http.DefaultRequestHeaders.Add(PeerAddressStartupFilter.Header, $"198.51.100.{40 + i}");
            var response = await ChangePasswordAsync(first, "wrong-old-password");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        first.Http.DefaultRequestHeaders.Remove(PeerAddressStartupFilter.Header);
        first.Http.DefaultRequestHeaders.Add(PeerAddressStartupFilter.Header, "198.51.100.99");
        Assert.Equal(HttpStatusCode.TooManyRequests, (await ChangePasswordAsync(first, TestClient.Password)).StatusCode);

        // Someone else's account is not affected.
        using var other = From("198.51.100.99");
        await other.RegisterAsync("other-changer@example.com");
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await ChangePasswordAsync(other, TestClient.Password)).StatusCode);
    }

    private static Task<HttpResponseMessage> ChangePasswordAsync(TestClient client, string oldPassword) =>
        client.PostFormAsync("/Account/Manage/ChangePassword", "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = oldPassword,
            ["Input.NewPassword"] = "Another-Horse-10",
            ["Input.ConfirmPassword"] = "Another-Horse-10",
        });

    [Fact]
    public void Uploads_AreLimitedPerAccount_AndSayHowLongToWait()
    {
        using var uploads = new UploadLimiter(Limits);
        var permits = Limits.PerAccount(RateLimitBucket.Upload).Permits;
        for (var i = 0; i < permits; i++)
        {
            Assert.Null(uploads.TryStart("user-a"));
        }

        var wait = uploads.TryStart("user-a");
        Assert.NotNull(wait);
        Assert.InRange(wait.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Null(uploads.TryStart("user-b"));
        Assert.Matches("try again in [0-9]+ minutes", UploadLimiter.Refusal(wait.Value));
    }
}
