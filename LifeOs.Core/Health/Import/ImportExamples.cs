namespace LifeOs.Core.Health.Import;

/// <summary>The two layouts as small files people can download, fill in and import; the import page shows them too.</summary>
public static class ImportExamples
{
    public const string Long = """
        timestamp,metric,value,unit
        2026-11-21T07:05,weight,72.8,kg
        2026-11-21T07:10,systolic_bp,121,mmHg
        2026-11-21T07:10,diastolic_bp,79,mmHg
        2026-11-22T07:02:00+01:00,weight,160.2,lb
        2026-11-22,sleep_duration,7.5,h
        2026-11-23T06:55:00Z,resting_heart_rate,52,bpm

        """;

    public const string Wide = """
        date,Weight (kg),Resting heart rate,Steps,Body fat (%)
        2026-11-21,72.8,53,8412,21.4
        2026-11-22,72.5,52,10233,
        2026-11-23,72.4,51,6120,21.2

        """;
}
