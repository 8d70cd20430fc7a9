namespace LifeOs.Web;

/// <summary>
/// Security headers on every response (NetEscapades.AspNetCore.SecurityHeaders builds them; HSTS is the
/// framework's UseHsts, sent on HTTPS only). The Content-Security-Policy is what the interactive UI needs and no more:
/// <list type="bullet">
/// <item>scripts from this origin only, plus the one inline script the framework writes (the import map), allowed
///   by a per-request nonce; no eval (neither blazor.web.js, MudBlazor nor ECharts needs it);</item>
/// <item>styles from this origin and inline: MudBlazor sets style attributes and writes its theme as a style
///   element, which neither hashes nor nonces can cover (a nonce would disable 'unsafe-inline' for them);</item>
/// <item>connections (the circuit's WebSocket, fetches) and images to this origin only (icons and the authenticator
///   QR code are inline SVG); no plugins, no framing by anyone, no base-URI changes.</item>
/// </list>
/// form-action is left open on purpose: connecting Oura or Withings is a form post answered by a redirect to the
/// provider, which may redirect again, and browsers check form-action on each redirect of a form submission.
/// </summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseLifeOsSecurityHeaders(this IApplicationBuilder app) =>
        app.UseSecurityHeaders(policies => policies
            .AddFrameOptionsDeny()
            .AddContentTypeOptionsNoSniff()
            .AddReferrerPolicyStrictOriginWhenCrossOrigin()
            .AddCrossOriginOpenerPolicy(builder => builder.SameOrigin())
            .RemoveServerHeader()
            .AddContentSecurityPolicy(csp =>
            {
                csp.AddDefaultSrc().Self();
                csp.AddScriptSrc().Self().WithNonce();
                csp.AddStyleSrc().Self().UnsafeInline();
                csp.AddImgSrc().Self();
                csp.AddFontSrc().Self();
                csp.AddConnectSrc().Self();
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
            }));
}
