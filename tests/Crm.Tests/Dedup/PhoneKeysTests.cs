using Crm.Plugins.Standard.Dedup;
using Crm.Sdk;

namespace Crm.Tests.Dedup;

/// <summary>
/// Which phones become a dedup key, and which key: a key two customers share makes them duplicates, so a number that is
/// no one's (a placeholder, too many digits) must give none, and one subscriber written two ways must give one.
/// </summary>
public sealed class PhoneKeysTests
{
    private readonly IdentityKeysStrategy _identity = new();

    private static CustomerSnapshot Customer(string phone, string company) =>
        new() { Id = Guid.NewGuid().ToString(), Name = company, Company = company, Phone = phone };

    private IEnumerable<BlockingKey> PhoneKeys(string phone) => _identity.Keys(Customer(phone, "Acme Ltd")).Where(k => k.Kind == "phone");

    [Theory]
    [InlineData("00000000")]
    [InlineData("0000-0000")]
    [InlineData("11111111111")]
    [InlineData("+7 999 999-99-99")]
    [InlineData("12345678901234567890")] // 20 digits
    [InlineData("1234567")] // too short for a CN number, not valid anywhere it is tried
    [InlineData("+86 123 4567 8901")] // no such CN range
    public void A_placeholder_or_impossible_phone_gives_no_key(string phone)
    {
        Assert.Null(new PhoneNormalizer().ToE164(phone));
        Assert.Empty(PhoneKeys(phone));
    }

    [Fact]
    public void Two_unrelated_companies_with_the_placeholder_00000000_are_not_duplicates()
    {
        var a = Customer("00000000", "北京甲乙科技有限公司");
        var b = Customer("00000000", "Ural Steel LLC");

        Assert.DoesNotContain(_identity.Keys(a), k => k.Kind == "phone");
        Assert.Null(_identity.Compare(a, b));
    }

    [Theory]
    [InlineData("8 (912) 345-67-89")]
    [InlineData("89123456789")]
    [InlineData("8-912-345-67-89")]
    [InlineData("+7 912 345 67 89")]
    [InlineData("8 (912) 345-67-89 ext. 12")] // 'доб. 12' as IdentityText stores it
    public void A_Russian_mobile_in_the_domestic_8_form_and_the_plus_7_form_is_one_key(string phone)
    {
        Assert.Equal("+79123456789", new PhoneNormalizer().ToE164(phone));
        Assert.Equal([new BlockingKey("phone", "+79123456789")], PhoneKeys(phone));
    }

    [Fact]
    public void The_domestic_8_form_and_the_plus_7_form_are_the_same_subscriber()
    {
        var match = _identity.Compare(Customer("8 (912) 345-67-89", "ООО Ромашка"), Customer("+7 912 345 67 89", "Romashka LLC"));

        Assert.Equal("phone", match?.Key.Kind);
        Assert.Equal("+79123456789", match?.Key.Value);
    }

    [Theory]
    [InlineData("8 (987) 654-32-10", "+79876543210")]
    [InlineData("8-985-123-45-67", "+79851234567")]
    [InlineData("89876543210", "+79876543210")]
    public void A_98x_mobile_in_the_domestic_8_form_is_Russian_though_CN_would_take_it_for_a_Haikou_landline(string phone, string key)
    {
        Assert.Equal(key, new PhoneNormalizer().ToE164(phone));
        // One key for the number whoever it is written on: the lead and the stored customer must meet.
        Assert.Equal([new BlockingKey("phone", key)], _identity.Keys(Customer(phone, "ООО Ромашка")).Where(k => k.Kind == "phone"));
        Assert.Equal([new BlockingKey("phone", key)], _identity.Keys(Customer(phone, "Romashka LLC")).Where(k => k.Kind == "phone"));
        Assert.Equal("phone", _identity.Compare(Customer(phone, "Romashka LLC"), Customer(key, "ООО Ромашка"))?.Key.Kind);
    }

    [Theory]
    [InlineData("0898-7654-3210", "+8689876543210")] // a Haikou landline as China writes it
    [InlineData("+86 898 7654 3210", "+8689876543210")]
    public void A_Haikou_landline_written_the_Chinese_way_keeps_its_CN_key(string phone, string key) =>
        Assert.Equal([new BlockingKey("phone", key)], PhoneKeys(phone));

    [Fact]
    public void A_country_field_still_decides_and_without_RU_among_the_regions_the_8_form_stays_Chinese()
    {
        var inChina = new CustomerSnapshot
        {
            Id = "c-2", Name = "Romashka", Phone = "8 (987) 654-32-10", Fields = new Dictionary<string, string> { ["country"] = "CN" },
        };
        Assert.Equal("+8689876543210", Assert.Single(_identity.Keys(inChina), k => k.Kind == "phone").Value);
        Assert.Equal("+8689876543210", new PhoneNormalizer("CN", ["CN"]).ToE164("8 (987) 654-32-10"));
    }

    [Theory]
    [InlineData("13800138000", "+8613800138000")]
    [InlineData("010-12345678 ext. 8001", "+861012345678")]
    [InlineData("021-6888 8888", "+862168888888")]
    [InlineData("0755-12345678", "+8675512345678")]
    [InlineData("8613800138000", "+8613800138000")]
    [InlineData("19912345678", "+8619912345678")]
    public void A_valid_Chinese_number_keeps_its_key(string phone, string key) =>
        Assert.Equal([new BlockingKey("phone", key)], PhoneKeys(phone));

    [Fact]
    public void The_regions_tried_are_the_setting_in_order_after_the_default()
    {
        // Only CN: the 8 form is no CN number, so no key (it used to become +8689123456789).
        Assert.Null(new PhoneNormalizer("CN", ["CN"]).ToE164("8 (912) 345-67-89"));
        Assert.Equal("+79123456789", new PhoneNormalizer("CN", ["CN", "RU"]).ToE164("8 (912) 345-67-89"));
        Assert.Equal(["CN", "RU", "KZ"], new PhoneNormalizer("CN", ["RU", "kz", "CN"]).Regions);
    }
}
