using Crm.Sdk;

namespace CrmPlugin1;

/// <summary>
/// <c>crmplugin1-phone-digits</c>: two customers whose phone numbers end in the same 8 digits are probably one
/// (a strong match). Pools select it in <c>"dedup": { "strategies": [...] }</c>.
/// </summary>
public sealed class PhoneDigitsStrategy : IDedupStrategy
{
    private const int Digits = 8;

    public string Name => "crmplugin1-phone-digits";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer)
    {
        var digits = new string((customer.Phone ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length >= Digits)
        {
            yield return new BlockingKey("phone-tail", digits[^Digits..]);
        }
    }

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing)
    {
        var shared = Keys(incoming).Intersect(Keys(existing)).FirstOrDefault();
        return shared is null ? null : new MatchResult { Key = shared, Strength = MatchStrength.Strong, Score = 0.9, Reason = "same phone number" };
    }
}
