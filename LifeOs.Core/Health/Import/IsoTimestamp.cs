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

/// <summary>
/// Dates written with slashes, dots or dashes and the year last (03/04/2026, 24.11.2026 07:15, 11/24/2026 7:15 PM):
/// which number is the month depends on <see cref="DateOrder"/>.
/// </summary>
internal static class NumericDate
{
    /// <summary>The two leading numbers and where the rest starts, when the text has the shape n/n/yyyy.</summary>
    public static bool TrySplit(ReadOnlySpan<char> s, out int first, out int second, out int year, out int restAt)
    {
        first = second = year = restAt = 0;
        var i = 0;
        if (!Number(s, ref i, 1, 2, out first) || i >= s.Length || s[i] is not ('/' or '.' or '-'))
        {
            return false;
        }

        var separator = s[i++];
        if (!Number(s, ref i, 1, 2, out second) || i >= s.Length || s[i] != separator)
        {
            return false;
        }

        i++;
        if (!Number(s, ref i, 4, 4, out year))
        {
            return false;
        }

        restAt = i;
        return i == s.Length || s[i] is ' ' or 'T';
    }

    public static TimestampProblem Parse(ReadOnlySpan<char> s, DateOrder order, out DateOnly date, out TimeOnly? time)
    {
        date = default;
        time = null;
        if (!TrySplit(s, out var first, out var second, out var year, out var restAt))
        {
            return TimestampProblem.NotADate;
        }

        var (month, day) = order == DateOrder.DayFirst ? (second, first) : (first, second);
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
        {
            return TimestampProblem.NotADate;
        }

        date = new DateOnly(year, month, day);
        var rest = s[restAt..].Trim();
        if (rest.Length == 0)
        {
            return TimestampProblem.None;
        }

        if (rest[0] == 'T')
        {
            rest = rest[1..];
        }

        var pm = rest.EndsWith("PM", StringComparison.OrdinalIgnoreCase);
        var am = rest.EndsWith("AM", StringComparison.OrdinalIgnoreCase);
        if (am || pm)
        {
            rest = rest[..^2].TrimEnd();
        }

        var i = 0;
        if (!Number(rest, ref i, 1, 2, out var hour) || i >= rest.Length || rest[i++] != ':' || !Number(rest, ref i, 2, 2, out var minute))
        {
            return TimestampProblem.NotADate;
        }

        var second2 = 0;
        if (i < rest.Length && (rest[i++] != ':' || !Number(rest, ref i, 2, 2, out second2) || i != rest.Length))
        {
            return TimestampProblem.NotADate;
        }

        if (am || pm)
        {
            if (hour is < 1 or > 12)
            {
                return TimestampProblem.ImpossibleTime;
            }

            hour = (hour % 12) + (pm ? 12 : 0);
        }

        if (hour > 23 || minute > 59 || second2 > 59)
        {
            return TimestampProblem.ImpossibleTime;
        }

        time = new TimeOnly(hour, minute, second2);
        return TimestampProblem.None;
    }

    private static bool Number(ReadOnlySpan<char> s, ref int i, int minDigits, int maxDigits, out int value)
    {
        value = 0;
        var start = i;
        while (i < s.Length && i - start < maxDigits && char.IsAsciiDigit(s[i]))
        {
            value = (value * 10) + (s[i++] - '0');
        }

        return i - start >= minDigits && (i >= s.Length || !char.IsAsciiDigit(s[i]));
    }
}
