using System.Text;
using System.Text.Unicode;
using CsvHelper;

namespace LifeOs.Core.Health.Import;

/// <summary>One record of a CSV file: the physical line it starts on and its fields.</summary>
public sealed record CsvRecord(int Line, string[] Fields);

/// <summary>
/// Turns uploaded bytes into CSV records with CsvHelper, keeping the line numbers that error messages need.
/// RFC 4180 quoting; comma, semicolon, tab or bar delimiter (detected by the library); UTF-8 with or without a BOM,
/// UTF-16 with its BOM (Excel's "Unicode text"), and a file that is not valid UTF-8 but is plainly text read as
/// Latin-1, the way old spreadsheet exports are written; blank lines skipped. Binary files are recognised and refused.
/// </summary>
public static class CsvText
{
    /// <param name="progress">Told the share of the file read so far (0 to 1), every few thousand records.</param>
    public static (IReadOnlyList<CsvRecord> Records, char Delimiter, ImportError? Error) Read(byte[] bytes, Action<double>? progress = null)
    {
        ReadOnlySpan<byte> span = bytes;
        if (NotTextSignature(span) is { } signature)
        {
            return ([], ',', signature);
        }

        // UTF-16 (a BOM says which way round) and Latin-1 are decoded here; valid UTF-8, the usual case, goes to the
        // reader as it is, without a copy.
        string? text = null;
        if (span is [0xFF, 0xFE, ..] || span is [0xFE, 0xFF, ..])
        {
            var encoding = span[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
            text = encoding.GetString(span[2..]);
        }
        else
        {
            var body = span.StartsWith(Encoding.UTF8.Preamble) ? span[Encoding.UTF8.Preamble.Length..] : span;
            if (!Utf8.IsValid(body))
            {
                text = Encoding.Latin1.GetString(body);
            }
        }

        if ((text is null ? ControlCharacter(span) : ControlCharacter(text)) is { } binary)
        {
            return ([], ',', binary);
        }

        var records = new List<CsvRecord>();
        ImportError? error = null;
        var options = CsvReaderOptions.Default with
        {
            HasHeader = false,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            TrimWhitespace = false,
            // Metric names and units repeat on every row: one string each rather than one per row.
            PoolStrings = true,
            FieldCountMismatch = CsvFieldCountHandling.Allow,
            OnMalformedRecord = malformed =>
            {
                if (malformed.Reason == CsvMalformedReason.UnterminatedQuote && error is null)
                {
                    error = new ImportError((int)malformed.LineNumber, 0, null, "A quoted value starts here but its closing quote (\") is missing.");
                }
            },
        };
        using var reader = text is null ? CsvReader.Create(bytes, options) : CsvReader.FromText(text, options);
        var total = Math.Max(1, text is null ? bytes.Length : Encoding.UTF8.GetByteCount(text));
        while (reader.Read())
        {
            var fields = new string[reader.FieldCount];
            var any = false;
            for (var i = 0; i < fields.Length; i++)
            {
                fields[i] = reader.GetString(i) ?? "";
                any |= !string.IsNullOrWhiteSpace(fields[i]);
            }

            if (error is { Column: 0 })
            {
                // The unclosed quote opens the record's last field and runs to the end of the file.
                error = error with { Column = fields.Length };
                return (records, reader.Separator, error);
            }

            // Rows of nothing but delimiters are not records.
            if (any)
            {
                records.Add(new CsvRecord((int)reader.LineNumber, fields));
            }

            if (progress is not null && (records.Count & 0x3FFF) == 0)
            {
                progress(Math.Min(1, (double)reader.ByteOffset / total));
            }
        }

        return (records, records.Count == 0 ? ',' : reader.Separator, error);
    }

    /// <summary>Recognises images, archives and spreadsheets by their first bytes.</summary>
    private static ImportError? NotTextSignature(ReadOnlySpan<byte> bytes)
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
        return kind is null ? null : new ImportError(1, 1, null, $"This is not a CSV file: it looks like {kind}.");
    }

    private static ImportError? ControlCharacter(ReadOnlySpan<byte> bytes)
    {
        var at = bytes.IndexOfAnyInRange((byte)0, (byte)0x1F);
        while (at >= 0 && bytes[at] is (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'\f')
        {
            var next = bytes[(at + 1)..].IndexOfAnyInRange((byte)0, (byte)0x1F);
            at = next < 0 ? -1 : at + 1 + next;
        }

        return at < 0 ? null : BinaryAt(bytes[..at].Count((byte)'\n') + 1, at - (bytes[..at].LastIndexOf((byte)'\n') + 1) + 1);
    }

    private static ImportError? ControlCharacter(string text)
    {
        int line = 1, column = 1;
        foreach (var c in text)
        {
            if (c == '\n')
            {
                line++;
                column = 1;
                continue;
            }

            if (c < 0x20 && c is not '\t' and not '\r' and not '\f')
            {
                return BinaryAt(line, column);
            }

            column++;
        }

        return null;
    }

    private static ImportError BinaryAt(int line, int column) =>
        new(line, column, null, "This is not a CSV file: it contains binary data. Upload a spreadsheet saved as CSV (comma-separated values).");
}
