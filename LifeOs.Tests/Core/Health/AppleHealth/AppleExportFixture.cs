using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace LifeOs.Tests.Core.Health.AppleHealth;

/// <summary>Writes export.xml files shaped like the Health app's (internal DTD, Record/Correlation/Workout elements, offsets in dates).</summary>
public sealed class AppleExportFixture
{
    private const string Header = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE HealthData [
        <!-- HealthKit Export Version: 14 -->
        <!ELEMENT HealthData (ExportDate,Me,(Record|Correlation|Workout|ActivitySummary|ClinicalRecord)*)>
        <!ATTLIST HealthData
          locale CDATA #REQUIRED
        >
        <!ELEMENT Record ((MetadataEntry|HeartRateVariabilityMetadataList)*)>
        <!ATTLIST Record
          type          CDATA #REQUIRED
          unit          CDATA #IMPLIED
          value         CDATA #IMPLIED
          sourceName    CDATA #REQUIRED
          startDate     CDATA #REQUIRED
          endDate       CDATA #REQUIRED
        >
        ]>
        <HealthData locale="en_GB">
         <ExportDate value="2026-11-25 08:00:00 +0100"/>
         <Me HKCharacteristicTypeIdentifierDateOfBirth="1990-01-01" HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>

        """;

    private readonly StringBuilder body = new();

    public AppleExportFixture Record(string type, string source, string start, string end, string? value, string? unit = null, string? inner = null)
    {
        body.Append(CultureInfo.InvariantCulture,
            $""" <Record type="{type}" sourceName="{source}" sourceVersion="17.1" device="&lt;&lt;HKDevice: 0x281f&gt;&gt;"{(unit is null ? "" : $" unit=\"{unit}\"")} creationDate="{end}" startDate="{start}" endDate="{end}"{(value is null ? "" : $" value=\"{value}\"")}""");
        body.Append(inner is null ? "/>\n" : $">\n{inner}\n </Record>\n");
        return this;
    }

    public AppleExportFixture Quantity(string type, string source, string start, string value, string unit, string? end = null) =>
        Record("HKQuantityTypeIdentifier" + type, source, start, end ?? start, value, unit);

    public AppleExportFixture Sleep(string source, string start, string end, string stage) =>
        Record("HKCategoryTypeIdentifierSleepAnalysis", source, start, end, "HKCategoryValueSleepAnalysis" + stage);

    public AppleExportFixture BloodPressure(string source, string at, int systolic, int diastolic)
    {
        body.Append(CultureInfo.InvariantCulture, $""" <Correlation type="HKCorrelationTypeIdentifierBloodPressure" sourceName="{source}" creationDate="{at}" startDate="{at}" endDate="{at}">""").Append('\n');
        body.Append(CultureInfo.InvariantCulture, $"""  <Record type="HKQuantityTypeIdentifierBloodPressureSystolic" sourceName="{source}" unit="mmHg" startDate="{at}" endDate="{at}" value="{systolic}"/>""").Append('\n');
        body.Append(CultureInfo.InvariantCulture, $"""  <Record type="HKQuantityTypeIdentifierBloodPressureDiastolic" sourceName="{source}" unit="mmHg" startDate="{at}" endDate="{at}" value="{diastolic}"/>""").Append('\n');
        body.Append(" </Correlation>\n");
        return this;
    }

    /// <summary>A workout as iOS 16 and later export it: its totals in <c>WorkoutStatistics</c> children, beside events, metadata and a route.</summary>
    public AppleExportFixture Workout(string source, string type, string start, string end, (string Sum, string Unit)? energy = null, (string Type, string Sum, string Unit)? distance = null)
    {
        body.Append(CultureInfo.InvariantCulture, $""" <Workout workoutActivityType="HKWorkoutActivityType{type}" duration="30" durationUnit="min" sourceName="{source}" sourceVersion="10.1" creationDate="{end}" startDate="{start}" endDate="{end}">""").Append('\n');
        body.Append("""  <MetadataEntry key="HKIndoorWorkout" value="0"/>""").Append('\n');
        body.Append(CultureInfo.InvariantCulture, $"""  <WorkoutEvent type="HKWorkoutEventTypeSegment" date="{start}" duration="10" durationUnit="min"/>""").Append('\n');
        body.Append(CultureInfo.InvariantCulture, $"""  <WorkoutStatistics type="HKQuantityTypeIdentifierHeartRate" startDate="{start}" endDate="{end}" average="141" minimum="98" maximum="171" unit="count/min"/>""").Append('\n');
        if (energy is { } e)
        {
            body.Append(CultureInfo.InvariantCulture, $"""  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" startDate="{start}" endDate="{end}" sum="{e.Sum}" unit="{e.Unit}"/>""").Append('\n');
            body.Append(CultureInfo.InvariantCulture, $"""  <WorkoutStatistics type="HKQuantityTypeIdentifierBasalEnergyBurned" startDate="{start}" endDate="{end}" sum="35" unit="Cal"/>""").Append('\n');
        }

        if (distance is { } d)
        {
            body.Append(CultureInfo.InvariantCulture, $"""  <WorkoutStatistics type="HKQuantityTypeIdentifier{d.Type}" startDate="{start}" endDate="{end}" sum="{d.Sum}" unit="{d.Unit}"/>""").Append('\n');
        }

        body.Append(CultureInfo.InvariantCulture, $"""  <WorkoutRoute sourceName="{source}" startDate="{start}" endDate="{end}">""").Append('\n');
        body.Append("""   <FileReference path="/workout-routes/route_2026-11-20_5.00pm.gpx"/>""").Append('\n');
        body.Append("  </WorkoutRoute>\n");
        body.Append(" </Workout>\n");
        return this;
    }

    /// <summary>A workout as older exports write it: its totals as attributes, no children.</summary>
    public AppleExportFixture OlderWorkout(string source, string type, string start, string end, string energy, string energyUnit, string distance, string distanceUnit)
    {
        body.Append(CultureInfo.InvariantCulture, $""" <Workout workoutActivityType="HKWorkoutActivityType{type}" duration="60" durationUnit="min" totalDistance="{distance}" totalDistanceUnit="{distanceUnit}" totalEnergyBurned="{energy}" totalEnergyBurnedUnit="{energyUnit}" sourceName="{source}" creationDate="{end}" startDate="{start}" endDate="{end}"/>""").Append('\n');
        return this;
    }

    public string Xml() => Header + body + "</HealthData>\n";

    public byte[] Zip(string entryName = "apple_health_export/export.xml")
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var writer = new StreamWriter(zip.CreateEntry(entryName).Open(), new UTF8Encoding(false)))
            {
                writer.Write(Xml());
            }

            using var cda = new StreamWriter(zip.CreateEntry("apple_health_export/export_cda.xml").Open());
            cda.Write("<ClinicalDocument/>");
        }

        return buffer.ToArray();
    }

    /// <summary>The shape the tests check value by value: every mapped type, both unit systems, a correlation, overlapping sleep.</summary>
    public static AppleExportFixture RealShaped() => new AppleExportFixture()
        // Steps: watch and phone overlap in the same hour (07Z): the watch's 800 wins, the phone's 450 is skipped.
        .Quantity("StepCount", "Ada’s Apple Watch", "2026-11-20 08:00:00 +0100", "500", "count", "2026-11-20 08:10:00 +0100")
        .Quantity("StepCount", "Ada’s iPhone", "2026-11-20 08:02:00 +0100", "450", "count", "2026-11-20 08:12:00 +0100")
        .Quantity("StepCount", "Ada’s Apple Watch", "2026-11-20 08:30:00 +0100", "300", "count", "2026-11-20 08:40:00 +0100")
        .Quantity("StepCount", "Ada’s iPhone", "2026-11-20 12:00:00 +0100", "1000", "count", "2026-11-20 12:20:00 +0100")
        .Quantity("DistanceWalkingRunning", "Ada’s Apple Watch", "2026-11-20 08:00:00 +0100", "1.5", "km", "2026-11-20 08:10:00 +0100")
        .Quantity("DistanceWalkingRunning", "Ada’s iPhone", "2026-11-20 15:00:00 +0100", "1", "mi", "2026-11-20 15:20:00 +0100")
        .Quantity("ActiveEnergyBurned", "Ada’s Apple Watch", "2026-11-20 08:00:00 +0100", "120", "kcal", "2026-11-20 08:10:00 +0100")
        .Quantity("ActiveEnergyBurned", "Ada’s Apple Watch", "2026-11-20 16:00:00 +0100", "418.4", "kJ", "2026-11-20 16:10:00 +0100")
        .Quantity("BasalEnergyBurned", "Ada’s Apple Watch", "2026-11-20 08:00:00 +0100", "70", "kcal", "2026-11-20 09:00:00 +0100")
        .Quantity("FlightsClimbed", "Ada’s iPhone", "2026-11-20 10:00:00 +0100", "3", "count", "2026-11-20 10:05:00 +0100")
        .Quantity("HeartRate", "Ada’s Apple Watch", "2026-11-20 09:00:00 +0100", "72", "count/min")
        .Quantity("HeartRate", "Ada’s Apple Watch", "2026-11-20 09:05:00 +0100", "400", "count/min")
        .Quantity("HeartRate", "Oura", "2026-11-20 03:00:00 +0100", "51", "count/min")
        .Quantity("RestingHeartRate", "Ada’s Apple Watch", "2026-11-20 00:00:00 +0100", "55", "count/min", "2026-11-20 23:59:00 +0100")
        .Quantity("WalkingHeartRateAverage", "Ada’s Apple Watch", "2026-11-20 00:00:00 +0100", "98", "count/min", "2026-11-20 23:59:00 +0100")
        .Quantity("HeartRateVariabilitySDNN", "Ada’s Apple Watch", "2026-11-20 06:10:00 +0100", "45.5", "ms", "2026-11-20 06:11:00 +0100")
        .Quantity("BodyMass", "Withings", "2026-11-20 07:00:00 +0100", "70.5", "kg")
        .Quantity("BodyMass", "Renpho", "2026-11-21 07:00:00 -0500", "160", "lb")
        .Quantity("BodyMass", "Renpho", "2026-11-22 07:00:00 -0500", "2560", "oz")
        .Quantity("BodyMass", "Renpho", "2026-11-27 07:00:00 +0100", "70", "kg")
        .Quantity("BodyFatPercentage", "Renpho", "2026-11-21 07:00:00 -0500", "0.22", "%")
        .Quantity("LeanBodyMass", "Renpho", "2026-11-21 07:00:00 -0500", "121.25", "lb")
        .Quantity("BodyMassIndex", "Renpho", "2026-11-21 07:00:00 -0500", "22.4", "count")
        .Quantity("Height", "Health", "2026-01-01 12:00:00 +0100", "180", "cm")
        .Quantity("Height", "Health", "2026-06-01 12:00:00 -0500", "70", "in")
        .BloodPressure("Omron", "2026-11-20 07:30:00 +0100", 120, 80)
        .Quantity("BloodPressureSystolic", "Omron", "2026-11-20 07:30:00 +0100", "120", "mmHg")
        .Quantity("OxygenSaturation", "Ada’s Apple Watch", "2026-11-20 04:00:00 +0100", "0.97", "%")
        .Quantity("RespiratoryRate", "Ada’s Apple Watch", "2026-11-20 04:00:00 +0100", "14", "count/min")
        .Quantity("BodyTemperature", "Thermo", "2026-11-20 07:00:00 +0100", "36.8", "degC")
        .Quantity("BodyTemperature", "Thermo", "2026-11-21 07:00:00 -0500", "98.6", "degF")
        .Quantity("VO2Max", "Ada’s Apple Watch", "2026-11-20 18:00:00 +0100", "42", "mL/min·kg")
        .Quantity("DietaryWater", "WaterMinder", "2026-11-20 10:00:00 +0100", "250", "mL")
        // One night, from the watch (stages) and the phone (in bed, asleep): counted once.
        .Sleep("Ada’s iPhone", "2026-11-20 22:45:00 +0100", "2026-11-21 06:30:00 +0100", "InBed")
        .Sleep("Ada’s iPhone", "2026-11-20 23:30:00 +0100", "2026-11-21 06:00:00 +0100", "AsleepUnspecified")
        .Sleep("Ada’s Apple Watch", "2026-11-20 23:00:00 +0100", "2026-11-21 01:00:00 +0100", "AsleepCore")
        .Sleep("Ada’s Apple Watch", "2026-11-21 01:00:00 +0100", "2026-11-21 02:00:00 +0100", "AsleepDeep")
        .Sleep("Ada’s Apple Watch", "2026-11-21 02:00:00 +0100", "2026-11-21 03:00:00 +0100", "AsleepREM")
        .Sleep("Ada’s Apple Watch", "2026-11-21 03:00:00 +0100", "2026-11-21 03:15:00 +0100", "Awake")
        .Sleep("Ada’s Apple Watch", "2026-11-21 03:15:00 +0100", "2026-11-21 06:00:00 +0100", "AsleepCore")
        .Sleep("Oura", "2026-11-20 23:10:00 +0100", "2026-11-21 06:10:00 +0100", "AsleepDeep")
        // Workouts: both export shapes, kJ and Cal, km and mi, a local evening that is the next day in UTC, and one
        // Oura wrote into Health (skipped while Oura is connected).
        .Workout("Ada’s Apple Watch", "Running", "2026-11-20 17:00:00 +0100", "2026-11-20 17:30:00 +0100", ("1046", "kJ"), ("DistanceWalkingRunning", "5.1", "km"))
        .Workout("Ada’s Apple Watch", "TraditionalStrengthTraining", "2026-11-21 18:00:00 +0100", "2026-11-21 18:45:00 +0100", ("150", "Cal"))
        .OlderWorkout("Ada’s iPhone", "Cycling", "2026-11-19 20:00:00 -0500", "2026-11-19 21:00:00 -0500", "400", "kcal", "10", "mi")
        .Workout("Oura", "Walking", "2026-11-20 12:00:00 +0100", "2026-11-20 12:40:00 +0100", ("120", "kcal"), ("DistanceWalkingRunning", "3.2", "km"));
}
