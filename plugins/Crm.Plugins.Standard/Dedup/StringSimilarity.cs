namespace Crm.Plugins.Standard.Dedup;

/// <summary>String similarities from 0 (nothing shared) to 1 (equal), written for short names: no allocations per character.</summary>
public static class StringSimilarity
{
    /// <summary>
    /// 1 - edit distance / length of the longer string, where an edit is an insertion, a deletion, a substitution or
    /// a swap of two neighbours (optimal string alignment): "trdaing" is one edit from "trading".
    /// </summary>
    public static double Levenshtein(string a, string b) =>
        a.Length == 0 && b.Length == 0 ? 1 : 1.0 - (double)EditDistance(a, b) / Math.Max(a.Length, b.Length);

    /// <summary>Edits (insertion, deletion, substitution, swap of neighbours) from one string to the other.</summary>
    /// <remarks>No bound: a distance is never more than the longer string's length.</remarks>
    public static int EditDistance(string a, string b) => EditDistanceWithin(a, b, Math.Max(a.Length, b.Length));

    /// <summary>
    /// <see cref="Levenshtein"/> when it is at least <paramref name="floor"/>; otherwise some value below it. Most
    /// candidates a lead is compared with are other companies, and only whether they reach the floor matters for them.
    /// </summary>
    public static double LevenshteinAtLeast(string a, string b, double floor)
    {
        var longer = Math.Max(a.Length, b.Length);
        if (longer == 0)
        {
            return 1;
        }

        // The most edits that still leave the similarity at the floor (the small margin keeps 0.4 * 10 at 4).
        var most = (int)Math.Floor((1 - floor) * longer + 1e-9);
        var distance = EditDistanceWithin(a, b, most);
        return distance > most ? Math.Min(floor - 1e-6, 1.0 - (double)distance / longer) : 1.0 - (double)distance / longer;
    }

    /// <summary>
    /// <see cref="EditDistance"/> when it is at most <paramref name="most"/>; <paramref name="most"/> + 1 when it is more.
    /// Two cheap lower bounds answer first: the difference of the lengths, and half the difference of the characters
    /// counted in 64 classes (each edit changes those counts by at most two). Then the rows of the table are filled
    /// until one is all over the bound: no row's smallest entry is below the row before's (a swap from two rows up costs
    /// what the diagonal step through the row between can cost), so the distance is over the bound too.
    /// </summary>
    public static int EditDistanceWithin(string a, string b, int most)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(most);
        var n = a.Length;
        var m = b.Length;
        if (Math.Abs(n - m) > most)
        {
            return most + 1;
        }

        Span<int> counts = stackalloc int[64];
        counts.Clear();
        foreach (var c in a)
        {
            counts[c & 63]++;
        }

        foreach (var c in b)
        {
            counts[c & 63]--;
        }

        var differ = 0;
        foreach (var count in counts)
        {
            differ += Math.Abs(count);
        }

        if ((differ + 1) / 2 > most)
        {
            return most + 1;
        }

        var width = m + 1;
        Span<int> rows = 3 * width <= 768 ? stackalloc int[3 * width] : new int[3 * width];
        var before = rows[..width]; // row i - 2
        var previous = rows.Slice(width, width); // row i - 1
        var current = rows.Slice(2 * width, width);
        for (var j = 0; j <= m; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= n; i++)
        {
            current[0] = i;
            var rowMin = i;
            for (var j = 1; j <= m; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, before[j - 2] + 1);
                }

                current[j] = value;
                rowMin = Math.Min(rowMin, value);
            }

            if (rowMin > most)
            {
                return most + 1;
            }

            var spare = before;
            before = previous;
            previous = current;
            current = spare;
        }

        return Math.Min(previous[m], most + 1);
    }

    /// <summary>Levenshtein over the words sorted: word order does not matter ("Trading Acme" = "Acme Trading").</summary>
    public static double TokenSort(string a, string b) => Levenshtein(SortedWords(a), SortedWords(b));

    /// <summary>The words of a text in ordinal order, joined without spaces: what <see cref="TokenSort"/> compares.</summary>
    public static string SortedWords(string s) =>
        s.Contains(' ') ? string.Concat(s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)) : s; // one word (every Chinese core): itself

    /// <summary>Dice coefficient of the character bigrams (a single character counts as one bigram).</summary>
    public static double Dice(string a, string b)
    {
        if (a == b)
        {
            return 1;
        }

        if (a.Length < 2 || b.Length < 2)
        {
            return 0;
        }

        var counts = new Dictionary<int, int>(a.Length);
        for (var i = 0; i < a.Length - 1; i++)
        {
            var key = (a[i] << 16) | a[i + 1];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var shared = 0;
        for (var i = 0; i < b.Length - 1; i++)
        {
            var key = (b[i] << 16) | b[i + 1];
            if (counts.TryGetValue(key, out var n) && n > 0)
            {
                counts[key] = n - 1;
                shared++;
            }
        }

        return 2.0 * shared / (a.Length - 1 + b.Length - 1);
    }
}
