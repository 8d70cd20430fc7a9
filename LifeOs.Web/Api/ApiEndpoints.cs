using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using LifeOs.Core;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace LifeOs.Web.Api;

/// <summary>
/// /api/v1: every route needs an API key (and usually one scope), answers JSON, and its GETs carry an ETag so a
/// client can ask again with If-None-Match and get 304. The routes live in <c>*Api</c> classes beside this one.
/// </summary>
public static class ApiEndpoints
{
    public static WebApplication MapLifeOsApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value;
        var api = app.MapGroup("/api/v1")
            .RequireAuthorization(ApiServiceCollectionExtensions.AnyKeyPolicy)
            .AddEndpointFilter(ETagFilter.InvokeAsync)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        if (options.CorsOriginList().Count > 0)
        {
            api.RequireCors(ApiServiceCollectionExtensions.CorsPolicy);
        }

        api.MapMeApi();
        api.MapHealthApi();
        api.MapIngestApi();
        api.MapJournalApi();
        api.MapGoalsApi();
        api.MapConnectionsApi();
        return app;
    }

    /// <summary>The route needs a key holding <paramref name="scope"/>; 403 otherwise.</summary>
    public static RouteHandlerBuilder RequireScope(this RouteHandlerBuilder builder, string scope) =>
        builder.RequireAuthorization(ApiServiceCollectionExtensions.ScopePolicy(scope))
            .WithMetadata(new ApiScopeMetadata(scope))
            .ProducesProblem(StatusCodes.Status403Forbidden);

    public static string UserId(this ClaimsPrincipal user) => user.RequiredUserId();

    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: what);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request has errors");

    public static ValidationProblem Invalid(IReadOnlyDictionary<string, string> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { e.Value }), title: "The request has errors");

    /// <summary>An instant in the user's offset: the API's times always carry one.</summary>
    public static DateTimeOffset At(this UserClock clock, DateTime utc)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        return new DateTimeOffset(utc).ToOffset(clock.Zone.GetUtcOffset(utc));
    }

    public static DateTimeOffset? At(this UserClock clock, DateTime? utc) => utc is { } value ? clock.At(value) : null;

    /// <summary>A date as yyyy-MM-dd; null when absent. False when present but not a date.</summary>
    public static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value) && value.Year >= 1900)
        {
            date = value;
            return true;
        }

        return false;
    }

    /// <summary>An ISO 8601 date and time with its offset (Z or ±hh:mm); null when absent. False when present but not that.</summary>
    public static bool TryInstant(string? text, out DateTimeOffset? instant) => LifeOs.Core.Api.IsoInstant.TryParse(text, out instant);

    /// <summary>
    /// A GET's JSON gets a strong ETag (a hash of the bytes sent); a request whose If-None-Match holds it gets 304 and
    /// no body. Streams (GET /samples) are not buffered for this and carry none.
    /// </summary>
    private static class ETagFilter
    {
        public static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var result = await next(context);
            // Results<Ok<T>, …> wraps the result that was chosen.
            while (result is INestedHttpResult nested)
            {
                result = nested.Result;
            }

            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) || result is not IValueHttpResult { Value: { } value }
                || result is IStatusCodeHttpResult { StatusCode: not (null or StatusCodes.Status200OK) })
            {
                return result;
            }

            var json = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
            var bytes = JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json);
            var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 16)) + "\"";
            http.Response.Headers.ETag = etag;
            http.Response.Headers.CacheControl = "private, no-cache";
            var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
            if (ifNoneMatch.Length > 0 && (ifNoneMatch.Trim() == "*" || ifNoneMatch.Split(',').Any(t => t.Trim().TrimStart('W', '/') == etag)))
            {
                return TypedResults.StatusCode(StatusCodes.Status304NotModified);
            }

            return TypedResults.Bytes(bytes, "application/json; charset=utf-8");
        }
    }
}
