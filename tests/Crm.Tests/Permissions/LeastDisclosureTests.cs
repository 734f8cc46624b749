using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Contracts;
using Crm.Tests.Deals;
using Crm.Tests.Infrastructure;
using Crm.Tests.Notes;

namespace Crm.Tests.Permissions;

/// <summary>
/// Refusals and lookups tell a caller no more than it may see: a rep refused a claim is not told who owns the
/// customer, a duplicate in another unit is named by id only, managers see no plugin paths or exception texts, a customer,
/// deal or contract out of reach answers every command as an unknown id does.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LeastDisclosureTests(ServerFixture fixture)
{
    [Fact]
    public async Task A_rep_refused_a_claim_is_not_told_who_owns_the_customer()
    {
        var world = await fixture.SharedWorldAsync();
        var lead = await world.NewLeadAsync("Owned elsewhere");
        (await world.RepA.ClaimAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        var refused = await world.RepB.ClaimAsync(lead.Id);

        refused.EnsureStatus(HttpStatusCode.Conflict);
        Assert.Equal(ErrorCodes.AlreadyOwned, refused.Code);
        Assert.False(refused.Problem!.Value.TryGetProperty("ownerId", out _), refused.Body);
        Assert.DoesNotContain(world.RepA.UserId, refused.Body);
    }

    [Fact]
    public async Task A_duplicate_in_another_unit_is_named_by_id_only_and_one_in_the_callers_unit_in_full()
    {
        var home = await fixture.SharedWorldAsync();
        var other = await TestWorld.CreateAsync(fixture.Server);
        var phone = $"+86 139 {Random.Shared.Next(1000, 9999)} {Random.Shared.Next(1000, 9999)}";
        var theirs = (await other.Admin.CreateCustomerAsync(new CreateCustomerRequest("Zhao", "Hidden Trading Ltd", phone, PoolId: other.PoolId, OwnerId: other.RepA.UserId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;

        var fromHome = await home.RepA.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check", new CreateCustomerRequest("Zhao", null, phone, PoolId: home.PoolId));
        var fromTheirUnit = await other.Manager.SendAsync<DedupCheckResponse>(HttpMethod.Post, "/api/customers/check", new CreateCustomerRequest("Zhao", null, phone, PoolId: other.PoolId));

        var hidden = Assert.Single(fromHome.EnsureStatus(HttpStatusCode.OK).Value!.Matches, m => m.CustomerId == theirs.Id);
        Assert.Null(hidden.CustomerName);
        Assert.Null(hidden.OwnerId);
        Assert.Null(hidden.OwnerName);
        Assert.DoesNotContain("Hidden Trading", fromHome.Body);
        var visible = Assert.Single(fromTheirUnit.EnsureStatus(HttpStatusCode.OK).Value!.Matches, m => m.CustomerId == theirs.Id);
        Assert.Equal(other.RepA.UserId, visible.OwnerId);
    }

    [Fact]
    public async Task Managers_see_plugins_without_server_paths_or_exception_texts_and_admins_see_them()
    {
        var world = await fixture.SharedWorldAsync();

        var asAdmin = (await world.Admin.GetAsync("/api/plugins")).EnsureStatus(HttpStatusCode.OK);
        var asManager = (await world.Manager.GetAsync("/api/plugins")).EnsureStatus(HttpStatusCode.OK);

        var directory = asAdmin.Value.GetProperty("directory").GetString()!;
        Assert.StartsWith("/", directory);
        Assert.DoesNotContain(directory, asManager.Body);
        Assert.DoesNotContain("Exception", asManager.Body);
        var names = (JsonElement list) => list.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Equal(names(asAdmin.Value), names(asManager.Value));
    }

    [Fact]
    public async Task A_deal_or_contract_out_of_reach_answers_every_command_as_an_unknown_id_does()
    {
        var org = await EastWest.CreateAsync(fixture.Server);
        var field = await CustomFieldProbes.ValuesAsync(org.Admin, "deal");
        var commands = new (string Name, HttpMethod Method, Func<string> Route, Func<string, string> RouteOf, object Body)[]
        {
            ("stage", HttpMethod.Post, () => org.OpenDealId, id => $"/api/deals/{id}/stage", new DealStageRequest("intent")),
            ("win", HttpMethod.Post, () => org.OpenDealId, id => $"/api/deals/{id}/win", new WinDealRequest()),
            ("lose", HttpMethod.Post, () => org.OpenDealId, id => $"/api/deals/{id}/lose", new LoseDealRequest("price")),
            ("attempts", HttpMethod.Post, () => org.OpenDealId, id => $"/api/deals/{id}/attempts", new DealAttemptRequest(AttemptKind.Call, AttemptOutcome.NoAnswer)),
            ("custom-fields", HttpMethod.Put, () => org.OpenDealId, id => $"/api/deals/{id}/custom-fields", field),
            ("contract", HttpMethod.Post, () => org.WonDealId, id => $"/api/deals/{id}/contract", ContractKit.Contract(1000m, [new(new DateOnly(2020, 2, 1), 1000m)])),
            ("payments", HttpMethod.Post, () => org.ContractId, id => $"/api/contracts/{id}/payments", new PaymentRequest(1m, ContractKit.SignedAt.AddDays(1), "cash")),
        };

        // B1 and MB (the other unit) and A2 (EAST, but not the customer's owner): none of them sees the customer.
        var wrong = new List<string>();
        foreach (var (who, caller) in new[] { ("B1", org.B1), ("MB", org.MB), ("A2", org.A2) })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await caller.GetAsync($"/api/deals/{org.OpenDealId}")).Status);
            foreach (var (name, method, route, routeOf, body) in commands)
            {
                var real = route();
                var unknown = real[..2] + Guid.NewGuid().ToString("N")[..20];
                var outOfReach = await caller.SendAsync<JsonElement>(method, routeOf(real), body);
                var missing = await caller.SendAsync<JsonElement>(method, routeOf(unknown), body);
                if (outOfReach.Status != missing.Status || Shape(outOfReach, real) != Shape(missing, unknown) || outOfReach.Body.Contains(org.CustomerId.ToString()))
                {
                    wrong.Add($"{who} {name}: {(int)outOfReach.Status} {outOfReach.Body}\n      unknown id: {(int)missing.Status} {missing.Body}");
                }
            }
        }

        Assert.True(wrong.Count == 0, "Out of reach answered unlike an unknown id:\n  " + string.Join("\n  ", wrong));

        // Nothing was changed, and those who reach the deal still work it.
        var deal = (await org.A1.SendAsync<DealDto>(HttpMethod.Get, $"/api/deals/{org.OpenDealId}")).EnsureStatus(HttpStatusCode.OK).Value!;
        Assert.Equal((DealStatus.Open, "contact"), (deal.Status, deal.StageKey));
        Assert.Empty((await org.A1.GetContractAsync(org.ContractId)).EnsureStatus(HttpStatusCode.OK).Value!.Payments ?? []);
        (await org.A1.MoveAsync(org.OpenDealId, "intent")).EnsureStatus(HttpStatusCode.OK);
        (await org.MA.AttemptAsync(org.OpenDealId, AttemptKind.Call, AttemptOutcome.NoAnswer)).EnsureStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_deal_a_rep_sees_but_does_not_own_is_refused_with_403()
    {
        var org = await EastWest.CreateAsync(fixture.Server);
        // An unowned lead of EAST's pool: every EAST rep sees it; the manager opens a deal on it for A1.
        var lead = (await org.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Unowned {Guid.NewGuid():N}", PoolId: org.EastPoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        var deal = (await org.MA.OpenDealAsync(lead.Id, DealKit.Deal(repId: org.A1.UserId))).EnsureStatus(HttpStatusCode.Created).Value!;

        (await org.A2.GetAsync($"/api/deals/{deal.Id}")).EnsureStatus(HttpStatusCode.OK);
        var refused = await org.A2.MoveAsync(deal.Id, "intent");

        Assert.Equal((HttpStatusCode.Forbidden, ErrorCodes.Forbidden), (refused.Status, refused.Code));
        Assert.Equal(HttpStatusCode.NotFound, (await org.B1.MoveAsync(deal.Id, "intent")).Status);
    }

    [Fact]
    public async Task A_customer_out_of_reach_answers_every_command_as_an_unknown_id_does()
    {
        var org = await EastWest.CreateAsync(fixture.Server);
        var template = (await NoteProbes.CreateAsync(org.Admin, null)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
        var card = await CustomFieldProbes.ValuesAsync(org.Admin, "customer");
        // Every command under /api/customers/{id}; a claim is left to the teammate test below (a claim race answers 409).
        var commands = new (string Name, HttpMethod Method, Func<Guid, string> RouteOf, object? Body)[]
        {
            ("claim", HttpMethod.Post, id => $"/api/customers/{id}/claim", null),
            ("release", HttpMethod.Post, id => $"/api/customers/{id}/release", new ReleaseRequest("probe")),
            ("assign", HttpMethod.Post, id => $"/api/customers/{id}/assign", new AssignRequest(org.A2.UserId, "probe")),
            ("follow-ups", HttpMethod.Post, id => $"/api/customers/{id}/follow-ups", new FollowUpRequest(FollowUpType.Call, "reached")),
            ("stage", HttpMethod.Post, id => $"/api/customers/{id}/stage", new StageChangeRequest(Stage.Opportunity)),
            ("notes", HttpMethod.Post, id => $"/api/customers/{id}/notes",
                new AddNoteRequest(template, NoteTemplateBuilder.Answers(new { budget = "<100k", met_decision_maker = true }))),
            ("visits", HttpMethod.Post, id => $"/api/customers/{id}/visits", new CheckInRequest(31.23, 121.47, 10, null, "probe-phone")),
            ("location", HttpMethod.Put, id => $"/api/customers/{id}/location", new SetLocationRequest(30, 120)),
            ("geocode", HttpMethod.Post, id => $"/api/customers/{id}/location/geocode", null),
            ("level", HttpMethod.Post, id => $"/api/customers/{id}/level", new SetLevelRequest("C", "probe")),
            ("custom-fields", HttpMethod.Put, id => $"/api/customers/{id}/custom-fields", card),
            ("deals", HttpMethod.Post, id => $"/api/customers/{id}/deals", DealKit.Deal(10m)),
            ("merge", HttpMethod.Post, id => $"/api/customers/{id}/merge", new MergeRequest(Guid.NewGuid(), "probe")),
        };

        var history = (await org.A1.TimelineAsync(org.CustomerId)).EnsureStatus(HttpStatusCode.OK).Value!.Select(e => e.Kind).ToList();

        // A2 is A1's teammate (a member of EAST's pool, where CE1 lies); B1 and MB are of the other unit.
        var wrong = new List<string>();
        foreach (var (who, caller) in new[] { ("A2", org.A2), ("B1", org.B1), ("MB", org.MB) })
        {
            foreach (var read in new[] { "", "/timeline", "/visits", "/location", "/notes" })
            {
                Assert.Equal(HttpStatusCode.NotFound, (await caller.GetAsync($"/api/customers/{org.CustomerId}{read}")).Status);
            }

            foreach (var (name, method, routeOf, body) in commands)
            {
                if (who == "A2" && name == "claim")
                {
                    continue;
                }

                var unknown = Guid.NewGuid();
                var outOfReach = await caller.SendAsync<JsonElement>(method, routeOf(org.CustomerId), body);
                var missing = await caller.SendAsync<JsonElement>(method, routeOf(unknown), body);
                if (outOfReach.Status != missing.Status || Shape(outOfReach, org.CustomerId.ToString()) != Shape(missing, unknown.ToString())
                    || outOfReach.Body.Contains(org.A1.UserId))
                {
                    wrong.Add($"{who} {name}: {(int)outOfReach.Status} {outOfReach.Body}\n      unknown id: {(int)missing.Status} {missing.Body}");
                }
            }
        }

        Assert.True(wrong.Count == 0, "Out of reach answered unlike an unknown id:\n  " + string.Join("\n  ", wrong));

        // A teammate's claim is the race every rep of the pool may lose: 409, without the owner.
        var claim = await org.A2.ClaimAsync(org.CustomerId);
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.AlreadyOwned), (claim.Status, claim.Code));
        Assert.DoesNotContain(org.A1.UserId, claim.Body);

        // Nothing was changed, and the owner still works the customer.
        Assert.Equal(org.A1.UserId, (await org.A1.GetCustomerAsync(org.CustomerId)).EnsureStatus(HttpStatusCode.OK).Value!.OwnerId);
        Assert.Equal(history, (await org.A1.TimelineAsync(org.CustomerId)).EnsureStatus(HttpStatusCode.OK).Value!.Select(e => e.Kind));
        (await org.A1.FollowUpAsync(org.CustomerId, FollowUpType.Call, "reached")).EnsureStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_customer_a_rep_sees_but_does_not_own_is_refused_with_403_and_one_it_stops_seeing_with_404()
    {
        var org = await EastWest.CreateAsync(fixture.Server);
        // An unowned lead of EAST's pool: every EAST rep sees it, and only claims it.
        var lead = (await org.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Unowned {Guid.NewGuid():N}", PoolId: org.EastPoolId)))
            .EnsureStatus(HttpStatusCode.Created).Value!;
        (await org.A2.GetCustomerAsync(lead.Id)).EnsureStatus(HttpStatusCode.OK);

        var followUp = await org.A2.FollowUpAsync(lead.Id, FollowUpType.Call, "reached");
        var stage = await org.A2.ChangeStageAsync(lead.Id, Stage.Opportunity);
        var card = await org.A2.SendAsync<JsonElement>(HttpMethod.Put, $"/api/customers/{lead.Id}/custom-fields", await CustomFieldProbes.ValuesAsync(org.Admin, "customer"));
        var release = await org.A2.ReleaseAsync(lead.Id);

        Assert.Equal((HttpStatusCode.Forbidden, ErrorCodes.Forbidden), (followUp.Status, followUp.Code));
        Assert.Equal((HttpStatusCode.Forbidden, ErrorCodes.Forbidden), (stage.Status, stage.Code));
        Assert.Equal((HttpStatusCode.Forbidden, ErrorCodes.Forbidden), (card.Status, card.Code));
        Assert.Equal((HttpStatusCode.Conflict, ErrorCodes.NotOwned), (release.Status, release.Code));

        // The pool's list leaves A2 out: the lead is out of its sight, and its commands answer as for an unknown id.
        (await org.MA.SendAsync<PoolMembersDto>(HttpMethod.Put, $"/api/pools/{org.EastPoolId}/members", new PoolMembersRequest([org.A1.UserId])))
            .EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NotFound, (await org.A2.GetCustomerAsync(lead.Id)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await org.A2.FollowUpAsync(lead.Id, FollowUpType.Call, "reached")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await org.A2.ChangeStageAsync(lead.Id, Stage.Opportunity)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await org.A2.ReleaseAsync(lead.Id)).Status);
    }

    /// <summary>A ProblemDetails with the id it names replaced and the request's trace id left out: what tells one refusal from another.</summary>
    private static string Shape(ApiResponse<JsonElement> response, string id) =>
        response.Problem is { } problem
            ? string.Join(",", problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value.GetRawText().Replace(id, "{id}")}"))
            : response.Body;

    /// <summary>
    /// The black-box test's company: HQ with the units EAST (manager MA, reps A1 and A2) and WEST (manager MB, rep B1);
    /// a customer of EAST's pool owned by A1 with an open deal, a won deal and a contract on it.
    /// </summary>
    private sealed record EastWest(CrmApi Admin, CrmApi MA, CrmApi A1, CrmApi A2, CrmApi MB, CrmApi B1, string EastPoolId,
        Guid CustomerId, string OpenDealId, string WonDealId, string ContractId)
    {
        public static async Task<EastWest> CreateAsync(ServerProcess server)
        {
            var anonymous = server.Api();
            var admin = await anonymous.LoginAsAdminAsync();
            var tag = Guid.NewGuid().ToString("N")[..8];
            var hq = (await admin.CreateOrgUnitAsync($"HQ {tag}")).EnsureStatus(HttpStatusCode.Created).Value!.Id;
            var east = (await admin.CreateOrgUnitAsync($"EAST {tag}", hq)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
            var west = (await admin.CreateOrgUnitAsync($"WEST {tag}", hq)).EnsureStatus(HttpStatusCode.Created).Value!.Id;

            async Task<CrmApi> User(string name, Role role, string unit)
            {
                (await admin.CreateUserAsync($"{name}-{tag}", role, unit)).EnsureStatus(HttpStatusCode.Created);
                return await anonymous.LoginAsync($"{name}-{tag}", "rep-Passw0rd!");
            }

            var (ma, a1, a2, mb, b1) = (await User("ma", Role.Manager, east), await User("a1", Role.Rep, east), await User("a2", Role.Rep, east),
                await User("mb", Role.Manager, west), await User("b1", Role.Rep, west));
            var pool = (await admin.CreatePoolAsync($"EAST pool {tag}", east)).EnsureStatus(HttpStatusCode.Created).Value!.Id;
            var customer = (await admin.CreateCustomerAsync(new CreateCustomerRequest($"CE1 {tag}", PoolId: pool, OwnerId: a1.UserId)))
                .EnsureStatus(HttpStatusCode.Created).Value!;
            var open = (await a1.OpenDealAsync(customer.Id, DealKit.Deal(1000m))).EnsureStatus(HttpStatusCode.Created).Value!;
            var won = (await a1.OpenDealAsync(customer.Id, DealKit.Deal(1000m))).EnsureStatus(HttpStatusCode.Created).Value!;
            (await a1.WinAsync(won.Id)).EnsureStatus(HttpStatusCode.OK);
            var signed = (await a1.OpenDealAsync(customer.Id, DealKit.Deal(1000m))).EnsureStatus(HttpStatusCode.Created).Value!;
            (await a1.WinAsync(signed.Id)).EnsureStatus(HttpStatusCode.OK);
            var contract = (await a1.SignAsync(signed.Id, ContractKit.Contract(1000m, [new(new DateOnly(2020, 2, 1), 1000m)]))).EnsureStatus(HttpStatusCode.Created).Value!;
            return new EastWest(admin, ma, a1, a2, mb, b1, pool, customer.Id, open.Id, won.Id, contract.Id);
        }
    }
}
