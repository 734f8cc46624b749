namespace Crm.Grains.Targets;

/// <summary>
/// Splits a target among the scopes below it so the parts add up to it exactly: in proportion to weights (equal
/// weights for an even split, each child's result over the previous period for a split by history), rounded to
/// <c>decimals</c> places by largest remainder (ties to the earlier child).
/// </summary>
public static class TargetSplitter
{
    public static IReadOnlyList<decimal> Split(decimal total, IReadOnlyList<decimal> weights, int decimals)
    {
        if (weights.Count == 0)
        {
            return [];
        }

        // No history to go by (or none positive): even.
        var usable = weights.Select(w => Math.Max(w, 0m)).ToList();
        var sum = usable.Sum();
        if (sum == 0)
        {
            usable = weights.Select(_ => 1m).ToList();
            sum = usable.Count;
        }

        var unit = 1m / Pow10(decimals);
        var exact = usable.Select(w => total * w / sum).ToList();
        var parts = exact.Select(x => Math.Floor(x / unit) * unit).ToList();
        var left = (int)Math.Round((total - parts.Sum()) / unit);
        foreach (var i in Enumerable.Range(0, parts.Count).OrderByDescending(i => exact[i] - parts[i]).ThenBy(i => i).Take(Math.Max(left, 0)))
        {
            parts[i] += unit;
        }

        return parts;
    }

    private static decimal Pow10(int decimals)
    {
        var value = 1m;
        for (var i = 0; i < decimals; i++)
        {
            value *= 10;
        }

        return value;
    }
}
