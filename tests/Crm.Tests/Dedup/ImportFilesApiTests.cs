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

    private static async Task<(HttpStatusCode Status, string Body)> ImportAsync(TestWorld world, HttpContent content)
    {
        using var http = new HttpClient { BaseAddress = world.Manager.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.Manager.Token);
        using var response = await http.PostAsync($"/api/customers/import?poolId={world.PoolId}", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static ImportReport Report(string body) => JsonSerializer.Deserialize<ImportReport>(body, CrmApi.Json)!;
}
