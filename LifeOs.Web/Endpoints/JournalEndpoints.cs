using System.Security.Claims;
using System.Text;
using LifeOs.Core.Audit;
using LifeOs.Core.Journal;

namespace LifeOs.Web.Endpoints;

/// <summary>Journal file downloads: the whole journal as a zip of Markdown files, or one entry as a .md file.</summary>
public static class JournalEndpoints
{
    public static IEndpointRouteBuilder MapJournalEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var journal = endpoints.MapGroup("/journal").RequireAuthorization().ExcludeFromDescription();

        journal.MapGet("/export", (JournalArchive archive, AuditLog audit, ClaimsPrincipal user, TimeProvider time, HttpContext context) =>
        {
            var fileName = $"lifeos-journal-{time.GetUtcNow():yyyy-MM-dd}.zip";
            return Results.Stream(
                async body =>
                {
                    // Built in memory first: ZipArchive writes its central directory synchronously on dispose, which Kestrel forbids on the response stream.
                    using var buffer = new MemoryStream();
                    await archive.WriteZipAsync(user.RequiredUserId(), buffer, context.RequestAborted);
                    buffer.Position = 0;
                    await audit.RecordAsync(AuditKind.DataExported, user.RequiredUserId(), "The journal, as Markdown files");
                    await buffer.CopyToAsync(body, context.RequestAborted);
                },
                "application/zip",
                fileName);
        });

        journal.MapGet("/{id:long}/export", async (long id, JournalArchive archive, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        {
            // Another user's id is answered exactly like an id that does not exist.
            var file = await archive.ExportOneAsync(user.RequiredUserId(), id, cancellationToken);
            return file is { } f
                ? Results.File(Encoding.UTF8.GetBytes(f.Markdown), "text/markdown; charset=utf-8", f.FileName)
                : Results.NotFound();
        });

        return endpoints;
    }
}
