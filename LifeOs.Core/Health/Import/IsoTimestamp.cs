namespace LifeOs.Core.Health.Import;

internal enum TimestampProblem
{
    None,
    NotADate,
    ImpossibleTime,
    ImpossibleOffset,
}

/// <summary>
/// The ISO 8601 shapes an import accepts, read without allocating (a file may hold a million of them):
/// yyyy-MM-dd, optionally followed by T or a space, HH:mm[:ss[.fffffff]] and an offset Z or ±hh[:]mm.
/// </summary>
internal static class IsoTimestamp
{
    public static TimestampProblem Parse(ReadOnlySpan<char> s, out DateOnly date, out TimeOnly? time, out TimeSpan? offset)
    {
        date = default;
        time = null;
        offset = null;
        if (s.Length < 10 || !Digits(s[..4]) || s[4] != '-' || !Digits(s.Slice(5, 2)) || s[7] != '-' || !Digits(s.Slice(8, 2)))
        {
            return TimestampProblem.NotADate;
        }

        int year = Number(s[..4]), month = Number(s.Slice(5, 2)), day = Number(s.Slice(8, 2));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return TimestampProblem.NotADate;
        }

        date = new DateOnly(year, month, day);
        if (s.Length == 10)
        {
            return TimestampProblem.None;
        }

        var rest = s[11..];
        if (s[10] is not ('T' or 't' or ' ') || rest.Length < 5 || !Digits(rest[..2]) || rest[2] != ':' || !Digits(rest.Slice(3, 2)))
        {
            return TimestampProblem.NotADate;
        }

        int hour = Number(rest[..2]), minute = Number(rest.Slice(3, 2)), second = 0;
        long ticks = 0;
        rest = rest[5..];
        if (rest.Length > 0 && rest[0] == ':')
        {
            if (rest.Length < 3 || !Digits(rest.Slice(1, 2)))
            {
                return TimestampProblem.NotADate;
            }

            second = Number(rest.Slice(1, 2));
            rest = rest[3..];
            if (rest.Length > 0 && rest[0] == '.')
            {
                var end = 1;
                while (end < rest.Length && end <= 7 && char.IsAsciiDigit(rest[end]))
                {
                    end++;
                }

                if (end == 1)
                {
                    return TimestampProblem.NotADate;
                }

                ticks = Number(rest[1..end]) * (long)Math.Pow(10, 8 - end);
                rest = rest[end..];
            }
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            return TimestampProblem.ImpossibleTime;
        }

        time = new TimeOnly(hour, minute, second).Add(TimeSpan.FromTicks(ticks));
        if (rest.Length == 0)
        {
            return TimestampProblem.None;
        }

        if (rest is ['Z' or 'z'])
        {
            offset = TimeSpan.Zero;
            return TimestampProblem.None;
        }

        if (rest[0] is not ('+' or '-'))
        {
            return TimestampProblem.NotADate;
        }

        var sign = rest[0] == '-' ? -1 : 1;
        var digits = rest[1..];
        var minutesAt = digits.Length == 5 && digits[2] == ':' ? 3 : 2;
        if (digits.Length != minutesAt + 2 || !Digits(digits[..2]) || !Digits(digits[minutesAt..]))
        {
            return TimestampProblem.NotADate;
        }

        int offsetHours = Number(digits[..2]), offsetMinutes = Number(digits[minutesAt..]);
        if (offsetMinutes > 59 || offsetHours * 60 + offsetMinutes > 14 * 60)
        {
            return TimestampProblem.ImpossibleOffset;
        }

        offset = sign * new TimeSpan(offsetHours, offsetMinutes, 0);
        return TimestampProblem.None;
    }

    private static bool Digits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static int Number(ReadOnlySpan<char> s)
    {
        var value = 0;
        foreach (var c in s)
        {
            value = (value * 10) + (c - '0');
        }

        return value;
    }
}
