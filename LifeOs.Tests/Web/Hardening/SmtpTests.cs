using System.Net;
using System.Net.Sockets;
using System.Text;
using LifeOs.Core;
using LifeOs.Core.Mail;
using LifeOs.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using netDumbster.smtp;

namespace LifeOs.Tests.Web.Hardening;

/// <summary>
/// Forgot password with and without LifeOs:Smtp, against an in-process SMTP server (netDumbster) that keeps every
/// mail it accepts: a mail is claimed only when the server took it, and the link in it resets the password.
/// </summary>
public sealed class SmtpTests : IAsyncLifetime
{
    private const string PublicBaseUrl = "https://life.example.org";
    private const string NewPassword = "Emailed-Horse-12";

    private readonly SimpleSmtpServer server = Configuration.Configure().WithAddress(IPAddress.Loopback).WithRandomPort().Build();
    private readonly List<LifeOsAppFactory> apps = [];

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        foreach (var app in apps)
        {
            await app.DisposeAsync();
        }

        server.Dispose();
    }

    private LifeOsAppFactory App(int? port = null, bool smtp = true)
    {
        var settings = new Dictionary<string, string?> { ["LifeOs:PublicBaseUrl"] = PublicBaseUrl };
        if (smtp)
        {
            settings["LifeOs:Smtp:Host"] = "127.0.0.1";
            settings["LifeOs:Smtp:Port"] = (port ?? server.Configuration.Port).ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["LifeOs:Smtp:Security"] = "None";
            settings["LifeOs:Smtp:From"] = "lifeos@example.org";
        }

        var app = new LifeOsAppFactory(settings);
        apps.Add(app);
        return app;
    }

    private static Task<HttpResponseMessage> ForgotAsync(TestClient client, string email) =>
        client.PostFormAsync("/Account/ForgotPassword", "forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });

    private static async Task RegisterAsync(LifeOsAppFactory app, string email)
    {
        using var client = app.CreateTestClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.RegisterAsync(email)).StatusCode);
    }

    /// <summary>A closed port on this machine: connecting to it is refused at once.</summary>
    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task ForgotPassword_ForAnAccount_MailsOneLink_ThatSetsANewPassword()
    {
        var app = App();
        await RegisterAsync(app, "ada@example.com");
        using var client = app.CreateTestClient();

        var (_, form) = await client.GetPageAsync("/Account/ForgotPassword");
        Assert.NotNull(form.QuerySelector("form input[name='Input.Email']"));
        Assert.Null(form.QuerySelector("[data-testid=no-email]"));

        var sent = await ForgotAsync(client, "ada@example.com");
        Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        Assert.Equal("/Account/ForgotPasswordConfirmation", sent.Headers.Location!.AbsolutePath);
        var (_, confirmation) = await client.GetPageAsync("/Account/ForgotPasswordConfirmation");
        Assert.Contains("If an account exists for that address, we sent it a link", confirmation.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);

        // The fake server stores a mail before it answers the DATA command, so it is here once the form has answered.
        var mail = Assert.Single(server.ReceivedEmail);
        Assert.Equal("ada@example.com", Assert.Single(mail.ToAddresses).Address);
        var message = await MimeMessage.LoadAsync(new MemoryStream(Encoding.UTF8.GetBytes(mail.Data)), TestContext.Current.CancellationToken);
        Assert.Equal("Reset your LifeOs password", message.Subject);
        var from = Assert.IsType<MailboxAddress>(Assert.Single(message.From));
        Assert.Equal(("LifeOs", "lifeos@example.org"), (from.Name, from.Address));

        // One link, to the public address, in both the text and the HTML part; never in the app's log.
        var link = Assert.Single((message.TextBody ?? "").Split('\n', StringSplitOptions.TrimEntries), l => l.StartsWith("http", StringComparison.Ordinal));
        Assert.StartsWith($"{PublicBaseUrl}/Account/ResetPassword?code=", link, StringComparison.Ordinal);
        Assert.Contains($"href=\"{link}\"", message.HtmlBody, StringComparison.Ordinal);
        var code = new Uri(link).Query["?code=".Length..];
        Assert.DoesNotContain(app.Logs, line => line.Contains(code, StringComparison.Ordinal));

        using var person = app.CreateTestClient();
        var reset = await person.PostFormAsync(new Uri(link).PathAndQuery, "reset-password", new Dictionary<string, string>
        {
            ["Input.Email"] = "ada@example.com",
            ["Input.Password"] = NewPassword,
            ["Input.ConfirmPassword"] = NewPassword,
        });
        Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        Assert.Equal("/Account/ResetPasswordConfirmation", reset.Headers.Location!.AbsolutePath);

        Assert.Equal(HttpStatusCode.OK, (await person.LoginAsync("ada@example.com", TestClient.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await person.LoginAsync("ada@example.com", NewPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync("/settings")).StatusCode);
    }

    [Fact]
    public async Task ForgotPassword_ForAnUnknownAddress_SendsNothing_AndAnswersExactlyAsForAnAccount()
    {
        var app = App();
        await RegisterAsync(app, "ada@example.com");
        using var client = app.CreateTestClient();

        var unknown = await ForgotAsync(client, "nobody@example.com");

        Assert.Equal(HttpStatusCode.Redirect, unknown.StatusCode);
        Assert.Equal("/Account/ForgotPasswordConfirmation", unknown.Headers.Location!.AbsolutePath);
        Assert.Empty(server.ReceivedEmail);

        var known = await ForgotAsync(client, "ada@example.com");
        Assert.Equal((known.StatusCode, known.Headers.Location), (unknown.StatusCode, unknown.Headers.Location));
        Assert.Single(server.ReceivedEmail);
    }

    [Fact]
    public async Task ForgotPassword_WhenTheMailServerIsUnreachable_SaysSoOnTheForm_AndClaimsNoMail()
    {
        var app = App(port: ClosedPort());
        await RegisterAsync(app, "ada@example.com");
        using var client = app.CreateTestClient();

        var failed = await ForgotAsync(client, "ada@example.com");

        Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        var page = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await TestClient.BodyAsync(failed));
        Assert.Equal(
            "Error: We could not send the email right now; try again later or ask the administrator.",
            page.QuerySelector("[data-testid=status-message]")?.TextContent.Trim());
        Assert.Equal("ada@example.com", page.QuerySelector("input[name='Input.Email']")?.GetAttribute("value"));
        Assert.DoesNotContain("we sent", page.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Null(page.QuerySelector("[data-testid=forgot-password-confirmation]"));

        // The operator learns why from the log, which names the server but holds no link.
        var warning = Assert.Single(app.Logs, line => line.Contains("Sending mail through 127.0.0.1", StringComparison.Ordinal));
        Assert.DoesNotContain("code=", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForgotPassword_WithoutSmtp_SendsPeopleToTheAdministrator_AndOffersNoForm()
    {
        var app = App(smtp: false);
        using var client = app.CreateTestClient();

        var (response, page) = await client.GetPageAsync("/Account/ForgotPassword");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Ask its administrator", page.QuerySelector("[data-testid=no-email]")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("form input[name='Input.Email']"));
        Assert.Null(app.Services.GetService<IMailer>());

        // Even typed by hand, the confirmation address does not claim a mail.
        var (_, confirmation) = await client.GetPageAsync("/Account/ForgotPasswordConfirmation");
        Assert.NotNull(confirmation.QuerySelector("[data-testid=no-email]"));
        Assert.DoesNotContain("we sent", confirmation.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Host=smtp.example.org",
        "LifeOs:Smtp:From (env LifeOs__Smtp__From) is required when LifeOs:Smtp:Host is set: the address LifeOs sends mail from, such as 'lifeos@example.org'.")]
    [InlineData("Host=smtp.example.org|From=LifeOs <lifeos@example.org>",
        "LifeOs:Smtp:From (env LifeOs__Smtp__From) is 'LifeOs <lifeos@example.org>', which is not an email address such as 'lifeos@example.org'.")]
    [InlineData("Host=smtp://smtp.example.org:587|From=lifeos@example.org",
        "LifeOs:Smtp:Host (env LifeOs__Smtp__Host) is 'smtp://smtp.example.org:587', which is not a host name or address; set the server's name only, such as 'smtp.example.org' (no scheme, no port).")]
    [InlineData("Host=smtp.example.org|From=lifeos@example.org|Port=0",
        "LifeOs:Smtp:Port (env LifeOs__Smtp__Port) is 0; set a port from 1 to 65535 (usually 587 for STARTTLS or 465 for SSL on connect).")]
    [InlineData("Host=smtp.example.org|From=lifeos@example.org|Username=lifeos",
        "LifeOs:Smtp:Password (env LifeOs__Smtp__Password) is required when LifeOs:Smtp:Username is set.")]
    [InlineData("From=lifeos@example.org",
        "LifeOs:Smtp:Host (env LifeOs__Smtp__Host) is required when other LifeOs:Smtp settings are set: set the SMTP server's host name, or remove the other LifeOs:Smtp settings to send no mail.")]
    public void ABadSmtpSetting_StopsStartUp_NamingTheKeyAndItsEnvironmentVariable(string settings, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.Split('|')
            .Select(pair => pair.Split('=', 2))
            .Select(pair => KeyValuePair.Create($"LifeOs:Smtp:{pair[0]}", (string?)pair[1]))).Build();

        var failure = Assert.Throws<LifeOs.Core.Data.StartupException>(() => { new ServiceCollection().AddLifeOsCore(configuration, Path.GetTempPath()); });

        Assert.Equal(expected, failure.Message);
    }

    [Fact]
    public void AHostAndASender_AreEnough_ForAMailer()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LifeOs:Smtp:Host"] = "smtp.example.org",
            ["LifeOs:Smtp:From"] = "lifeos@example.org",
        }).Build();
        var services = new ServiceCollection();

        services.AddLifeOsCore(configuration, Path.GetTempPath());

        Assert.Contains(services, d => d.ServiceType == typeof(IMailer));
    }
}
