using Crm.Plugins.Standard.Dedup;

namespace Crm.Tests.Dedup;

/// <summary>
/// The typo-tolerant word lists (legal forms, industry words, regions) against a plain scan of every word: the same
/// answer for each word's one-edit variants and for words near none, whatever shortcut the list takes.
/// </summary>
public sealed class FuzzyWordsTests
{
    [Fact]
    public void A_token_is_found_exactly_when_a_listed_word_with_its_first_letter_is_one_edit_away()
    {
        var words = CompanyWords.LatinIndustryTokens.Concat(CompanyWords.LatinLegalTokens).Distinct().ToList();
        const int minLength = 5;
        var fuzzy = new FuzzyWords(words, minLength);
        var random = new Random(5);
        var tokens = words.SelectMany(w => Variants(w, random)).Concat(RandomTokens(random, 3_000)).Distinct().ToList();

        var found = 0;
        foreach (var token in tokens)
        {
            var answer = fuzzy.Find(token);
            var expected = words.Contains(token)
                ? token
                : words.FirstOrDefault(w => w.Length >= minLength && w[0] == token[0] && StringSimilarity.EditDistance(w, token) <= 1);
            Assert.True((answer is null) == (expected is null), $"'{token}': found '{answer}', a scan finds '{expected}'");
            if (answer is not null)
            {
                found++;
                Assert.True(answer == token || answer[0] == token[0] && StringSimilarity.EditDistance(answer, token) <= 1, $"'{token}' -> '{answer}'");
            }
        }

        Assert.True(found > 1_000, $"only {found} of {tokens.Count} tokens were near a word"); // the variants were tried
        Assert.True(tokens.Count - found > 1_000); // and so were tokens near none
    }

    /// <summary>Each deletion, swap, and a substituted and an inserted letter at each place: one edit each.</summary>
    private static IEnumerable<string> Variants(string word, Random random)
    {
        for (var i = 0; i < word.Length; i++)
        {
            yield return word.Remove(i, 1);
            yield return word.Insert(i, ((char)('a' + random.Next(26))).ToString());
            yield return word[..i] + (char)('a' + random.Next(26)) + word[(i + 1)..];
            if (i + 1 < word.Length)
            {
                yield return word[..i] + word[i + 1] + word[i] + word[(i + 2)..];
            }
        }
    }

    private static IEnumerable<string> RandomTokens(Random random, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return new string(Enumerable.Range(0, random.Next(3, 14)).Select(_ => (char)('a' + random.Next(26))).ToArray());
        }
    }
}
