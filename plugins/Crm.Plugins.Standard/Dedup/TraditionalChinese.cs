namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Traditional to simplified characters for matching (臺北 = 台北, 貿易 = 贸易), from OpenCC's character table
/// (Data/t2s.txt). Character by character: names are compared, never shown, so phrase-level conversion is not needed.
/// </summary>
internal static class TraditionalChinese
{
    private static readonly Lazy<char[]> Table = new(Load);

    public static char ToSimplified(char c) => c < '\u3400' ? c : Table.Value[c];

    private static char[] Load()
    {
        var table = new char[char.MaxValue + 1];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (char)i;
        }

        foreach (var line in DataFiles.Lines("t2s.txt"))
        {
            if (line.Length == 2)
            {
                table[line[0]] = line[1];
            }
        }

        return table;
    }
}
