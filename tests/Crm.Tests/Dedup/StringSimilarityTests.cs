using Crm.Plugins.Standard.Dedup;

namespace Crm.Tests.Dedup;

/// <summary>
/// The bounded edit distance the company-name rule uses (and the unbounded one, which is it without a bound) against the
/// full table written out here, on strings near and far.
/// </summary>
public sealed class StringSimilarityTests
{
    [Fact]
    public void The_bounded_distance_is_the_full_distance_up_to_its_bound_and_one_more_beyond()
    {
        var random = new Random(3);
        var checkedNear = 0;
        foreach (var (a, b) in Pairs(random, 20_000))
        {
            var full = FullTable(a, b);
            Assert.Equal(full, StringSimilarity.EditDistance(a, b));
            for (var most = 0; most <= 8; most++)
            {
                Assert.True(Math.Min(full, most + 1) == StringSimilarity.EditDistanceWithin(a, b, most),
                    $"'{a}' and '{b}': distance {full}, within {most} answered {StringSimilarity.EditDistanceWithin(a, b, most)}");
            }

            checkedNear += full is > 0 and <= 3 ? 1 : 0;
        }

        Assert.True(checkedNear > 2_000, $"{checkedNear} pairs one to three edits apart"); // not only strangers
    }

    [Fact]
    public void The_similarity_at_least_a_floor_is_exact_there_and_below_the_floor_otherwise()
    {
        var random = new Random(4);
        foreach (var (a, b) in Pairs(random, 20_000))
        {
            var full = a.Length + b.Length == 0 ? 1 : 1.0 - (double)FullTable(a, b) / Math.Max(a.Length, b.Length);
            Assert.Equal(full, StringSimilarity.Levenshtein(a, b));
            foreach (var floor in new[] { 0.5, 0.6, 0.85 })
            {
                var bounded = StringSimilarity.LevenshteinAtLeast(a, b, floor);
                if (full >= floor)
                {
                    Assert.Equal(full, bounded);
                }
                else
                {
                    Assert.True(bounded < floor, $"'{a}' and '{b}' at {full:0.000} answered {bounded:0.000} against the floor {floor}");
                }
            }
        }
    }

    /// <summary>Optimal string alignment over the whole table: insertions, deletions, substitutions, swaps of neighbours.</summary>
    private static int FullTable(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    /// <summary>Random names over a few letters (Latin, Cyrillic, Chinese) and edited copies of them: swaps, deletions, insertions, substitutions.</summary>
    private static IEnumerable<(string, string)> Pairs(Random random, int count)
    {
        string[] alphabets = ["abcdeorstn", "абвгдеорст", "明辉贸易科技华盛远东方", "abcdefghijklmnopqrstuvwxyz"];
        for (var i = 0; i < count; i++)
        {
            var alphabet = alphabets[random.Next(alphabets.Length)];
            var a = Word(random, alphabet);
            yield return (a, i % 2 == 0 ? Word(random, alphabet) : Edited(random, a, alphabet, random.Next(0, 5)));
        }
    }

    private static string Word(Random random, string alphabet) =>
        new(Enumerable.Range(0, random.Next(0, 16)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());

    private static string Edited(Random random, string word, string alphabet, int edits)
    {
        var chars = word.ToList();
        for (var e = 0; e < edits; e++)
        {
            var at = chars.Count == 0 ? 0 : random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0 when chars.Count > 0:
                    chars.RemoveAt(at);
                    break;
                case 1:
                    chars.Insert(at, alphabet[random.Next(alphabet.Length)]);
                    break;
                case 2 when chars.Count > 0:
                    chars[at] = alphabet[random.Next(alphabet.Length)];
                    break;
                case 3 when at + 1 < chars.Count:
                    (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                    break;
            }
        }

        return new string(chars.ToArray());
    }
}
