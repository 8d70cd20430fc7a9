namespace LifeOs.Core.Dashboard;

public readonly record struct Point(double X, double Y);

/// <summary>Keeps long series under a point budget without losing their shape or their extremes.</summary>
public static class Downsampling
{
    /// <summary>
    /// Largest-Triangle-Three-Buckets (Steinarsson 2013), then the global minimum and maximum put back if
    /// the triangles dropped them, so a chart never hides the highest or lowest value.
    /// </summary>
    public static IReadOnlyList<Point> Lttb(IReadOnlyList<Point> data, int threshold)
    {
        if (threshold < 3 || data.Count <= threshold)
        {
            return data;
        }

        // Two slots are kept back for the extremes.
        var budget = threshold - 2;
        var sampled = new List<Point>(threshold) { data[0] };
        var every = (double)(data.Count - 2) / (budget - 2);
        var a = 0;
        for (var i = 0; i < budget - 2; i++)
        {
            var avgStart = (int)Math.Floor((i + 1) * every) + 1;
            var avgEnd = Math.Min((int)Math.Floor((i + 2) * every) + 1, data.Count);
            double avgX = 0, avgY = 0;
            for (var j = avgStart; j < avgEnd; j++)
            {
                avgX += data[j].X;
                avgY += data[j].Y;
            }

            var avgCount = Math.Max(avgEnd - avgStart, 1);
            avgX /= avgCount;
            avgY /= avgCount;

            var rangeStart = (int)Math.Floor(i * every) + 1;
            var rangeEnd = (int)Math.Floor((i + 1) * every) + 1;
            double maxArea = -1;
            var next = rangeStart;
            for (var j = rangeStart; j < rangeEnd; j++)
            {
                var area = Math.Abs(((data[a].X - avgX) * (data[j].Y - data[a].Y)) - ((data[a].X - data[j].X) * (avgY - data[a].Y)));
                if (area > maxArea)
                {
                    maxArea = area;
                    next = j;
                }
            }

            sampled.Add(data[next]);
            a = next;
        }

        sampled.Add(data[^1]);
        var min = data.MinBy(p => p.Y);
        var max = data.MaxBy(p => p.Y);
        foreach (var extreme in new[] { min, max })
        {
            if (!sampled.Contains(extreme))
            {
                sampled.Add(extreme);
            }
        }

        sampled.Sort((l, r) => l.X.CompareTo(r.X));
        return sampled;
    }

    /// <summary>Per bucket of equal width in X, its minimum and its maximum (in X order): at most 2 × buckets points.</summary>
    public static IReadOnlyList<Point> MinMaxBuckets(IReadOnlyList<Point> data, int buckets)
    {
        if (data.Count <= buckets * 2 || buckets < 1)
        {
            return data;
        }

        var result = new List<Point>(buckets * 2);
        var perBucket = (double)data.Count / buckets;
        for (var b = 0; b < buckets; b++)
        {
            var start = (int)(b * perBucket);
            var end = Math.Min((int)((b + 1) * perBucket), data.Count);
            if (start >= end)
            {
                continue;
            }

            Point min = data[start], max = data[start];
            for (var i = start + 1; i < end; i++)
            {
                if (data[i].Y < min.Y)
                {
                    min = data[i];
                }

                if (data[i].Y > max.Y)
                {
                    max = data[i];
                }
            }

            if (min.X <= max.X)
            {
                result.Add(min);
                if (max != min)
                {
                    result.Add(max);
                }
            }
            else
            {
                result.Add(max);
                result.Add(min);
            }
        }

        return result;
    }
}
