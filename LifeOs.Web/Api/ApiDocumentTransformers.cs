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
        if (operation.OperationId is { } id && RequestExamples.TryGetValue(id, out var example)
            && operation.RequestBody?.Content?.TryGetValue("application/json", out var media) == true)
        {
            media.Example = System.Text.Json.Nodes.JsonNode.Parse(example);
        }

        return Task.CompletedTask;
    }

    /// <summary>A request body for each write, as a script would send it (the reference shows and pre-fills them).</summary>
    private static readonly Dictionary<string, string> RequestExamples = new(StringComparer.Ordinal)
    {
        ["PostSamples"] = """
            {"samples": [
              {"metric": "weight", "value": 72.4, "start": "2026-11-30T07:12:00+01:00", "recordId": "scale-2026-11-30"},
              {"metric": "steps", "value": 8412, "start": "2026-11-30T08:00:00+01:00", "end": "2026-11-30T20:00:00+01:00", "recordId": "steps-2026-11-30"}
            ]}
            """,
        ["CreateJournalEntry"] = """
            {"kind": "reflection", "date": "2026-11-30", "title": "A good Sunday", "body": "Long walk by the river.", "mood": 4, "energy": 3, "tags": ["walk"]}
            """,
        ["UpdateJournalEntry"] = """
            {"kind": "reflection", "date": "2026-11-30", "title": "A good Sunday", "body": "Long walk by the river, then soup.", "mood": 5, "energy": 3, "tags": ["walk", "cooking"]}
            """,
        ["PostHealthAutoExport"] = """
            {"data": {"metrics": [
              {"name": "step_count", "units": "count", "data": [{"date": "2026-11-30 08:00:00 +0100", "qty": 412, "source": "Apple Watch"}]},
              {"name": "heart_rate", "units": "count/min", "data": [{"date": "2026-11-30 08:00:00 +0100", "Min": 58, "Avg": 64, "Max": 91}]}
            ]}}
            """,
    };
}
