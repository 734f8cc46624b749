using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;

namespace Crm.Tests.Dedup;

/// <summary>
/// The identity strategy skips parsing a candidate's phone or e-mail address when a cheap look says it cannot be the
/// lead's. That look must never say "cannot" for a text the parser would read as the same: a missed duplicate.
/// </summary>
public sealed class PhoneDigitsTests
{
    [Theory]
    [InlineData("13800138000")]
    [InlineData("138 0013 8000")]
    [InlineData("138-0013-8000")]
    [InlineData("+86 138 0013 8000")]
    [InlineData("0086 13800138000")]
    [InlineData("(86) 138 0013 8000")]
    [InlineData("8613800138000")]
    [InlineData("１３８００１３８０００")]
    [InlineData("手机：138 0013 8000")]
    [InlineData("tel: +86 (138) 0013-8000")]
    [InlineData("138 0013 8000 转 12")]
    public void Every_spelling_of_a_number_may_be_that_number(string text) =>
        Assert.True(PhoneDigits.MayBe("+8613800138000", text));

    [Theory]
    [InlineData("13800138001")]
    [InlineData("139 0013 8000 1")]
    [InlineData("+86 21 6888 8888")]
    [InlineData("")]
    [InlineData(null)]
    public void A_plain_text_with_other_last_digits_is_not_the_number(string? text) =>
        Assert.False(PhoneDigits.MayBe("+8613800138000", text));

    [Fact]
    public void Over_many_spellings_of_many_numbers_a_cannot_is_never_a_number_the_parser_reads_as_the_same()
    {
        var phones = new PhoneNormalizer();
        var random = new Random(2026);
        var texts = new List<string>();
        for (var n = 0; n < 60; n++)
        {
            // Mobiles, Shanghai/Beijing fixed lines, and numbers sharing a tail with an earlier one (in ranges that exist:
            // a number outside its country's plan gives no key).
            var national = (n % 3) switch
            {
                0 => "1" + (random.Next(2) == 0 ? 3 : 8) + random.Next(0, 1_000_000_000).ToString("D9"),
                1 => (random.Next(2) == 0 ? "21" : "10") + random.Next(20_000_000, 89_999_999),
                _ => "13" + random.Next(0, 10) + random.Next(0, 10) + (texts.Count > 0 ? Tail(texts[^1]) : "1234567"),
            };
            texts.AddRange(Spellings(national));
        }

        var e164 = texts.Select(t => phones.ToE164(t)).ToList();
        var checkedPairs = 0;
        for (var a = 0; a < texts.Count; a++)
        {
            if (e164[a] is not { } number)
            {
                continue;
            }

            for (var b = 0; b < texts.Count; b++)
            {
                if (!PhoneDigits.MayBe(number, texts[b]))
                {
                    Assert.NotEqual(number, e164[b]);
                    checkedPairs++;
                }
                else if (e164[b] == number)
                {
                    checkedPairs++;
                }
            }
        }

        // The spellings with a digit too many or too few are no valid number, so no key (PhoneNormalizer): the others are.
        var keyed = e164.Count(e => e is not null);
        Assert.Equal(texts.Count * 10 / 12, keyed);
        Assert.True(checkedPairs > keyed * texts.Count / 2, $"only {checkedPairs} pairs were decided");
    }

    [Fact]
    public void The_identity_strategy_still_finds_a_shared_phone_written_differently_and_nothing_for_a_different_one()
    {
        var strategy = new IdentityKeysStrategy();
        var lead = new CustomerSnapshot { Id = "lead", Name = "Wang", Phone = "+86 138-0013-8000" };

        var same = strategy.Compare(lead, new CustomerSnapshot { Id = "a", Name = "Wang", Phone = "手机：13800138000" });
        var sameWithExtension = strategy.Compare(lead, new CustomerSnapshot { Id = "b", Name = "Wang", Phone = "138 0013 8000 转 12" });
        var other = strategy.Compare(lead, new CustomerSnapshot { Id = "c", Name = "Wang", Phone = "138 0013 8001" });

        Assert.Equal("phone", same?.Key.Kind);
        Assert.Equal("phone", sameWithExtension?.Key.Kind);
        Assert.Null(other);
    }

    [Fact]
    public void Over_many_spellings_of_many_addresses_a_cannot_is_never_an_address_that_normalizes_the_same()
    {
        string[] mailboxes = ["zhang.wei", "zhangwei", "z.hangwei", "zh+crm", "li_na88", "Li.Na", "wang", "w", "13800138000", "ab", "a.b"];
        string[] domains = ["gmail.com", "googlemail.com", "GMAIL.com", "qq.com", "foxmail.com", "vip.qq.com", "163.com", "yandex.ru", "ya.ru", "mingda.cn"];
        var texts = new List<string>();
        foreach (var mailbox in mailboxes)
        {
            foreach (var domain in domains)
            {
                var plain = $"{mailbox}@{domain}";
                texts.AddRange([plain, plain.ToUpperInvariant(), $" {plain};", $"mailto:{plain}", $"MAILTO:{plain}", $"Zhang Wei <{plain}>",
                    $"{mailbox}+news@{domain}", $"{mailbox.Replace(".", "")}@{domain}.", string.Concat(plain.Select(c => c is >= 'a' and <= 'z' ? (char)(c - 'a' + 'ａ') : c))]);
            }
        }

        var normalized = texts.Select(EmailNormalizer.Normalize).ToList();
        var (rejected, found) = (0, 0);
        for (var a = 0; a < texts.Count; a++)
        {
            if (normalized[a] is not { } address)
            {
                continue;
            }

            for (var b = 0; b < texts.Count; b++)
            {
                if (!EmailStart.MayBe(address, texts[b]))
                {
                    Assert.True(address != normalized[b], $"'{texts[b]}' was rejected for '{address}', which it normalizes to");
                    rejected++;
                }
                else if (normalized[b] == address)
                {
                    found++;
                }
            }
        }

        // Half the spellings are not plain (a display name, mailto:, full-width letters) and always go to the parser.
        Assert.True(rejected > texts.Count * texts.Count / 4, $"only {rejected} pairs were rejected without parsing");
        Assert.True(found > texts.Count, $"only {found} same-address pairs");
    }

    private static string Tail(string text) => new(text.Where(char.IsAsciiDigit).TakeLast(7).ToArray());

    private static IEnumerable<string> Spellings(string national)
    {
        var mobile = national.StartsWith('1') && national.Length == 11;
        var (head, rest) = mobile ? (national[..3], national[3..]) : (national[..2], national[2..]);
        yield return national;
        yield return mobile ? national : "0" + national;
        yield return $"+86 {head} {rest[..4]} {rest[4..]}";
        yield return $"0086-{head}-{rest}";
        yield return $"(86) {head} {rest}";
        yield return mobile ? $"{head}.{rest[..4]}.{rest[4..]}" : $"(0{head}) {rest}";
        yield return $"{national} 转 {national[^3..]}";
        yield return $"{national} ext. 9";
        yield return string.Concat(national.Select(c => (char)(c - '0' + '０')));
        yield return "Tel: " + national;
        yield return national + "0"; // one digit too many
        yield return national[..^1]; // one too few
    }
}
