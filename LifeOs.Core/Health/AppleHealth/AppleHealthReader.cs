using System.IO.Compression;
using System.Xml;

namespace LifeOs.Core.Health.AppleHealth;

public enum AppleItemKind
{
    Record,
    Workout,
    ActivitySummary,
}

/// <summary>One element of the export, as read (reused between items: copy what you keep).</summary>
public sealed class AppleItem
{
    public AppleItemKind Kind { get; internal set; }
    public string Type { get; internal set; } = "";
    public string SourceName { get; internal set; } = "";
    public string? Unit { get; internal set; }
    public string? Value { get; internal set; }
    public string? StartDate { get; internal set; }
    public string? EndDate { get; internal set; }

    /// <summary>The start of the correlation (blood pressure) this record belongs to, or null for a record of its own.</summary>
    public string? CorrelationStart { get; internal set; }

    /// <summary>A workout's energy and its unit: <c>totalEnergyBurned</c>, or (newer exports) its active-energy <c>WorkoutStatistics</c>.</summary>
    public string? Energy { get; internal set; }

    public string? EnergyUnit { get; internal set; }

    /// <summary>A workout's distance and its unit: <c>totalDistance</c>, or (newer exports) its distance <c>WorkoutStatistics</c>.</summary>
    public string? Distance { get; internal set; }

    public string? DistanceUnit { get; internal set; }
}

/// <summary>Why a file cannot be imported, in words for people.</summary>
public sealed class AppleExportException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Reads Apple Health's export.xml as a stream, element by element, from the file or from inside export.zip: memory
/// stays flat whatever the size (1–2 GB is common). The export carries an internal DTD; it is skipped, never
/// processed: no entity is declared, so an entity reference (billion laughs, an external entity) is an error rather
/// than an expansion, and nothing is ever fetched (no resolver).
/// </summary>
public sealed class AppleHealthReader : IDisposable
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024,
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    private readonly FileStream file;
    private readonly ZipArchive? zip;
    private readonly Stream xml;
    private readonly XmlReader reader;
    private readonly AppleItem item = new();

    private AppleHealthReader(FileStream file, ZipArchive? zip, Stream xml)
    {
        this.file = file;
        this.zip = zip;
        this.xml = xml;
        reader = XmlReader.Create(xml, Settings);
    }

    /// <summary>Bytes of the file (compressed, for a zip) read so far, for progress.</summary>
    public long Position => file.Position;

    public long Length => file.Length;

    /// <summary>Opens an export.zip or export.xml and checks that it is Apple Health's export (root element HealthData).</summary>
    /// <exception cref="AppleExportException">It is not.</exception>
    public static AppleHealthReader Open(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        ZipArchive? zip = null;
        try
        {
            Stream xml = file;
            if (IsZip(file))
            {
                try
                {
                    zip = new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
                }
                catch (InvalidDataException ex)
                {
                    throw new AppleExportException("The file looks like a zip but cannot be read as one. Export again from the Health app and upload export.zip as it is.", ex);
                }

                var entry = FindExport(zip) ?? throw new AppleExportException(
                    "This zip is not an Apple Health export: it holds no export.xml. In the Health app, tap your picture, then Export All Health Data, and upload the export.zip it makes.");
                xml = entry.Open();
            }

            var opened = new AppleHealthReader(file, zip, xml);
            opened.ExpectHealthData();
            return opened;
        }
        catch
        {
            zip?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>The next record, workout or activity summary; false at the end.</summary>
    /// <exception cref="AppleExportException">The XML is broken or uses entities.</exception>
    public bool Next(out AppleItem next)
    {
        next = item;
        try
        {
            while (reader.Read())
            {
                if (reader.NodeType == XmlNodeType.EndElement)
                {
                    if (reader.LocalName == "Correlation")
                    {
                        item.CorrelationStart = null;
                    }

                    continue;
                }

                if (reader.NodeType != XmlNodeType.Element)
                {
                    continue;
                }

                switch (reader.LocalName)
                {
                    case "Record":
                        Fill(AppleItemKind.Record);
                        return true;
                    case "Correlation":
                        // Its member records follow as children; an empty correlation has none.
                        item.CorrelationStart = reader.IsEmptyElement ? null : reader.GetAttribute("startDate") ?? "";
                        continue;
                    case "Workout":
                        var correlation = item.CorrelationStart;
                        Fill(AppleItemKind.Workout);
                        item.Type = reader.GetAttribute("workoutActivityType") ?? "";
                        item.CorrelationStart = correlation;
                        ReadWorkoutTotals();
                        return true;
                    case "ActivitySummary":
                        Fill(AppleItemKind.ActivitySummary);
                        return true;
                }
            }

            return false;
        }
        catch (XmlException ex)
        {
            throw new AppleExportException($"The export cannot be read past line {ex.LineNumber}: {ex.Message} Nothing after that point was imported. Export again from the Health app and upload the new file.", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new AppleExportException("The zip is damaged (it cannot be unpacked to the end). Export again from the Health app and upload the new file.", ex);
        }
    }

    private void Fill(AppleItemKind kind)
    {
        var correlation = item.CorrelationStart;
        item.Kind = kind;
        item.Type = "";
        item.SourceName = "";
        item.Unit = item.Value = item.StartDate = item.EndDate = null;
        item.Energy = item.EnergyUnit = item.Distance = item.DistanceUnit = null;
        item.CorrelationStart = correlation;
        if (!reader.MoveToFirstAttribute())
        {
            return;
        }

        do
        {
            switch (reader.LocalName)
            {
                case "type":
                    item.Type = reader.Value;
                    break;
                case "sourceName":
                    item.SourceName = reader.Value;
                    break;
                case "unit":
                    item.Unit = reader.Value;
                    break;
                case "value":
                    item.Value = reader.Value;
                    break;
                case "startDate":
                    item.StartDate = reader.Value;
                    break;
                case "endDate":
                    item.EndDate = reader.Value;
                    break;
            }
        }
        while (reader.MoveToNextAttribute());

        reader.MoveToElement();
    }

    /// <summary>
    /// A workout's totals: its attributes in older exports; in newer ones (iOS 16 on) its <c>WorkoutStatistics</c>
    /// children, read here to the workout's end tag (they are small: statistics, events, metadata, a route's file name).
    /// </summary>
    private void ReadWorkoutTotals()
    {
        item.Energy = reader.GetAttribute("totalEnergyBurned");
        item.EnergyUnit = reader.GetAttribute("totalEnergyBurnedUnit");
        item.Distance = reader.GetAttribute("totalDistance");
        item.DistanceUnit = reader.GetAttribute("totalDistanceUnit");
        if (reader.IsEmptyElement)
        {
            return;
        }

        var depth = reader.Depth;
        while (reader.Read() && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "WorkoutStatistics")
            {
                continue;
            }

            var type = reader.GetAttribute("type") ?? "";
            if (item.Energy is null && type == "HKQuantityTypeIdentifierActiveEnergyBurned")
            {
                (item.Energy, item.EnergyUnit) = (reader.GetAttribute("sum"), reader.GetAttribute("unit"));
            }
            else if (item.Distance is null && type.StartsWith("HKQuantityTypeIdentifierDistance", StringComparison.Ordinal))
            {
                (item.Distance, item.DistanceUnit) = (reader.GetAttribute("sum"), reader.GetAttribute("unit"));
            }
        }
    }

    private void ExpectHealthData()
    {
        try
        {
            if (reader.MoveToContent() == XmlNodeType.Element && reader.LocalName == "HealthData")
            {
                return;
            }
        }
        catch (XmlException ex)
        {
            throw new AppleExportException($"This is not an Apple Health export: it is not readable XML (line {ex.LineNumber}: {ex.Message})", ex);
        }
        catch (InvalidDataException ex)
        {
            throw new AppleExportException("The zip is damaged (export.xml cannot be unpacked). Export again from the Health app.", ex);
        }

        throw new AppleExportException("This is not an Apple Health export: its XML does not start with <HealthData>. Upload the export.zip the Health app makes, or the export.xml inside it.");
    }

    private static bool IsZip(FileStream file)
    {
        Span<byte> head = stackalloc byte[4];
        var read = file.Read(head);
        file.Position = 0;
        return read == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
    }

    /// <summary>apple_health_export/export.xml (some languages name it otherwise: then the one .xml that is not the clinical export_cda).</summary>
    private static ZipArchiveEntry? FindExport(ZipArchive zip)
    {
        var xmls = zip.Entries.Where(e => e.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains("/workout-routes/", StringComparison.OrdinalIgnoreCase)).ToList();
        return xmls.FirstOrDefault(e => e.Name.Equals("export.xml", StringComparison.OrdinalIgnoreCase))
            ?? xmls.Where(e => !e.Name.Contains("cda", StringComparison.OrdinalIgnoreCase) && e.FullName.StartsWith("apple_health_export/", StringComparison.OrdinalIgnoreCase))
                .OrderByDescending(e => e.Length).FirstOrDefault();
    }

    public void Dispose()
    {
        reader.Dispose();
        if (!ReferenceEquals(xml, file))
        {
            xml.Dispose();
        }

        zip?.Dispose();
        file.Dispose();
    }
}
