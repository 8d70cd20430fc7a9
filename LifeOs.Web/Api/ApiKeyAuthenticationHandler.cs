using System.Security.Claims;
using System.Text.Encodings.Web;
using LifeOs.Core.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LifeOs.Web.Api;

/// <summary>
/// Authenticates /api requests by a personal API key, sent as <c>Authorization: Bearer lo_…</c> or <c>X-Api-Key: lo_…</c>.
/// Each request checks the key in the database (one indexed read), so a revoked or expired key, or a disabled or
/// deleted owner, is refused from the next request on. Failures answer 401/403 as problem details.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyService keys, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string HeaderName = "X-Api-Key";
    public const string KeyIdClaim = "lifeos:api_key_id";
    public const string ScopeClaim = "scope";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Presented(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }

        var identity = await keys.AuthenticateAsync(presented, Context.Connection.RemoteIpAddress?.ToString(), Context.RequestAborted);
        if (identity is null)
        {
            return AuthenticateResult.Fail("The API key is not valid: unknown, revoked or expired, or its account is disabled.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, identity.UserId),
            new(KeyIdClaim, identity.KeyId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new(ClaimTypes.Name, identity.Name),
        };
        claims.AddRange(identity.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer realm=\"LifeOs API\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "An API key is needed",
                Detail = result.Failure?.Message
                    ?? "Send a personal API key as 'Authorization: Bearer lo_…' or 'X-Api-Key: lo_…'. Make one under Settings › API keys.",
            },
        });
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "The key may not do this",
                Detail = Context.GetEndpoint()?.Metadata.GetMetadata<ApiScopeMetadata>() is { } scope
                    ? $"This route needs a key with the '{scope.Scope}' scope."
                    : "This key's scopes do not cover this route.",
            },
        });
    }

    internal static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        return request.Headers.TryGetValue(HeaderName, out var key) && key.ToString() is { Length: > 0 } value ? value.Trim() : null;
    }
}

/// <summary>The scope a route needs: read by the 403 answer and the OpenAPI document.</summary>
public sealed record ApiScopeMetadata(string Scope);
