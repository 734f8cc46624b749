using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Api;

/// <summary>
/// An enum in a query string is named as in a body: by its lower-case name (<c>?stage=lead</c>), whatever its case.
/// The framework bound it by the .NET name only (<c>Lead</c>) or its number: the documented <c>?stage=lead</c> was a 400.
/// A value that is no name, a number among them, is a 400 naming the parameter and the values it takes.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class EnumQueryTests(ServerFixture fixture)
{
    private static readonly PerServer<(TestWorld World, CustomerDto Lead, CustomerDto Won)> Scenes = new(async server =>
    {
        // A world of its own: its pool holds just these two.
        var world = await TestWorld.CreateAsync(server);
        var tag = Guid.NewGuid().ToString("N")[..6];
        var lead = await world.NewLeadAsync($"Lin Tao {tag}", $"Suzhou Lin {tag} Co., Ltd.", "+86 139 1000 0001");
        var won = await world.NewLeadAsync($"Chen Jie {tag}", $"Ningbo Chen {tag} Co., Ltd.", "+86 139 1000 0002");
        (await world.Admin.ChangeStageAsync(won.Id, Stage.Customer)).EnsureStatus(HttpStatusCode.OK);
        return (world, lead, won);
    });

    [Fact]
    public async Task A_lower_case_stage_filters_the_list_and_the_export()
    {
        var (world, lead, won) = await Scenes.ForAsync(fixture.Server);

        var leads = await world.Admin.SearchAsync($"poolId={world.PoolId}&stage=lead");
        var customers = await world.Admin.SearchAsync($"poolId={world.PoolId}&stage=customer");
        var export = await world.Admin.GetTextAsync($"/api/customers/export?poolId={world.PoolId}&stage=lead");

        Assert.Equal([lead.Id], leads.EnsureStatus(HttpStatusCode.OK).Value!.Items.Select(c => c.Id));
        Assert.Equal([won.Id], customers.EnsureStatus(HttpStatusCode.OK).Value!.Items.Select(c => c.Id));
        var rows = export.EnsureStatus(HttpStatusCode.OK).Value!.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.Equal([lead.Id.ToString()], rows.Select(r => r.Split(',')[0]));
    }

    [Theory]
    [InlineData("lead")]
    [InlineData("opportunity")]
    [InlineData("customer")]
    [InlineData("lost")]
    [InlineData("invalid")]
    [InlineData("Lead")] // what the .NET client sends
    [InlineData("CUSTOMER")]
    public async Task Every_stage_is_taken_by_name_whatever_its_case(string stage)
    {
        var (world, _, _) = await Scenes.ForAsync(fixture.Server);

        var list = await world.Admin.SearchAsync($"poolId={world.PoolId}&stage={stage}");
        var export = await world.Admin.GetTextAsync($"/api/customers/export?poolId={world.PoolId}&stage={stage}");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(HttpStatusCode.OK, export.Status);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("0")] // a number is no name, though .NET would take it
    [InlineData("4")]
    [InlineData("-1")]
    [InlineData("lead,customer")]
    [InlineData("%20lead")]
    [InlineData("lead&stage=customer")]
    [InlineData("")] // as an empty statusPool
    public async Task A_stage_that_is_no_name_is_a_400_naming_it_and_the_values_it_takes(string stage)
    {
        var (world, _, _) = await Scenes.ForAsync(fixture.Server);

        var list = await world.Admin.SearchAsync($"poolId={world.PoolId}&stage={stage}");
        var export = await world.Admin.GetTextAsync($"/api/customers/export?poolId={world.PoolId}&stage={stage}");

        foreach (var response in new[] { (list.Status, list.ErrorFields, list.Body), (export.Status, export.ErrorFields, export.Body) })
        {
            Assert.True(response.Status == HttpStatusCode.BadRequest, $"{(int)response.Status}: {response.Body}");
            Assert.Equal(["stage"], response.ErrorFields);
            Assert.Contains("lead, opportunity, customer, lost, invalid", response.Body);
        }
    }

    public static TheoryData<string, string?> OtherEnumQueries => new()
    {
        { "/api/customers?statusPool=nurturing", null },
        { "/api/customers?statusPool=SUCCESS", null },
        { "/api/customers?statusPool=-1", "statusPool" }, // was taken: a number for no status pool
        { "/api/customers?statusPool=nurturing,success", "statusPool" }, // was taken as success
        { "/api/customers/nearby?lat=30&lon=120&scope=mine", null },
        { "/api/customers/nearby?lat=30&lon=120&scope=Team", null },
        { "/api/customers/nearby?lat=30&lon=120&scope=-1", "scope" },
        { "/api/customers/nearby?lat=30&lon=120&scope=everyone", "scope" },
    };

    [Theory]
    [MemberData(nameof(OtherEnumQueries))]
    public async Task The_other_enum_queries_take_names_only_too(string path, string? refused)
    {
        var (world, _, _) = await Scenes.ForAsync(fixture.Server);

        var response = await world.RepA.GetAsync(path);

        if (refused is null)
        {
            response.EnsureStatus(HttpStatusCode.OK);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal([refused], response.ErrorFields);
        Assert.Contains(refused == "scope" ? "all, mine, public, team" : "nurturing, success, failure, invalid", response.Body);
    }

    /// <summary>
    /// Every query parameter the OpenAPI document gives as an enum, on every GET route: its names are taken in any case,
    /// and a number is refused naming it and its names. A route with another enum in its query is covered without a word.
    /// </summary>
    [Fact]
    public async Task Every_enum_in_a_query_of_the_api_document_is_taken_by_name_and_not_by_number()
    {
        var (world, _, _) = await Scenes.ForAsync(fixture.Server);
        var document = (await world.Admin.GetAsync("/openapi/v1.json")).EnsureStatus(HttpStatusCode.OK).Value;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var probed = new List<string>();
        var wrong = new List<string>();

        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out var get) || !get.TryGetProperty("parameters", out var parameters))
            {
                continue;
            }

            // Route values as their constraints want them ({index:int} would not match a guid, and routing would answer 404).
            var route = Regex.Replace(path.Name, "{[^}]+}", m => m.Value.EndsWith(":int}") || m.Value == "{index}" ? "0" : Guid.NewGuid().ToString());
            foreach (var parameter in parameters.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "query"))
            {
                if (EnumOf(parameter.GetProperty("schema"), schemas) is not { Count: > 0 } names)
                {
                    continue;
                }

                var name = parameter.GetProperty("name").GetString()!;
                probed.Add($"{path.Name}?{name}");
                // As text: some answer CSV.
                var byName = await world.Admin.GetTextAsync($"{route}?{name}={names[^1].ToUpperInvariant()}");
                var byNumber = await world.Admin.GetTextAsync($"{route}?{name}=0");
                if (byName.Status == HttpStatusCode.InternalServerError || byName.ErrorFields.Contains(name))
                {
                    wrong.Add($"{path.Name}?{name}={names[^1].ToUpperInvariant()}: {(int)byName.Status} {byName.Body}");
                }

                if (byNumber.Status != HttpStatusCode.BadRequest || !byNumber.ErrorFields.SequenceEqual([name]) || !byNumber.Body.Contains(string.Join(", ", names)))
                {
                    wrong.Add($"{path.Name}?{name}=0: {(int)byNumber.Status} {byNumber.Body}");
                }
            }
        }

        Assert.Contains("/api/customers?stage", probed);
        Assert.Contains("/api/customers/export?stage", probed);
        Assert.Contains("/api/customers?statusPool", probed);
        Assert.Contains("/api/customers/nearby?scope", probed);
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    /// <summary>The names of an enum schema (behind a reference, or one of a nullable's choices); null when it is none.</summary>
    private static List<string>? EnumOf(JsonElement schema, JsonElement schemas)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            return EnumOf(schemas.GetProperty(reference.GetString()!.Split('/')[^1]), schemas);
        }

        if (schema.TryGetProperty("enum", out var values))
        {
            return values.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String).Select(v => v.GetString()!).ToList();
        }

        foreach (var choices in new[] { "oneOf", "anyOf" })
        {
            if (schema.TryGetProperty(choices, out var options))
            {
                return options.EnumerateArray().Select(o => EnumOf(o, schemas)).FirstOrDefault(e => e is { Count: > 0 });
            }
        }

        return null;
    }
}
