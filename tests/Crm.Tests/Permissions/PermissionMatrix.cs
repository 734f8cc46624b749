using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;

namespace Crm.Tests.Permissions;

/// <summary>
/// The permission matrix: every route of the API with who may use it on which data. Adding an endpoint means adding
/// a row here (the guard test fails until there is one). A probe performs the request as <c>cell.Caller</c> on
/// <c>cell.Target</c> and answers <see cref="Allowed"/> (2xx true, 403/404 false) or <see cref="Lists"/> (whether
/// a list shows the target's item).
/// </summary>
public static class PermissionMatrix
{
    /// <summary>Routes outside the matrix, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> Exempt = new Dictionary<string, string>
    {
        ["POST /api/auth/token"] = "anonymous by design: it is how a user signs in",
        ["POST /api/auth/refresh"] = "anonymous by design: the refresh token is the proof",
        ["POST /api/auth/logout"] = "anonymous by design: the refresh token names the session it ends",
        ["POST /api/auth/password"] = "anonymous by design: the current password is the proof (a required change comes before any token)",
    };

    public static readonly IReadOnlyList<MatrixRow> Rows =
    [
        // Customers: the read model filtered by visibility, commands checked by the customer grain.
        new("GET /api/customers", "an unowned lead of the unit's pool", Expect.DownwardAndMemberPools,
            c => Lists(c.Caller.GetAsync($"/api/customers?query={Uri.EscapeDataString(c.Target.Lead.Name)}"), c.Target.Lead.Id)),
        new("GET /api/customers", "a customer owned by the unit's rep", Expect.Downward,
            c => Lists(c.Caller.GetAsync($"/api/customers?query={Uri.EscapeDataString(c.Target.Owned.Name)}"), c.Target.Owned.Id)),
        new("GET /api/customers/{id}", "an unowned lead of the unit's pool", Expect.DownwardAndMemberPools,
            c => Allowed(c.Caller.GetCustomerAsync(c.Target.Lead.Id))),
        new("GET /api/customers/{id}", "a customer owned by the unit's rep", Expect.Downward,
            c => Allowed(c.Caller.GetCustomerAsync(c.Target.Owned.Id))),
        new("GET /api/customers/{id}/timeline", "a customer owned by the unit's rep", Expect.Downward,
            c => Allowed(c.Caller.TimelineAsync(c.Target.Owned.Id))),
        new("POST /api/customers", "a lead into the unit's pool", Expect.DownwardAndMemberPools,
            c => Allowed(c.Caller.CreateCustomerAsync(new CreateCustomerRequest($"New {Guid.NewGuid():N}", PoolId: c.Target.PoolId)), invalidMeansDenied: "poolId")),
        new("POST /api/customers/check", "a duplicate check against the unit's pool", Expect.DownwardAndMemberPools,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/customers/check",
                new CreateCustomerRequest($"Check {Guid.NewGuid():N}", PoolId: c.Target.PoolId)))),
        new("POST /api/customers/import", "a one-row CSV into the unit's pool", Expect.ManagersDownward,
            async c => await Allowed(ImportOneRowAsync(c.Caller, c.Target.PoolId))),
        new("POST /api/customers/{id}/merge", "two leads of the unit's pool", Expect.ManagersDownward,
            async c =>
            {
                var survivor = await c.Target.NewLeadAsync();
                var duplicate = await c.Target.NewLeadAsync();
                return await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/customers/{survivor.Id}/merge",
                    new MergeRequest(duplicate.Id, "matrix")));
            }),
        new("POST /api/customers/{id}/claim", "an unowned lead of the unit's pool (only reps claim)", new(Rel.None, Rel.None, Rel.Own | Rel.Above),
            async c => await Allowed(c.Caller.ClaimAsync((await c.Target.NewLeadAsync()).Id))),
        new("POST /api/customers/{id}/release", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.ReleaseAsync((await c.Target.NewOwnedAsync()).Id, "matrix"))),
        new("POST /api/customers/{id}/assign", "an unowned lead, to the unit's rep", Expect.ManagersDownward,
            async c => await Allowed(c.Caller.AssignAsync((await c.Target.NewLeadAsync()).Id, c.Target.RepId))),
        new("POST /api/customers/{id}/follow-ups", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.FollowUpAsync((await c.Target.NewOwnedAsync()).Id, FollowUpType.Call, "reached"))),
        new("PATCH /api/customers/{id}", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Patch, $"/api/customers/{(await c.Target.NewOwnedAsync()).Id}",
                new { industry = "matrix probe" }))),
        new("POST /api/customers/{id}/stage", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.ChangeStageAsync((await c.Target.NewOwnedAsync()).Id, Stage.Opportunity))),
        new("GET /api/customers/export", "the unit's lead in the CSV", Expect.ManagersDownward,
            c => Lists(c.Caller.GetTextAsync($"/api/customers/export?query={Uri.EscapeDataString(c.Target.Lead.Name)}"), c.Target.Lead.Id)),

        // Pools: a rep sees the pools it is a member of (its unit's and those above it, by the tree).
        new("GET /api/pools", "the unit's pool", Expect.DownwardAndMemberPools,
            c => Lists(c.Caller.GetAsync("/api/pools"), c.Target.PoolId)),
        new("GET /api/pools/{id}", "the unit's pool", Expect.DownwardAndMemberPools,
            c => Allowed(c.Caller.GetAsync($"/api/pools/{c.Target.PoolId}"))),
        new("POST /api/pools", "a pool in the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.CreatePoolAsync($"Pool {Guid.NewGuid():N}", c.Target.UnitId), invalidMeansDenied: "orgUnitId")),
        new("PUT /api/pools/{id}/rules", "the unit's pool", Expect.ManagersDownward,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{c.Target.PoolId}/rules", new PoolRules()))),
        new("GET /api/pools/{id}/customers", "the unit's pool", Expect.DownwardAndMemberPools,
            c => Lists(c.Caller.GetAsync($"/api/pools/{c.Target.PoolId}/customers?pageSize=500"), c.Target.Lead.Id)),
        new("GET /api/pools/{id}/members", "the unit's pool", Expect.DownwardAndMemberPools,
            c => Allowed(c.Caller.GetAsync($"/api/pools/{c.Target.PoolId}/members"))),
        new("PUT /api/pools/{id}/members", "the unit's pool (an empty list: follow the tree)", Expect.ManagersDownward,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pools/{c.Target.PoolId}/members", new PoolMembersRequest([])))),

        // Reps and users.
        new("GET /api/reps/{id}/customers", "the unit's rep's private pool", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/customers"))),
        new("GET /api/reps/{id}/due", "the unit's rep's due list", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/due?days=30"))),
        new("POST /api/reps/{id}/transfer", "a new rep of the unit hands its private pool back", Expect.ManagersDownward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/reps/{await c.Target.NewRepAsync()}/transfer",
                new TransferPrivatePoolRequest(null, "matrix")))),

        // Pool rules at work: collusion cases, status pools, bulk actions (answered per customer).
        new("GET /api/pools/{id}/collusion", "the unit's pool", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetAsync($"/api/pools/{c.Target.PoolId}/collusion"))),
        new("GET /api/status-pools/counts", "the unit's rep's customers counted", Expect.Downward,
            c => Lists(c.Caller.GetAsync($"/api/status-pools/counts?ownerId={c.Target.RepId}"), c.Target.RepId)),
        new("POST /api/customers/bulk/release", "a customer owned by the unit's rep", Expect.ManagersDownward,
            async c => await Succeeded(c.Caller.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/release",
                new BulkReleaseRequest([(await c.Target.NewOwnedAsync()).Id], "matrix")))),
        new("POST /api/customers/bulk/move", "a lead of the unit's pool, into the unit's pool", Expect.ManagersDownward,
            async c => await Succeeded(c.Caller.SendAsync<BulkResult>(HttpMethod.Post, "/api/customers/bulk/move",
                new BulkMoveRequest([(await c.Target.NewLeadAsync()).Id], c.Target.PoolId)))),
        new("GET /api/users", "the unit's rep", Expect.ManagersDownward,
            c => Lists(c.Caller.GetAsync("/api/users"), c.Target.RepId)),
        new("GET /api/users/{id}", "the unit's rep (on Mid, the calling rep itself)", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/users/{c.Target.RepId}"))),
        new("POST /api/users", "a rep in the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.CreateUserAsync($"m-{Guid.NewGuid():N}"[..20], Role.Rep, c.Target.UnitId), invalidMeansDenied: "orgUnitId")),
        new("PUT /api/users/{id}", "a new rep of the unit, renamed", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/users/{await c.Target.NewRepAsync()}",
                new UpdateUserRequest(DisplayName: "Renamed")))),
        new("POST /api/users/{id}/departure", "a new rep of the unit leaves", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/users/{await c.Target.NewRepAsync()}/departure",
                new DepartureRequest()))),

        new("POST /api/users/{id}/password", "a new rep of the unit gets a new password", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/users/{await c.Target.NewRepAsync()}/password",
                new ResetPasswordRequest("matrix-Reset-Passw0rd")))),

        // The org tree and regions.
        new("GET /api/org-units", "the unit in the tree", new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Below),
            c => Lists(c.Caller.GetAsync("/api/org-units"), c.Target.UnitId)),
        new("GET /api/org-units/{id}", "the unit", new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Below),
            c => Allowed(c.Caller.GetAsync($"/api/org-units/{c.Target.UnitId}"))),
        new("POST /api/org-units", "a unit under the unit", Expect.AdminOnly,
            c => Allowed(c.Caller.CreateOrgUnitAsync($"Unit {Guid.NewGuid():N}", c.Target.UnitId))),
        new("PUT /api/org-units/{id}", "a new child of the unit, renamed", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/org-units/{await c.Target.NewChildUnitAsync()}",
                new UpdateOrgUnitRequest(Name: "Renamed")))),
        new("GET /api/regions", "the unit's region", new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Below),
            c => Lists(c.Caller.GetAsync("/api/regions"), c.Target.RegionId)),
        new("GET /api/regions/{id}", "the unit's region", new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Below),
            c => Allowed(c.Caller.GetAsync($"/api/regions/{c.Target.RegionId}"))),
        new("POST /api/regions", "a region of the unit", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/regions",
                new RegionRequest("R", c.Target.UnitId, c.Target.PoolId, City: $"city-{Guid.NewGuid():N}")))),
        new("PUT /api/regions/{id}", "the unit's region", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/regions/{c.Target.RegionId}",
                new RegionRequest("R", c.Target.UnitId, c.Target.PoolId, City: $"city-{Guid.NewGuid():N}")))),
        new("DELETE /api/regions/{id}", "a new region of the unit", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Delete, $"/api/regions/{await c.Target.NewRegionAsync()}"))),

        // Quick notes: a template belongs to a unit and serves it and the units below; managers write their subtree's.
        new("POST /api/note-templates", "a template for the unit", Expect.ManagersDownward,
            c => Allowed(NoteProbes.CreateAsync(c.Caller, c.Target.UnitId), invalidMeansDenied: "orgUnitId")),
        new("GET /api/note-templates", "the unit's template", new(Rel.All, Rel.Own | Rel.Below | Rel.Above, Rel.Own | Rel.Above),
            async c =>
            {
                var id = await NoteProbes.TemplateOfAsync(c.Target); // created before the list is asked for
                return await Lists(c.Caller.GetAsync("/api/note-templates"), id);
            }),
        new("GET /api/note-templates/{id}", "the unit's template", new(Rel.All, Rel.Own | Rel.Below | Rel.Above, Rel.Own | Rel.Above),
            async c => await Allowed(c.Caller.GetAsync($"/api/note-templates/{await NoteProbes.TemplateOfAsync(c.Target)}"))),
        new("PUT /api/note-templates/{id}", "the unit's template, a new version", Expect.ManagersDownward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/note-templates/{await NoteProbes.TemplateOfAsync(c.Target)}",
                Crm.Tests.Notes.NoteTemplateBuilder.FirstVisit()))),
        new("POST /api/note-templates/{id}/preview", "the unit's template", new(Rel.All, Rel.Own | Rel.Below | Rel.Above, Rel.Own | Rel.Above),
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/note-templates/{await NoteProbes.TemplateOfAsync(c.Target)}/preview",
                new TemplatePreviewRequest()))),
        new("GET /api/note-templates/{id}/stats", "a company-wide template's answers in the unit", Expect.ManagersDownward,
            async c => await Allowed(c.Caller.GetAsync($"/api/note-templates/{await NoteProbes.CompanyTemplateAsync(c.World)}/stats?orgUnitId={c.Target.UnitId}"))),
        new("POST /api/note-templates/import", "plugin templates into the unit", Expect.ManagersDownward,
            c => NoteProbes.ImportAsync(c.Caller, c.Target)),
        new("POST /api/note-templates/preview", "a draft template", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/note-templates/preview",
                new NotePreviewRequest(Crm.Tests.Notes.NoteTemplateBuilder.FirstVisit()))), PerRelation: false),
        new("GET /api/note-templates/packs", "the templates plugins offer", new(Rel.All, Rel.All, Rel.None),
            c => Allowed(c.Caller.GetAsync("/api/note-templates/packs")), PerRelation: false),
        new("POST /api/customers/{id}/notes", "a customer owned by the unit's rep", Expect.Downward,
            c => Allowed(NoteProbes.AddNoteAsync(c.Caller, c.Target))),
        new("GET /api/customers/{id}/notes", "a customer owned by the unit's rep", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/customers/{c.Target.Owned.Id}/notes"))),
        new("GET /api/reps/{id}/reminders", "the unit's rep's next follow-ups set by notes", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/reminders"))),

        // Assignment: managers set profiles, run and simulate their pools' assignment, and distribute to their teams.
        new("GET /api/reps/{id}/profile", "the unit's rep", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/profile"))),
        new("PUT /api/reps/{id}/profile", "the unit's rep", Expect.ManagersDownward,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/reps/{c.Target.RepId}/profile", new RepProfileRequest(Languages: ["zh"])))),
        new("GET /api/pools/{id}/assignment", "the unit's pool", Expect.DownwardAndMemberPools,
            c => Allowed(c.Caller.GetAsync($"/api/pools/{c.Target.PoolId}/assignment"))),
        new("POST /api/pools/{id}/assignment/simulate", "the unit's pool", Expect.ManagersDownward,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/pools/{c.Target.PoolId}/assignment/simulate",
                new SimulateAssignmentRequest("least-loaded", LastDays: 1)))),
        new("POST /api/pools/{id}/assignment/run", "the unit's pool", Expect.ManagersDownward,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/pools/{c.Target.PoolId}/assignment/run"))),
        new("POST /api/assignment/distribute", "a lead of the unit's pool, to the unit", Expect.ManagersDownward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/assignment/distribute",
                new DistributeRequest(CustomerIds: [(await c.Target.NewLeadAsync()).Id], OrgUnitId: c.Target.UnitId)), invalidMeansDenied: "orgUnitId")),

        // Deals: the catalogue is read by all and kept by admins; deals follow their customer's visibility and commands.
        new("GET /api/pipelines", "the company's default pipeline", new(Rel.All, Rel.All, Rel.All),
            c => Lists(c.Caller.GetAsync("/api/pipelines"), "default"), PerRelation: false),
        new("GET /api/pipelines/{id}", "the company's default pipeline", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/pipelines/default")), PerRelation: false),
        new("POST /api/pipelines", "a company-wide pipeline", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/pipelines", DealProbes.Pipeline())), PerRelation: false),
        new("PUT /api/pipelines/{id}", "a company-wide pipeline", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/pipelines/{await DealProbes.NewPipelineAsync(c.World.Admin)}",
                DealProbes.Pipeline())), PerRelation: false),
        new("GET /api/products", "the catalogue", new(Rel.All, Rel.All, Rel.All), c => Allowed(c.Caller.GetAsync("/api/products")), PerRelation: false),
        new("POST /api/products", "a product", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/products", DealProbes.Product())), PerRelation: false),
        new("PUT /api/products/{id}", "a product", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/products/{await DealProbes.NewProductAsync(c.World.Admin)}",
                DealProbes.Product())), PerRelation: false),
        new("GET /api/deal-lose-reasons", "the lose reasons", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/deal-lose-reasons")), PerRelation: false),
        new("PUT /api/deal-lose-reasons", "the lose reasons, unchanged", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, "/api/deal-lose-reasons", DealProbes.DefaultReasons())), PerRelation: false),
        new("POST /api/customers/{id}/deals", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/customers/{(await c.Target.NewOwnedAsync()).Id}/deals",
                Deals.DealKit.Deal(10m)))),
        new("GET /api/deals", "a deal of the unit's rep's customer", Expect.Downward,
            async c =>
            {
                var deal = await DealProbes.NewDealAsync(c.Target); // opened before the list is asked for
                return await Lists(c.Caller.GetAsync("/api/deals?pageSize=500"), deal.Id);
            }),
        new("GET /api/deals/{id}", "a deal of the unit's rep's customer", Expect.Downward,
            async c => await Allowed(c.Caller.GetAsync($"/api/deals/{(await DealProbes.NewDealAsync(c.Target)).Id}"))),
        new("POST /api/deals/{id}/stage", "a deal of the unit's rep's customer", Expect.Downward,
            c => Allowed(DealProbes.OnNewDealAsync(c, "stage", new DealStageRequest("intent")))),
        new("POST /api/deals/{id}/win", "a deal of the unit's rep's customer", Expect.Downward,
            c => Allowed(DealProbes.OnNewDealAsync(c, "win", new WinDealRequest()))),
        new("POST /api/deals/{id}/lose", "a deal of the unit's rep's customer", Expect.Downward,
            c => Allowed(DealProbes.OnNewDealAsync(c, "lose", new LoseDealRequest("price")))),
        new("POST /api/deals/{id}/attempts", "a deal of the unit's rep's customer", Expect.Downward,
            c => Allowed(DealProbes.OnNewDealAsync(c, "attempts", new DealAttemptRequest(AttemptKind.Call, AttemptOutcome.NoAnswer)))),
        // Custom fields: definitions read by all and kept by admins; a card's values follow its customer's commands.
        new("GET /api/custom-fields", "the definitions", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/custom-fields")), PerRelation: false),
        new("GET /api/custom-fields/{entity}/{key}", "a deal field's definition", new(Rel.All, Rel.All, Rel.All),
            async c => await Allowed(c.Caller.GetAsync($"/api/custom-fields/deal/{await CustomFieldProbes.NewFieldAsync(c.World.Admin)}")), PerRelation: false),
        new("POST /api/custom-fields", "an optional deal field", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/custom-fields", CustomFieldProbes.Field())), PerRelation: false),
        new("PUT /api/custom-fields/{entity}/{key}", "an optional deal field", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/custom-fields/deal/{await CustomFieldProbes.NewFieldAsync(c.World.Admin)}",
                CustomFieldProbes.Field())), PerRelation: false),
        new("DELETE /api/custom-fields/{entity}/{key}", "an optional deal field", Expect.AdminOnly,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Delete, $"/api/custom-fields/deal/{await CustomFieldProbes.NewFieldAsync(c.World.Admin)}")),
            PerRelation: false),
        new("PUT /api/customers/{id}/custom-fields", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/customers/{(await c.Target.NewOwnedAsync()).Id}/custom-fields",
                await CustomFieldProbes.ValuesAsync(c.World.Admin, "customer")))),
        new("PUT /api/deals/{id}/custom-fields", "a deal of the unit's rep's customer", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/deals/{(await DealProbes.NewDealAsync(c.Target)).Id}/custom-fields",
                await CustomFieldProbes.ValuesAsync(c.World.Admin, "deal")))),
        // Contracts, payments and receivables follow the customer's visibility and commands; currencies are read by all, kept by admins.
        new("POST /api/deals/{id}/contract", "a won deal of the unit's rep's customer", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/deals/{(await ContractProbes.WonDealAsync(c.Target)).Id}/contract",
                ContractProbes.Contract()))),
        new("GET /api/contracts", "a contract of the unit's rep's customer", Expect.Downward,
            async c =>
            {
                var contract = await ContractProbes.NewContractAsync(c.Target);
                return await Lists(c.Caller.GetAsync($"/api/contracts?customerId={contract.CustomerId}"), contract.Id);
            }),
        new("GET /api/contracts/{id}", "a contract of the unit's rep's customer", Expect.Downward,
            async c => await Allowed(c.Caller.GetAsync($"/api/contracts/{(await ContractProbes.NewContractAsync(c.Target)).Id}"))),
        new("POST /api/contracts/{id}/payments", "a contract of the unit's rep's customer", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/contracts/{(await ContractProbes.NewContractAsync(c.Target)).Id}/payments",
                ContractProbes.Payment()))),
        new("GET /api/receivables", "an instalment of a contract of the unit's rep's customer", Expect.Downward,
            async c =>
            {
                var contract = await ContractProbes.NewContractAsync(c.Target);
                return await Lists(c.Caller.GetAsync($"/api/receivables?customerId={contract.CustomerId}"), contract.Id);
            }),
        new("GET /api/currency-settings", "the base currency", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/currency-settings")), PerRelation: false),
        new("PUT /api/currency-settings", "the base currency, unchanged", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, "/api/currency-settings", new CurrencySettingsRequest("CNY"))), PerRelation: false),
        new("GET /api/currency-rates", "the rate table", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/currency-rates")), PerRelation: false),
        new("PUT /api/currency-rates", "a rate, the same each time", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, "/api/currency-rates", ContractProbes.Rates())), PerRelation: false),
        new("GET /api/currency-rates/convert", "a conversion", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/currency-rates/convert?amount=10&currency=SGD&date=2030-06-01")), PerRelation: false),
        // Customer levels: the list and rule read by all and kept by admins; a level set by hand follows the customer's commands.
        new("GET /api/customer-levels", "the levels and their rule", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/customer-levels")), PerRelation: false),
        new("PUT /api/customer-levels", "the default levels and rule, unchanged", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, "/api/customer-levels", Levels.LevelsTests.Defaults)), PerRelation: false),
        new("POST /api/customers/{id}/level", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/customers/{(await c.Target.NewOwnedAsync()).Id}/level",
                new SetLevelRequest("C", "matrix")))),
        // Field work: locations, near me, visits, photos, routes, consents and unit settings (docs/field-work.md).
        new("GET /api/customers/nearby", "the unit's lead, placed at a fresh point", Expect.DownwardAndMemberPools,
            async c =>
            {
                var (lat, lon) = await FieldWorkProbes.PlaceLeadAsync(c.Target);
                return await Lists(c.Caller.GetAsync(FormattableString.Invariant($"/api/customers/nearby?lat={lat}&lon={lon}&radius=100")), c.Target.Lead.Id);
            }),
        new("GET /api/customers/{id}/location", "a located customer owned by the unit's rep", Expect.Downward,
            async c =>
            {
                var id = (await c.Target.NewOwnedAsync()).Id;
                (await c.World.Admin.SendAsync<JsonElement>(HttpMethod.Put, $"/api/customers/{id}/location", new SetLocationRequest(30, 120))).EnsureStatus(HttpStatusCode.OK);
                return await Allowed(c.Caller.GetAsync($"/api/customers/{id}/location"));
            }),
        new("PUT /api/customers/{id}/location", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/customers/{(await c.Target.NewOwnedAsync()).Id}/location",
                new SetLocationRequest(30, 120)))),
        new("POST /api/customers/{id}/location/geocode", "a customer with an address owned by the unit's rep", Expect.Downward,
            async c =>
            {
                var customer = (await c.World.Admin.CreateCustomerAsync(new CreateCustomerRequest($"Geocoded {Guid.NewGuid():N}",
                    Address: "浙江省衢州市柯城区县西街 1 号", PoolId: c.Target.PoolId, OwnerId: c.Target.RepId))).EnsureStatus(HttpStatusCode.Created).Value!;
                return await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/customers/{customer.Id}/location/geocode"));
            }),
        new("POST /api/customers/{id}/visits", "a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(FieldWorkProbes.CheckInAsync(c.Caller, (await c.Target.NewOwnedAsync()).Id))),
        new("GET /api/customers/{id}/visits", "a customer owned by the unit's rep", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/customers/{c.Target.Owned.Id}/visits"))),
        new("GET /api/visits/{id}", "a visit at a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.GetAsync($"/api/visits/{(await FieldWorkProbes.AdminVisitAsync(c.Target)).Id}"))),
        new("POST /api/visits/{id}/check-out", "a visit at a customer owned by the unit's rep (a rep checks out its own)", Expect.Downward,
            c => Allowed(FieldWorkProbes.CheckOutAsync(c))),
        new("POST /api/files", "a photo upload", new(Rel.All, Rel.All, Rel.All), c => Allowed(FieldWorkProbes.UploadAsync(c.Caller)), PerRelation: false),
        new("GET /api/files/{id}", "a photo of a visit at a customer owned by the unit's rep", Expect.Downward,
            async c => await Allowed(FieldWorkProbes.DownloadAsync(c.Caller, await FieldWorkProbes.LinkedPhotoAsync(c.Target)))),
        new("GET /api/reps/{id}/route", "the unit's rep's route for a day", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/route?date=2026-03-03"))),
        new("GET /api/reps/{id}/location-consents", "the unit's rep's consents", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/location-consents"))),
        new("PUT /api/reps/{id}/location-consents", "the unit's rep's consent (a rep gives only its own)", new(Rel.None, Rel.None, Rel.Own),
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/reps/{c.Target.RepId}/location-consents",
                new LocationConsentRequest("matrix-phone", true)))),
        new("GET /api/org-units/{id}/field-work", "the unit's field-work settings", new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Below),
            c => Allowed(c.Caller.GetAsync($"/api/org-units/{c.Target.UnitId}/field-work"))),
        new("PUT /api/org-units/{id}/field-work", "the unit's field-work settings", Expect.ManagersDownward,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/org-units/{c.Target.UnitId}/field-work", new FieldWorkSettingsRequest(false)))),

        // Admin-only routes that do not depend on a unit.
        new("GET /api/audit", "the audit log", Expect.AdminOnly, c => Allowed(c.Caller.GetAsync("/api/audit")), PerRelation: false),
        new("POST /api/admin/projections/rebuild", "a read-model rebuild", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/admin/projections/rebuild")), PerRelation: false),
        new("GET /api/admin/cluster", "the cluster's silos", Expect.AdminOnly, c => Allowed(c.Caller.GetAsync("/api/admin/cluster")), PerRelation: false),
        new("GET /api/admin/cluster/customers/{id}", "where a customer's grain lives", Expect.AdminOnly,
            c => Allowed(c.Caller.GetAsync($"/api/admin/cluster/customers/{Guid.NewGuid()}")), PerRelation: false),
        new("GET /api/admin/dedup/status", "the dedup queue and index", Expect.AdminOnly,
            c => Allowed(c.Caller.GetAsync("/api/admin/dedup/status")), PerRelation: false),
        // A job already running answers 409 reindex-running, which only an admin can be told.
        new("POST /api/admin/dedup/reindex", "a dedup index rebuild", Expect.AdminOnly,
            async c => await c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/admin/dedup/reindex") is var r
                && (r is { Status: HttpStatusCode.Conflict, Code: ErrorCodes.ReindexRunning } || await Allowed(Task.FromResult(r))),
            PerRelation: false),
        new("GET /api/admin/dedup/reindex/{jobId}", "a dedup reindex job", Expect.AdminOnly,
            async c => await Allowed(c.Caller.GetAsync($"/api/admin/dedup/reindex/{await ReindexJobIdAsync(c.World.Admin)}")), PerRelation: false),
        new("POST /api/admin/dashboard-session", "an Orleans Dashboard session cookie", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/admin/dashboard-session")), PerRelation: false),

        // The message center: every user reads and marks only its own notifications (ids are per user).
        new("GET /api/notifications", "the caller's own notifications", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/notifications?unread=true")), PerRelation: false),
        new("GET /api/notifications/unread-count", "the caller's own unread count", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/notifications/unread-count")), PerRelation: false),
        new("POST /api/notifications/read-all", "the caller's own notifications", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/notifications/read-all", new MarkAllReadRequest())), PerRelation: false),
        new("POST /api/notifications/{id}/read", "the caller's latest notification (404 when it has none)", new(Rel.All, Rel.All, Rel.All),
            async c =>
            {
                var last = (await c.Caller.SendAsync<UnreadCountDto>(HttpMethod.Get, "/api/notifications/unread-count")).Value!.LastId;
                var marked = await c.Caller.SendAsync<JsonElement>(HttpMethod.Post, $"/api/notifications/{Math.Max(last, 1)}/read");
                return marked.Status == HttpStatusCode.NoContent || (last == 0 && marked.Status == HttpStatusCode.NotFound);
            }, PerRelation: false),

        // Work calendars: whoever sees a unit reads the calendar it follows; only admins set or remove one.
        new("GET /api/org-units/{id}/calendar", "the unit's calendar", new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Below),
            c => Allowed(c.Caller.GetAsync($"/api/org-units/{c.Target.UnitId}/calendar"))),
        new("GET /api/org-units/{id}/calendar/days", "the unit's working days", new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Below),
            c => Allowed(c.Caller.GetAsync($"/api/org-units/{c.Target.UnitId}/calendar/days?from=2026-10-01&days=7"))),
        new("PUT /api/org-units/{id}/calendar", "the unit's calendar", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, $"/api/org-units/{c.Target.UnitId}/calendar",
                new WorkCalendarRequest("Asia/Shanghai", [DayOfWeek.Saturday, DayOfWeek.Sunday])))),
        new("DELETE /api/org-units/{id}/calendar", "the unit's calendar", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Delete, $"/api/org-units/{c.Target.UnitId}/calendar"))),

        // Targets: managers set and split them within their subtree; progress and lists downward, a rep itself only.
        new("PUT /api/targets", "a target of the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.SendAsync<TargetDto>(HttpMethod.Put, "/api/targets",
                new TargetRequest("orgUnit", c.Target.UnitId, TargetProbes.Period, "visits", 5m)))),
        new("GET /api/targets", "a target of the unit's rep", Expect.Downward,
            async c =>
            {
                var target = await TargetProbes.AdminTargetAsync(c.Target, "rep");
                return await Lists(c.Caller.SendAsync<List<TargetDto>>(HttpMethod.Get, $"/api/targets?period={TargetProbes.Period}&scope=rep&scopeId={c.Target.RepId}"), target.Id);
            }),
        new("GET /api/targets/progress", "the progress of the unit's rep", Expect.Downward,
            c => Allowed(TargetProbes.ProgressAsync(c.Caller, "rep", c.Target.RepId))),
        new("GET /api/targets/progress", "the progress of the unit", Expect.ManagersDownward,
            c => Allowed(TargetProbes.ProgressAsync(c.Caller, "orgUnit", c.Target.UnitId))),
        new("POST /api/targets/{id}/split", "a target of the unit, over its rep", Expect.ManagersDownward,
            async c => await Allowed(c.Caller.SendAsync<TargetSplitDto>(HttpMethod.Post,
                $"/api/targets/{(await TargetProbes.AdminTargetAsync(c.Target, "orgUnit")).Id}/split", new TargetSplitRequest("even")))),

        // Leaderboards: the team's scoreboard; a rep sees its own unit's board, managers their subtree's (docs/reports.md).
        new("GET /api/leaderboards", "the unit's board of reps", new(Rel.All, Rel.Own | Rel.Below, Rel.Own),
            c => Allowed(c.Caller.GetAsync($"/api/leaderboards?metric=followUps&period=month&at=2030-01-15&scopeId={c.Target.UnitId}"))),
        new("GET /api/leaderboards", "the unit's board of teams", new(Rel.All, Rel.Own | Rel.Below, Rel.Own),
            c => Allowed(c.Caller.GetAsync($"/api/leaderboards?metric=wonAmount&period=quarter&level=team&scopeId={c.Target.UnitId}"))),
        new("GET /api/leaderboards/export", "the unit's board of reps as CSV", new(Rel.All, Rel.Own | Rel.Below, Rel.Own),
            c => Allowed(c.Caller.GetTextAsync($"/api/leaderboards/export?metric=visits&period=week&at=2030-01-15&scopeId={c.Target.UnitId}"))),

        // Daily reports: a rep its own, managers those of the reps in their subtree; only the rep writes its notes, managers reply.
        new("GET /api/reports/daily", "the report of the unit's rep on a past working day", Expect.Downward,
            c => Allowed(DailyReportProbes.ReportAsync(c.Caller, c.Target.RepId))),
        new("GET /api/reports/daily/{id}", "a report of the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.GetAsync($"/api/reports/daily/{await DailyReportProbes.AdminReportAsync(c.Target)}"))),
        new("PUT /api/reports/daily/{id}", "the comments on a report of the unit's rep (only that rep)", new(Rel.None, Rel.None, Rel.Own),
            async c => await Allowed(c.Caller.SendAsync<DailyReportDto>(HttpMethod.Put, $"/api/reports/daily/{await DailyReportProbes.AdminReportAsync(c.Target)}",
                new DailyReportNotesRequest("matrix", null)))),
        new("POST /api/reports/daily/{id}/replies", "a reply on a report of the unit's rep", Expect.ManagersDownward,
            async c => await Allowed(c.Caller.SendAsync<DailyReportReplyDto>(HttpMethod.Post, $"/api/reports/daily/{await DailyReportProbes.AdminReportAsync(c.Target)}/replies",
                new DailyReportReplyRequest("matrix")))),
        new("GET /api/reports/daily/export", "the reports of the unit's rep as CSV", Expect.Downward,
            async c =>
            {
                await DailyReportProbes.AdminReportAsync(c.Target);
                return await Lists(c.Caller.GetTextAsync($"/api/reports/daily/export?repId={c.Target.RepId}&from={DailyReportProbes.Day}&to={DailyReportProbes.Day}"),
                    c.Target.RepId);
            }),
        new("GET /api/org-units/{id}/daily-report", "the unit's report time", new(Rel.All, Rel.Own | Rel.Below, Rel.Own | Rel.Below),
            c => Allowed(c.Caller.GetAsync($"/api/org-units/{c.Target.UnitId}/daily-report"))),
        new("PUT /api/org-units/{id}/daily-report", "the unit's report time", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<DailyReportSettingDto>(HttpMethod.Put, $"/api/org-units/{c.Target.UnitId}/daily-report",
                new DailyReportSettingRequest("18:30")))),

        // RFM and repurchase lists: the customers each caller sees; unit scopes for managers; settings set by admins.
        new("GET /api/reports/rfm", "a paying customer of the unit's rep", Expect.Downward,
            async c =>
            {
                var contract = await ContractProbes.NewContractAsync(c.Target);
                (await c.Target.World.Admin.SendAsync<JsonElement>(HttpMethod.Post, $"/api/contracts/{contract.Id}/payments", ContractProbes.Payment()))
                    .EnsureStatus(HttpStatusCode.Created);
                return await Lists(c.Caller.GetAsync($"/api/reports/rfm?ownerId={c.Target.RepId}&pageSize=500"), contract.CustomerId);
            }),
        new("GET /api/reports/rfm", "the segments of the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetAsync($"/api/reports/rfm?scopeId={c.Target.UnitId}"))),
        new("GET /api/reports/rfm/export", "a paying customer of the unit's rep in the CSV", Expect.Downward,
            async c =>
            {
                var contract = await ContractProbes.NewContractAsync(c.Target);
                (await c.Target.World.Admin.SendAsync<JsonElement>(HttpMethod.Post, $"/api/contracts/{contract.Id}/payments", ContractProbes.Payment()))
                    .EnsureStatus(HttpStatusCode.Created);
                return await Lists(c.Caller.GetTextAsync($"/api/reports/rfm/export?ownerId={c.Target.RepId}"), contract.CustomerId);
            }),
        new("GET /api/reports/rfm/moves", "the moves of the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetAsync($"/api/reports/rfm/moves?scopeId={c.Target.UnitId}&from=2030-01-01&to=2030-02-01"))),
        new("GET /api/reports/rfm/settings", "the company's RFM settings", new(Rel.All, Rel.All, Rel.All),
            c => Allowed(c.Caller.GetAsync("/api/reports/rfm/settings")), PerRelation: false),
        new("PUT /api/reports/rfm/settings", "the company's RFM settings, quantiles", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Put, "/api/reports/rfm/settings", new RfmSettingsRequest("quantiles"))), PerRelation: false),
        new("GET /api/reps/{id}/repurchase", "the repurchase list of the unit's rep", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/repurchase"))),
        new("GET /api/reports/forecast", "the forecast of the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetAsync($"/api/reports/forecast?scopeId={c.Target.UnitId}&period=2030-01"))),
        new("GET /api/targets/suggestions", "suggested targets for the unit's rep", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/targets/suggestions?scope=rep&scopeId={c.Target.RepId}&period=2030-01&metric=visits"))),
        new("GET /api/targets/suggestions/export", "suggested targets for the unit's rep as CSV", Expect.Downward,
            c => Allowed(c.Caller.GetTextAsync($"/api/targets/suggestions/export?scope=rep&scopeId={c.Target.RepId}&period=2030-01&metric=visits"))),
        new("GET /api/reports/forecast/export", "the forecast of the unit as XLSX", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetTextAsync($"/api/reports/forecast/export?scopeId={c.Target.UnitId}&period=2030-01&format=xlsx"))),

        // Funnel and activity: like target progress, managers their subtree, a rep itself (docs/reports.md).
        new("GET /api/reports/funnel", "the funnel of the unit's rep", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reports/funnel?scopeId={c.Target.RepId}&from=2030-01-01&to=2030-01-31"))),
        new("GET /api/reports/funnel", "the funnel of the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetAsync($"/api/reports/funnel?scopeId={c.Target.UnitId}&from=2030-01-01&to=2030-01-31"))),
        new("GET /api/reports/activity", "the activity of the unit's rep", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reports/activity?scopeId={c.Target.RepId}&from=2030-01-01&to=2030-01-31"))),
        new("GET /api/reports/activity", "the activity of the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetAsync($"/api/reports/activity?scopeId={c.Target.UnitId}&from=2030-01-01&to=2030-01-31"))),
        new("GET /api/reports/funnel/export", "the unit's funnel as CSV", Expect.ManagersDownward,
            c => Allowed(c.Caller.GetTextAsync($"/api/reports/funnel/export?scopeId={c.Target.UnitId}&from=2030-01-01&to=2030-01-31"))),
        new("GET /api/reports/activity/export", "the activity of the unit's rep as CSV", Expect.Downward,
            c => Allowed(c.Caller.GetTextAsync($"/api/reports/activity/export?scopeId={c.Target.RepId}&from=2030-01-01&to=2030-01-31&format=xlsx"))),

        // Tasks: managers give tasks within their subtree, reps to themselves; the assignee completes, the giver manages.
        new("POST /api/tasks", "a task for the unit's rep about its customer", Expect.Downward,
            c => Allowed(TaskProbes.CreateForAsync(c.Caller, c.Target), invalidMeansDenied: "customerIds")),
        new("POST /api/tasks", "a task split over the unit's reps", Expect.ManagersDownward,
            c => Allowed(TaskProbes.SplitAsync(c.Caller, c.Target), invalidMeansDenied: "customerIds")),
        new("GET /api/tasks/{id}", "a task given to the unit's rep", Expect.Downward,
            async c => await Allowed(c.Caller.GetAsync($"/api/tasks/{await TaskProbes.AdminTaskAsync(c.Target)}"))),
        new("GET /api/tasks/{id}/progress", "a task given to the unit's rep", Expect.ManagersDownward,
            async c => await Allowed(c.Caller.GetAsync($"/api/tasks/{await TaskProbes.AdminTaskAsync(c.Target)}/progress"))),
        new("POST /api/tasks/{id}/complete", "a task given to the unit's rep (only its assignee)", new(Rel.None, Rel.None, Rel.Own),
            c => Allowed(TaskProbes.OnAdminTaskAsync(c, "complete", new CompleteTaskRequest("done")))),
        new("POST /api/tasks/{id}/reassign", "a task given to the unit's rep, to a new rep of the unit", Expect.ManagersDownward,
            async c => await Allowed(TaskProbes.OnAdminTaskAsync(c, "reassign", new ReassignTaskRequest(await c.Target.NewRepAsync()), overLead: true))),
        new("POST /api/tasks/{id}/cancel", "a task given to the unit's rep", Expect.ManagersDownward,
            c => Allowed(TaskProbes.OnAdminTaskAsync(c, "cancel"))),
        new("GET /api/reps/{id}/tasks", "the unit's rep's to-do", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/tasks"))),

        // Sequences: managers and admins write them for their subtree; whoever sees a sequence (its unit, above or below
        // for managers) enrols the customers it sees; only the owner marks a step done.
        new("POST /api/sequences", "a sequence of the unit", Expect.ManagersDownward,
            c => Allowed(c.Caller.SendAsync<SequenceDto>(HttpMethod.Post, "/api/sequences", SequenceProbes.Request(c.Target.UnitId)), invalidMeansDenied: "orgUnitId")),
        new("GET /api/sequences/{id}", "a sequence of the unit", new(Rel.All, Rel.Own | Rel.Below | Rel.Above, Rel.Own | Rel.Above),
            async c => await Allowed(c.Caller.GetAsync($"/api/sequences/{await SequenceProbes.AdminSequenceAsync(c.Target)}"))),
        new("POST /api/sequences/{id}/enrolments", "the unit's rep's customer into a sequence of the unit", Expect.Downward,
            async c => await Allowed(c.Caller.SendAsync<EnrolResult>(HttpMethod.Post, $"/api/sequences/{await SequenceProbes.AdminSequenceAsync(c.Target)}/enrolments",
                new EnrolRequest([(await c.Target.NewOwnedAsync()).Id])), invalidMeansDenied: "customerIds")),
        new("DELETE /api/sequences/{id}/enrolments/{customerId}", "an enrolment of the unit's rep's customer", Expect.Downward,
            async c =>
            {
                var (sequence, customer) = await SequenceProbes.EnrolledAsync(c.Target);
                return await Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Delete, $"/api/sequences/{sequence}/enrolments/{customer}"));
            }),
        new("POST /api/sequences/{id}/enrolments/{customerId}/steps/{index}/done", "a step of the unit's rep (only that rep)", new(Rel.None, Rel.None, Rel.Own),
            SequenceProbes.CompleteAsync),
        new("GET /api/reps/{id}/sequence-steps", "the unit's rep's steps", Expect.Downward,
            c => Allowed(c.Caller.GetAsync($"/api/reps/{c.Target.RepId}/sequence-steps"))),

        // Plugins: managers and admins see them and try strategies; only admins reload.
        new("GET /api/plugins", "the loaded plugins", new(Rel.All, Rel.All, Rel.None), c => Allowed(c.Caller.GetAsync("/api/plugins")), PerRelation: false),
        new("POST /api/plugins/reload", "a plugin reload", Expect.AdminOnly,
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/plugins/reload")), PerRelation: false),
        new("POST /api/plugins/assignment/{name}/trial", "a round-robin trial", new(Rel.All, Rel.All, Rel.None),
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/plugins/assignment/round-robin/trial", Plugins.Leads.Request())), PerRelation: false),
        new("POST /api/plugins/dedup/{name}/trial", "an identity-keys trial", new(Rel.All, Rel.All, Rel.None),
            c => Allowed(c.Caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/plugins/dedup/identity-keys/trial",
                new { incoming = Plugins.Leads.Customer("Li Wei", phone: "13800138000"), existing = Plugins.Leads.Customer("Li W", phone: "138 0013 8000") })), PerRelation: false),
    ];

    /// <summary>
    /// 2xx: allowed. 403 or 404: refused. A 400 on <paramref name="invalidMeansDenied"/> is a refusal too: a unit or
    /// pool out of reach is answered as if it did not exist. Anything else fails the test.
    /// </summary>
    /// <summary>Imports a one-row CSV as the caller; answered like any other request (200 with the report, or a refusal).</summary>
    private static async Task<ApiResponse<JsonElement>> ImportOneRowAsync(CrmApi caller, string poolId)
    {
        using var http = new HttpClient { BaseAddress = caller.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", caller.Token);
        var content = new StringContent($"name,phone\nMatrix {Guid.NewGuid():N},\n", System.Text.Encoding.UTF8, "text/csv");
        using var response = await http.PostAsync($"/api/customers/import?poolId={poolId}", content);
        var body = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
        {
            var report = JsonDocument.Parse(body).RootElement.Clone();
            Assert.Equal(1, report.GetProperty("created").GetInt32());
            return new ApiResponse<JsonElement>(response.StatusCode, report, null, body);
        }

        JsonElement? problem = body.TrimStart().StartsWith('{') ? JsonDocument.Parse(body).RootElement.Clone() : null;
        return new ApiResponse<JsonElement>(response.StatusCode, default, problem, body);
    }

    /// <summary>The id of a reindex job: one the admin starts, or the one running already.</summary>
    private static async Task<string> ReindexJobIdAsync(CrmApi admin)
    {
        var response = await admin.SendAsync<JsonElement>(HttpMethod.Post, "/api/admin/dedup/reindex");
        return response.Status == HttpStatusCode.Accepted
            ? response.Value.GetProperty("id").GetString()!
            : response.EnsureStatus(HttpStatusCode.Conflict).Problem!.Value.GetProperty("jobId").GetString()!;
    }

    public static async Task<bool> Allowed<T>(Task<ApiResponse<T>> request, string? invalidMeansDenied = null)
    {
        var response = await request;
        if ((int)response.Status is >= 200 and < 300)
        {
            return true;
        }

        if (response.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound
            || (response.Status == HttpStatusCode.BadRequest && invalidMeansDenied is not null && response.ErrorFields.Contains(invalidMeansDenied)))
        {
            return false;
        }

        throw new Xunit.Sdk.XunitException($"Neither allowed nor refused: {(int)response.Status} {response.Body}");
    }

    /// <summary>A bulk action: refused as a whole (403/404), or answered per customer (the one customer's outcome).</summary>
    public static async Task<bool> Succeeded(Task<ApiResponse<BulkResult>> request)
    {
        var response = await request;
        // A move into a pool out of the caller's reach is refused as an unknown pool is: 400 on toPoolId.
        return response.Status == HttpStatusCode.OK ? Assert.Single(response.Value!.Items).Ok : await Allowed(Task.FromResult(response), invalidMeansDenied: "toPoolId");
    }

    /// <summary>Whether a list (or tree, or CSV) shows an item; a refused list (403/404) shows nothing.</summary>
    public static async Task<bool> Lists<T>(Task<ApiResponse<T>> request, object id)
    {
        var response = await request;
        if (response.Status == HttpStatusCode.OK)
        {
            return response.Body.Contains(id.ToString()!, StringComparison.Ordinal);
        }

        return await Allowed(Task.FromResult(response));
    }
}
