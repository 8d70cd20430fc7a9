using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LifeOs.Core.Journal;

/// <summary>
/// Renders an entry's Markdown to HTML that cannot run script: raw HTML is shown as text, only http(s),
/// mailto and relative links survive, every link gets rel="noopener noreferrer nofollow", and images on other
/// servers become links (the page loads nothing from elsewhere; the Content-Security-Policy would refuse it too).
/// </summary>
public static class JournalMarkdown
{
    public const string LinkRel = "noopener noreferrer nofollow";

    // No GenericAttributes (it would let "{onclick=...}" set attributes) and no raw HTML.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UsePipeTables()
        .UseTaskLists()
        .UseEmphasisExtras()
        .UseAutoLinks()
        .UseListExtras()
        .Build();

    public static string ToHtml(string? markdown)
    {
        var document = Markdown.Parse(markdown ?? "", Pipeline);
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case LinkInline link:
                    if (!IsSafeUrl(link.Url, link.IsImage))
                    {
                        link.Url = "#";
                    }

                    if (link.IsImage && IsRemote(link.Url))
                    {
                        // Loading it would tell a third party when someone reads their journal: a link instead,
                        // named by the image's alt text (or its address).
                        link.IsImage = false;
                        if (link.FirstChild is null)
                        {
                            link.AppendChild(new LiteralInline(link.Url!));
                        }
                    }

                    if (!link.IsImage)
                    {
                        link.GetAttributes().AddPropertyIfNotExist("rel", LinkRel);
                    }

                    break;
                case AutolinkInline autolink:
                    if (!IsSafeUrl(autolink.Url, image: false) && !autolink.IsEmail)
                    {
                        autolink.Url = "#";
                    }

                    autolink.GetAttributes().AddPropertyIfNotExist("rel", LinkRel);
                    break;
            }
        }

        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>An address on another server (scheme-relative "//host" included); the app's own paths are not remote.</summary>
    private static bool IsRemote(string? url)
    {
        var (compact, scheme) = Read(url);
        // Browsers read "//host", "\\host", "/\host" and "\/host" alike: another server, on the page's scheme.
        var schemeRelative = compact.Length >= 2 && compact[0] is '/' or '\\' && compact[1] is '/' or '\\';
        return scheme is not null || schemeRelative;
    }

    private static bool IsSafeUrl(string? url, bool image)
    {
        var scheme = Read(url).Scheme;
        return scheme is null // relative
            || scheme is "http" or "https" || (!image && scheme is "mailto");
    }

    /// <summary>
    /// The address as a browser reads it, without the control characters and whitespace it ignores inside a scheme
    /// ("java\tscript:"), and its scheme in lower case, or null when it has none (a relative address).
    /// </summary>
    private static (string Compact, string? Scheme) Read(string? url)
    {
        var compact = new string((url ?? "").Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var slash = compact.IndexOfAny(['/', '?', '#']);
        return (compact, colon < 0 || (slash >= 0 && slash < colon) ? null : compact[..colon].ToLowerInvariant());
    }
}
