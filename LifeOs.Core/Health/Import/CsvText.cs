using System.Text;

namespace LifeOs.Core.Health.Import;

/// <summary>One record of a CSV file: the physical line it starts on and its fields.</summary>
public sealed record CsvRecord(int Line, IReadOnlyList<string> Fields);

/// <summary>
/// Turns uploaded bytes into CSV records, keeping the line numbers that error messages need.
/// RFC 4180 quoting; comma, semicolon or tab delimiter (whichever the header uses); UTF-8 with or
/// without a BOM (a file that is not valid UTF-8 but is plainly text is read as Latin-1, the way old
/// spreadsheet exports are written); blank lines skipped. Binary files are recognised and refused.
/// </summary>
public static class CsvText
{
    public static (IReadOnlyList<CsvRecord> Records, char Delimiter, ImportError? Error) Read(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(Encoding.UTF8.Preamble))
        {
            bytes = bytes[Encoding.UTF8.Preamble.Length..];
        }

        if (NotText(bytes) is { } notText)
        {
            return ([], ',', notText);
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.Latin1.GetString(bytes);
        }

        var delimiter = DetectDelimiter(text);
        var (records, error) = Tokenize(text, delimiter);
        return (records, delimiter, error);
    }

    /// <summary>Recognises images, archives, spreadsheets and other binary uploads by their first bytes or control characters.</summary>
    private static ImportError? NotText(ReadOnlySpan<byte> bytes)
    {
        string? kind = bytes switch
        {
            [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "a PNG image",
            [0xFF, 0xD8, 0xFF, ..] => "a JPEG image",
            [(byte)'G', (byte)'I', (byte)'F', (byte)'8', ..] => "a GIF image",
            [(byte)'%', (byte)'P', (byte)'D', (byte)'F', ..] => "a PDF document",
            [(byte)'P', (byte)'K', 0x03, 0x04, ..] => "a ZIP archive (an Excel .xlsx workbook is one: save it as \"CSV UTF-8\" first)",
            [0xD0, 0xCF, 0x11, 0xE0, ..] => "an old Excel .xls workbook (save it as \"CSV UTF-8\" first)",
            [0x1F, 0x8B, ..] => "a gzip archive",
            _ => null,
        };
        if (kind is not null)
        {
            return new ImportError(1, 1, null, $"This is not a CSV file: it looks like {kind}.");
        }

        int line = 1, column = 1;
        foreach (var b in bytes)
        {
            if (b == '\n')
            {
                line++;
                column = 1;
                continue;
            }

            if (b < 0x20 && b is not (byte)'\t' and not (byte)'\r' and not (byte)'\f')
            {
                return new ImportError(line, column, null, "This is not a CSV file: it contains binary data. Upload a spreadsheet saved as CSV (comma-separated values).");
            }

            column++;
        }

        return null;
    }

    private static char DetectDelimiter(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        var header = end < 0 ? text : text[..end];
        int commas = header.Count(c => c == ','), semicolons = header.Count(c => c == ';'), tabs = header.Count(c => c == '\t');
        return semicolons > commas && semicolons >= tabs ? ';' : tabs > commas ? '\t' : ',';
    }

    private static (List<CsvRecord>, ImportError?) Tokenize(string text, char delimiter)
    {
        var records = new List<CsvRecord>();
        var fields = new List<string>();
        int line = 1, recordLine = 1, i = 0;

        while (true)
        {
            string field;
            if (i < text.Length && text[i] == '"')
            {
                // Quoted: "" is a quote; delimiters and line breaks inside are data.
                var quoteLine = line;
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    var close = text.IndexOf('"', i);
                    if (close < 0)
                    {
                        return (records, new ImportError(quoteLine, fields.Count + 1, null, "A quoted value starts here but its closing quote (\") is missing."));
                    }

                    line += LineBreaks(text.AsSpan(i, close - i));
                    value.Append(text, i, close - i);
                    i = close + 1;
                    if (i < text.Length && text[i] == '"')
                    {
                        value.Append('"');
                        i++;
                        continue;
                    }

                    break;
                }

                // Anything between the closing quote and the delimiter is kept, as spreadsheets do.
                var rest = NextBreak(text, i, delimiter);
                value.Append(text, i, rest - i);
                i = rest;
                field = value.ToString();
            }
            else
            {
                var end = NextBreak(text, i, delimiter);
                field = text[i..end];
                i = end;
            }

            fields.Add(field);
            if (i >= text.Length)
            {
                EndRecord(records, fields, recordLine);
                return (records, null);
            }

            if (text[i] == delimiter)
            {
                i++;
                continue;
            }

            i += text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n' ? 2 : 1;
            EndRecord(records, fields, recordLine);
            line++;
            recordLine = line;
            if (i >= text.Length)
            {
                return (records, null);
            }
        }
    }

    private static int NextBreak(string text, int from, char delimiter)
    {
        var next = text.AsSpan(from).IndexOfAny(delimiter, '\r', '\n');
        return next < 0 ? text.Length : from + next;
    }

    private static int LineBreaks(ReadOnlySpan<char> span)
    {
        var count = 0;
        for (var k = 0; k < span.Length; k++)
        {
            if (span[k] == '\n' || (span[k] == '\r' && (k + 1 >= span.Length || span[k + 1] != '\n')))
            {
                count++;
            }
        }

        return count;
    }

    private static void EndRecord(List<CsvRecord> records, List<string> fields, int line)
    {
        // Blank lines, and rows of nothing but delimiters, are not records.
        if (fields.Exists(f => !string.IsNullOrWhiteSpace(f)))
        {
            records.Add(new CsvRecord(line, fields.ToArray()));
        }

        fields.Clear();
    }
}
