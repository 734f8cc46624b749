using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Visits;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.FieldWork;

/// <summary>Check-in and check-out at customers (docs/field-work.md). The customer grain decides; the visits table answers reads.</summary>
public static class VisitsApi
{
    public const int MaxPhotos = 10;

    /// <summary>How late a check-in may be sent (a phone that was offline syncs later).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(7);

    /// <summary>Check-ins on the shared <c>/api/customers</c> group, the visits' own routes under <c>/api/visits</c>.</summary>
    public static IEndpointRouteBuilder MapVisitsApi(this IEndpointRouteBuilder app, RouteGroupBuilder customers)
    {
        var atCustomer = customers.MapGroup("").WithTags("Field work");
        atCustomer.MapPost("/{id:guid}/visits", CheckIn);
        atCustomer.MapGet("/{id:guid}/visits", List);
        var visits = app.MapGroup("/api/visits").WithTags("Field work").RequireAuthorization();
        visits.MapGet("/{id}", Get);
        visits.MapPost("/{id}/check-out", CheckOut);
        return app;
    }

    private static async Task<Results<Created<VisitDto>, ValidationProblem, ProblemHttpResult>> CheckIn(
        Guid id, CheckInRequest request, HttpContext http, IGrainFactory grains, FieldWorkQueries queries, FieldWorkSettings settings,
        FileStore files, IOptions<FieldWorkOptions> options, CalendarDirectory calendars, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var photos = request.Photos ?? [];
        var validation = new Validation().Point(request.Lat, request.Lon).Accuracy(request.Accuracy)
            .Require(request.DeviceId, "deviceId", 100)
            .Check(request.At is null || request.At >= now - MaxDelay, "at", $"A check-in may be sent at most {MaxDelay.TotalDays:0} days late.")
            .Check(photos.Count <= MaxPhotos, "photos", $"At most {MaxPhotos} photos.")
            .Check(photos.All(p => !string.IsNullOrWhiteSpace(p) && p.Length <= 64), "photos", "Each photo is a file id from POST /api/files.")
            .MaxLength(request.Outcome, "outcome", 200)
            .MaxLength(request.Text, "text", 4000);
        var actor = http.User.ToActor();
        if (validation.IsValid)
        {
            validation.Check(await files.AreFreeAsync(photos, actor.UserId), "photos",
                "Each photo must be a file you uploaded that is not linked to another visit.");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var at = request.At ?? now;
        var deviceId = request.DeviceId!.Trim();
        var (allowed, _) = await settings.UnitAllowsOutsideHoursAsync(actor.OrgUnitPath);
        // Working hours are read in the calendar of the rep's unit when one is set there or above (its zone, holidays).
        var (calendar, calendarSetOn) = await calendars.ForUnitAsync(actor.OrgUnitId);
        var command = new CheckInCommand(GeoInput.ToPoint(request.Lat, request.Lon), request.Accuracy, request.At, deviceId,
            photos.Distinct().ToList(), request.Outcome, request.Text,
            await settings.HasConsentAsync(actor.UserId, deviceId), await queries.PreviousCheckInAsync(actor.UserId, at), options.Value.Policy(allowed, calendarSetOn is null ? null : calendar.Definition));
        var visit = await grains.GetGrain<IFieldWorkGrain>(id).CheckIn(command, actor);
        if (visit.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        return TypedResults.Created($"/api/visits/{visit.Value!.VisitId}", (await queries.VisitAsync(visit.Value.VisitId))!);
    }

    private static async Task<Results<Ok<VisitDto>, ValidationProblem, ProblemHttpResult>> CheckOut(
        string id, CheckOutRequest? request, HttpContext http, IGrainFactory grains, FieldWorkQueries queries, CustomerQueries customers,
        IOptions<FieldWorkOptions> options)
    {
        var validation = new Validation();
        if (request?.Lat is not null || request?.Lon is not null)
        {
            validation.Point(request.Lat, request.Lon);
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (id.Length > 64 || await queries.VisitAsync(id) is not { } visit || !await customers.IsVisibleAsync(visit.CustomerId, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Visit", id.Length > 64 ? id[..64] : id);
        }

        GeoPoint? point = request?.Lat is { } la && request.Lon is { } lo ? new GeoPoint(la, lo) : null;
        var ended = await grains.GetGrain<IFieldWorkGrain>(visit.CustomerId)
            .CheckOut(id, new CheckOutCommand(point, request?.At, options.Value.Policy(false)), http.User.ToActor());
        if (ended.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        return TypedResults.Ok((await queries.VisitAsync(id))!);
    }

    private static async Task<Results<Ok<VisitDto>, ProblemHttpResult>> Get(string id, HttpContext http, FieldWorkQueries queries, CustomerQueries customers) =>
        id.Length <= 64 && await queries.VisitAsync(id) is { } visit && await customers.IsVisibleAsync(visit.CustomerId, http.User.ToVisibility())
            ? TypedResults.Ok(visit)
            : ApiResults.NotFound("Visit", id.Length > 64 ? id[..64] : id);

    /// <summary>A customer's visits, newest first (at most <c>limit</c>, default 50).</summary>
    private static async Task<Results<Ok<IReadOnlyList<VisitDto>>, ValidationProblem, ProblemHttpResult>> List(
        Guid id, int? limit, HttpContext http, FieldWorkQueries queries, CustomerQueries customers)
    {
        var validation = new Validation().Check(limit is null or >= 1 and <= 500, "limit", "Must be between 1 and 500.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        return await customers.IsVisibleAsync(id, http.User.ToVisibility())
            ? TypedResults.Ok(await queries.VisitsOfAsync(id, limit ?? 50))
            : ApiResults.NotFound("Customer", id.ToString());
    }
}
