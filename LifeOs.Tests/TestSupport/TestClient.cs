using System.Net;
using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace LifeOs.Tests.TestSupport;

/// <summary>An HTTP client that speaks the app's forms like a browser without JS: antiforgery token, _handler, cookies.</summary>
public sealed partial class TestClient(HttpClient http) : IDisposable
{
    public const string Password = "Correct-Horse-9";

    public HttpClient Http { get; } = http;

    public async Task<HttpResponseMessage> GetAsync(string url) => await Http.GetAsync(url, TestContext.Current.CancellationToken);

    public async Task<(HttpResponseMessage Response, IHtmlDocument Document)> GetPageAsync(string url)
    {
        var response = await GetAsync(url);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response, new HtmlParser().ParseDocument(html));
    }

    /// <summary>Loads <paramref name="pageUrl"/>, then posts the named form with its antiforgery token and the given fields.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string pageUrl, string formName, IDictionary<string, string> fields, string? postUrl = null)
    {
        var page = await GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var token = TokenRegex().Match(html);
        if (!token.Success)
        {
            throw new InvalidOperationException($"No antiforgery token on {pageUrl} (status {(int)page.StatusCode}).");
        }

        var body = new Dictionary<string, string>(fields)
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
            ["_handler"] = formName,
        };
        using var content = new FormUrlEncodedContent(body);
        return await Http.PostAsync(postUrl ?? pageUrl, content, TestContext.Current.CancellationToken);
    }

    /// <summary>Like <see cref="PostFormAsync"/> for a multipart form: the fields plus one file, the way a browser uploads it.</summary>
    public async Task<HttpResponseMessage> PostFileAsync(string pageUrl, string formName, string fileField, string fileName, byte[] file, IDictionary<string, string>? fields = null, string? postUrl = null)
    {
        var token = await AntiforgeryTokenAsync(pageUrl);
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(formName), "_handler" },
        };
        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            content.Add(new StringContent(value), name);
        }

        var fileContent = new ByteArrayContent(file);
        fileContent.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/csv");
        content.Add(fileContent, fileField, fileName);
        return await Http.PostAsync(postUrl ?? pageUrl, content, TestContext.Current.CancellationToken);
    }

    public async Task<string> AntiforgeryTokenAsync(string pageUrl)
    {
        var page = await GetAsync(pageUrl);
        var html = await page.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var token = TokenRegex().Match(html);
        return token.Success
            ? WebUtility.HtmlDecode(token.Groups[1].Value)
            : throw new InvalidOperationException($"No antiforgery token on {pageUrl} (status {(int)page.StatusCode}).");
    }

    /// <param name="timeZone">What the sign-up form's time zone field holds (the browser proposes its own); none sends no field.</param>
    public Task<HttpResponseMessage> RegisterAsync(string email, string password = Password, string? timeZone = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        };
        if (timeZone is not null)
        {
            fields["Input.TimeZone"] = timeZone;
        }

        return PostFormAsync("/Account/Register", "register", fields);
    }

    public Task<HttpResponseMessage> LoginAsync(string email, string password = Password) =>
        PostFormAsync("/Account/Login", "login", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });

    public Task<HttpResponseMessage> LogoutAsync() =>
        PostFormAsync("/settings", "", new Dictionary<string, string> { ["ReturnUrl"] = "settings" }, postUrl: "/Account/Logout");

    public static async Task<string> BodyAsync(HttpResponseMessage response) =>
        await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenRegex();
}
