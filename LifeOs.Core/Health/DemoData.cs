namespace LifeOs.Core.Health;

/// <summary>
/// Deterministic, realistic-looking daily health data (a ring, a scale and a cuff) for screenshots,
/// browser tests and benchmarks. Days follow a weekly rhythm, and some measures lead others (more steps,
/// better sleep the next night) so the dashboard's insights have something true to find.
/// </summary>
internal static class DemoData
{
    public static IEnumerable<SampleInput> Days(DateOnly from, DateOnly to, int seed = 7, int minuteHeartRateDays = 1)
    {
        var random = new Random(seed);
        double weight = 82.4, previousSteps = 9000;
        for (var day = from; day <= to; day = day.AddDays(1))
        {
            var id = day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            var morning = day.ToDateTime(new TimeOnly(7, 0), DateTimeKind.Utc);
            var weekend = day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

            var sleepHours = Math.Clamp(7.1 + (weekend ? 0.6 : 0) + ((previousSteps - 9000) / 9000) + Noise(random, 0.55), 4.5, 9.8);
            var sleep = sleepHours * 3600;
            var deep = sleep * (0.16 + Noise(random, 0.02));
            var rem = sleep * (0.22 + Noise(random, 0.02));
            var awake = sleep * (0.06 + Math.Abs(Noise(random, 0.015)));
            var light = sleep - deep - rem - awake;
            var sleepScore = Math.Clamp(52 + ((sleepHours - 5) * 9) + Noise(random, 4), 30, 99);
            var hrv = Math.Clamp(44 + ((sleepHours - 7) * 6) + Noise(random, 6), 15, 120);
            var restingHr = Math.Clamp(58 - ((hrv - 44) / 6) + Noise(random, 1.5), 42, 80);
            var readiness = Math.Clamp(60 + ((hrv - 30) * 0.6) - ((restingHr - 55) * 1.2) + Noise(random, 4), 30, 99);
            var steps = Math.Max(800, 9000 + (weekend ? 2500 : 0) + Noise(random, 3200));
            previousSteps = steps;

            yield return new(MetricCatalogue.SleepDuration, SampleSource.Oura, "sleep-" + id, morning.AddHours(-8), Math.Round(sleep), morning, day);
            yield return new(MetricCatalogue.SleepDeep, SampleSource.Oura, "deep-" + id, morning.AddHours(-8), Math.Round(deep), morning, day);
            yield return new(MetricCatalogue.SleepRem, SampleSource.Oura, "rem-" + id, morning.AddHours(-8), Math.Round(rem), morning, day);
            yield return new(MetricCatalogue.SleepLight, SampleSource.Oura, "light-" + id, morning.AddHours(-8), Math.Round(light), morning, day);
            yield return new(MetricCatalogue.SleepAwake, SampleSource.Oura, "awake-" + id, morning.AddHours(-8), Math.Round(awake), morning, day);
            yield return new(MetricCatalogue.SleepScore, SampleSource.Oura, "sleep-score-" + id, morning, Math.Round(sleepScore), null, day);
            yield return new(MetricCatalogue.HrvRmssd, SampleSource.Oura, "hrv-" + id, morning, Math.Round(hrv, 1), null, day);
            yield return new(MetricCatalogue.RestingHeartRate, SampleSource.Oura, "rhr-" + id, morning, Math.Round(restingHr, 1), null, day);
            yield return new(MetricCatalogue.ReadinessScore, SampleSource.Oura, "readiness-" + id, morning, Math.Round(readiness), null, day);
            yield return new(MetricCatalogue.Steps, SampleSource.Oura, "steps-" + id, morning.AddHours(14), Math.Round(steps), null, day);

            weight += -0.035 + Noise(random, 0.12);
            if (random.NextDouble() < 0.6)
            {
                yield return new(MetricCatalogue.Weight, SampleSource.Withings, "weight-" + id, morning.AddMinutes(20), Math.Round(weight, 1), null, day);
            }

            if (random.NextDouble() < 0.35)
            {
                yield return new(MetricCatalogue.Systolic, SampleSource.Withings, "sys-" + id, morning.AddMinutes(30), Math.Round(121 + Noise(random, 6)), null, day);
                yield return new(MetricCatalogue.Diastolic, SampleSource.Withings, "dia-" + id, morning.AddMinutes(30), Math.Round(79 + Noise(random, 4)), null, day);
            }

            if (to.DayNumber - day.DayNumber < minuteHeartRateDays)
            {
                var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
                for (var minute = 0; minute < 1440; minute++)
                {
                    var hour = minute / 60.0;
                    var asleep = hour < 7 || hour > 23;
                    var active = hour is > 17.5 and < 18.5;
                    var bpm = asleep ? restingHr + 2 + Noise(random, 2) : active ? 128 + Noise(random, 12) : 72 + Noise(random, 8);
                    yield return new(MetricCatalogue.HeartRate, SampleSource.Oura, $"hr-{id}-{minute}", midnight.AddMinutes(minute), Math.Round(bpm), null, day);
                }
            }
        }
    }

    private static double Noise(Random random, double scale) => (random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5) * scale * 1.4;
}
