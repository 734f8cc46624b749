using Crm.Sdk;

namespace Acme.CrmPlugin;

/// <summary>
/// <c>acme-email-domain</c>: two contacts with e-mail addresses at the same company domain are probably the same
/// customer (a weak match, for review). Free mail domains say nothing and give no key.
/// </summary>
public sealed class EmailDomainStrategy : IDedupStrategy
{
    private static readonly HashSet<string> FreeMail = new(StringComparer.OrdinalIgnoreCase)
    {
        "gmail.com", "outlook.com", "hotmail.com", "yahoo.com", "qq.com", "163.com", "126.com", "sina.com", "mail.ru", "yandex.ru",
    };

    public string Name => "acme-email-domain";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer)
    {
        var at = customer.Email?.LastIndexOf('@') ?? -1;
        if (at <= 0)
        {
            yield break;
        }

        var domain = customer.Email![(at + 1)..].Trim().ToLowerInvariant();
        if (domain.Contains('.') && !FreeMail.Contains(domain))
        {
            yield return new BlockingKey("email-domain", domain);
        }
    }

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing)
    {
        var shared = Keys(incoming).Intersect(Keys(existing)).FirstOrDefault();
        return shared is null ? null : new MatchResult { Key = shared, Strength = MatchStrength.Weak, Score = 0.6, Reason = "same company e-mail domain" };
    }
}
