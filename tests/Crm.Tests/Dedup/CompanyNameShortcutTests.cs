using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;

namespace Crm.Tests.Dedup;

/// <summary>
/// The company-name strategy skips parsing a Chinese candidate whose name shares too few characters with the lead's core.
/// The skip must never hide a match: whenever it is taken, the parsed cores are less than 0.6 alike.
/// </summary>
public sealed class CompanyNameShortcutTests
{
    private readonly CompanyNameStrategy _strategy = new();

    [Fact]
    public void A_skipped_candidate_is_never_one_the_full_comparison_would_find_alike()
    {
        var generator = new CompanyGenerator(seed: 7);
        var companies = Enumerable.Range(0, 400).Select(_ => generator.Next()).ToList();
        var cards = companies.SelectMany((c, i) => new[]
        {
            generator.Original(c, $"o{i}"), generator.Disguise(c, $"d{i}"), generator.LookAlike(c, $"l{i}"),
        }).Concat(Awkward()).ToList();
        var leads = cards.Where((_, i) => i % 3 != 2).Take(600).ToList();

        var (pairs, skipped) = (0, 0);
        foreach (var lead in leads)
        {
            var a = CompanyNameStrategy.CompanyOf(lead);
            if (a is null)
            {
                continue;
            }

            foreach (var candidate in cards)
            {
                pairs++;
                if (!_strategy.CannotBeSimilar(a, candidate))
                {
                    continue;
                }

                skipped++;
                var b = CompanyNameStrategy.CompanyOf(candidate);
                var similarity = b is null ? 0 : Math.Max(StringSimilarity.Levenshtein(a.Key, b.Key), StringSimilarity.Levenshtein(a.SortedKey, b.SortedKey));
                Assert.True(similarity < 0.6, $"'{lead.Company}' and '{candidate.Company}' were skipped at similarity {similarity:0.00}");
            }
        }

        // Not vacuous: most pairs of different Chinese companies are skipped.
        Assert.True(skipped > pairs / 5, $"{skipped} of {pairs} pairs skipped");
    }

    [Theory]
    [InlineData("上海明辉贸易有限公司", "明輝貿易（上海）有限公司")] // traditional characters
    [InlineData("上海明辉贸易有限公司", "ＳＨ明辉贸易有限公司")] // full-width Latin: not skipped (another script)
    [InlineData("明辉&华盛贸易有限公司", "明辉华盛贸易有限公司")]
    [InlineData("北京明辉科技有限公司", "明辉科技")]
    public void The_same_company_written_otherwise_is_never_skipped(string lead, string candidate)
    {
        var a = CompanyNameStrategy.CompanyOf(new CustomerSnapshot { Id = "a", Name = "王", Company = lead })!;

        Assert.False(_strategy.CannotBeSimilar(a, new CustomerSnapshot { Id = "b", Name = "李", Company = candidate }));
    }

    [Fact]
    public void A_chinese_company_sharing_only_its_brand_deletion_variant_is_skipped()
    {
        var a = CompanyNameStrategy.CompanyOf(new CustomerSnapshot { Id = "a", Name = "王", Company = "杭州明辉华科技有限公司" })!;

        Assert.True(_strategy.CannotBeSimilar(a, new CustomerSnapshot { Id = "b", Name = "李", Company = "上海明辉盛物流有限公司" }));
        Assert.Null(_strategy.Compare(new CustomerSnapshot { Id = "a", Name = "王", Company = "杭州明辉华科技有限公司" },
            new CustomerSnapshot { Id = "b", Name = "李", Company = "上海明辉盛物流有限公司" }));
    }

    /// <summary>Names a generator would not make: traditional characters, brackets, '&amp;', Latin and digits inside.</summary>
    private static IEnumerable<CustomerSnapshot> Awkward() =>
        new[]
        {
            "明輝貿易有限公司", "明辉贸易(上海)有限公司", "明辉&华盛贸易有限公司", "明辉IT科技有限公司", "3M明辉有限公司", "（香港）明辉国际贸易有限公司",
            "明辉", "辉明贸易", "明明辉辉贸易有限公司", "上海明辉贸易有限公司北京分公司",
        }.Select((n, i) => new CustomerSnapshot { Id = $"x{i}", Name = "王", Company = n });
}
