using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Pools;
using Crm.Server.Api.Customers;
using Crm.Server.Api.Dedup;

namespace Crm.Tests.Dedup;

/// <summary>
/// Contact values as people type them in an import file or a create form: what the row becomes (the request the
/// customer is created from) or why it is rejected. Create, check and import share this normalisation and validation.
/// </summary>
public sealed class ContactFieldsTests
{
    private static readonly PoolInfo Pool = new("pool-1", "Pool", "org-1", new PoolRuleSet(), DateTimeOffset.UnixEpoch);

    private static readonly ImportColumns Columns = new(ColumnMapping.Fields.ToDictionary(f => f, IReadOnlyList<string> (f) => [f]));

    /// <summary>One import row with these cells: the request it becomes, or its errors when rejected.</summary>
    private static (CreateCustomerRequest? Request, IReadOnlyDictionary<string, string[]>? Errors) Import(
        string? company = "Acme Ltd", string? phone = null, string? email = null, string? taxId = null, string? name = null, string? address = null)
    {
        var cells = new Dictionary<string, string?>
        {
            ["name"] = name, ["company"] = company, ["phone"] = phone, ["email"] = email, ["taxId"] = taxId, ["address"] = address,
        };
        var row = CustomerImporter.Prepare(new ImportTable.Row(2, cells), Columns, Pool, "import-1");
        return (row.Request, row.Invalid?.Errors);
    }

    /// <summary>What POST /api/customers does before anything is stored: normalise, then validate.</summary>
    private static (CreateCustomerRequest Request, IReadOnlyDictionary<string, string[]> Errors) Create(CreateCustomerRequest request)
    {
        var normalized = IdentityText.Normalize(request);
        return (normalized, CustomersApi.ValidateProfile(normalized).Errors);
    }

    [Theory]
    [InlineData("010-12345678 ext 8001", "010-12345678 ext. 8001")]
    [InlineData("010-12345678 EXT. 8001", "010-12345678 ext. 8001")]
    [InlineData("010-12345678转8001", "010-12345678 ext. 8001")]
    [InlineData("010-12345678 分机 8001", "010-12345678 ext. 8001")]
    [InlineData("010-12345678-8001", "010-12345678 ext. 8001")]
    [InlineData("0755-1234567-12", "0755-1234567 ext. 12")]
    [InlineData("+7 495 123-45-67 доб. 12", "+7 495 123-45-67 ext. 12")]
    [InlineData("+7 495 123-45-67 доб 12", "+7 495 123-45-67 ext. 12")]
    [InlineData("021 6888 8888 x 123", "021 6888 8888 ext. 123")]
    [InlineData("138-0013-8000", "138-0013-8000")]
    public void A_phone_with_an_extension_is_imported_and_keeps_the_extension_in_one_form(string typed, string stored)
    {
        var (request, errors) = Import(phone: typed);

        Assert.Null(errors);
        Assert.Equal(stored, request!.Phone);
    }

    [Theory]
    [InlineData("mailto:b@x.com", "b@x.com")]
    [InlineData("MAILTO:b@x.com", "b@x.com")]
    [InlineData("Wang Wei <wang@x.com>", "wang@x.com")]
    [InlineData("\"Wang, Wei\" <wang@x.com>", "wang@x.com")]
    [InlineData("<mailto:wang@x.com>", "wang@x.com")]
    public void An_email_with_mailto_or_a_display_name_is_imported_as_the_address(string typed, string stored)
    {
        var (request, errors) = Import(email: typed);

        Assert.Null(errors);
        Assert.Equal(stored, request!.Email);
    }

    [Theory]
    [InlineData("无")]
    [InlineData("暂无")]
    [InlineData("N/A")]
    [InlineData("n/a")]
    [InlineData("-")]
    [InlineData("—")]
    [InlineData("нет")]
    [InlineData("Нет")]
    [InlineData("/")]
    [InlineData("／")] // full-width
    public void A_placeholder_in_a_phone_email_or_tax_id_cell_is_an_empty_field(string placeholder)
    {
        var (request, errors) = Import(phone: placeholder, email: placeholder, taxId: placeholder);

        Assert.Null(errors);
        Assert.Null(request!.Phone);
        Assert.Null(request.Email);
        Assert.Null(request.TaxId);
    }

    [Fact]
    public void A_create_reads_the_same_forms_as_an_import()
    {
        var (request, errors) = Create(new CreateCustomerRequest("Wang Wei", null, "010-12345678转8001", "Wang Wei <wang@x.com>", "暂无", PoolId: "pool-1"));

        Assert.Empty(errors);
        Assert.Equal("010-12345678 ext. 8001", request.Phone);
        Assert.Equal("wang@x.com", request.Email);
        Assert.Null(request.TaxId);
    }

    [Theory]
    [InlineData("call me", "phone", "'call me' is not a phone number")]
    [InlineData("010-12345678 ext 8001 or 8002", "phone", "is not a phone number")]
    [InlineData("Wang Wei wang@", "email", "'Wang Wei wang@' is not an e-mail address")]
    [InlineData("mailto:someone", "email", "'someone' is not an e-mail address")]
    public void What_is_still_not_a_phone_or_email_after_normalising_is_rejected_with_a_clear_message(string typed, string field, string message)
    {
        var (request, errors) = field == "phone" ? Import(phone: typed) : Import(email: typed);

        Assert.Null(request);
        Assert.Contains(message, Assert.Single(errors![field]));
    }

    [Fact]
    public void Control_characters_are_dropped_from_an_imported_row_and_a_line_break_in_a_one_line_field_is_a_space()
    {
        var (request, errors) = Import(company: "Ctrl\u0001\u0007Ltd", name: "Wang\u001b[0m\u0085Wei", phone: "138\u00000013\u007f8000",
            email: "wang@x.com\u0008", taxId: "91110000\u009b600037341", address: "No. 1 Road\r\nBuilding 2\u0000\tRoom 3\rBeijing");

        Assert.Null(errors);
        Assert.Equal("CtrlLtd", request!.Company);
        Assert.Equal("Wang[0m Wei", request.Name);
        Assert.Equal("13800138000", request.Phone);
        Assert.Equal("wang@x.com", request.Email);
        Assert.Equal("91110000600037341", request.TaxId);
        // The address may be written on several lines: its line breaks and tabs stay (one form: \n).
        Assert.Equal("No. 1 Road\nBuilding 2\tRoom 3\nBeijing", request.Address);
    }

    /// <summary>
    /// Invisible format characters (Unicode Cf) come with pasted values: the direction marks iPhone contacts put around a
    /// copied number, a zero-width space from a web page or a chat, a byte-order mark from a second CSV appended to the
    /// first, a soft hyphen from a word processor. A phone, e-mail or tax id loses every one of them.
    /// </summary>
    [Theory]
    [InlineData("phone", "\u202a+7 912 345-67-89\u202c", "+7 912 345-67-89")]
    [InlineData("phone", "\u200e+86 139 1234 5678\u200f", "+86 139 1234 5678")]
    [InlineData("phone", "\u2066138\u200b0013\u00ad8000\u2069", "13800138000")]
    [InlineData("phone", "\ufeff\u202d010-12345678\u202c 转8001", "010-12345678 ext. 8001")]
    [InlineData("phone", "138 0013 8000\U000E0001", "138 0013 8000")] // a language tag: a Cf character outside the BMP
    [InlineData("email", "\u200bfoo.bar@example.com", "foo.bar@example.com")]
    [InlineData("email", "foo.bar@exam\u00adple.com\ufeff", "foo.bar@example.com")]
    [InlineData("email", "Foo <foo\u200d.bar@example.com\u200c>", "foo.bar@example.com")] // joiners mean nothing in an address
    [InlineData("email", "\u202afoo.bar@example.com\u202c", "foo.bar@example.com")]
    [InlineData("taxId", "\u202a91310115MA1K3YJ10X\u202c", "91310115MA1K3YJ10X")]
    [InlineData("taxId", "7707\u200b083893\u2060", "7707083893")]
    public void Invisible_format_characters_are_dropped_from_a_phone_email_or_tax_id(string field, string typed, string stored)
    {
        var (request, errors) = Import(phone: field == "phone" ? typed : null, email: field == "email" ? typed : null, taxId: field == "taxId" ? typed : null);
        var (created, createErrors) = Create(new CreateCustomerRequest("Wang Wei", null, field == "phone" ? typed : null,
            field == "email" ? typed : null, field == "taxId" ? typed : null, PoolId: "pool-1"));

        Assert.Null(errors);
        Assert.Empty(createErrors);
        foreach (var normalized in new[] { request!, created })
        {
            Assert.Equal(stored, field switch { "phone" => normalized.Phone, "email" => normalized.Email, _ => normalized.TaxId });
        }
    }

    [Theory]
    [InlineData("\u200e-\u200f")]
    [InlineData("\ufeffN/A")]
    [InlineData("\u200b")]
    public void A_placeholder_or_nothing_wrapped_in_invisible_characters_is_an_empty_field(string typed)
    {
        var (request, errors) = Import(phone: typed, email: typed, taxId: typed);

        // Empty or null: validation skips both and the customer stores neither (CustomerProfile).
        Assert.Null(errors);
        Assert.True(string.IsNullOrEmpty(request!.Phone), request.Phone);
        Assert.True(string.IsNullOrEmpty(request.Email), request.Email);
        Assert.True(string.IsNullOrEmpty(request.TaxId), request.TaxId);
    }

    /// <summary>
    /// Names, companies, addresses and sources lose the invisible characters that mean nothing in Chinese, Russian or
    /// English text (zero-width space, byte-order mark, soft hyphen, direction marks and isolates, word joiner); the
    /// joiners stay: ZWJ holds emoji sequences together, and Persian-script names need ZWNJ.
    /// </summary>
    [Fact]
    public void Invisible_marks_are_dropped_from_names_companies_and_addresses_but_the_joiners_stay()
    {
        var (request, errors) = Import(name: "\ufeffWang\u200b Wei", company: "ООО «Ромаш\u00adка»\u200e",
            address: "\u202bRoad 1\u202c\r\nBuilding\u2068 2\u2069");
        var (persian, persianErrors) = Create(new CreateCustomerRequest("\u200fمی\u200cخواهم", "👨\u200d👩\u200d👧 Family\u2060 Ltd",
            Source: "\u200bfair", PoolId: "pool-1"));

        Assert.Null(errors);
        Assert.Equal("Wang Wei", request!.Name);
        Assert.Equal("ООО «Ромашка»", request.Company);
        Assert.Equal("Road 1\nBuilding 2", request.Address);
        Assert.Empty(persianErrors);
        Assert.Equal("می\u200cخواهم", persian.Name);
        Assert.Equal("👨\u200d👩\u200d👧 Family Ltd", persian.Company);
        Assert.Equal("fair", persian.Source);
    }

    [Fact]
    public void A_name_of_only_invisible_characters_is_missing()
    {
        var (_, errors) = Create(new CreateCustomerRequest("\ufeff\u200b\u200e", PoolId: "pool-1"));

        Assert.Equal(["'name' is required."], errors["name"]);
    }

    [Fact]
    public void Text_without_invisible_characters_is_answered_as_it_is()
    {
        // An import normalises a million rows: the common case allocates nothing.
        foreach (var text in new[] { "Acme Ltd", "杭州联合科技有限公司", "ООО «Ромашка»", "+7 912 345-67-89", "foo.bar@example.com", "𠀋 Ltd" })
        {
            Assert.Same(text, TextInput.WithoutFormatCharacters(text));
            Assert.Same(text, TextInput.WithoutInvisibleMarks(text));
        }

        Assert.Equal("a\u200cb\u200dc", TextInput.WithoutInvisibleMarks("a\u200cb\u200dc\u200b"));
        Assert.Equal("abc", TextInput.WithoutFormatCharacters("a\u200cb\u200dc\u200b"));
        // A lone surrogate is no format character: left as it is.
        Assert.Equal("a\ud800b", TextInput.WithoutFormatCharacters("a\ud800b\u00ad"));
    }

    [Fact]
    public void A_create_drops_control_characters_and_a_name_of_only_control_characters_is_missing()
    {
        var (request, errors) = Create(new CreateCustomerRequest("Li\nWei", "Acme\u001b Ltd", Address: "Road 1\u0000", Source: "fair\u0007", PoolId: "pool-1"));
        var (_, blank) = Create(new CreateCustomerRequest("\u0001\u0007", PoolId: "pool-1"));

        Assert.Empty(errors);
        Assert.Equal("Li Wei", request.Name);
        Assert.Equal("Acme Ltd", request.Company);
        Assert.Equal("Road 1", request.Address);
        Assert.Equal("fair", request.Source);
        Assert.Equal(["'name' is required."], blank["name"]);
    }
}
