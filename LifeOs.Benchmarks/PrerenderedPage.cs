using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LifeOs.Benchmarks;

/// <summary>
/// What blazor.web.js reads from a prerendered page before it starts a circuit: the interactive server
/// components' start markers (<c>&lt;!--Blazor:{"type":"server",…}--&gt;</c>, in document order) and the
/// state the prerender persisted for them (<c>&lt;!--Blazor-Server-Component-State:…--&gt;</c>).
/// </summary>
internal sealed partial record PrerenderedPage(Uri Address, string Html, IReadOnlyList<JsonObject> ServerMarkers, string ApplicationState)
{
    public static PrerenderedPage Parse(Uri address, string html)
    {
        var markers = new List<JsonObject>();
        foreach (Match match in ComponentComment().Matches(html))
        {
            // End markers carry only {"prerenderId": …}; start markers name their render mode.
            if (JsonNode.Parse(match.Groups["json"].Value) is JsonObject marker
                && marker["type"]?.GetValue<string>() == "server")
            {
                markers.Add(marker);
            }
        }

        // The order the server expects (it checks that descriptors of one prerender come in sequence).
        markers.Sort((a, b) => Sequence(a).CompareTo(Sequence(b)));
        var state = StateComment().Match(html);
        return new PrerenderedPage(address, html, markers, state.Success ? state.Groups["state"].Value : "");
    }

    /// <summary>
    /// The first <c>UpdateRootComponents</c> batch blazor.web.js sends: one "add" per server marker, with the
    /// marker as it was in the page plus the client-side unique id the browser adds to each descriptor.
    /// </summary>
    public string AddOperationsJson(int batchId)
    {
        var operations = new JsonArray();
        for (var i = 0; i < ServerMarkers.Count; i++)
        {
            var marker = (JsonObject)ServerMarkers[i].DeepClone();
            marker["uniqueId"] = i;
            operations.Add(new JsonObject { ["type"] = "add", ["ssrComponentId"] = i + 1, ["marker"] = marker });
        }

        return new JsonObject { ["batchId"] = batchId, ["operations"] = operations }.ToJsonString();
    }

    /// <summary>GETs the page with the user's cookies, as a browser's first request.</summary>
    public static async Task<PrerenderedPage> FetchAsync(HttpClient http, string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var where = response.Headers.Location is { } location ? $" to {location}" : "";
            throw new BenchmarkFailure($"GET {path} answered {(int)response.StatusCode} {response.StatusCode}{where}; expected the prerendered page.");
        }

        var page = Parse(new Uri(http.BaseAddress!, path), html);
        if (page.ServerMarkers.Count == 0)
        {
            throw new BenchmarkFailure($"GET {path} has no interactive server component markers (<!--Blazor:{{\"type\":\"server\"…}}-->): the page is not interactive.");
        }

        return page;
    }

    private static int Sequence(JsonObject marker) => marker["sequence"]?.GetValue<int>() ?? 0;

    [GeneratedRegex(@"<!--Blazor:(?<json>\{.*?\})-->", RegexOptions.Singleline)]
    private static partial Regex ComponentComment();

    [GeneratedRegex(@"<!--Blazor-Server-Component-State:(?<state>[A-Za-z0-9+/=]+)-->")]
    private static partial Regex StateComment();
}
