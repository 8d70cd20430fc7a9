using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace LifeOs.Web.Components.Layout;

/// <summary>
/// The dark palette's CSS variables inside <c>@media (prefers-color-scheme: dark)</c>. A static page cannot ask the
/// device which scheme it prefers, and before js/color-scheme.js has left its cookie (a device's very first visit,
/// which is usually the log-in page) the server paints light; with this rule a dark device shows dark at once.
/// Rendered once from MudThemeProvider itself, so it is the same palette the interactive pages use.
/// </summary>
public static partial class DeviceDarkTheme
{
    private static string? css;

    public static async Task<string> CssAsync(IServiceProvider services, ILoggerFactory loggers)
    {
        if (css is not null)
        {
            return css;
        }

        await using var renderer = new HtmlRenderer(services, loggers);
        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<MudThemeProvider>(ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = LifeOsTheme.Theme,
                [nameof(MudThemeProvider.IsDarkMode)] = true,
            }));
            return output.ToHtmlString();
        });
        var variables = ThemeStyle().Match(html);
        css = variables.Success ? $"@media (prefers-color-scheme: dark) {{ {variables.Groups[1].Value} }}" : "";
        return css;
    }

    [GeneratedRegex("<style class='mud-theme-provider'>(.*?)</style>", RegexOptions.Singleline)]
    private static partial Regex ThemeStyle();
}
