using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Dedup;

/// <summary>What the import endpoint answers for a file's encoding, media type and cells (the reading itself: <see cref="ImportFilesTests"/>).</summary>
[Collection(ServerCollection.Name)]
public sealed class ImportFilesApiTests(ServerFixture fixture)
{
    static ImportFilesApiTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Letters only, so that no search or dedup key of another test's customer matches it.</summary>
    private static string Tag() => string.Concat(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('g' + Convert.ToInt32(c.ToString(), 16))));

    [Fact]
    public async Task An_explicit_windows_1251_charset_is_honoured()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var company = $"ООО Ромашка {Tag()}";
        var file = Encoding.GetEncoding(1251).GetBytes($"Компания;Контакт\r\n{company};Иванов Иван\r\n");

        var (status, body) = await ImportAsync(world, new ByteArrayContent(file) { Headers = { ContentType = new("text/csv") { CharSet = "windows-1251" } } });

        Assert.Equal(HttpStatusCode.OK, status);
        var created = await world.Admin.GetCustomerAsync(Report(body).Rows.Single().CustomerId!.Value);
        Assert.Equal(company, created.Value!.Company);
        Assert.Equal("Иванов Иван", created.Value.Name);
    }

    [Fact]
    public async Task An_unknown_charset_is_refused_naming_it()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);

        var (status, body) = await ImportAsync(world, new ByteArrayContent("company\nAcme\n"u8.ToArray()) { Headers = { ContentType = new("text/csv") { CharSet = "koi8-x" } } });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("koi8-x", body);
    }

    [Fact]
    public async Task An_image_media_type_answers_415_naming_the_accepted_types()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);

        var (status, body) = await ImportAsync(world, new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { Headers = { ContentType = new("image/png") } });

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Contains("text/csv", JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_file_sent_as_curl_sends_it_by_default_is_imported_and_a_broken_form_is_a_400()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var company = $"Curl {Tag()} Ltd";

        // curl --data-binary @leads.csv labels the body application/x-www-form-urlencoded: it is the file, not a form.
        var (curled, curledBody) = await ImportAsync(world, new ByteArrayContent(Encoding.UTF8.GetBytes($"company\n{company}\n"))
            { Headers = { ContentType = new("application/x-www-form-urlencoded") } });
        // A form without its boundary, and one cut off after its first part's headers.
        var (noBoundary, _) = await ImportAsync(world, new ByteArrayContent("company\nAcme\n"u8.ToArray()) { Headers = { ContentType = new("multipart/form-data") } });
        var cutOff = new ByteArrayContent("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\ncompany\nAc"u8.ToArray());
        cutOff.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        var (cut, cutBody) = await ImportAsync(world, cutOff);

        Assert.Equal(HttpStatusCode.OK, curled);
        Assert.Equal(company, (await world.Admin.GetCustomerAsync(Report(curledBody).Rows.Single().CustomerId!.Value)).Value!.Company);
        Assert.Equal(HttpStatusCode.BadRequest, noBoundary);
        Assert.Equal(HttpStatusCode.BadRequest, cut);
        Assert.Contains("multipart form", cutBody);
    }

    [Fact]
    public async Task A_file_sent_as_a_multipart_form_is_imported()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"company,phone\nForm {Tag()} Ltd,\n")) { Headers = { ContentType = new("text/csv") } };

        var (status, body) = await ImportAsync(world, new MultipartFormDataContent { { file, "file", "customers.csv" } });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1, Report(body).Created);
    }

    [Fact]
    public async Task A_row_with_more_filled_cells_than_the_header_is_rejected_and_trailing_empty_cells_are_fine()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var (a, b) = (Tag(), Tag());
        var csv = $"company,address\n{a} Ltd,Omsk,Lenina 5\n{b} Ltd,Omsk,,\n";

        var (status, body) = await ImportAsync(world, new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } });

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = Report(body).Rows;
        Assert.Equal(("rejected", 2), (rows[0].Status, rows[0].Row));
        Assert.Contains("3 cells", string.Join(" ", rows[0].Errors!.Values.SelectMany(e => e)));
        Assert.Equal(("created", 3), (rows[1].Status, rows[1].Row));
    }

    [Fact]
    public async Task A_row_with_only_a_landline_keeps_it_when_mobile_and_landline_columns_both_give_the_phone()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var landline = "0571-8" + Random.Shared.Next(1_000_000, 9_999_999);
        var csv = $"公司名称,手机,电话\n{Tag()}有限公司,,{landline}\n";

        var (status, body) = await ImportAsync(world, new ByteArrayContent(Encoding.UTF8.GetBytes(csv)) { Headers = { ContentType = new("text/csv") } });

        Assert.Equal(HttpStatusCode.OK, status);
        var report = Report(body);
        Assert.Equal("手机", report.Columns["phone"]);
        var created = await world.Admin.GetCustomerAsync(report.Rows.Single().CustomerId!.Value);
        Assert.NotNull(created.Value!.Phone);
        Assert.EndsWith(landline[6..], created.Value.Phone);
    }

    [Fact]
    public async Task An_export_imports_again_as_the_same_data_phone_extensions_and_guarded_cells_included()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var tag = Tag();
        var csv = $"name,company,phone\nExt {tag},Extco {tag},+7 (495) 222-{Digits(tag)} доб. 12\n-Minus {tag},Minusco {tag},\n=Sum {tag},Sumco {tag},\n";
        var (status, body) = await ImportAsync(world, new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.All(Report(body).Rows, r => Assert.Equal("created", r.Status));

        var export = (await world.Manager.GetTextAsync("/api/customers/export?query=" + tag)).EnsureStatus(HttpStatusCode.OK).Body;
        Assert.Contains($",+7 (495) 222-{Digits(tag)} ext. 12,", export); // the server's own phone form is no formula
        Assert.Contains($",'-Minus {tag},", export);
        Assert.Contains($",'=Sum {tag},", export);

        // Into a pool that lets duplicates through: every row comes back as it was exported.
        var allowing = (await world.Admin.CreatePoolAsync($"Allow {tag}", world.OrgUnitId,
            new PoolRules { Dedup = new DedupRule(["identity-keys"], "allow") })).EnsureStatus(HttpStatusCode.Created).Value!;
        using var http = new HttpClient { BaseAddress = world.Manager.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.Manager.Token);
        using var again = await http.PostAsync($"/api/customers/import?poolId={allowing.Id}", new StringContent(export.TrimStart('\uFEFF'), Encoding.UTF8, "text/csv"));
        var reimported = Report(await again.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.All(reimported.Rows, r => Assert.Equal("created", r.Status));
        var names = new List<string>();
        foreach (var row in reimported.Rows)
        {
            var customer = (await world.Admin.GetCustomerAsync(row.CustomerId!.Value)).Value!;
            names.Add(customer.Name);
            if (customer.Name.StartsWith("Ext"))
            {
                Assert.Equal($"+7 (495) 222-{Digits(tag)} ext. 12", customer.Phone);
            }
        }

        Assert.Equal(new[] { $"-Minus {tag}", $"=Sum {tag}", $"Ext {tag}" }, names.Order());
    }

    /// <summary>Seven digits from a tag, as a phone's last part (xx-xx-xxx), so that no other test's phone matches it.</summary>
    private static string Digits(string tag)
    {
        var digits = string.Concat(tag.Select(c => (char)('0' + (c - 'g') % 10)));
        return $"{digits[..2]}-{digits[2..4]}";
    }

    private static async Task<(HttpStatusCode Status, string Body)> ImportAsync(TestWorld world, HttpContent content)
    {
        using var http = new HttpClient { BaseAddress = world.Manager.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.Manager.Token);
        using var response = await http.PostAsync($"/api/customers/import?poolId={world.PoolId}", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static ImportReport Report(string body) => JsonSerializer.Deserialize<ImportReport>(body, CrmApi.Json)!;
}
