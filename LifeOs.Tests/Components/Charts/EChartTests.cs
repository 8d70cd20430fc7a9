using Bunit;
using LifeOs.Core.Accounts;
using LifeOs.Web.Components.Charts;
using LifeOs.Web.Components.Layout;

namespace LifeOs.Tests.Components.Charts;

public sealed class EChartTests : BunitContext
{
    private const string Module = "./Components/Charts/EChart.razor.js";

    private static readonly object Line = new { xAxis = new { type = "time" }, series = new[] { new { type = "line", data = new[] { new object[] { "2026-11-24", 61.5 } } } } };

    /// <summary>The module, and the chart object its create() returns (calls on it are recorded there).</summary>
    private (BunitJSModuleInterop Module, BunitJSModuleInterop Chart) SetUpBrowser()
    {
        var module = JSInterop.SetupModule(Module);
        var chart = module.SetupModule("create", _ => true);
        chart.SetupVoid("update", _ => true).SetVoidResult();
        chart.SetupVoid("dispose", _ => true).SetVoidResult();
        return (module, chart);
    }

    [Fact]
    public void FirstRender_LoadsTheModule_AndDrawsTheOptionsAsJson_WithTheLabelAndHeight()
    {
        var (module, _) = SetUpBrowser();

        var chart = Render<EChart>(p => p.Add(c => c.Options, Line).Add(c => c.Height, 220).Add(c => c.AriaLabel, "Resting heart rate, 61.5 bpm"));

        var create = module.VerifyInvoke("create");
        Assert.Equal("""{"xAxis":{"type":"time"},"series":[{"type":"line","data":[["2026-11-24",61.5]]}]}""", create.Arguments[1]?.ToString());
        var element = chart.Find("div.echart");
        Assert.Equal("img", element.GetAttribute("role"));
        Assert.Equal("Resting heart rate, 61.5 bpm", element.GetAttribute("aria-label"));
        Assert.Equal("height:220px", element.GetAttribute("style"));
        chart.WaitForAssertion(() => Assert.Equal("true", chart.Find("div.echart").GetAttribute("data-chart-rendered")));
    }

    [Fact]
    public void Options_ReachTheBrowserAsJson_NotAsAnEscapedString()
    {
        var (module, _) = SetUpBrowser();
        Render<EChart>(p => p.Add(c => c.Options, Line));

        // What the interop message carries: the object itself, not "{\u0022xAxis\u0022:…" (three times the bytes).
        var sent = System.Text.Json.JsonSerializer.Serialize(module.VerifyInvoke("create").Arguments[1]);
        Assert.Equal("""{"xAxis":{"type":"time"},"series":[{"type":"line","data":[["2026-11-24",61.5]]}]}""", sent);
    }

    [Fact]
    public void NewOptions_OrAThemeChange_UpdateTheSameChart_TheSameOptionsDoNot()
    {
        var (module, drawn) = SetUpBrowser();
        var light = new Appearance(ThemeMode.Light, false, _ => Task.CompletedTask);
        var chart = Render<EChart>(p => p.Add(c => c.Options, Line).AddCascadingValue(light));

        chart.Render(p => p.Add(c => c.Options, Line));
        drawn.VerifyNotInvoke("update");

        chart.Render(p => p.Add(c => c.Options, """{"series":[]}"""));
        Assert.Equal("""{"series":[]}""", drawn.VerifyInvoke("update").Arguments[0]?.ToString());

        var dark = Render<EChart>(p => p.Add(c => c.Options, Line).AddCascadingValue(light with { IsDark = true }));
        Assert.Equal(2, module.Invocations["create"].Count);
        Assert.Single(drawn.Invocations["update"]);
        Assert.NotNull(dark);
    }

    [Fact]
    public void ARenderWhileOptionsAreOnTheirWay_DoesNotSendThemAgain()
    {
        var module = JSInterop.SetupModule(Module);
        var drawn = module.SetupModule("create", _ => true);
        drawn.SetupVoid("update", _ => true); // never answers: the browser is still drawing
        var chart = Render<EChart>(p => p.Add(c => c.Options, Line));

        chart.Render(p => p.Add(c => c.Options, """{"series":[]}"""));
        chart.Render(p => p.Add(c => c.Options, """{"series":[]}"""));

        Assert.Single(drawn.Invocations["update"]);
    }

    [Fact]
    public async Task Dispose_DisposesTheChartInTheBrowser()
    {
        var (_, drawn) = SetUpBrowser();
        var chart = Render<EChart>(p => p.Add(c => c.Options, Line));

        await chart.Instance.DisposeAsync();

        drawn.VerifyInvoke("dispose");
    }
}
