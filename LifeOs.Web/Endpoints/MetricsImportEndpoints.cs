using System.Text;
using LifeOs.Core.Health.Import;
using Microsoft.AspNetCore.Http.Features;

namespace LifeOs.Web.Endpoints;

/// <summary>The edges of /metrics/import that are not the page itself: the upload size limit and the example files.</summary>
public static class MetricsImportEndpoints
{
    public const string PagePath = "/metrics/import";

    /// <summary>Room for the multipart framing and the form's other fields on top of the file itself.</summary>
    private const long RequestLimit = CsvImportService.MaxFileBytes + (64 * 1024);

    /// <summary>
    /// Refuses an upload over the limit before the form is read (by Content-Length, or when the body runs
    /// past it) and sends the person back to the page with a message, instead of a bare 413 or a failed
    /// antiforgery check. Must run before UseAntiforgery, which reads the form.
    /// </summary>
    public static IApplicationBuilder UseMetricsImportUploadLimit(this IApplicationBuilder app) =>
        app.UseWhen(
            context => HttpMethods.IsPost(context.Request.Method) && context.Request.Path.Equals(PagePath, StringComparison.OrdinalIgnoreCase),
            branch => branch.Use(async (context, next) =>
            {
                if (context.Request.ContentLength > RequestLimit)
                {
                    RefuseTooLarge(context);
                    return;
                }

                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
                {
                    size.MaxRequestBodySize = RequestLimit;
                }

                if (context.Request.HasFormContentType)
                {
                    try
                    {
                        // Read (and cache) the form here, where running past the limit can still become a friendly page.
                        await context.Request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = RequestLimit }, context.RequestAborted);
                    }
                    catch (Exception ex) when (ex is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } or InvalidDataException)
                    {
                        RefuseTooLarge(context);
                        return;
                    }
                }

                await next(context);
            }));

    public static IEndpointRouteBuilder MapMetricsImportEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(PagePath + "/example-long.csv", () => Example(ImportExamples.Long, "lifeos-import-long.csv")).RequireAuthorization();
        endpoints.MapGet(PagePath + "/example-wide.csv", () => Example(ImportExamples.Wide, "lifeos-import-wide.csv")).RequireAuthorization();
        return endpoints;
    }

    private static IResult Example(string csv, string fileName) =>
        Results.File(Encoding.UTF8.GetBytes(csv), "text/csv; charset=utf-8", fileName);

    private static void RefuseTooLarge(HttpContext context)
    {
        // The body is not read: Kestrel closes the connection rather than draining a file it will not use.
        context.Response.Redirect(PagePath + "?error=too-large");
    }
}
