using LifeOs.Core.Data;

namespace LifeOs.Tests.Core;

public sealed class ArchitectureTests
{
    [Fact]
    public void Core_ReferencesNoRazorComponentsOrHttpRequestAssemblies()
    {
        string[] forbidden = ["Microsoft.AspNetCore.Components", "Microsoft.AspNetCore.Razor", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Routing", "LifeOs.Web"];
        var references = typeof(LifeOsDbContext).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Microsoft.EntityFrameworkCore", references);
        var offending = references.Where(name => forbidden.Any(f => name.StartsWith(f, StringComparison.Ordinal))).ToList();
        Assert.True(offending.Count == 0, "LifeOs.Core must not reference: " + string.Join(", ", offending));
    }
}
