using LifeOs.Core.Export;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using LifeOs.Core.Accounts;
using LifeOs.Core.Audit;

namespace Microsoft.AspNetCore.Routing;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    // These endpoints are required by the Identity Razor components defined in the /Components/Account/Pages directory of this project.
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var accountGroup = endpoints.MapGroup("/Account");

        accountGroup.MapPost("/Logout", async (
            ClaimsPrincipal user,
            [FromServices] SignInManager<ApplicationUser> signInManager,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect(LocalReturnUrl(returnUrl));
        });

        var manageGroup = accountGroup.MapGroup("/Manage").RequireAuthorization();

        var loggerFactory = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>();
        var downloadLogger = loggerFactory.CreateLogger("DownloadPersonalData");

        // The whole account as one zip (settings, health data, journal, goals, connections without
        // tokens, sync history). Built in a temporary file first: a failure midway answers with the
        // error page instead of a truncated download, and a large history never sits in memory.
        manageGroup.MapPost("/DownloadPersonalData", async (
            HttpContext context,
            [FromServices] IAntiforgery antiforgery,
            [FromServices] UserManager<ApplicationUser> userManager,
            [FromServices] UserDataExportService export,
            [FromServices] AuditLog audit,
            [FromServices] TimeProvider time) =>
        {
            // No form field is bound, so nothing checks the antiforgery token by itself: another site must not be
            // able to make a signed-in browser build (and download) the whole account.
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            var userId = userManager.GetUserId(context.User);
            if (userId is null || await userManager.FindByIdAsync(userId) is null)
            {
                return Results.NotFound();
            }

            downloadLogger.LogInformation("User with ID '{UserId}' asked for their personal data.", userId);
            var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
            try
            {
                await export.WriteZipAsync(userId, file, context.RequestAborted);
                file.Position = 0;
                await audit.RecordAsync(AuditKind.DataExported, userId, "Everything, as one zip");
            }
            catch
            {
                await file.DisposeAsync();
                throw;
            }

            return Results.File(file, "application/zip", $"lifeos-export-{time.GetUtcNow():yyyy-MM-dd}.zip");
        });

        return accountGroup;
    }

    /// <summary>
    /// Where to go after signing out: a path in this app. "x", "/x" and "~/x" all mean /x, "//host" and "/\\host"
    /// become paths too (an absolute URL is a path that finds nothing), and control characters, which LocalRedirect
    /// would throw on (a 500), go to the start page.
    /// </summary>
    internal static string LocalReturnUrl(string? returnUrl)
    {
        var path = (returnUrl ?? "").TrimStart('~').TrimStart('/', '\\');
        return path.Any(char.IsControl) ? "~/" : "~/" + path;
    }
}
