using QRCoder;

namespace LifeOs.Web;

/// <summary>QR codes rendered on the server as inline SVG: no CDN, no script.</summary>
public static class QrCodes
{
    public static string Svg(string payload)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(payload, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data);
        return svg.GetGraphic(new System.Drawing.Size(220, 220), "#000000", "#ffffff", drawQuietZones: true, sizingMode: SvgQRCode.SizingMode.ViewBoxAttribute);
    }
}
