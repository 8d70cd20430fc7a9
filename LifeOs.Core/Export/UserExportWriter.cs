using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace LifeOs.Core.Export;

/// <summary>Writes JSON, CSV and text entries into the export zip.</summary>
public sealed class UserExportWriter(ZipArchive archive)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file people open in an editor, never embedded in HTML: "é", "+" and emoji stay as they are, not \u00E9.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public async Task WriteJsonAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var stream = await OpenAsync(path, cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            await JsonSerializer.SerializeAsync(stream, value, JsonOptions, cancellationToken);
        }
    }

    public async Task WriteTextAsync(string path, string text, CancellationToken cancellationToken)
    {
        var stream = await OpenAsync(path, cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(Utf8NoBom.GetBytes(text), cancellationToken);
        }
    }

    /// <summary>Writes an RFC 4180 CSV; rows are streamed so large tables never sit in memory whole.</summary>
    public async Task WriteCsvAsync(string path, IReadOnlyList<string> header, IAsyncEnumerable<IReadOnlyList<object?>> rows, CancellationToken cancellationToken)
    {
        var stream = await OpenAsync(path, cancellationToken);
        await using (stream.ConfigureAwait(false))
        {
            var writer = new StreamWriter(stream, Utf8NoBom);
            await using (writer.ConfigureAwait(false))
            {
                await writer.WriteLineAsync(string.Join(',', header.Select(Escape)));
                await foreach (var row in rows.WithCancellation(cancellationToken))
                {
                    await writer.WriteLineAsync(string.Join(',', row.Select(Format)));
                }
            }
        }
    }

    private Task<Stream> OpenAsync(string path, CancellationToken cancellationToken) =>
        archive.CreateEntry(path, CompressionLevel.Fastest).OpenAsync(cancellationToken);

    private static string Format(object? value) => value switch
    {
        null => "",
        DateTime d => d.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => Escape(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => Escape(value.ToString() ?? ""),
    };

    private static string Escape(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
