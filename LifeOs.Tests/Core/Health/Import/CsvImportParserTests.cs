using System.Text;
using LifeOs.Core;
using LifeOs.Core.Accounts;
using LifeOs.Core.Health;
using LifeOs.Core.Health.Import;

namespace LifeOs.Tests.Core.Health.Import;

public sealed class CsvImportParserTests
{
    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static ImportParseResult Parse(string csv, UnitSystem units = UnitSystem.Metric, TimeZoneInfo? zone = null) =>
        new CsvImportParser(zone ?? London, units).Parse(Encoding.UTF8.GetBytes(csv));

    private static ImportRow Single(ImportParseResult result, string metric) =>
        Assert.Single(result.Rows, r => r.MetricCode == metric);

    private static string OnlyError(ImportParseResult result)
    {
        Assert.Empty(result.Rows);
        return Assert.Single(result.Errors).ToString();
    }

    [Fact]
    public void Long_WithAndWithoutOffset_ConvertsUnitsAndLocalTime()
    {
        var result = Parse("""
            timestamp,metric,value,unit
            2026-11-24T07:15:00Z,weight,165.5,lb
            2026-07-01T07:15,resting_heart_rate,52,bpm
            2026-11-24 22:00:00+01:00,Steps,8412,
            2026-11-23,sleep_duration,7.5,h
            """);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(ImportFormat.Long, result.Format);
        var weight = Single(result, MetricCatalogue.Weight);
        Assert.Equal(75.07, weight.Value, 2);
        Assert.Equal(new DateTime(2026, 11, 24, 7, 15, 0, DateTimeKind.Utc), weight.StartUtc);
        Assert.Equal(2, weight.Line);
        // No offset: the user's local time; London is on BST (UTC+1) in July.
        Assert.Equal(new DateTime(2026, 7, 1, 6, 15, 0), Single(result, MetricCatalogue.RestingHeartRate).StartUtc);
        Assert.Equal(new DateTime(2026, 11, 24, 21, 0, 0), Single(result, MetricCatalogue.Steps).StartUtc);
        // A date alone means noon local.
        var sleep = Single(result, MetricCatalogue.SleepDuration);
        Assert.Equal(7.5 * 3600, sleep.Value);
        Assert.Equal(new DateTime(2026, 11, 23, 12, 0, 0), sleep.LocalTime);
    }

    [Fact]
    public void Wide_DisplayNamesCodesAndUnitsInHeaders_DateOnlyIsNoonLocal_EmptyCellsAreSkipped()
    {
        var result = Parse("""
            Date,Weight (lb),RESTING HEART RATE,Body fat [%],HRV (RMSSD),Blood oxygen (SpO2) (fraction)
            2026-11-20,165.4,52,21.5,48,0.97
            2026-11-21,,51,,,
            """, zone: NewYork);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(ImportFormat.Wide, result.Format);
        Assert.Equal(6, result.Rows.Count);
        var weight = Single(result, MetricCatalogue.Weight);
        Assert.Equal(75.02, weight.Value, 2);
        Assert.Equal(new DateTime(2026, 11, 20, 17, 0, 0), weight.StartUtc);
        Assert.Equal(97, Single(result, MetricCatalogue.Spo2).Value, 6);
        Assert.Equal(48, Single(result, MetricCatalogue.HrvRmssd).Value);
        Assert.Equal([52.0, 51.0], result.Rows.Where(r => r.MetricCode == MetricCatalogue.RestingHeartRate).Select(r => r.Value));
    }

    [Fact]
    public void Wide_TimeColumn_SetsTheTimeOfDay()
    {
        var result = Parse("date,time,systolic,diastolic\n2026-11-20,07:05,121,79\n2026-11-21,,118,77\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(new DateTime(2026, 11, 20, 7, 5, 0), result.Rows[0].LocalTime);
        Assert.Equal(new DateTime(2026, 11, 21, 12, 0, 0), result.Rows[2].LocalTime);
    }

    [Fact]
    public void NoUnit_MeansTheUsersDisplayUnit()
    {
        var metric = Parse("date,weight,distance\n2026-11-20,80,5\n");
        var imperial = Parse("date,weight,distance\n2026-11-20,176.37,3.1\n", UnitSystem.Imperial);

        Assert.Equal(80, Single(metric, MetricCatalogue.Weight).Value, 6);
        Assert.Equal(5000, Single(metric, MetricCatalogue.Distance).Value, 6);
        Assert.Equal(80, Single(imperial, MetricCatalogue.Weight).Value, 2);
        Assert.Equal(4988.97, Single(imperial, MetricCatalogue.Distance).Value, 2);
    }

    [Theory]
    [InlineData(MetricCatalogue.Weight, "11", "st", 69.853)]
    [InlineData(MetricCatalogue.Weight, "72500", "g", 72.5)]
    [InlineData(MetricCatalogue.Weight, "160", "lbs", 72.57)]
    [InlineData(MetricCatalogue.Distance, "3.1", "mi", 4988.966)]
    [InlineData(MetricCatalogue.Distance, "5.2", "km", 5200)]
    [InlineData(MetricCatalogue.SleepDuration, "450", "min", 27000)]
    [InlineData(MetricCatalogue.SleepDeep, "1.25", "h", 4500)]
    [InlineData(MetricCatalogue.SleepLatency, "600", "s", 600)]
    [InlineData(MetricCatalogue.FatRatio, "0.215", "fraction", 21.5)]
    [InlineData(MetricCatalogue.Spo2, "97", "%", 97)]
    [InlineData(MetricCatalogue.Systolic, "16", "kPa", 120.01)]
    [InlineData(MetricCatalogue.Systolic, "121", "mmHg", 121)]
    [InlineData(MetricCatalogue.RestingHeartRate, "52", "bpm", 52)]
    [InlineData(MetricCatalogue.HrvRmssd, "48", "ms", 48)]
    [InlineData(MetricCatalogue.ActiveCalories, "2092", "kJ", 500)]
    [InlineData(MetricCatalogue.TotalCalories, "2300", "kcal", 2300)]
    // A temperature deviation is a difference: +0.9 °F is +0.5 °C (5/9, no 32° offset).
    [InlineData(MetricCatalogue.BodyTemperatureDeviation, "0.9", "°F", 0.5)]
    [InlineData(MetricCatalogue.BodyTemperatureDeviation, "-0.36", "F", -0.2)]
    [InlineData(MetricCatalogue.BodyTemperatureDeviation, "0.3", "°C", 0.3)]
    public void Units_ConvertToCanonical(string metric, string value, string unit, double expected)
    {
        var result = Parse($"timestamp,metric,value,unit\n2026-11-20T08:00:00Z,{metric},{value},{unit}\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(expected, Single(result, metric).Value, 2);
    }

    [Fact]
    public void Semicolons_Bom_QuotedFields_BlankLines_AndDecimalCommas_AreRead()
    {
        var csv = "\uFEFFdate;\"Weight (kg)\";steps\r\n\r\n2026-11-20;\"72,5\";\"8412\"\r\n;;\r\n2026-11-21;72,1;9000\r\n";
        var result = Parse(csv);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal([72.5, 72.1], result.Rows.Where(r => r.MetricCode == MetricCatalogue.Weight).Select(r => r.Value));
        Assert.Equal([3, 5], result.Rows.Where(r => r.MetricCode == MetricCatalogue.Steps).Select(r => r.Line));
    }

    [Fact]
    public void BadDate_NamesLineAndColumn()
    {
        var result = Parse("date,weight\n2026-11-20,80\n2026-11-32,80\n");
        Assert.StartsWith("Line 3, column 1 (date): \"2026-11-32\" is not a date. Write dates as YYYY-MM-DD", OnlyError(result), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("timestamp,metric,value,unit\n2026-11-20T08:00:00Z,weight,80,kg\n2026-02-30T08:00:00Z,weight,80,kg\n", "Line 3, column 1 (timestamp)")]
    [InlineData("timestamp,metric,value\n2026-11-20T25:00:00,weight,80\n", "Line 2, column 1 (timestamp)")]
    [InlineData("date,time,weight\n2026-11-20,7 am,80\n", "Line 2, column 2 (time)")]
    public void BadDates_InEveryPlace_NameLineAndColumn(string csv, string where)
    {
        Assert.StartsWith(where + ":", OnlyError(Parse(csv)), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownMetric_InLongFormat_NamesLineAndColumn()
    {
        var error = OnlyError(Parse("timestamp,metric,value,unit\n2026-11-20T08:00:00Z,shoe_size,42,\n"));
        Assert.StartsWith("Line 2, column 2 (metric): Unknown metric \"shoe_size\".", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownColumn_InWideHeader_IsIgnored_NotAnError()
    {
        var result = Parse("date,weight,Shoe size (EU)\n2026-11-20,80,42\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(80, Single(result, MetricCatalogue.Weight).Value);
        Assert.Equal(ColumnRole.Ignore, result.Mapping!.Columns[2].Role);
    }

    [Fact]
    public void UnknownUnit_InLongFormat_NamesLineColumnAndTheUnitsThatWork()
    {
        var error = OnlyError(Parse("timestamp,metric,value,unit\n2026-11-20T08:00:00Z,distance,3,furlongs\n"));
        Assert.Equal("Line 2, column 4 (unit): Unknown unit \"furlongs\" for Distance. Use one of: m, km, mi, ft.", error);
    }

    [Fact]
    public void UnknownUnit_InWideHeader_NamesLineAndColumn()
    {
        var error = OnlyError(Parse("date,Weight (oz)\n2026-11-20,80\n"));
        Assert.Equal("Line 1, column 2 (Weight (oz)): Unknown unit \"oz\" for Weight. Use one of: kg, g, lb, st.", error);
    }

    [Fact]
    public void UnitThatDoesNotFitTheMetric_IsUnknownForIt()
    {
        var error = OnlyError(Parse("timestamp,metric,value,unit\n2026-11-20T08:00:00Z,steps,3,kg\n"));
        Assert.StartsWith("Line 2, column 4 (unit): Unknown unit \"kg\" for Steps.", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OutOfRange_NamesLineColumn_AndTheRangeInTheUsersUnits()
    {
        Assert.Equal("Line 2, column 2 (weight): 900 is out of range: Weight must be between 1 and 500 kg.",
            OnlyError(Parse("date,weight\n2026-11-20,900\n")));
        Assert.Equal("Line 2, column 3 (value): 1500 is out of range: Weight must be between 2.2 and 1102.31 lb.",
            OnlyError(Parse("timestamp,metric,value\n2026-11-20,weight,1500\n", UnitSystem.Imperial)));
    }

    [Fact]
    public void NonNumericValue_NamesLineAndColumn()
    {
        Assert.Equal("Line 3, column 3 (steps): \"lots\" is not a number.", OnlyError(Parse("date,weight,steps\n2026-11-20,80,100\n2026-11-21,80,lots\n")));
        Assert.Equal("Line 2, column 3 (value): \"n/a\" is not a number.", OnlyError(Parse("timestamp,metric,value,unit\n2026-11-20,steps,n/a,\n")));
    }

    [Fact]
    public void WrongColumnCount_NamesLineAndTheFirstMissingOrExtraColumn()
    {
        Assert.Equal("Line 2, column 4: Expected 3 columns, as in the header, but this row has 4. A value containing a comma must be in double quotes.",
            OnlyError(Parse("date,weight,steps\n2026-11-20,80,8,412\n")));
        Assert.Equal("Line 3, column 3: Expected 4 columns, as in the header, but this row has 2.",
            OnlyError(Parse("timestamp,metric,value,unit\n2026-11-20,steps,100,\n2026-11-21,steps\n")));
    }

    [Fact]
    public void TrailingEmptyCells_AreSpreadsheetPadding_NotAWrongColumnCount()
    {
        var result = Parse("date,weight,,\n2026-11-20,80,,\n2026-11-21,81,,,\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(2, result.Rows.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("\uFEFF")]
    [InlineData("\n\r\n  \n")]
    public void EmptyFile_IsAnErrorAtLine1Column1(string csv)
    {
        Assert.StartsWith("Line 1, column 1: The file is empty.", OnlyError(Parse(csv)), StringComparison.Ordinal);
    }

    [Fact]
    public void HeaderOnly_SaysThereAreNoRows()
    {
        Assert.Equal("Line 2, column 1: There are no rows below the header.", OnlyError(Parse("date,weight\n")));
    }

    [Fact]
    public void NotACsv_Png_Zip_AndBinary_AreRecognised()
    {
        byte[] png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D];
        byte[] zip = [(byte)'P', (byte)'K', 3, 4, 20, 0, 0, 0, 8, 0];
        byte[] binary = [.. Encoding.ASCII.GetBytes("date,weight\n2026-11-20,8"), 0, 1, 2];
        var parser = new CsvImportParser(London, UnitSystem.Metric);

        Assert.Equal("Line 1, column 1: This is not a CSV file: it looks like a PNG image.", Assert.Single(parser.Parse(png).Errors).ToString());
        Assert.StartsWith("Line 1, column 1: This is not a CSV file: it looks like a ZIP archive (an Excel .xlsx", Assert.Single(parser.Parse(zip).Errors).ToString(), StringComparison.Ordinal);
        Assert.StartsWith("Line 2, column 13: This is not a CSV file: it contains binary data.", Assert.Single(parser.Parse(binary).Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TextThatIsNotAMeasurementTable_IsRefusedAtTheHeader()
    {
        var error = OnlyError(Parse("name,email\nAda,ada@example.com\n"));
        Assert.StartsWith("Line 1, column 1 (name): The first row must be a header", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclosedQuote_NamesWhereItStarts()
    {
        Assert.StartsWith("Line 3, column 2: A quoted value starts here", OnlyError(Parse("date,weight\n2026-11-20,80\n2026-11-21,\"81\n")), StringComparison.Ordinal);
    }

    [Fact]
    public void Latin1File_FromAnOldSpreadsheet_StillReadsItsDegreeSign()
    {
        var result = new CsvImportParser(London, UnitSystem.Metric).Parse(Encoding.Latin1.GetBytes("date,Temperature deviation (°F)\n2026-11-20,0.9\n"));
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(0.5, Single(result, MetricCatalogue.BodyTemperatureDeviation).Value, 6);
    }

    [Fact]
    public void EveryErrorIsListed_AndNoRowIsReturnedWhenThereIsAny()
    {
        var result = Parse("date,weight,steps\n2026-11-20,80,100\nyesterday,abc,100\n2026-11-22,80,-5\n");

        Assert.Empty(result.Rows);
        Assert.Equal(["Line 3, column 1 (date)", "Line 3, column 2 (weight)", "Line 4, column 3 (steps)"],
            result.Errors.Select(e => e.ToString().Split(':')[0]));
    }

    [Fact]
    public void DstGap_LocalTimeMovesAnHourLater()
    {
        // 01:30 on 29 March 2026 does not exist in London: clocks jump from 01:00 to 02:00 (BST).
        var row = Assert.Single(Parse("timestamp,metric,value\n2026-03-29T01:30,steps,10\n").Rows);
        Assert.Equal(new DateTime(2026, 3, 29, 1, 30, 0), row.StartUtc);
    }

    [Theory]
    [InlineData(ImportExamples.Long, 6)]
    [InlineData(ImportExamples.Wide, 11)]
    public void ExampleFiles_OnTheImportPage_ParseCleanly(string csv, int rows)
    {
        var result = Parse(csv);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(rows, result.Rows.Count);
    }

    [Theory]
    [InlineData("2026-11-24T07:15:00.5Z", "2026-11-24T07:15:00.5000000")]
    [InlineData("2026-11-24T07:15:00.1234567+00:00", "2026-11-24T07:15:00.1234567")]
    [InlineData("2026-11-24T07:15+0530", "2026-11-24T01:45:00.0000000")]
    [InlineData("2026-11-24t07:15:00-05:00", "2026-11-24T12:15:00.0000000")]
    [InlineData("2026-11-24 07:15", "2026-11-24T07:15:00.0000000")]
    public void Timestamps_AcceptTheIsoShapes(string timestamp, string expectedUtc)
    {
        var row = Assert.Single(Parse($"timestamp,metric,value\n{timestamp},steps,1\n").Rows);
        Assert.Equal(expectedUtc, row.StartUtc.ToString("O", System.Globalization.CultureInfo.InvariantCulture).TrimEnd('Z'));
    }

    [Theory]
    [InlineData("2026-11-24T07:15+15:00", "has an impossible UTC offset.")]
    [InlineData("2026-11-24T24:00", "has an impossible time of day.")]
    [InlineData("2026-11-24T07:15:00.12345678Z", "is not a date.")]
    [InlineData("2026-11-24T7:15", "is not a date.")]
    [InlineData("1850-01-01", "cannot be imported. Choose a date in 1900 or later.")]
    [InlineData("2026-11-24X", "is not a date.")]
    public void Timestamps_Malformed_SayWhatIsWrong(string timestamp, string problem)
    {
        var error = OnlyError(Parse($"timestamp,metric,value\n{timestamp},steps,1\n"));
        Assert.StartsWith($"Line 2, column 1 (timestamp): \"{timestamp}\" {problem}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Mapping_GuessesCommonHeaders_AndIgnoresNotes()
    {
        var result = Parse("Date,Sleep Hours,Weight (lb),Steps,Notes\n2026-11-20,7.5,165.4,8412,\"felt good, slept late\"\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(
            [ColumnRole.Time, ColumnRole.Metric, ColumnRole.Metric, ColumnRole.Metric, ColumnRole.Ignore],
            result.Mapping!.Columns.Select(c => c.Role));
        Assert.Equal((MetricCatalogue.SleepDuration, "h"), (result.Mapping.Columns[1].MetricCode, result.Mapping.Columns[1].Unit));
        Assert.Equal((MetricCatalogue.Weight, "lb"), (result.Mapping.Columns[2].MetricCode, result.Mapping.Columns[2].Unit));
        Assert.Equal(7.5 * 3600, Single(result, MetricCatalogue.SleepDuration).Value);
        Assert.Equal(75.02, Single(result, MetricCatalogue.Weight).Value, 2);
        Assert.Equal(8412, Single(result, MetricCatalogue.Steps).Value);
    }

    [Fact]
    public void Mapping_ChosenByThePerson_ReadsColumnsTheHeaderDoesNotName()
    {
        const string csv = "When,Mass,Comment\n2026-11-20,165.4,x\n";
        var parser = new CsvImportParser(London, UnitSystem.Metric);
        var guessed = parser.Parse(Encoding.UTF8.GetBytes(csv), null);
        Assert.Equal([ColumnRole.Time, ColumnRole.Ignore, ColumnRole.Ignore], guessed.Mapping!.Columns.Select(c => c.Role));
        Assert.False(guessed.Succeeded);

        var mapping = guessed.Mapping with
        {
            Columns = [guessed.Mapping.Columns[0], guessed.Mapping.Columns[1] with { Role = ColumnRole.Metric, MetricCode = MetricCatalogue.Weight, Unit = "lb" }, guessed.Mapping.Columns[2]],
        };
        var result = parser.Parse(Encoding.UTF8.GetBytes(csv), mapping);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(75.02, Single(result, MetricCatalogue.Weight).Value, 2);
    }

    [Fact]
    public void Long_ExtraColumns_AreIgnored()
    {
        var result = Parse("timestamp,metric,value,unit,notes\n2026-11-20T08:00:00Z,weight,80,kg,after run\n");
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(80, Single(result, MetricCatalogue.Weight).Value);
    }

    [Theory]
    [InlineData("11/24/2026", "11/02/2026", DateOrder.MonthFirst, 11, 2)]
    [InlineData("24/11/2026", "02/11/2026", DateOrder.DayFirst, 11, 2)]
    [InlineData("24.11.2026 07:15", "02.11.2026 07:15", DateOrder.DayFirst, 11, 2)]
    public void SlashedDates_AreDetected_WhenOneDaySettlesIt(string settling, string ambiguous, DateOrder expected, int month, int day)
    {
        var result = Parse($"date,weight\n{settling},80\n{ambiguous},81\n");

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(expected, result.DateOrder);
        Assert.Equal(new DateOnly(2026, month, day), DateOnly.FromDateTime(result.Rows[1].LocalTime));
    }

    [Fact]
    public void SlashedDates_ThatCouldBeEither_AreAsked_ThenReadAsChosen()
    {
        const string csv = "date,weight\n03/04/2026,80\n05/06/2026 7:30 PM,81\n";
        var parser = new CsvImportParser(London, UnitSystem.Metric);

        var asked = parser.Parse(Encoding.UTF8.GetBytes(csv), null);
        Assert.True(asked.DateOrderAsked);
        Assert.Empty(asked.Rows);
        Assert.StartsWith("Line 2, column 1 (date): Dates such as this one could be month/day/year or day/month/year", Assert.Single(asked.Errors).ToString(), StringComparison.Ordinal);

        var us = parser.Parse(Encoding.UTF8.GetBytes(csv), asked.Mapping! with { DateOrder = DateOrder.MonthFirst });
        Assert.True(us.Succeeded, string.Join("; ", us.Errors));
        Assert.Equal([new DateTime(2026, 3, 4, 12, 0, 0), new DateTime(2026, 5, 6, 19, 30, 0)], us.Rows.Select(r => r.LocalTime));

        var european = parser.Parse(Encoding.UTF8.GetBytes(csv), asked.Mapping! with { DateOrder = DateOrder.DayFirst });
        Assert.Equal(new DateTime(2026, 4, 3, 12, 0, 0), european.Rows[0].LocalTime);
    }

    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    [InlineData("utf-8")]
    public void Utf16AndUtf8_WithAByteOrderMark_AreRead(string encodingName)
    {
        var encoding = Encoding.GetEncoding(encodingName);
        byte[] bytes = [.. encoding.GetPreamble(), .. encoding.GetBytes("date;Weight (kg);Notes\r\n2026-11-20;72,5;café\r\n")];

        var result = new CsvImportParser(London, UnitSystem.Metric).Parse(bytes);

        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.Equal(2, Single(result, MetricCatalogue.Weight).Line);
    }

    [Theory]
    [InlineData("2026-11-26", "Line 3, column 1 (date): \"2026-11-26\" cannot be imported. Choose a date no later than today, 2026-11-25.")]
    [InlineData("2099-01-01", "Line 3, column 1 (date): \"2099-01-01\" cannot be imported. Choose a date no later than today, 2026-11-25.")]
    [InlineData("1899-12-31", "Line 3, column 1 (date): \"1899-12-31\" cannot be imported. Choose a date in 1900 or later.")]
    public void DatesAfterTodayOrBefore1900_AreRefused_WithLineAndColumn_AndNothingIsImported(string date, string error)
    {
        var clock = new UserClock(London, 0, UnitSystem.Metric, new DateTimeOffset(2026, 11, 25, 23, 30, 0, TimeSpan.Zero));
        var result = new CsvImportParser(London, UnitSystem.Metric, clock).Parse(Encoding.UTF8.GetBytes($"date,weight\n2026-11-25,80\n{date},81\n"));

        Assert.Empty(result.Rows);
        Assert.Equal(error, Assert.Single(result.Errors).ToString());
    }
}
