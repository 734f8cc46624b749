using Crm.Sdk;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// <c>company-name</c>: the company's core name (legal forms, regions, branch words, width and punctuation removed),
/// matched exactly or by similarity above a threshold, and weighed with the address: a similar name at a similar
/// address is strong; the same name in another city with another address is another company.
/// </summary>
/// <remarks>
/// Blocking keys are the brand (the core without industry words, at most 12 characters) and, for brands of three
/// characters or more, the brand with each one character deleted: a typo of one character still shares a key.
/// </remarks>
public sealed class CompanyNameStrategy(DedupSettings settings) : IDedupStrategy
{
    public const string StrategyName = "company-name";

    private const int BlockLength = 12;

    public CompanyNameStrategy() : this(new DedupSettings())
    {
    }

    public string Name => StrategyName;

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer)
    {
        if (CompanyOf(customer) is not { } name)
        {
            yield break;
        }

        var brand = name.Brand.Length > BlockLength ? name.Brand[..BlockLength] : name.Brand;
        yield return new BlockingKey("name", brand);
        if (brand.Length >= 3)
        {
            for (var i = 0; i < brand.Length; i++)
            {
                yield return new BlockingKey("name", brand.Remove(i, 1));
            }
        }
    }

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing)
    {
        if (CompanyOf(incoming) is not { } a || CompanyOf(existing) is not { } b)
        {
            return null;
        }

        var name = a.Key == b.Key ? 1.0 : Math.Max(StringSimilarity.Levenshtein(a.Key, b.Key), StringSimilarity.TokenSort(a.Core, b.Core));
        var address = AddressText.Parse(incoming.Address) is { } x && AddressText.Parse(existing.Address) is { } y ? x.Similarity(y) : (double?)null;
        var key = new BlockingKey("company-name", a.Key);

        if (name >= Threshold(a.Key, b.Key))
        {
            var regionsDiffer = IsCity(a.Region) && IsCity(b.Region) && a.Region != b.Region;
            if (regionsDiffer && address is null or < 0.5)
            {
                return null; // the same name registered in another city is another company
            }

            if (address >= 0.5)
            {
                return Match(key, MatchStrength.Strong, 0.7 * name + 0.3 * address.Value, "similar company name at a similar address");
            }

            // Without an address to agree, a one-letter difference in a short brand (Vorhel, Torhel) is another company.
            if (a.Brand != b.Brand && StringSimilarity.Levenshtein(a.Brand, b.Brand) < BrandThreshold(Math.Min(a.Brand.Length, b.Brand.Length)))
            {
                return null;
            }

            if (address is null)
            {
                return name >= 1.0
                    ? Match(key, MatchStrength.Strong, 0.9, "same company core name")
                    : Match(key, MatchStrength.Weak, 0.8 * name, "similar company core name");
            }

            // A similar (not equal) name at another address is another company more often than a typo.
            return name >= 1.0 ? Match(key, MatchStrength.Weak, 0.6 * name + 0.4 * address.Value, "same company name at another address") : null;
        }

        if (name >= 0.6 && address >= 0.85)
        {
            return Match(key, MatchStrength.Weak, 0.5 * name + 0.5 * address.Value, "similar company name at the same address");
        }

        return null;
    }

    /// <summary>How alike two core names must be: short names must be equal, long Latin names may differ by typos.</summary>
    private double Threshold(string a, string b)
    {
        var length = Math.Min(a.Length, b.Length);
        if (Text.HasCjk(a) || Text.HasCjk(b))
        {
            return length >= 6 ? settings.NameThreshold : 1.0;
        }

        return length >= 8 ? settings.NameThreshold : length >= 5 ? 0.8 : 1.0;
    }

    private double BrandThreshold(int length) => length >= 8 ? settings.NameThreshold : length >= 6 ? 0.83 : 1.0;

    private static bool IsCity(string? region) => region is not null and not ("中国" or "china" or "prc");

    /// <summary>The company name of a customer; a lead without one is matched on its name only when that reads as a company.</summary>
    internal static CompanyName? CompanyOf(CustomerSnapshot customer)
    {
        if (!string.IsNullOrWhiteSpace(customer.Company))
        {
            return CompanyName.Parse(customer.Company);
        }

        var parsed = CompanyName.Parse(customer.Name);
        return parsed is not null && Text.WithoutSpaces(Text.LettersAndDigits(Text.Fold(customer.Name))) != parsed.Key ? parsed : null;
    }

    private static MatchResult Match(BlockingKey key, MatchStrength strength, double score, string reason) =>
        new() { Key = key, Strength = strength, Score = Math.Round(score, 3), Reason = reason };
}
