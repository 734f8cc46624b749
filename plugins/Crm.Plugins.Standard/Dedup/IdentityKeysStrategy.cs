using Crm.Sdk;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// <c>identity-keys</c>: the strong identity keys, strongest first: tax id / unified social credit code (exact when
/// its checksum holds), mobile or fixed phone in E.164, e-mail address.
/// </summary>
public sealed class IdentityKeysStrategy(DedupSettings settings) : IDedupStrategy
{
    public const string StrategyName = "identity-keys";

    private readonly PhoneNormalizer _phones = new(settings.DefaultRegion, settings.Regions);

    // Candidates' e-mail addresses and tax ids, parsed once each (phones are cached by PhoneNormalizer itself).
    private readonly ParseCache<string, string?> _emails = new(ParseCaches.Capacity);
    private readonly ParseCache<string, TaxId?> _taxes = new(ParseCaches.Capacity);

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
        // A lead is compared with up to 200 candidates, most of them found through a name. The lead's card is parsed once;
        // of each candidate only what can still match is parsed: at 1M customers, parsing every candidate's fields
        // (through a cache that could not hold them all) was a fifth of an import's CPU.
        var a = LeadCard(incoming);
        var bTax = a.Tax is null ? null : TaxOf(existing);
        var taxesDiffer = a.Tax is not null && bTax is not null && a.Tax.Value != bTax.Value
            && a.Tax.ChecksumValid != false && bTax.ChecksumValid != false;

        if (a.Tax is { } tax && tax.Value == bTax?.Value)
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
        if (a.Phone is { } phone && PhoneDigits.MayBe(phone, existing.Phone) && phone == PhoneOf(existing))
        {
            var mobile = PhoneNormalizer.IsMobile(phone);
            return Match("phone", phone, strength, taxesDiffer ? 0.5 : mobile ? 0.95 : 0.85, mobile ? "same mobile phone" : "same phone number");
        }

        if (a.Email is { } email && EmailStart.MayBe(email, existing.Email) && email == _emails.GetOrAdd(existing.Email!, EmailNormalizer.Normalize))
        {
            return Match("email", email, strength, taxesDiffer ? 0.5 : 0.9, "same e-mail address");
        }

        return null;
    }

    private (TaxId? Tax, string? Phone, string? Email) Card(CustomerSnapshot customer) =>
        (TaxId.Parse(customer.TaxId), PhoneOf(customer), EmailNormalizer.Normalize(customer.Email));

    /// <summary>The card of the lead being compared: one lead meets many candidates in a row on one thread.</summary>
    private (TaxId? Tax, string? Phone, string? Email) LeadCard(CustomerSnapshot lead)
    {
        if (_lastLead is { } last && ReferenceEquals(last.Strategy, this) && ReferenceEquals(last.Lead, lead))
        {
            return last.Card;
        }

        var card = Card(lead);
        _lastLead = new LastLead(this, lead, card);
        return card;
    }

    private string? PhoneOf(CustomerSnapshot customer) => _phones.ToE164(customer.Phone, RegionOf(customer));

    private TaxId? TaxOf(CustomerSnapshot customer) => string.IsNullOrWhiteSpace(customer.TaxId) ? null : _taxes.GetOrAdd(customer.TaxId, TaxId.Parse);

    private static string? RegionOf(CustomerSnapshot customer) =>
        customer.Fields.TryGetValue("country", out var country) && country.Length == 2 ? country.ToUpperInvariant() : null;

    [ThreadStatic]
    private static LastLead? _lastLead;

    private sealed record LastLead(IdentityKeysStrategy Strategy, CustomerSnapshot Lead, (TaxId? Tax, string? Phone, string? Email) Card);

    private static MatchResult Match(string kind, string value, MatchStrength strength, double score, string reason) =>
        new() { Key = new BlockingKey(kind, value), Strength = strength, Score = score, Reason = reason };
}
