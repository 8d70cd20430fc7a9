using LifeOs.Core.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace LifeOs.Web.Api;

/// <summary>The document's title, description and the API-key security scheme.</summary>
internal sealed class ApiDocumentTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "LifeOs API",
            Version = "v1",
            Description = "Your own LifeOs data: measurements in canonical units (each response names its unit), daily values, " +
                "sleep, journal, goals and connections. Authenticate with a personal API key from Settings › API keys, sent as " +
                "'Authorization: Bearer lo_…' (or 'X-Api-Key: lo_…'); each route needs one scope. Times are ISO 8601 with offsets; " +
                "errors are RFC 9457 problem details; GETs carry an ETag (send If-None-Match for 304).",
        };
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "lo_xxxxxxxx_…",
            Description = "A personal API key. Scopes: " + string.Join("; ", ApiScopes.All.Select(s => $"{s.Scope}: {s.Description}")) + ".",
        };
        return Task.CompletedTask;
    }
}

/// <summary>Each route's security requirement, with the scope it needs in its description.</summary>
internal sealed class ApiOperationTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        if (metadata.OfType<IAllowAnonymous>().Any())
        {
            return Task.CompletedTask;
        }

        var scope = metadata.OfType<ApiScopeMetadata>().LastOrDefault()?.Scope;
        operation.Security =
        [
            new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, context.Document)] = scope is null ? [] : [scope],
            },
        ];
        operation.Description = scope is null ? "Needs an API key (any scope)." : $"Needs an API key with the '{scope}' scope.";
        return Task.CompletedTask;
    }
}
