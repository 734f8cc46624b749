using Crm.Plugins.Standard.Dedup;

namespace Crm.Tests.Dedup;

public sealed class ParseCacheTests
{
    [Fact]
    public void A_text_is_parsed_once_while_it_stays_in_one_of_the_two_generations()
    {
        var parsed = new List<string>();
        var cache = new ParseCache<string, int>(capacity: 3, StringComparer.Ordinal);
        int Parse(string text)
        {
            parsed.Add(text);
            return text.Length;
        }

        foreach (var text in new[] { "a", "bb", "a", "ccc" })
        {
            Assert.Equal(text.Length, cache.GetOrAdd(text, Parse));
        }

        Assert.Equal(["a", "bb", "ccc"], parsed); // "a" the second time came from the cache; "ccc" filled the young generation, which became the old one

        cache.GetOrAdd("dddd", Parse); // a new young generation; the old one still answers "a" below
        cache.GetOrAdd("a", Parse);
        Assert.Equal(["a", "bb", "ccc", "dddd"], parsed);
    }

    [Fact]
    public void A_text_not_asked_for_during_two_turnovers_is_dropped_and_parsed_again()
    {
        var parses = 0;
        var cache = new ParseCache<string, int>(capacity: 2, StringComparer.Ordinal);
        int Parse(string text)
        {
            parses++;
            return text.Length;
        }

        cache.GetOrAdd("a", Parse);
        cache.GetOrAdd("b", Parse); // turnover 1: {a, b} is old
        cache.GetOrAdd("c", Parse);
        cache.GetOrAdd("d", Parse); // turnover 2: {c, d} is old, {a, b} is dropped
        Assert.Equal(4, parses);

        cache.GetOrAdd("a", Parse);
        Assert.Equal(5, parses);
    }

    [Fact]
    public async Task Many_threads_at_once_through_many_turnovers_get_every_answer_right()
    {
        var cache = new ParseCache<int, int>(capacity: 1_000);
        var wrong = 0;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                var key = (i * 7919 + t) % 20_000;
                if (cache.GetOrAdd(key, k => k * 2) != key * 2)
                {
                    Interlocked.Increment(ref wrong);
                }
            }
        })));

        Assert.Equal(0, wrong);
        // Two generations of 1,000; a thread that raced a turnover may have added a few to the generation it had read.
        Assert.InRange(cache.Count, 1, 2_000 + 8);
    }
}
