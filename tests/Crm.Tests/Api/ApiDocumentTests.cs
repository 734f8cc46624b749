using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Api;

/// <summary>
/// The OpenAPI document as a client generator reads it: the answers a route really gives are listed, with the
/// ProblemDetails (and its <c>code</c>) of each refusal, so a generated client can tell <c>already-owned</c> from
/// <c>capacity-full</c> instead of throwing "unexpected status".
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ApiDocumentTests(ServerFixture fixture)
{
    private static readonly string[] Commands = ["post", "put", "patch", "delete"];

    [Fact]
    public async Task Every_api_route_lists_its_refusals_as_problem_details_with_a_code()
    {
        var document = (await fixture.Server.Api().GetAsync("/openapi/v1.json")).EnsureStatus(HttpStatusCode.OK).Value;
        var missing = new List<string>();
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var responses = operation.Value.GetProperty("responses");
                var expected = new List<string> { "503", "default" };
                if (!path.Name.StartsWith("/api/auth/", StringComparison.Ordinal))
                {
                    expected.Add("401");
                }

                if (path.Name.Contains('{'))
                {
                    expected.Add("404");
                }

                if (Commands.Contains(operation.Name))
                {
                    expected.AddRange(["409", "422"]);
                }

                foreach (var status in expected)
                {
                    if (!responses.TryGetProperty(status, out var response) || !HasCode(response, document))
                    {
                        missing.Add($"{operation.Name.ToUpperInvariant()} {path.Name} {status}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, $"{missing.Count} refusals not documented as ProblemDetails with a code:\n  {string.Join("\n  ", missing.Take(40))}");
    }

    [Fact]
    public async Task A_refusal_the_server_answers_is_one_the_document_lists_for_that_route()
    {
        var world = await fixture.SharedWorldAsync();
        var document = (await world.Admin.GetAsync("/openapi/v1.json")).EnsureStatus(HttpStatusCode.OK).Value;
        var lead = await world.NewLeadAsync();
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        var taken = await world.RepB.ClaimAsync(lead.Id);
        var unknown = await world.Admin.GetCustomerAsync(Guid.NewGuid());

        Assert.Equal((HttpStatusCode.Conflict, "already-owned"), (taken.Status, taken.Code));
        Assert.True(Lists(document, "post", "/api/customers/{id}/claim", "409"), "POST /api/customers/{id}/claim does not list its 409");
        Assert.Equal((HttpStatusCode.NotFound, "not-found"), (unknown.Status, unknown.Code));
        Assert.True(Lists(document, "get", "/api/customers/{id}", "404"), "GET /api/customers/{id} does not list its 404");
    }

    [Fact]
    public async Task A_route_that_answers_a_file_lists_its_200_and_content_type()
    {
        var document = (await fixture.Server.Api().GetAsync("/openapi/v1.json")).EnsureStatus(HttpStatusCode.OK).Value;
        var paths = document.GetProperty("paths");

        foreach (var path in new[] { "/api/customers/export", "/api/reports/funnel/export", "/api/leaderboards/export", "/api/files/{id}" })
        {
            Assert.True(paths.GetProperty(path).GetProperty("get").GetProperty("responses").TryGetProperty("200", out var ok), $"GET {path} lists no 200");
            Assert.True(ok.TryGetProperty("content", out var content) && content.EnumerateObject().Any(), $"GET {path}: its 200 names no content type");
        }

        var csv = paths.GetProperty("/api/customers/export").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content");
        Assert.True(csv.TryGetProperty("text/csv", out _), csv.ToString());
    }

    /// <summary>A timeline entry's <c>data</c> holds nulls (a follow-up without a location): a strict generated client must expect them.</summary>
    [Fact]
    public async Task A_map_whose_values_may_be_null_says_so()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync();
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);
        var entry = (await world.RepA.SendAsync<JsonElement>(HttpMethod.Post, $"/api/customers/{lead.Id}/follow-ups",
            new { type = "call", outcome = "no answer" })).EnsureStatus(HttpStatusCode.Created).Value;
        Assert.Equal(JsonValueKind.Null, entry.GetProperty("data").GetProperty("location").ValueKind);

        var document = (await world.Admin.GetAsync("/openapi/v1.json")).EnsureStatus(HttpStatusCode.OK).Value;
        var values = document.GetProperty("components").GetProperty("schemas").GetProperty("TimelineEntryDto")
            .GetProperty("properties").GetProperty("data").GetProperty("additionalProperties");

        var type = values.GetProperty("type");
        var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()).ToList() : [type.GetString()];
        Assert.Contains("null", types);
    }

    /// <summary>
    /// A generated client makes a field optional unless the document says it is required: every field a command refuses
    /// as missing must be listed as required in its body's schema. Each command with a JSON body is sent an empty object by
    /// a manager of a world of its own (its ids in the path), and each field its 400 says is required is looked up.
    /// </summary>
    [Fact]
    public async Task Every_field_a_command_refuses_as_missing_is_required_in_the_document()
    {
        var world = await TestWorld.CreateAsync(fixture.Server);
        var lead = await world.NewLeadAsync("Required Fields", "Required Fields Co., Ltd.", "+86 139 3333 0001");
        var document = (await world.Admin.GetAsync("/openapi/v1.json")).EnsureStatus(HttpStatusCode.OK).Value;
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var missing = new List<string>();
        var checkedFields = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/api/", StringComparison.Ordinal)))
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Commands.Contains(o.Name)))
            {
                if (!operation.Value.TryGetProperty("requestBody", out var body) || !body.GetProperty("content").TryGetProperty("application/json", out var json)
                    || !json.GetProperty("schema").TryGetProperty("$ref", out var reference))
                {
                    continue;
                }

                var schema = schemas.GetProperty(reference.GetString()!.Split('/')[^1]);
                var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()).ToHashSet() : [];
                var url = IdsOf(path.Name, world, lead.Id);
                var answer = await world.Manager.SendAsync<JsonElement>(new HttpMethod(operation.Name.ToUpperInvariant()), url, "{}");
                if (answer.Status != HttpStatusCode.BadRequest || answer.Problem is not { } problem || !problem.TryGetProperty("errors", out var errors))
                {
                    continue;
                }

                foreach (var error in errors.EnumerateObject().Where(e => e.Value.EnumerateArray().Any(m => m.GetString()!.Contains("required", StringComparison.OrdinalIgnoreCase))))
                {
                    if (!schema.GetProperty("properties").TryGetProperty(error.Name, out _))
                    {
                        continue; // a nested field or a choice between fields ("one of a or b is required"): not a property to mark
                    }

                    checkedFields++;
                    if (!required.Contains(error.Name))
                    {
                        missing.Add($"{operation.Name.ToUpperInvariant()} {path.Name}: {error.Name}");
                    }
                }
            }
        }

        Assert.True(checkedFields > 20, $"only {checkedFields} required fields were checked");
        Assert.True(missing.Count == 0, $"{missing.Count} fields refused as missing but optional in the document:\n  {string.Join("\n  ", missing)}");
    }

    /// <summary>A route's path with the world's ids in it (a customer's, the pool's, the rep's); any other id a fresh one.</summary>
    private static string IdsOf(string path, TestWorld world, Guid customer)
    {
        var id = path.StartsWith("/api/customers/", StringComparison.Ordinal) ? customer.ToString()
            : path.StartsWith("/api/pools/", StringComparison.Ordinal) ? world.PoolId
            : path.StartsWith("/api/reps/", StringComparison.Ordinal) || path.StartsWith("/api/users/", StringComparison.Ordinal) ? world.RepA.UserId
            : path.StartsWith("/api/org-units/", StringComparison.Ordinal) ? world.OrgUnitId
            : Guid.NewGuid().ToString();
        return System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", id);
    }

    private static bool Lists(JsonElement document, string method, string path, string status) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("responses").TryGetProperty(status, out var response)
        && HasCode(response, document);

    /// <summary>The response is ProblemDetails whose schema (or the component it refers to) has <c>code</c>.</summary>
    private static bool HasCode(JsonElement response, JsonElement document)
    {
        if (!response.TryGetProperty("content", out var content) || !content.TryGetProperty("application/problem+json", out var media)
            || !media.TryGetProperty("schema", out var schema))
        {
            return false;
        }

        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        return schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty("code", out _);
    }
}
