using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace LifeOs.Core.Journal;

/// <summary>
/// Renders an entry's Markdown to HTML that cannot run script: raw HTML is shown as text, only http(s),
/// mailto and relative links survive, and every link gets rel="noopener noreferrer nofollow".
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

    private static bool IsSafeUrl(string? url, bool image)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        // Browsers ignore control characters and whitespace inside a scheme ("java\tscript:"), so judge without them.
        var compact = new string(url.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
        var colon = compact.IndexOf(':', StringComparison.Ordinal);
        var slash = compact.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (slash >= 0 && slash < colon))
        {
            return true; // relative
        }

        var scheme = compact[..colon].ToLowerInvariant();
        return scheme is "http" or "https" || (!image && scheme is "mailto");
    }
}
