using System.Net;
using System.Text.RegularExpressions;

namespace LifeOs.Benchmarks;

/// <summary>
/// Creates an account through the real HTML form, as a browser would: GET the page for the antiforgery
/// cookie and token, POST the form, keep the auth cookie. Going through the form (rather than seeding the
/// database) means the benchmark breaks loudly if sign-up itself breaks.
/// </summary>
internal static partial class AccountRegistration
{
    public const string RegisterPath = "/Account/Register";
    public const string AuthCookieName = "LifeOs.Auth";
    public const string Email = "bench@example.com";
    public const string Password = "Bench-Passw0rd!";

    private static readonly string[] RequiredFields = ["Input.Email", "Input.Password", "Input.ConfirmPassword"];

    /// <returns>The cookies of the signed-in browser session (auth and antiforgery).</returns>
    public static async Task<CookieContainer> RegisterAsync(Uri baseAddress, CancellationToken cancellationToken)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false })
        {
            BaseAddress = baseAddress,
        };

        using var page = await http.GetAsync(RegisterPath, cancellationToken);
        var html = await page.Content.ReadAsStringAsync(cancellationToken);
        if (page.StatusCode != HttpStatusCode.OK)
        {
            throw new BenchmarkFailure($"GET {RegisterPath} answered {(int)page.StatusCode} {page.StatusCode}, expected 200.", Excerpt(html));
        }

        var form = FindRegisterForm(html);
        var fields = form.HiddenFields;
        if (!fields.ContainsKey("__RequestVerificationToken"))
        {
            throw new BenchmarkFailure("The register form has no hidden __RequestVerificationToken input.", Excerpt(form.Html));
        }

        // Blazor SSR routes the post by the form's name; send what the page rendered, "register" if absent.
        fields.TryAdd("_handler", "register");
        fields["Input.Email"] = Email;
        fields["Input.Password"] = Password;
        fields["Input.ConfirmPassword"] = Password;

        using var post = await http.PostAsync(form.Action ?? RegisterPath, new FormUrlEncodedContent(fields), cancellationToken);
        var answer = await post.Content.ReadAsStringAsync(cancellationToken);
        if (post.StatusCode != HttpStatusCode.Redirect)
        {
            throw new BenchmarkFailure(
                $"POST {RegisterPath} answered {(int)post.StatusCode} {post.StatusCode}, expected 302 after creating the account. " +
                $"Messages on the page: {string.Join(" | ", PageMessages(answer).DefaultIfEmpty("(none)"))}",
                Excerpt(answer));
        }

        if (cookies.GetCookies(baseAddress)[AuthCookieName] is null)
        {
            var names = string.Join(", ", cookies.GetCookies(baseAddress).Select(c => c.Name));
            throw new BenchmarkFailure($"Registration redirected to '{post.Headers.Location}' but set no {AuthCookieName} cookie (cookies: {names}).");
        }

        return cookies;
    }

    private sealed record RegisterForm(string Html, string? Action, Dictionary<string, string> HiddenFields);

    /// <summary>The form carrying the e-mail and password inputs; its hidden inputs go back unchanged.</summary>
    private static RegisterForm FindRegisterForm(string html)
    {
        foreach (Match formMatch in FormElement().Matches(html))
        {
            var formHtml = formMatch.Value;
            var inputs = InputElement().Matches(formHtml).Select(input => Attributes(input.Value)).ToList();
            var names = inputs.Select(a => a.GetValueOrDefault("name")).OfType<string>().ToHashSet(StringComparer.Ordinal);
            if (!names.Contains("Input.Email"))
            {
                continue;
            }

            var missing = RequiredFields.Where(field => !names.Contains(field)).ToList();
            if (missing.Count > 0)
            {
                throw new BenchmarkFailure($"The register form lacks {string.Join(", ", missing)}; it has: {string.Join(", ", names)}.", Excerpt(formHtml));
            }

            var hidden = inputs
                .Where(a => string.Equals(a.GetValueOrDefault("type"), "hidden", StringComparison.OrdinalIgnoreCase) && a.ContainsKey("name"))
                .ToDictionary(a => a["name"], a => a.GetValueOrDefault("value") ?? "", StringComparer.Ordinal);
            var action = Attributes(FormStartTag().Match(formHtml).Value).GetValueOrDefault("action");
            return new RegisterForm(formHtml, string.IsNullOrEmpty(action) ? null : action, hidden);
        }

        var closed = html.Contains("registration-closed", StringComparison.Ordinal) ? " The page says registration is closed." : "";
        throw new BenchmarkFailure($"GET {RegisterPath} rendered no form with an Input.Email field.{closed}", Excerpt(html));
    }

    private static Dictionary<string, string> Attributes(string tag) =>
        AttributePair().Matches(tag)
            .GroupBy(m => m.Groups["name"].Value, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => WebUtility.HtmlDecode(g.First().Groups["value"].Value), StringComparer.OrdinalIgnoreCase);

    /// <summary>Status and validation messages, to say why a post did not redirect.</summary>
    private static IEnumerable<string> PageMessages(string html) =>
        MessageElement().Matches(html)
            .Select(m => WebUtility.HtmlDecode(Tag().Replace(m.Groups["text"].Value, "")).Trim())
            .Where(text => text.Length > 0);

    private static string Excerpt(string html) => html.Length <= 2000 ? html : html[..2000] + " ...";

    [GeneratedRegex(@"<form\b.*?</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormElement();

    [GeneratedRegex(@"<form\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex FormStartTag();

    [GeneratedRegex(@"<input\b[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputElement();

    [GeneratedRegex(@"(?<name>[\w.:-]+)\s*=\s*""(?<value>[^""]*)""")]
    private static partial Regex AttributePair();

    [GeneratedRegex(@"class=""[^""]*\b(?:alert|validation-message|field-error|validation-errors)\b[^""]*""[^>]*>(?<text>.*?)</(?:div|p|span|ul|li)>", RegexOptions.Singleline)]
    private static partial Regex MessageElement();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex Tag();
}
