using System.Text.RegularExpressions;
using PhoneNumbers;

namespace Crm.Plugins.Standard.Dedup;

/// <summary>
/// Phone numbers to E.164 (+8613800138000) with libphonenumber. A number without a country code is read in the
/// customer's country if known, else in the default region (CN unless configured), else in the other regions the
/// server's teams work in (<see cref="DedupSettings.Regions"/>), the first that reads it as a valid number winning:
/// a valid number of the default region keeps its key, and the Russian domestic form 8 (912) 345-67-89 is read in RU
/// first (when RU is among the regions): +79123456789, also for 8 (98x) numbers that CN would take for Haikou landlines.
/// 0086 / +86 / (86) prefixes, spaces, dashes, full-width digits and extensions (ext. 12, 转12) are handled.
/// </summary>
public sealed class PhoneNormalizer(string defaultRegion = "CN", IReadOnlyList<string>? regions = null)
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private static readonly Regex Extension = new(@"\s*(转|分机|ext\.?|x|#)\s*\d{1,6}\s*$", RegexOptions.Compiled);

    private static readonly Regex Label = new(@"^\s*(tel|phone|mobile|mob|手机|电话|联系电话|тел)\.?\s*[:：]?\s*", RegexOptions.Compiled);

    // A phone is compared with every candidate of a lead: parse each text once.
    private readonly ParseCache<(string Text, string? Region), string?> _cache = new(ParseCaches.Capacity);

    public string DefaultRegion { get; } = defaultRegion.ToUpperInvariant();

    /// <summary>The regions a number without a country code is tried in, in order: the default region first.</summary>
    public IReadOnlyList<string> Regions { get; } =
        new[] { defaultRegion }.Concat(regions ?? new DedupSettings().Regions).Select(r => r.ToUpperInvariant()).Distinct().ToArray();

    /// <summary>The E.164 form, or null when the text is not a valid phone number (or is a placeholder like 00000000).</summary>
    public string? ToE164(string? text, string? region = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return _cache.GetOrAdd((text, region), k => Parse(k.Text, k.Region));
    }

    /// <summary>Loads libphonenumber's metadata (the first parse of a region reads it, which takes a while): call at start-up.</summary>
    public void Warm()
    {
        foreach (var region in Regions)
        {
            Util.GetMetadataForRegion(region);
        }

        Parse("+8613800138000", DefaultRegion);
    }

    private string? Parse(string text, string? region)
    {
        var folded = Extension.Replace(Label.Replace(Text.Fold(text), ""), "").Trim();
        // A leading (86) or 86- is a country code written without the plus.
        if (folded.StartsWith("(86)", StringComparison.Ordinal))
        {
            folded = "+86" + folded[4..];
        }

        foreach (var (reading, readIn) in Readings(folded, region))
        {
            try
            {
                var number = Util.Parse(reading, readIn);
                if (IsKey(number))
                {
                    return Util.Format(number, PhoneNumberFormat.E164);
                }
            }
            catch (NumberParseException)
            {
                // Not a number in this region; the next may read it.
            }
        }

        return null;
    }

    /// <summary>The ways to read a text, in order: the first valid one is the number.</summary>
    private IEnumerable<(string Text, string Region)> Readings(string folded, string? region)
    {
        var first = region ?? (IsRussianDomestic(folded) && Regions.Contains("RU") ? "RU" : DefaultRegion);
        yield return (folded, first);
        var digits = Text.Digits(folded);
        if (digits.Length == 13 && digits.StartsWith("861", StringComparison.Ordinal))
        {
            // 8613800138000: the country code written without the plus.
            yield return ("+" + digits, DefaultRegion);
        }

        foreach (var other in Regions)
        {
            if (other != first)
            {
                yield return (folded, other);
            }
        }
    }

    /// <summary>
    /// 8 then ten digits, no country code and no leading 0: how Russians write a number at home (8 is the trunk prefix). Read in
    /// RU first, because 8 (98x) mobiles are also valid CN numbers (Haikou landlines, area code 898), which a Chinese writer
    /// dials with a leading 0. Decided by the text alone, so one number written on two customers gives one key.
    /// </summary>
    private static bool IsRussianDomestic(string folded) =>
        folded.Length > 0 && folded[0] == '8' && Text.Digits(folded) is { Length: 11 };

    /// <summary>
    /// Only a number that exists in its country's numbering plan is a key: a key two customers share makes them duplicates,
    /// so a placeholder (00000000, one digit repeated) or a number no one can have must match no one.
    /// </summary>
    private static bool IsKey(PhoneNumber number)
    {
        if (!Util.IsValidNumber(number))
        {
            return false;
        }

        var national = Util.GetNationalSignificantNumber(number);
        return national.Any(c => c != national[0]);
    }

    /// <summary>True for a mobile number (a personal identity key, stronger than a switchboard).</summary>
    public static bool IsMobile(string e164)
    {
        try
        {
            var type = Util.GetNumberType(Util.Parse(e164, null));
            return type is PhoneNumberType.MOBILE or PhoneNumberType.FIXED_LINE_OR_MOBILE;
        }
        catch (NumberParseException)
        {
            return false;
        }
    }
}
