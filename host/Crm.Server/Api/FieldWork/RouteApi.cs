using System.Globalization;
using Crm.Client;
using Crm.Grains.Visits;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Org;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.FieldWork;

/// <summary>
/// A rep's route for a day: the customers it planned to visit that day (visit tasks and next follow-up dates), ordered by
/// <see cref="RoutePlanner"/> from the start point. A rep sees its own; a manager its team's.
/// </summary>
public static class RouteApi
{
    public const int MaxStops = 200;

    public static IEndpointRouteBuilder MapRouteApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reps").WithTags("Field work").RequireAuthorization().MapGet("/{id}/route", Route);
        return app;
    }

    private static async Task<Results<Ok<RouteDto>, ValidationProblem, ProblemHttpResult>> Route(
        string id, string? date, string? startLat, string? startLon, HttpContext http, UserDirectory users, FieldWorkQueries queries,
        IOptions<FieldWorkOptions> options)
    {
        var validation = new Validation();
        var hasDate = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
        validation.Check(hasDate, "date", "'date' is required, as yyyy-MM-dd.").Date(hasDate ? day : null, "date");
        var (lat, lon) = (validation.Number(startLat, "startLat"), validation.Number(startLon, "startLon"));
        if (startLat is not null || startLon is not null)
        {
            validation.Point(lat, lon, "startLat", "startLon");
        }

        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        if (!await users.IsVisibleAsync(id, http.User.ToVisibility()))
        {
            return ApiResults.NotFound("Rep", id);
        }

        // The day in the business's time zone: a rep in Shanghai plans 00:00 to 24:00 there.
        var zone = options.Value.Zone;
        var from = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(day.ToDateTime(TimeOnly.MinValue)));
        var to = new DateTimeOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue), zone.GetUtcOffset(day.AddDays(1).ToDateTime(TimeOnly.MinValue)));
        var planned = await queries.PlannedAsync(id, from, to);
        var located = planned.Where(p => p.Point is not null).Take(MaxStops).ToList();
        GeoPoint? start = lat is { } la && lon is { } lo ? new GeoPoint(la, lo) : null;
        var plan = RoutePlanner.Order(start, located.Select(p => p.Point!).ToList());
        var stops = plan.Order.Select((index, i) => new RouteStopDto(i + 1, located[index].Id, located[index].Name,
            located[index].Point!.Lat, located[index].Point!.Lon, Math.Round(plan.LegMeters[i], 1), located[index].Reason)).ToList();
        return TypedResults.Ok(new RouteDto(id, day, lat, lon, stops, Math.Round(plan.TotalMeters, 1),
            planned.Where(p => p.Point is null).Select(p => p.Id).ToList()));
    }
}
