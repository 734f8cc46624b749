namespace Crm.Grains.Visits;

/// <summary>
/// Orders a day's stops into a short open path: nearest neighbour from the start, then 2-opt (reverse any stretch
/// whose reversal shortens the path) until nothing improves. Not the optimum, usually within a few per cent of it for
/// the tens of stops a rep has in a day. Without a start point every stop is tried as the first.
/// </summary>
public static class RoutePlanner
{
    public sealed record Plan(IReadOnlyList<int> Order, IReadOnlyList<double> LegMeters, double TotalMeters);

    public static Plan Order(GeoPoint? start, IReadOnlyList<GeoPoint> stops)
    {
        if (stops.Count == 0)
        {
            return new Plan([], [], 0);
        }

        // Node 0 is the start when there is one; the stops follow.
        var offset = start is null ? 0 : 1;
        var nodes = start is null ? stops.ToList() : [start, .. stops];
        var d = Matrix(nodes);
        var path = start is null
            ? Enumerable.Range(0, nodes.Count).Select(first => NearestNeighbour(d, first)).MinBy(p => Length(d, p))!
            : NearestNeighbour(d, 0);
        TwoOpt(d, path, fixedFirst: start is not null);

        var order = path.Skip(offset).Select(n => n - offset).ToList();
        var legs = new List<double>();
        for (var i = offset; i < path.Length; i++)
        {
            legs.Add(i == 0 ? 0 : d[path[i - 1], path[i]]);
        }

        return new Plan(order, legs, legs.Sum());
    }

    public static double Length(double[,] d, IReadOnlyList<int> path)
    {
        var total = 0.0;
        for (var i = 1; i < path.Count; i++)
        {
            total += d[path[i - 1], path[i]];
        }

        return total;
    }

    public static double[,] Matrix(IReadOnlyList<GeoPoint> nodes)
    {
        var d = new double[nodes.Count, nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            for (var j = i + 1; j < nodes.Count; j++)
            {
                d[i, j] = d[j, i] = GeoMath.DistanceMeters(nodes[i], nodes[j]);
            }
        }

        return d;
    }

    private static int[] NearestNeighbour(double[,] d, int first)
    {
        var n = d.GetLength(0);
        var path = new int[n];
        var seen = new bool[n];
        path[0] = first;
        seen[first] = true;
        for (var i = 1; i < n; i++)
        {
            var from = path[i - 1];
            var next = -1;
            for (var j = 0; j < n; j++)
            {
                if (!seen[j] && (next < 0 || d[from, j] < d[from, next]))
                {
                    next = j;
                }
            }

            path[i] = next;
            seen[next] = true;
        }

        return path;
    }

    /// <summary>Reverses path[i..j] while that shortens the open path; the first node stays when it is the start.</summary>
    private static void TwoOpt(double[,] d, int[] path, bool fixedFirst)
    {
        var n = path.Length;
        for (var improved = true; improved;)
        {
            improved = false;
            for (var i = fixedFirst ? 1 : 0; i < n - 1; i++)
            {
                for (var j = i + 1; j < n; j++)
                {
                    var before = (i > 0 ? d[path[i - 1], path[i]] : 0) + (j < n - 1 ? d[path[j], path[j + 1]] : 0);
                    var after = (i > 0 ? d[path[i - 1], path[j]] : 0) + (j < n - 1 ? d[path[i], path[j + 1]] : 0);
                    if (after < before - 1e-6)
                    {
                        Array.Reverse(path, i, j - i + 1);
                        improved = true;
                    }
                }
            }
        }
    }
}
