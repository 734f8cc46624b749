namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// A word list that also answers words mistyped by one edit (substitution, missing or extra letter, two letters
/// swapped), keeping the first letter: the words and their one-letter deletions are indexed, so a look-up costs a
/// few hash probes instead of an edit distance against every word.
/// </summary>
internal sealed class FuzzyWords
{
    private readonly HashSet<string> _exact;
    private readonly Dictionary<string, List<string>> _deletions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>>.AlternateLookup<ReadOnlySpan<char>> _deletionsBySpan;
    private readonly int _minLength;
    // The lengths of the indexed words by first letter (bit n: a word of n letters; bit 63: 63 or more). A match keeps the
    // first letter and is at most one letter longer or shorter, so most tokens (brand words) are answered without a probe:
    // the probes of each deletion were two-thirds of parsing a Latin company name at a million customers.
    private readonly Dictionary<char, ulong> _lengthsByFirst = [];

    public FuzzyWords(IEnumerable<string> words, int minLength)
    {
        _exact = new HashSet<string>(words, StringComparer.Ordinal);
        _minLength = minLength;
        _deletionsBySpan = _deletions.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var word in _exact.Where(w => w.Length >= minLength))
        {
            Add(word, word);
            _lengthsByFirst[word[0]] = _lengthsByFirst.GetValueOrDefault(word[0]) | LengthBit(word.Length);
            for (var i = 1; i < word.Length; i++)
            {
                Add(word.Remove(i, 1), word);
            }
        }
    }

    /// <summary>The listed word the token is, or is one typo away from; null when none.</summary>
    public string? Find(string token)
    {
        if (_exact.Contains(token))
        {
            return token;
        }

        if (token.Length < _minLength - 1 || !MayBeNear(token))
        {
            return null;
        }

        if (Check(token, token) is { } word)
        {
            return word;
        }

        // Each one-letter deletion probed from a buffer on the stack: a look-up made no string (it was a tenth of what an
        // import allocated with every dedup rule on).
        Span<char> probe = token.Length <= 128 ? stackalloc char[token.Length - 1] : new char[token.Length - 1];
        for (var i = 1; i < token.Length; i++)
        {
            token.AsSpan(0, i).CopyTo(probe);
            token.AsSpan(i + 1).CopyTo(probe[i..]);
            if (Check(probe, token) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Whether an indexed word starts with the token's letter and is within one letter of its length.</summary>
    private bool MayBeNear(string token) =>
        _lengthsByFirst.TryGetValue(token[0], out var lengths)
        && (lengths & (LengthBit(token.Length - 1) | LengthBit(token.Length) | LengthBit(token.Length + 1))) != 0;

    private static ulong LengthBit(int length) => 1UL << Math.Min(length, 63);

    private string? Check(ReadOnlySpan<char> probe, string token)
    {
        if (_deletionsBySpan.TryGetValue(probe, out var words))
        {
            foreach (var word in words)
            {
                if (word[0] == token[0] && Math.Abs(word.Length - token.Length) <= 1 && StringSimilarity.EditDistanceWithin(word, token, 1) <= 1)
                {
                    return word;
                }
            }
        }

        return null;
    }

    private void Add(string key, string word)
    {
        if (!_deletions.TryGetValue(key, out var list))
        {
            _deletions[key] = list = new List<string>(1);
        }

        if (!list.Contains(word))
        {
            list.Add(word);
        }
    }
}
