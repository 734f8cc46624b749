using System.Net;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Api;

/// <summary>
/// Bad input gets a clear answer and never a 500: malformed bodies, missing or malformed fields, unknown
/// ids, no token, the wrong role. Every answer is ProblemDetails.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture fixture)
{
    private ServerProcess Server => fixture.Server;

    public static TheoryData<string, string, string> MalformedBodies => new()
    {
        { "POST", "/api/auth/token", "{\"userName\": " },
        { "POST", "/api/org-units", "[1,2" },
        { "POST", "/api/users", "{\"role\": \"emperor\"}" },
        { "POST", "/api/pools", "{\"name\": 5, " },
        { "POST", "/api/customers", "not json" },
        { "POST", "/api/customers/{customer}/follow-ups", "{\"type\": \"fax\", \"outcome\": \"sent\"}" },
        { "POST", "/api/customers/{customer}/stage", "{\"stage\": \"winner\"}" },
        { "POST", "/api/customers/{customer}/assign", "{\"repId\": [] }" },
        { "PUT", "/api/pools/{pool}/rules", "{\"capacityPerRep\": \"many\"}" },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_body_is_a_400_problem_not_a_500(string method, string path, string body)
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync();

        var response = await world.Admin.SendAsync<object>(new HttpMethod(method), Fill(path, world, lead.Id), body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.True(response.Problem.HasValue, $"expected ProblemDetails, got: {response.Body}");
        Assert.Equal(400, response.Problem!.Value.GetProperty("status").GetInt32());
        Assert.DoesNotContain("System.", response.Body);
    }

    [Fact]
    public async Task A_refusal_gives_its_limits_as_json_numbers()
    {
        var world = await TestWorld.CreateAsync(Server, new PoolRules { CapacityPerRep = 2, ClaimsPerRepPerDay = 1 });
        var leads = new List<CustomerDto>();
        for (var i = 0; i < 3; i++)
        {
            leads.Add(await world.NewLeadAsync($"Limit Lead {i}", $"Limit Test {i} Co., Ltd.", $"+86 139 2222 000{i}"));
        }

        (await world.RepA.ClaimAsync(leads[0].Id)).EnsureStatus(HttpStatusCode.OK);
        var overDailyLimit = await world.RepA.ClaimAsync(leads[1].Id);
        (await world.Manager.AssignAsync(leads[1].Id, world.RepA.UserId)).EnsureStatus(HttpStatusCode.OK); // an assignment is no claim
        var overCapacity = await world.RepA.ClaimAsync(leads[2].Id);

        Assert.Equal("claim-limit", overDailyLimit.EnsureStatus(HttpStatusCode.Conflict).Code);
        Assert.Equal(1, overDailyLimit.Problem!.Value.GetProperty("limit").GetInt32());
        Assert.Equal(world.RepA.UserId, overDailyLimit.Problem!.Value.GetProperty("repId").GetString());
        Assert.Equal("capacity-full", overCapacity.EnsureStatus(HttpStatusCode.Conflict).Code);
        Assert.Equal(2, overCapacity.Problem!.Value.GetProperty("capacity").GetInt32());
    }

    [Fact]
    public async Task A_missing_body_or_one_of_another_shape_says_so_without_naming_code()
    {
        var world = await fixture.SharedWorldAsync();

        var missing = await world.Admin.SendAsync<object>(HttpMethod.Post, "/api/org-units", null);
        Assert.Equal(HttpStatusCode.BadRequest, missing.Status);
        Assert.Contains("takes a JSON body", missing.Problem!.Value.GetProperty("detail").GetString());
        Assert.Empty(missing.ErrorFields); // not the handler's parameter name

        var list = await world.Admin.SendAsync<object>(HttpMethod.Post, "/api/org-units", "[1, 2]");
        Assert.Equal(HttpStatusCode.BadRequest, list.Status);
        Assert.Contains("another shape", list.Problem!.Value.GetProperty("detail").GetString());
    }

    /// <summary>
    /// A value the field's type does not take (an enum's unknown value, a string for a number, a query value that is not a
    /// boolean or a date) never reaches the handler: the answer names the field all the same.
    /// </summary>
    public static TheoryData<string, string, string, string> UnreadableFields => new()
    {
        { "POST", "/api/customers/{customer}/follow-ups", "{\"type\": \"fax\", \"outcome\": \"sent\"}", "type" },
        { "POST", "/api/users", "{\"role\": \"emperor\"}", "role" },
        // Enums take their names only: a number (even one that names no member) is no value.
        { "POST", "/api/customers/{customer}/follow-ups", "{\"type\": 9, \"outcome\": \"sent\"}", "type" },
        { "POST", "/api/customers/{customer}/stage", "{\"stage\": 2}", "stage" },
        // Nor a list of names: "lead, customer" would be read as the two values OR-ed together, a stage of neither.
        { "POST", "/api/customers/{customer}/stage", "{\"stage\": \"lead, customer\"}", "stage" },
        { "POST", "/api/customers/{customer}/follow-ups", "{\"type\": \"call,visit\", \"outcome\": \"sent\"}", "type" },
        { "POST", "/api/customers/{customer}/stage", "{\"stage\": \" lead\"}", "stage" },
        { "PUT", "/api/pools/{pool}/rules", "{\"capacityPerRep\": \"many\"}", "capacityPerRep" },
        { "POST", "/api/pools", "{\"name\": \"P\", \"rules\": {\"warnDaysBefore\": [\"soon\"]}}", "rules.warnDaysBefore[0]" },
        { "GET", "/api/receivables?overdue=maybe", "", "overdue" },
        { "GET", "/api/receivables?dueBefore=someday", "", "dueBefore" },
        // Members the plugin SDK's types declare required: named like any missing field, not "not valid JSON".
        { "POST", "/api/plugins/assignment/round-robin/trial", "{}", "lead" },
        { "POST", "/api/plugins/assignment/round-robin/trial",
            "{\"lead\":{\"id\":\"1\",\"name\":\"x\"},\"candidates\":[{}],\"pool\":{\"poolId\":\"e\"},\"now\":\"2026-03-02T09:00:00Z\"}", "candidates[0].repId" },
    };

    [Theory]
    [MemberData(nameof(UnreadableFields))]
    public async Task A_value_of_the_wrong_type_is_a_400_naming_its_field(string method, string path, string body, string field)
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync();

        var response = await world.Admin.SendAsync<object>(new HttpMethod(method), Fill(path, world, lead.Id), body == "" ? null : body);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal([field], response.ErrorFields);
        Assert.DoesNotContain("System.", response.Body); // no .NET type names
    }

    public static TheoryData<string, string, object, string[]> MissingOrBadFields => new()
    {
        { "POST", "/api/auth/token", new { userName = "" }, ["userName", "password"] },
        { "POST", "/api/org-units", new { name = " " }, ["name"] },
        { "POST", "/api/users", new { userName = "a b", password = "short", role = "rep" }, ["userName", "password", "displayName", "orgUnitId"] },
        { "POST", "/api/pools", new { rules = new { warnDaysBefore = new[] { 0 } } }, ["name", "orgUnitId", "rules.warnDaysBefore"] },
        // Out-of-range numbers are refused by their documented bounds before anything else is checked (Api/InputBoundsTests).
        { "POST", "/api/pools", new { name = "P", rules = new { capacityPerRep = 0, reclaimProtectionDays = -1 } }, ["rules.capacityPerRep", "rules.reclaimProtectionDays"] },
        { "POST", "/api/pools", new { name = "P", orgUnitId = "no-such-unit" }, ["orgUnitId"] },
        { "POST", "/api/customers", new { phone = "call me", email = "a@b" }, ["name", "poolId", "phone", "email"] },
        { "POST", "/api/customers", new { name = "X", poolId = "no-such-pool" }, ["poolId"] },
        { "POST", "/api/customers", new { name = "X", poolId = "{pool}", ownerId = "no-such-rep" }, ["ownerId"] },
        { "POST", "/api/customers/{customer}/follow-ups", new { text = "hello" }, ["type", "outcome"] },
        { "POST", "/api/customers/{customer}/stage", new { reason = "?" }, ["stage"] },
        { "POST", "/api/customers/{customer}/stage", new { stage = "customer" , reason = "" }, [] },
        { "POST", "/api/customers/{customer}/stage", new { stage = "invalid" }, ["reason"] },
        { "POST", "/api/customers/{customer}/assign", new { repId = "" }, ["repId"] },
        { "POST", "/api/customers/{customer}/assign", new { repId = "no-such-rep" }, ["repId"] },
        { "PUT", "/api/pools/{pool}/rules", new { recycleAfterDaysWithoutFollowUp = 3, warnDaysBefore = new[] { 5 } }, ["rules.warnDaysBefore"] },
        { "GET", "/api/customers?page=0&pageSize=501", null!, ["page", "pageSize"] },
        // A page whose offset overflowed an int: a 500 on PostgreSQL, another page on SQLite.
        { "GET", "/api/customers?page=2147483647&pageSize=500", null!, ["page"] },
        { "GET", "/api/notifications?page=1000001", null!, ["page"] },
    };

    [Theory]
    [MemberData(nameof(MissingOrBadFields))]
    public async Task Missing_or_malformed_fields_are_named_in_a_400(string method, string path, object? body, string[] fields)
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync();
        if (body is not null)
        {
            body = System.Text.Json.JsonSerializer.Serialize(body, CrmApi.Json).Replace("{pool}", world.PoolId);
        }

        var response = await world.Admin.SendAsync<object>(new HttpMethod(method), Fill(path, world, lead.Id), body);

        if (fields.Length == 0)
        {
            Assert.True(response.Status is HttpStatusCode.OK or HttpStatusCode.Created, response.Body);
            return;
        }

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal(fields.Order(), response.ErrorFields.Order());
    }

    public static TheoryData<string, string> ProtectedRoutes => new()
    {
        { "GET", "/api/org-units" },
        { "POST", "/api/org-units" },
        { "GET", "/api/users" },
        { "POST", "/api/users" },
        { "GET", "/api/pools" },
        { "POST", "/api/pools" },
        { "GET", "/api/pools/{pool}" },
        { "PUT", "/api/pools/{pool}/rules" },
        { "GET", "/api/pools/{pool}/customers" },
        { "GET", "/api/customers" },
        { "POST", "/api/customers" },
        { "GET", "/api/customers/{customer}" },
        { "GET", "/api/customers/{customer}/timeline" },
        { "POST", "/api/customers/{customer}/claim" },
        { "POST", "/api/customers/{customer}/release" },
        { "POST", "/api/customers/{customer}/assign" },
        { "POST", "/api/customers/{customer}/follow-ups" },
        { "POST", "/api/customers/{customer}/stage" },
        { "GET", "/api/reps/{rep}/customers" },
        { "POST", "/api/admin/projections/rebuild" },
        { "GET", "/api/admin/dedup/status" },
    };

    [Theory]
    [MemberData(nameof(ProtectedRoutes))]
    public async Task Without_a_token_every_route_answers_401(string method, string path)
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync();

        var response = await Server.Api().SendAsync<object>(new HttpMethod(method), Fill(path, world, lead.Id), "{}");

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Equal(ErrorCodes.Unauthorized, response.Code);
    }

    public static TheoryData<string, string> ManagerOrAdminRoutes => new()
    {
        { "POST", "/api/org-units" },
        { "GET", "/api/users" },
        { "POST", "/api/users" },
        { "POST", "/api/pools" },
        { "PUT", "/api/pools/{pool}/rules" },
        { "POST", "/api/customers/{customer}/assign" },
        { "POST", "/api/admin/projections/rebuild" },
        { "POST", "/api/admin/dedup/reindex" },
    };

    [Theory]
    [MemberData(nameof(ManagerOrAdminRoutes))]
    public async Task A_rep_is_refused_manager_and_admin_routes_with_403(string method, string path)
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync();

        var response = await world.RepA.SendAsync<object>(new HttpMethod(method), Fill(path, world, lead.Id), "{}");

        Assert.Equal(HttpStatusCode.Forbidden, response.Status);
        Assert.Equal(ErrorCodes.Forbidden, response.Code);
    }

    [Fact]
    public async Task Unknown_ids_answer_404_problems()
    {
        var world = await fixture.SharedWorldAsync();
        var missing = Guid.NewGuid();

        var claim = await world.RepA.ClaimAsync(missing);
        var answers = new[]
        {
            await world.Admin.GetAsync($"/api/customers/{missing}"),
            await world.Admin.GetAsync($"/api/customers/{missing}/timeline"),
            await world.Admin.GetAsync("/api/pools/no-such-pool"),
            await world.Admin.GetAsync("/api/pools/no-such-pool/customers"),
            // An id that is no GUID matches no customer route: the framework's 404, with the code a client switches on.
            await world.Admin.GetAsync("/api/customers/not-a-guid"),
            await world.Admin.GetAsync("/api/customers/12345/timeline"),
            await world.Admin.GetAsync("/api/no-such-route"),
        }.Select(r => (r.Status, r.Code)).Append((claim.Status, claim.Code));

        Assert.All(answers, answer => Assert.Equal((HttpStatusCode.NotFound, "not-found"), answer));
    }

    [Fact]
    public async Task A_method_a_route_does_not_take_answers_405_with_its_code()
    {
        var world = await fixture.SharedWorldAsync();

        var response = await world.Admin.SendAsync<object>(HttpMethod.Delete, "/api/org-units", null);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.Status);
        Assert.Equal(ErrorCodes.MethodNotAllowed, response.Code);
    }

    [Fact]
    public async Task Wrong_credentials_answer_401_and_a_taken_user_name_409()
    {
        var world = await fixture.SharedWorldAsync();

        var login = await Server.Api().SendAsync<object>(HttpMethod.Post, "/api/auth/token", new TokenRequest("admin", "wrong"));
        var again = await world.Admin.CreateUserAsync("ADMIN", Role.Rep, world.OrgUnitId);

        Assert.Equal(HttpStatusCode.Unauthorized, login.Status);
        Assert.Equal(HttpStatusCode.Conflict, again.Status);
        Assert.Equal("user-exists", again.Code);
    }

    [Fact]
    public async Task A_user_name_differing_only_by_full_width_forms_is_taken_and_signs_in_the_same_user()
    {
        var world = await fixture.SharedWorldAsync();
        var ascii = $"wang{Guid.NewGuid():N}"[..16];
        var fullWidth = new string(ascii.Select(c => (char)(c + 0xFEE0)).ToArray()); // 'w' → 'ｗ', '7' → '７'

        var created = await world.Admin.CreateUserAsync(fullWidth, Role.Rep, world.OrgUnitId);
        var lookalike = await world.Admin.CreateUserAsync(ascii, Role.Rep, world.OrgUnitId);
        var signIn = await Server.Api().SendAsync<TokenResponse>(HttpMethod.Post, "/api/auth/token", new TokenRequest(ascii.ToUpperInvariant(), "rep-Passw0rd!"));

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal((HttpStatusCode.Conflict, "user-exists"), (lookalike.Status, lookalike.Code));
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
    }

    private static string Fill(string path, TestWorld world, Guid customer) => path
        .Replace("{customer}", customer.ToString())
        .Replace("{pool}", world.PoolId)
        .Replace("{rep}", world.RepA.UserId);
}
