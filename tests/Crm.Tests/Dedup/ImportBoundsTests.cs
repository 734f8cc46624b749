using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Dedup;

/// <summary>
/// What one import may cost the server (<c>Crm:Import</c>, defaults): 20 MB of file, 100 000 rows, an XLSX of at most
/// 100 parts that decompresses to at most 200 MB. A zip bomb is refused before it is parsed and the server's memory
/// stays where it was.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ImportBoundsTests(ServerFixture fixture)
{
    private const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    [Fact]
    public async Task A_small_xlsx_that_decompresses_to_300_megabytes_is_refused_and_the_servers_memory_stays_flat()
    {
        var world = await fixture.SharedWorldAsync();
        var bomb = Workbook(sheetPadding: 300L * 1024 * 1024);
        Assert.True(bomb.Length < 2 * 1024 * 1024, $"The bomb is {bomb.Length} bytes.");
        var before = ResidentBytes();

        var (status, body) = await ImportAsync(world, bomb, Xlsx);

        var grown = ResidentBytes() - before;
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("decompresses to more than", Errors(body)["file"]);
        Assert.True(grown < 100L * 1024 * 1024, $"The server grew by {grown / 1024 / 1024} MB reading a bomb.");
    }

    [Fact]
    public async Task A_workbook_of_too_many_parts_is_refused()
    {
        var world = await fixture.SharedWorldAsync();

        var (status, body) = await ImportAsync(world, Workbook(sheetPadding: 0, extraParts: 101), Xlsx);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("parts", Errors(body)["file"]);
    }

    [Fact]
    public async Task A_file_of_more_than_100000_rows_is_refused_and_nothing_of_it_is_imported()
    {
        var world = await fixture.SharedWorldAsync();
        // Letters only: a search text with three or more digits also matches phone numbers containing them, and the
        // shared world's customers have thousands of phones (a hex tag with digits found one now and then).
        var tag = string.Concat(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('g' + Convert.ToInt32(c.ToString(), 16))));
        var csv = new StringBuilder("name\n");
        for (var i = 0; i <= 100_000; i++)
        {
            csv.Append("Row ").Append(tag).Append(' ').Append(i).Append('\n');
        }

        var (status, body) = await ImportAsync(world, Encoding.UTF8.GetBytes(csv.ToString()), "text/csv");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("more than 100000 rows", Errors(body)["file"]);
        Assert.Equal(0, (await world.Admin.SearchAsync($"query={tag}")).Value!.Total);
    }

    [Fact]
    public async Task A_file_larger_than_20_megabytes_answers_413()
    {
        var world = await fixture.SharedWorldAsync();

        var (status, body) = await ImportAsync(world, new byte[20 * 1024 * 1024 + 1], "text/csv");

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("too-large", JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }

    private static async Task<(HttpStatusCode Status, string Body)> ImportAsync(TestWorld world, byte[] file, string contentType)
    {
        using var http = new HttpClient { BaseAddress = world.Admin.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", world.Admin.Token);
        var content = new ByteArrayContent(file);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await http.PostAsync($"/api/customers/import?poolId={world.PoolId}", content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Dictionary<string, string> Errors(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("errors").EnumerateObject().ToDictionary(e => e.Name, e => string.Join(" ", e.Value.EnumerateArray().Select(m => m.GetString())));

    /// <summary>The server's resident memory now (Linux /proc), after a collection so that garbage does not count.</summary>
    private long ResidentBytes()
    {
        var line = File.ReadLines($"/proc/{fixture.Server.ProcessId}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    /// <summary>A minimal XLSX whose sheet carries <paramref name="sheetPadding"/> bytes of whitespace (deflates about 1000:1).</summary>
    private static byte[] Workbook(long sheetPadding, int extraParts = 0)
    {
        using var file = new MemoryStream();
        using (var zip = new ZipArchive(file, ZipArchiveMode.Create, leaveOpen: true))
        {
            TestWorkbooks.WritePackage(zip);
            var sheet = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.SmallestSize);
            using (var stream = sheet.Open())
            {
                stream.Write(Encoding.UTF8.GetBytes("""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>"""));
                var spaces = new byte[1024 * 1024];
                Array.Fill(spaces, (byte)' ');
                for (var written = 0L; written < sheetPadding; written += spaces.Length)
                {
                    stream.Write(spaces);
                }

                stream.Write(Encoding.UTF8.GetBytes("</sheetData></worksheet>"));
            }

            for (var i = 0; i < extraParts; i++)
            {
                TestWorkbooks.Write(zip, $"xl/media/extra{i}.xml", "<x/>");
            }
        }

        return file.ToArray();
    }

}
