using Bunit;
using LifeOs.Tests.TestSupport;
using LifeOs.Web.Components.Pages;

namespace LifeOs.Tests.Components.Pages;

public sealed class NotFoundPageTests : PageTestContext
{
    [Fact]
    public async Task SignedIn_SaysNothingIsHereOrItIsNotYours_AndLeadsBackToToday()
    {
        await SignInAsNewUserAsync("lost@example.com");
        var page = RenderPage<NotFound>();

        Assert.Contains("nothing at this address, or it is not yours to see", page.Find("[data-testid=not-found]").TextContent, StringComparison.Ordinal);
        var back = page.Find("a[data-testid=not-found-home]");
        Assert.Equal("./", back.GetAttribute("href"));
        Assert.Contains("Back to today", back.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Anonymous_LeadsToLogIn()
    {
        var page = RenderPage<NotFound>();

        var back = page.Find("a[data-testid=not-found-home]");
        Assert.Equal("Account/Login", back.GetAttribute("href"));
        Assert.Contains("Log in", back.TextContent, StringComparison.Ordinal);
    }
}
