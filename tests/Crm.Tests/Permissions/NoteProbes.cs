using System.Net;
using System.Text.Json;
using Crm.Client;
using Crm.Tests.Infrastructure;
using Crm.Tests.Notes;

namespace Crm.Tests.Permissions;

/// <summary>Probes of the quick-note routes for the permission matrix; templates are set up by the world's admin.</summary>
public static class NoteProbes
{
    private static string NewId() => $"matrix-{Guid.NewGuid():N}"[..24];

    public static Task<ApiResponse<NoteTemplateDto>> CreateAsync(CrmApi caller, string? unitId) =>
        caller.SendAsync<NoteTemplateDto>(HttpMethod.Post, "/api/note-templates", NoteTemplateBuilder.FirstVisit(NewId()) with { OrgUnitId = unitId });

    /// <summary>A fresh template belonging to the unit.</summary>
    public static async Task<string> TemplateOfAsync(WorldUnit unit) =>
        (await CreateAsync(unit.World.Admin, unit.UnitId)).EnsureStatus(HttpStatusCode.Created).Value!.Id;

    /// <summary>A fresh company-wide template.</summary>
    public static async Task<string> CompanyTemplateAsync(PermissionWorld world) =>
        (await CreateAsync(world.Admin, null)).EnsureStatus(HttpStatusCode.Created).Value!.Id;

    public static async Task<ApiResponse<NoteDto>> AddNoteAsync(CrmApi caller, WorldUnit unit) =>
        await caller.SendAsync<NoteDto>(HttpMethod.Post, $"/api/customers/{(await unit.NewOwnedAsync()).Id}/notes",
            new AddNoteRequest(await CompanyTemplateAsync(unit.World), NoteTemplateBuilder.Answers(new { budget = "<100k", met_decision_maker = true })));

    /// <summary>
    /// Import into the unit. No plugin offering templates may be loaded in the test server, so a 404 naming the plugin
    /// means the caller passed the permission check; a 403 (or 400 on the unit) means it did not.
    /// </summary>
    public static async Task<bool> ImportAsync(CrmApi caller, WorldUnit unit)
    {
        var response = await caller.SendAsync<JsonElement>(HttpMethod.Post, "/api/note-templates/import",
            new ImportNoteTemplatesRequest("Crm.Plugins.Standard", OrgUnitId: unit.UnitId));
        if (response.Status == HttpStatusCode.NotFound && response.Problem?.TryGetProperty("plugin", out _) == true)
        {
            return true;
        }

        return await PermissionMatrix.Allowed(Task.FromResult(response), invalidMeansDenied: "orgUnitId");
    }
}
