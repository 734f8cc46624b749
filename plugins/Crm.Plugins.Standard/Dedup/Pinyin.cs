namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Toneless pinyin readings of Chinese characters (Data/pinyin.tsv, commonest reading first), to meet a Chinese
/// name with its romanization (明远 = Mingyuan).
/// </summary>
internal static class Pinyin
{
    private static readonly Lazy<Dictionary<char, string[]>> Table = new(Load);

    /// <summary>The commonest reading of every character run together (明远 -> mingyuan); null when a character has none.</summary>
    public static string? Of(string hanzi)
    {
        var table = Table.Value;
        var sb = new System.Text.StringBuilder(hanzi.Length * 4);
        foreach (var c in hanzi)
        {
            if (!table.TryGetValue(c, out var readings))
            {
                return null;
            }

            sb.Append(readings[0]);
        }

        return sb.ToString();
    }

    /// <summary>True when <paramref name="latin"/> (letters only) reads as the characters, any reading of each (长 chang or zhang).</summary>
    public static bool Reads(string hanzi, string latin) => Reads(Table.Value, hanzi, 0, latin, 0);

    private static bool Reads(Dictionary<char, string[]> table, string hanzi, int i, string latin, int at)
    {
        if (i == hanzi.Length)
        {
            return at == latin.Length;
        }

        if (!table.TryGetValue(hanzi[i], out var readings))
        {
            return false;
        }

        foreach (var reading in readings)
        {
            if (string.CompareOrdinal(latin, at, reading, 0, reading.Length) == 0 && at + reading.Length <= latin.Length
                && Reads(table, hanzi, i + 1, latin, at + reading.Length))
            {
                return true;
            }
        }

        return false;
    }

    private static Dictionary<char, string[]> Load()
    {
        var table = new Dictionary<char, string[]>(7000);
        foreach (var line in DataFiles.Lines("pinyin.tsv"))
        {
            var tab = line.IndexOf('\t');
            if (tab == 1)
            {
                table[line[0]] = line[(tab + 1)..].Split(' ');
            }
        }

        return table;
    }
}
