using LifeOs.Core.Data;
using LifeOs.Web;

if (HealthCheckCommand.IsRequested(args))
{
    return await HealthCheckCommand.RunAsync(args);
}

if (CopyDatabaseCommand.IsRequested(args))
{
    return await CopyDatabaseCommand.RunAsync(args, Console.Out, Console.Error);
}

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddLifeOsWeb();

    var app = builder.Build();
    await app.MigrateDatabaseAsync();
    app.UseLifeOsPipeline();
    await app.RunAsync();
    return 0;
}
catch (StartupException ex)
{
    // Configuration problems the operator must fix: say what to change, without a stack trace.
    await Console.Error.WriteLineAsync($"LifeOs cannot start: {ex.Message}");
    return 1;
}
catch (Microsoft.Extensions.Options.OptionsValidationException ex)
{
    // Each failure names the key to fix (LifeOsOptionsValidator).
    await Console.Error.WriteLineAsync($"LifeOs cannot start: {string.Join(" ", ex.Failures)}");
    return 1;
}
