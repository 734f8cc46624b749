using System.Text.Json;
using System.Text.Json.Serialization;
using Crm.Server.Api.Admin;
using Crm.Server.Api.Assignment;
using Crm.Server.Api.Audit;
using Crm.Server.Api.Auth;
using Crm.Server.Api.Calendars;
using Crm.Server.Api.CustomFields;
using Crm.Server.Api.Contracts;
using Crm.Server.Api.Common;
using Crm.Server.Auth;
using Crm.Server.Api.Customers;
using Crm.Server.Api.DailyReports;
using Crm.Server.Api.Deals;
using Crm.Server.Api.Dedup;
using Crm.Server.Api.Exports;
using Crm.Server.Api.FieldWork;
using Crm.Server.Api.Leaderboards;
using Crm.Server.Api.Levels;
using Crm.Server.Api.Notes;
using Crm.Server.Api.Notifications;
using Crm.Server.Api.OrgUnits;
using Crm.Server.Api.Plugins;
using Crm.Server.Api.Pools;
using Crm.Server.Api.Activity;
using Crm.Server.Api.Regions;
using Crm.Server.Api.Reps;
using Crm.Server.Api.Rfm;
using Crm.Server.Api.Targets;
using Crm.Server.Api.Tasks;
using Crm.Server.Api.Users;
using Crm.Server.Diagnostics;
using Crm.Server.Health;
using Crm.Server.Idempotency;
using Crm.Server.Hubs;
using Microsoft.AspNetCore.Http.Json;
using Scalar.AspNetCore;

namespace Crm.Server.Composition;

public static class ApiComposition
{
    /// <summary>ProblemDetails, enums as camelCase strings (REST and SignalR), the OpenAPI document and the health checks.</summary>
    public static WebApplicationBuilder AddCrmApi(this WebApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = StatusProblemCodes.AddMissing);
        builder.Services.AddBindingFailureAnswers();
        builder.Services.Configure<JsonOptions>(o =>
        {
            o.SerializerOptions.Converters.Add(new StrictEnumConverter());
            o.SerializerOptions.Converters.Add(new OffsetDateTimeConverter());
            // A number is a JSON number ("5" is a 400 naming the field, as the docs say), and a field the route does not
            // take is a 400 naming it: dropping it silently turned {"rules": {...}} sent to PUT .../rules into "no rules",
            // and a payment's "currency" into the contract's.
            o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            o.SerializerOptions.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        });
        builder.Services.AddSignalR().AddJsonProtocol(o => o.PayloadSerializerOptions.Converters.Add(new StrictEnumConverter()));
        builder.Services.AddOpenApi(o => o.AddSchemaTransformer<EnumSchema>().AddSchemaTransformer<OffsetDateTimeSchema>().AddSchemaTransformer<InputBoundsSchema>().AddSchemaTransformer<NullableMapValuesSchema>().AddOperationTransformer<ProblemResponses>());
        builder.Services.AddCrmWebApp();
        builder.AddCrmHealth();
        builder.AddCrmIdempotency();
        return builder;
    }

    /// <summary>The request pipeline: errors as ProblemDetails, request logging, body size limits per route, 503 for outages, authentication and authorization, idempotency keys.</summary>
    public static WebApplication UseCrmApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Only with a proxy configured: with no known proxy at all, ASP.NET Core takes X-Forwarded-For from any client,
        // which would let anyone pick the address the sign-in limits count and the audit log records.
        if (app.Configuration.GetSection($"{LoginOptions.Section}:TrustedProxies").Get<string[]>() is { Length: > 0 })
        {
            app.UseForwardedHeaders();
        }

        app.UseRequestLogging();
        app.UseBodySizeLimits();
        app.UseQueryTextCheck();
        app.UseCrmWebApp();
        app.UseCrmOutageAnswers();
        app.UseAuthentication();
        app.UseAuthorization();
        // After authentication: the lookup limits are per user (sign-in's per address do not mind).
        app.UseRateLimiter();
        app.UseCrmIdempotency();
        app.UseBindingFailureAnswers();
        // An enum in the query by its lower-case name, as in a body (Api/Common/EnumQueryValues).
        app.UseEnumQueryValues();
        return app;
    }

    /// <summary>Health, the API documents, every REST route group and the reps' hub.</summary>
    public static WebApplication MapCrmApi(this WebApplication app)
    {
        app.MapCrmHealth();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/docs").AllowAnonymous();
        app.MapGet("/", () => Results.Redirect("/docs")).ExcludeFromDescription();
        // Every route's JSON body is checked against its bounds before its handler runs (Api/Common/InputBounds).
        // A grain call refused by a stopping silo is run once more (Health/RefusedCallRetry).
        var api = app.MapGroup("").AddEndpointFilterFactory(InputBoundsFilter.Create).AddEndpointFilter<RefusedCallRetry>();
        // The one /api/customers group (signed-in callers, the filters above): each capability maps its routes about a
        // customer onto it under its own OpenAPI tag, so no second group of that prefix can drift in auth or filters.
        var customers = api.MapGroup("/api/customers").RequireAuthorization();
        customers.MapCustomersApi().MapCustomerDetailsApi().MapDedupApi().MapCustomerNotesApi().MapExportsApi();
        api.MapAuthApi();
        api.MapOrgUnitsApi();
        api.MapUsersApi();
        api.MapPoolsApi();
        api.MapDedupAdminApi();
        api.MapRepsApi();
        api.MapPoolBulkApi(customers);
        api.MapStatusPoolsApi();
        api.MapNoteTemplatesApi();
        api.MapNoteRemindersApi();
        api.MapAdminApi();
        api.MapPoolMembersApi();
        api.MapRegionsApi();
        api.MapAuditApi();
        api.MapPluginsApi();
        api.MapAssignmentApi();
        api.MapPipelinesApi();
        api.MapProductsApi();
        api.MapLoseReasonsApi();
        api.MapDealsApi(customers);
        api.MapCustomFieldsApi(customers);
        api.MapContractsAndMoneyApi();
        api.MapLevelsApi(customers);
        api.MapFieldWorkApi(customers);
        api.MapNotificationsApi();
        api.MapCalendarsApi();
        api.MapCrmTasksApi();
        api.MapTargetsApi();
        api.MapLeaderboardsApi();
        api.MapRfmApi();
        api.MapDailyReportsApi();
        api.MapActivityReportsApi();
        app.MapHub<RepHub>(RepHub.Path);
        app.MapCrmDashboard();
        return app;
    }
}
