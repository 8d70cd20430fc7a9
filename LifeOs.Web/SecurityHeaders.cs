using NetEscapades.AspNetCore.SecurityHeaders.Headers.ContentSecurityPolicy;

namespace LifeOs.Web;

/// <summary>
/// Security headers on every response (NetEscapades.AspNetCore.SecurityHeaders builds them; HSTS is the
/// framework's UseHsts, sent on HTTPS only). The Content-Security-Policy is what the interactive UI needs and no more:
/// <list type="bullet">
/// <item>scripts from this origin only, plus the one inline script the framework writes (the import map), allowed
///   by a per-request nonce; no eval (neither blazor.web.js, MudBlazor nor ECharts needs it);</item>
/// <item>styles from this origin and inline: MudBlazor sets style attributes and writes its theme as a style
///   element, which neither hashes nor nonces can cover (a nonce would disable 'unsafe-inline' for them);</item>
/// <item>the web app manifest and the service worker from this origin only;</item>
/// <item>connections (the circuit's WebSocket, fetches) and images to this origin only (icons and the authenticator
///   QR code are inline SVG); no plugins, no framing by anyone, no base-URI changes.</item>
/// </list>
/// form-action is left open on purpose: connecting Oura or Withings is a form post answered by a redirect to the
/// provider, which may redirect again, and browsers check form-action on each redirect of a form submission.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>The API reference's page (Scalar), which gets its own script policy: see <see cref="ApiDocsScripts"/>.</summary>
    public static bool IsApiDocs(HttpContext context) => context.Request.Path.StartsWithSegments("/api/docs", StringComparison.OrdinalIgnoreCase);

    public static IApplicationBuilder UseLifeOsSecurityHeaders(this IApplicationBuilder app) =>
        app.UseWhen(IsApiDocs, docs => docs.UseSecurityHeaders(policies => Common(policies, ApiDocsScripts)))
            .UseWhen(context => !IsApiDocs(context), pages => pages.UseSecurityHeaders(policies => Common(policies, csp => csp.AddScriptSrc().Self().WithNonce())));

    /// <summary>
    /// /api/docs only: Scalar's page starts itself with an inline module script that carries no nonce, so scripts there
    /// may be inline. The relaxation is confined to that page, which shows no data of anyone's (it fetches the public
    /// OpenAPI document; trying a route needs a key typed into it), loads nothing from another origin (its own fonts
    /// and telemetry are off), and may not be framed.
    /// </summary>
    private static void ApiDocsScripts(CspBuilder csp) => csp.AddScriptSrc().Self().UnsafeInline();

    private static HeaderPolicyCollection Common(HeaderPolicyCollection policies, Action<CspBuilder> scripts) =>
        policies
            .AddFrameOptionsDeny()
            .AddContentTypeOptionsNoSniff()
            .AddReferrerPolicyStrictOriginWhenCrossOrigin()
            .AddCrossOriginOpenerPolicy(builder => builder.SameOrigin())
            .RemoveServerHeader()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                scripts(csp);
                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddImgSrc().Self();
                csp.AddFontSrc().Self();
                csp.AddConnectSrc().Self();
                // The installable app: its manifest and its service worker (wwwroot/sw.js), both from this origin.
                csp.AddManifestSrc().Self();
                csp.AddWorkerSrc().Self();
                csp.AddObjectSrc().None();
                csp.AddBaseUri().Self();
                csp.AddFrameAncestors().None();
            })
            .AddPermissionsPolicy(permissions =>
            {
                permissions.AddAccelerometer().None();
                permissions.AddCamera().None();
                permissions.AddGeolocation().None();
                permissions.AddGyroscope().None();
                permissions.AddMagnetometer().None();
                permissions.AddMicrophone().None();
                permissions.AddPayment().None();
                permissions.AddUsb().None();
            });
}
