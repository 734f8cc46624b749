using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Grains.CustomFields;
using Crm.Grains.Deals;
using Crm.Server.Api.Dedup;
using Crm.Tests.CustomFields;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Dedup;

/// <summary>
/// Customer custom fields in an import: columns headed by a field's key or one of its labels (or mapped by key) carry
/// values, converted from the cell's text to the field's type; a cell that is no such value rejects its row naming
/// <c>customFields.key</c>, and a required field is checked as <c>POST /api/customers</c> checks it. On the batched
/// importer (the shared server) and on the row-by-row one (a server of its own).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ImportCustomFieldsTests(ServerFixture fixture)
{
    [Fact]
    public Task A_batched_import_fills_custom_fields_from_their_columns() => ImportsCustomFieldsAsync(fixture.Server);

    [Fact]
    public async Task A_row_by_row_import_fills_custom_fields_from_their_columns()
    {
        using var data = new TempDirectory("crm-import-cf");
        await using var server = await ServerProcess.StartAsync(data.Path, new Dictionary<string, string> { ["Crm__Import__Batched"] = "false" });
        await ImportsCustomFieldsAsync(server);
    }

    private static async Task ImportsCustomFieldsAsync(ServerProcess server)
    {
        var world = await TestWorld.CreateAsync(server);
        var tag = Tag();
        var (industry, budget, tier, tags, since) = (CustomFieldKit.FreshKey("industry"), CustomFieldKit.FreshKey("budget"), CustomFieldKit.FreshKey("tier"),
            CustomFieldKit.FreshKey("tags"), CustomFieldKit.FreshKey("since"));
        var budgetLabel = $"年度预算{tag}";
        await DefineAsync(world, industry, new LocalizedName(En: $"Industry {tag}"), "text", required: true);
        try
        {
            await DefineAsync(world, budget, new LocalizedName(Zh: budgetLabel, En: $"Budget {tag}"), "number");
            await DefineAsync(world, tier, new LocalizedName(En: $"Tier {tag}"), "choice", options: ["gold", "silver"]);
            await DefineAsync(world, tags, new LocalizedName(En: $"Interests {tag}"), "multi-choice", options: ["erp", "crm", "bi"]);
            await DefineAsync(world, since, new LocalizedName(Zh: $"签约日期{tag}", Ru: $"Дата договора {tag}"), "date");

            // industry by its key (upper case), budget by its Chinese label with a required-column star, tier by its English
            // label, since by its Russian label, tags by a mapping naming its key; 备注 is no field and stays ignored.
            var csv = new StringBuilder($"company,{industry.ToUpperInvariant()},{budgetLabel}*,tier {tag},Дата договора {tag},Wishes,备注\n")
                .Append($"{Tag()} Alpha Ltd,Retail,\"1,234,567.5\",GOLD,2025/3/5,erp; bi,call later\n")
                .Append($"{Tag()} Beta Ltd,Banking,12abc,silver,2025-03-05,,\n")
                .Append($"{Tag()} Gamma Ltd,,,,,,\n")
                .Append($"{Tag()} Delta Ltd,Telecom,\"1 500,25\",,05.03.2025,crm,\n")
                .Append($"{Tag()} Epsilon Ltd,Mining,7,platinum,31/12/2025,sap,\n");

            var (status, body) = await ImportAsync(world, csv.ToString(), $$"""{"{{tags}}": "Wishes"}""");

            Assert.True(status == HttpStatusCode.OK, body);
            var report = JsonSerializer.Deserialize<ImportReport>(body, CrmApi.Json)!;
            Assert.Equal(["created", "rejected", "rejected", "created", "rejected"], report.Rows.Select(r => r.Status));
            Assert.Equal("Wishes", report.Columns[$"customFields.{tags}"]);
            Assert.Equal($"{budgetLabel}*", report.Columns[$"customFields.{budget}"]);

            // A bad number names its field and what was expected; a required field left empty answers as POST /api/customers does.
            var badNumber = report.Rows[1].Errors!;
            Assert.Equal([$"customFields.{budget}"], badNumber.Keys);
            Assert.Contains("not a number", badNumber[$"customFields.{budget}"].Single());
            Assert.Equal([$"'{industry}' is required."], report.Rows[2].Errors![$"customFields.{industry}"]);
            Assert.Equal(new[] { $"customFields.{tier}", $"customFields.{tags}", $"customFields.{since}" }.Order(), report.Rows[4].Errors!.Keys.Order());

            var alpha = (await world.Admin.GetCustomerAsync(report.Rows[0].CustomerId!.Value)).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.Equal(("Retail", "1234567.5", "gold", "2025-03-05"),
                (alpha.CustomFields.Text(industry), alpha.CustomFields.Text(budget), alpha.CustomFields.Text(tier), alpha.CustomFields.Text(since)));
            Assert.Equal(["erp", "bi"], alpha.CustomFields![tags].EnumerateArray().Select(e => e.GetString()));
            var delta = (await world.Admin.GetCustomerAsync(report.Rows[3].CustomerId!.Value)).EnsureStatus(HttpStatusCode.OK).Value!;
            Assert.Equal(("Telecom", "1500.25", null, "2025-03-05"),
                (delta.CustomFields.Text(industry), delta.CustomFields.Text(budget), delta.CustomFields.Text(tier), delta.CustomFields.Text(since)));
            Assert.Equal(["crm"], delta.CustomFields![tags].EnumerateArray().Select(e => e.GetString()));

            // A mapping naming neither a field nor a custom field is still a 400.
            var (unknown, unknownBody) = await ImportAsync(world, $"company\n{Tag()} Zeta Ltd\n", """{"nope": "company"}""");
            Assert.Equal(HttpStatusCode.BadRequest, unknown);
            Assert.Contains("mapping.nope", unknownBody);
        }
        finally
        {
            // Definitions are company-wide: a required one would hold back every other test's customers.
            await world.Admin.UndefineAsync("customer", industry);
        }
    }

    /// <summary>A field with labels of its own: the kit's 字段 label is every kit field's, so a column headed by it would be ambiguous.</summary>
    private static async Task DefineAsync(TestWorld world, string key, LocalizedName label, string type, bool required = false, IReadOnlyList<string>? options = null) =>
        (await world.Admin.SendAsync<CustomFieldDto>(HttpMethod.Post, "/api/custom-fields", new CustomFieldRequest("customer", key, label, type, required, options)))
            .EnsureStatus(HttpStatusCode.Created);

    /// <summary>Letters only, so that no dedup key of another test's customer matches it.</summary>
    private static string Tag() => string.Concat(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('g' + Convert.ToInt32(c.ToString(), 16))));

    private static async Task<(HttpStatusCode Status, string Body)> ImportAsync(TestWorld world, string csv, string? mapping)
    {
        using var http = new HttpClient { BaseAddress = world.Manager.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.Manager.Token);
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } };
        using var response = await http.PostAsync($"/api/customers/import?poolId={world.PoolId}" + (mapping is null ? "" : $"&mapping={Uri.EscapeDataString(mapping)}"), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Cells as spreadsheets hold them, read as custom field values (<see cref="Crm.Server.Api.Dedup.ImportCustomFields"/>).</summary>
public sealed class ImportCustomFieldCellsTests
{
    private static CustomFieldDefinition Field(CustomFieldType type, params string[] options) =>
        new(CustomFieldEntity.Customer, "f", new LocalizedText(null, "F", null), type, false, options, [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch);

    private static string? Read(CustomFieldDefinition field, string cell) =>
        ImportCustomFields.Convert(field, cell) is { Error: null } read ? read.Value.GetRawText() : null;

    [Theory]
    [InlineData("1234.5", "1234.5")]
    [InlineData("-7", "-7")]
    [InlineData("1,234,567.5", "1234567.5")]
    [InlineData("1 234 567,5", "1234567.5")]
    [InlineData("1\u00A0234,25", "1234.25")]
    [InlineData("12,5", "12.5")]
    [InlineData("１２３４", "1234")]
    [InlineData("1,234", null)]
    [InlineData("1.234.567", null)]
    [InlineData("12abc", null)]
    [InlineData("1.5E+12", null)]
    [InlineData("15%", null)]
    public void Numbers_are_read_when_unambiguous(string cell, string? expected) => Assert.Equal(expected, Read(Field(CustomFieldType.Number), cell));

    [Theory]
    [InlineData("2025-03-05", "\"2025-03-05\"")]
    [InlineData("2025/3/5", "\"2025-03-05\"")]
    [InlineData("05.03.2025", "\"2025-03-05\"")]
    [InlineData("2025年3月5日", "\"2025-03-05\"")]
    [InlineData("03/05/2025", null)]
    [InlineData("2025-02-30", null)]
    public void Dates_are_read_year_first_or_day_first_with_dots(string cell, string? expected) => Assert.Equal(expected, Read(Field(CustomFieldType.Date), cell));

    [Fact]
    public void Date_and_number_cells_of_an_xlsx_are_read_as_their_value()
    {
        using var file = new MemoryStream();
        MiniExcelLibs.MiniExcel.SaveAs(file, new[] { new Dictionary<string, object> { ["company"] = "Acme", ["since"] = new DateTime(2025, 3, 5), ["budget"] = 1234567.5 } });

        var (table, error) = ImportTable.Read(file.ToArray(), new ImportOptions());

        Assert.Null(error);
        var cells = table!.Rows.Single().Cells;
        Assert.Equal("\"2025-03-05\"", Read(Field(CustomFieldType.Date), cells["since"]!));
        Assert.Equal("1234567.5", Read(Field(CustomFieldType.Number), cells["budget"]!));
    }

    [Theory]
    [InlineData("Gold", "\"gold\"")]
    [InlineData("silver", "\"silver\"")]
    [InlineData("bronze", null)]
    public void A_choice_is_an_option_in_any_case(string cell, string? expected) => Assert.Equal(expected, Read(Field(CustomFieldType.Choice, "gold", "silver"), cell));

    [Theory]
    [InlineData("erp; BI", "[\"erp\",\"bi\"]")]
    [InlineData("bi，erp、erp", "[\"bi\",\"erp\"]")]
    [InlineData("a, b", "[\"a, b\"]")]
    [InlineData("erp;sap", null)]
    [InlineData(";", null)]
    public void Multiple_choices_are_separated_by_semicolons_or_commas(string cell, string? expected) =>
        Assert.Equal(expected, Read(Field(CustomFieldType.MultiChoice, "erp", "crm", "bi", "a, b"), cell));
}
