using LifeOs.Core.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace LifeOs.Web.Api;

/// <summary>
/// The personal REST API at /api/v1: API-key authentication (the only scheme /api accepts, so a browser's cookie never
/// authorises it), a policy per scope, problem details for every error, a per-key rate limit, a body size limit, CORS
/// only when configured, and the OpenAPI document with its reference page.
/// </summary>
public static class ApiServiceCollectionExtensions
{
    public const string CorsPolicy = "Api";
    public const string DocumentName = "v1";

    /// <summary>A valid key, whatever its scopes (GET /me).</summary>
    public const string AnyKeyPolicy = "api";

    public static string ScopePolicy(string scope) => "api:" + scope;

    public static IServiceCollection AddLifeOsApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiOptions>, ApiOptionsValidator>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        var authorization = services.AddAuthorizationBuilder()
            .AddPolicy(AnyKeyPolicy, policy => policy.AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName).RequireAuthenticatedUser());
        foreach (var (scope, _) in ApiScopes.All)
        {
            authorization.AddPolicy(ScopePolicy(scope), policy => policy
                .AddAuthenticationSchemes(ApiKeyAuthenticationHandler.SchemeName)
                .RequireAuthenticatedUser()
                .RequireClaim(ApiKeyAuthenticationHandler.ScopeClaim, scope));
        }

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.TryAdd("traceId", context.HttpContext.TraceIdentifier);
            // Binding failures say what was wrong (a body that is not JSON, a parameter of the wrong type); nothing else
            // of an exception reaches the client.
            if (context.Exception is BadHttpRequestException bad)
            {
                context.ProblemDetails.Detail = bad.Message;
            }
        });

        var origins = configuration.GetSection(ApiOptions.SectionName).Get<ApiOptions>()?.CorsOriginList() ?? [];
        if (origins.Count > 0)
        {
            services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
                .WithOrigins([.. origins])
                .WithMethods("GET", "POST", "PUT", "DELETE")
                .WithHeaders("Authorization", ApiKeyAuthenticationHandler.HeaderName, "Content-Type", "If-None-Match")
                .WithExposedHeaders("ETag", "Retry-After")));
        }

        services.AddOpenApi(DocumentName, options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer<ApiDocumentTransformer>();
            options.AddOperationTransformer<ApiOperationTransformer>();
        });
        return services;
    }

    /// <summary>
    /// Before authentication: /api answers its errors as problem details (not the app's HTML error pages) and has a
    /// request body limit; CORS runs when origins are configured.
    /// </summary>
    public static WebApplication UseLifeOsApiErrors(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.MaxRequestBodyBytes;
        app.UseWhen(IsApi, api =>
        {
            api.UseExceptionHandler(new ExceptionHandlerOptions
            {
                // A body that is not JSON, or a route value that does not bind, is the client's error.
                StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError,
            });
            api.UseStatusCodePages();
            api.Use((context, next) => LimitBodyAsync(context, next, limit));
        });
        if (app.Services.GetRequiredService<IOptions<ApiOptions>>().Value.CorsOriginList().Count > 0)
        {
            app.UseCors();
        }

        return app;
    }

    /// <summary>
    /// A declared body over the limit is refused before anything reads it (413); a body sent without a length is cut
    /// off by the server at the same limit when it is read.
    /// </summary>
    private static async Task LimitBodyAsync(HttpContext context, RequestDelegate next, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = StatusCodes.Status413PayloadTooLarge,
                    Title = "The request body is too large",
                    Detail = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"Send at most {limit:N0} bytes per request; split the batch."),
                },
            });
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit;
        }

        await next(context);
    }

    public static bool IsApi(HttpContext context) => context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);

    /// <summary>/openapi/v1.json and the reference at /api/docs (both public: they describe, they hold no data).</summary>
    public static WebApplication MapLifeOsApiDocs(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/api/docs", options => options
            .WithTitle("LifeOs API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddPreferredSecuritySchemes(ApiKeyAuthenticationHandler.SchemeName)
            // Nothing from another origin: self-hosters run offline, and the page's policy allows only this one.
            .DisableDefaultFonts()
            .DisableTelemetry()
            // No "Ask AI" (it sends the document to Scalar's service) and no developer toolbar (Share, Generate SDK,
            // Deploy: Scalar's cloud), which Scalar shows when the page is opened on localhost.
            .DisableAgent()
            .HideDeveloperTools()
            // Zod (in Scalar's bundle) probes for eval with Function(''), which the page's policy refuses and reports;
            // jitless skips the probe. Head content comes before the bundle's script.
            .AddHeadContent("<script>globalThis.__zod_globalConfig = { jitless: true };</script>"))
            .AllowAnonymous();
        return app;
    }
}
