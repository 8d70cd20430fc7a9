using AngleSharp.Html.Parser;
using LifeOs.Core.Journal;

namespace LifeOs.Tests.Core.Journal;

public sealed class JournalMarkdownTests
{
    public static TheoryData<string> XssPayloads => new()
    {
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<iframe src=\"javascript:alert(1)\"></iframe>",
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](java\tscript:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[click](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
        "<a href=\"javascript:alert(1)\">x</a>",
        "[x](https://example.com \"\\\" onmouseover=alert(1) x=\\\"\")",
        "Text {onclick=alert(1)}",
        "<details open ontoggle=alert(1)>",
        "<style>body{display:none}</style>",
        "`<script>alert(1)</script>`",
        "```html\n<script>alert(1)</script>\n```",
    };

    [Theory]
    [MemberData(nameof(XssPayloads))]
    public void ToHtml_CommonXssPayloads_AreInert(string payload)
    {
        var html = JournalMarkdown.ToHtml("Before\n\n" + payload + "\n\nAfter");
        var document = new HtmlParser().ParseDocument($"<body>{html}</body>");

        Assert.Empty(document.QuerySelectorAll("script, iframe, svg, style, object, embed, details"));
        foreach (var element in document.Body!.QuerySelectorAll("*"))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{element.TagName} has {attribute.Name}");
                var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                Assert.DoesNotContain("javascript:", value, StringComparison.OrdinalIgnoreCase);
                Assert.DoesNotContain("vbscript:", value, StringComparison.OrdinalIgnoreCase);
                Assert.False(value.StartsWith("data:", StringComparison.OrdinalIgnoreCase), $"{element.TagName} {attribute.Name}={attribute.Value}");
            }
        }

        Assert.Contains("After", document.Body.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_RawHtml_IsShownAsText()
    {
        var html = JournalMarkdown.ToHtml("<b>bold?</b>");
        Assert.Contains("&lt;b&gt;bold?&lt;/b&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_Links_GetNoopenerNoreferrerNofollow()
    {
        var html = JournalMarkdown.ToHtml("See [the site](https://example.com) and https://lifeos.example/path.");
        var links = new HtmlParser().ParseDocument(html).QuerySelectorAll("a");
        Assert.Equal(2, links.Length);
        Assert.All(links, a => Assert.Equal("noopener noreferrer nofollow", a.GetAttribute("rel")));
        Assert.Equal("https://example.com", links[0].GetAttribute("href"));
    }

    [Theory]
    [InlineData("![the view](https://tracker.example/pixel.png)", "the view", "https://tracker.example/pixel.png")]
    [InlineData("![](http://tracker.example/p.gif)", "http://tracker.example/p.gif", "http://tracker.example/p.gif")]
    [InlineData("![x](//tracker.example/p.gif)", "x", "//tracker.example/p.gif")]
    [InlineData("![x](/\\tracker.example/p.gif)", "x", "/%5Ctracker.example/p.gif")]
    public void ToHtml_RemoteImages_BecomeLinks_SoNothingIsLoadedFromElsewhere(string markdown, string text, string href)
    {
        var document = new HtmlParser().ParseDocument(JournalMarkdown.ToHtml(markdown));

        Assert.Empty(document.QuerySelectorAll("img"));
        var link = Assert.Single(document.QuerySelectorAll("a"));
        Assert.Equal(text, link.TextContent);
        Assert.Equal(href, link.GetAttribute("href"));
        Assert.Equal(JournalMarkdown.LinkRel, link.GetAttribute("rel"));
    }

    [Fact]
    public void ToHtml_ImagesOnTheAppsOwnPaths_StayImages()
    {
        var document = new HtmlParser().ParseDocument(JournalMarkdown.ToHtml("![logo](/favicon.svg)"));
        Assert.Equal("/favicon.svg", Assert.Single(document.QuerySelectorAll("img")).GetAttribute("src"));
    }

    [Fact]
    public void ToHtml_CommonMarkdown_Renders()
    {
        var html = JournalMarkdown.ToHtml("## Wins\n\n- **ran** 5 km\n- [x] wrote\n\n| a | b |\n|---|---|\n| 1 | 2 |");
        var document = new HtmlParser().ParseDocument(html);
        Assert.Equal("Wins", document.QuerySelector("h2")?.TextContent);
        Assert.NotNull(document.QuerySelector("strong"));
        Assert.NotNull(document.QuerySelector("table"));
        Assert.NotNull(document.QuerySelector("input[type=checkbox][disabled]"));
    }

    [Theory]
    [InlineData("", 0)]
    [InlineData("One two  three", 3)]
    [InlineData("## Heading\n\n- don't stop — keep well-being", 5)]
    [InlineData("café naïve 2026", 3)]
    public void CountWords_CountsRunsOfLettersAndDigits(string text, int words)
    {
        Assert.Equal(words, JournalRules.CountWords(text));
    }
}
