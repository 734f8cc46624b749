using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.FieldWork;

/// <summary>
/// Location consent (a rep grants it for a device; nobody grants it for another) and a unit's permission to visit
/// outside working hours (its managers and admins set it).
/// </summary>
public static class FieldWorkSettingsApi
{
    public static IEndpointRouteBuilder MapFieldWorkSettingsApi(this IEndpointRouteBuilder app)
    {
        var reps = app.MapGroup("/api/reps").WithTags("Field work").RequireAuthorization();
        reps.MapGet("/{id}/location-consents", Consents);
        reps.MapPut("/{id}/location-consents", SetConsent);
        var units = app.MapGroup("/api/org-units").WithTags("Field work").RequireAuthorization();
        units.MapGet("/{id}/field-work", UnitSettings);
        units.MapPut("/{id}/field-work", SetUnitSettings).RequireAuthorization(Policies.ManagerOrAdmin);
        return app;
    }

    private static async Task<Results<Ok<IReadOnlyList<LocationConsentDto>>, ProblemHttpResult>> Consents(
        string id, HttpContext http, UserDirectory users, FieldWorkSettings settings) =>
        await users.IsVisibleAsync(id, http.User.ToVisibility())
            ? TypedResults.Ok(await settings.ConsentsAsync(id))
            : ApiResults.NotFound("Rep", id);

    private static async Task<Results<Ok<LocationConsentDto>, ValidationProblem, ProblemHttpResult>> SetConsent(
        string id, LocationConsentRequest request, HttpContext http, UserDirectory users, FieldWorkSettings settings)
    {
        var validation = new Validation().Require(request.DeviceId, "deviceId", 100).Require(request.Granted, "granted");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var caller = http.User.ToActor();
        if (id != caller.UserId)
        {
            return await users.IsVisibleAsync(id, http.User.ToVisibility())
                ? ApiResults.Problem(new(ErrorCodes.Forbidden, "Only the rep may give or withdraw its own location consent.", 403))
                : ApiResults.NotFound("Rep", id);
        }

        return TypedResults.Ok(await settings.SetConsentAsync(id, request.DeviceId!.Trim(), request.Granted!.Value));
    }

    private static async Task<Results<Ok<FieldWorkSettingsDto>, ProblemHttpResult>> UnitSettings(
        string id, HttpContext http, OrgUnitDirectory units, FieldWorkSettings settings)
    {
        if (await units.GetAsync(id) is not { } unit || !http.User.ToVisibility().Reaches(unit.Path))
        {
            return ApiResults.NotFound("Org unit", id);
        }

        var (allowed, decidedBy) = await settings.UnitAllowsOutsideHoursAsync(unit.Path);
        return TypedResults.Ok(new FieldWorkSettingsDto(id, allowed, decidedBy));
    }

    private static async Task<Results<Ok<FieldWorkSettingsDto>, ValidationProblem, ProblemHttpResult>> SetUnitSettings(
        string id, FieldWorkSettingsRequest request, HttpContext http, OrgUnitDirectory units, FieldWorkSettings settings)
    {
        var validation = new Validation().Require(request.AllowOutsideHours, "allowOutsideHours");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (await units.GetAsync(id) is not { } unit || !http.User.ToVisibility().Reaches(unit.Path))
        {
            return ApiResults.NotFound("Org unit", id);
        }

        await settings.SetUnitAsync(id, request.AllowOutsideHours!.Value);
        return TypedResults.Ok(new FieldWorkSettingsDto(id, request.AllowOutsideHours.Value, id));
    }
}
