using Crm.Sdk;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// <c>identity-keys</c>: the strong identity keys, strongest first: tax id / unified social credit code (exact when
/// its checksum holds), mobile or fixed phone in E.164, e-mail address.
/// </summary>
public sealed class IdentityKeysStrategy(DedupSettings settings) : IDedupStrategy
{
    public const string StrategyName = "identity-keys";

    private readonly PhoneNormalizer _phones = new(settings.DefaultRegion);

    private readonly ParseCache<(string? TaxId, string? Phone, string? Email, string? Region), (TaxId?, string?, string?)> _cards = new(100_000);

    public IdentityKeysStrategy() : this(new DedupSettings())
    {
    }

    public string Name => StrategyName;

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer)
    {
        var card = Card(customer);
        if (card.Tax is { } tax)
        {
            yield return new BlockingKey(tax.Kind, tax.Value);
        }

        if (card.Phone is { } phone)
        {
            yield return new BlockingKey("phone", phone);
        }

        if (card.Email is { } email)
        {
            yield return new BlockingKey("email", email);
        }
    }

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing)
    {
        var a = Card(incoming);
        var b = Card(existing);
        var taxesDiffer = a.Tax is not null && b.Tax is not null && a.Tax.Value != b.Tax.Value
            && a.Tax.ChecksumValid != false && b.Tax.ChecksumValid != false;

        if (a.Tax is { } tax && tax.Value == b.Tax?.Value)
        {
            return tax.ChecksumValid == false
                ? Match(tax.Kind, tax.Value, MatchStrength.Strong, 0.9, "same credit code, but its check character is wrong")
                : Match(tax.Kind, tax.Value, MatchStrength.Exact, 1.0, tax.Scheme switch
                {
                    "uscc" => "same unified social credit code",
                    "inn" => "same INN",
                    "ogrn" => "same OGRN",
                    "ogrnip" => "same OGRNIP",
                    _ => "same tax id",
                });
        }

        // Two valid, different tax ids are two companies, even when a shared agent left the same phone or mailbox.
        var strength = taxesDiffer ? MatchStrength.Weak : MatchStrength.Strong;
        if (a.Phone is { } phone && phone == b.Phone)
        {
            var mobile = PhoneNormalizer.IsMobile(phone);
            return Match("phone", phone, strength, taxesDiffer ? 0.5 : mobile ? 0.95 : 0.85, mobile ? "same mobile phone" : "same phone number");
        }

        if (a.Email is { } email && email == b.Email)
        {
            return Match("email", email, strength, taxesDiffer ? 0.5 : 0.9, "same e-mail address");
        }

        return null;
    }

    private (TaxId? Tax, string? Phone, string? Email) Card(CustomerSnapshot customer)
    {
        var region = customer.Fields.TryGetValue("country", out var country) && country.Length == 2 ? country.ToUpperInvariant() : null;
        // A stored customer is compared with every lead that shares a key with it: its fields are parsed once.
        return _cards.GetOrAdd((customer.TaxId, customer.Phone, customer.Email, region),
            k => (TaxId.Parse(k.TaxId), _phones.ToE164(k.Phone, k.Region), EmailNormalizer.Normalize(k.Email)));
    }

    private static MatchResult Match(string kind, string value, MatchStrength strength, double score, string reason) =>
        new() { Key = new BlockingKey(kind, value), Strength = strength, Score = score, Reason = reason };
}
