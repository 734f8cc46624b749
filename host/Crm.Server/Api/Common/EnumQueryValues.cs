using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;

namespace Crm.Server.Api.Common;

/// <summary>
/// An enum in a query string takes the names a JSON body's enums are written with: camelCase (<c>?stage=lead</c>; the
/// docs and the OpenAPI document say so), in any case. The route handlers bound an enum parameter by its .NET name only
/// (<c>Lead</c>), by its number, or by a list of names: <c>GET /api/customers?stage=lead</c> was a 400. This binding
/// convention covers every route handler's enum parameter read from the query: before the endpoint runs, a value that
/// is one of the enum's names is handed on as its .NET name; anything else (a number, a list, no value) is a 400 naming
/// the parameter and the values it takes. So a handler declares an enum parameter rather than parsing a string itself
/// (<c>statusPool</c> and <c>scope</c> did, and took <c>-1</c> and lists).
/// </summary>
public static class EnumQueryValues
{
    private static readonly ConditionalWeakTable<Endpoint, EnumParameter[]> Parameters = new();

    /// <summary>An enum parameter of a handler as the query names it, with the enum's names.</summary>
    private sealed record EnumParameter(string Name, EnumWireNames Names);

    public static IApplicationBuilder UseEnumQueryValues(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        if (context.GetEndpoint() is not { } endpoint || Parameters.GetValue(endpoint, Find) is not { Length: > 0 } parameters)
        {
            await next(context);
            return;
        }

        Dictionary<string, StringValues>? rewritten = null;
        foreach (var parameter in parameters)
        {
            if (!context.Request.Query.TryGetValue(parameter.Name, out var values))
            {
                continue;
            }

            if (values.Count != 1 || parameter.Names.NetName(values[0]!) is not { } name)
            {
                // As the handlers' own checks answer, JSON whatever the Accept header asks for (a CSV export's).
                await TypedResults.ValidationProblem(new Dictionary<string, string[]> { [parameter.Name] = [$"Must be one of: {parameter.Names.Listed}."] })
                    .ExecuteAsync(context);
                return;
            }

            if (name != values[0])
            {
                rewritten ??= new Dictionary<string, StringValues>(context.Request.Query, StringComparer.OrdinalIgnoreCase);
                rewritten[parameter.Name] = name;
            }
        }

        if (rewritten is not null)
        {
            // The raw query string stays as sent (request logs); the handler's binding reads this.
            context.Request.Query = new QueryCollection(rewritten);
        }

        await next(context);
    });

    /// <summary>The enum parameters a route handler binds from the query string (by name, explicitly or implicitly).</summary>
    private static EnumParameter[] Find(Endpoint endpoint)
    {
        if (endpoint is not RouteEndpoint route || endpoint.Metadata.GetMetadata<MethodInfo>() is not { } method)
        {
            return [];
        }

        return method.GetParameters()
            .Where(p => (Nullable.GetUnderlyingType(p.ParameterType) ?? p.ParameterType).IsEnum)
            .Where(p => !p.GetCustomAttributes().Any(a => a is IFromRouteMetadata or IFromHeaderMetadata or IFromBodyMetadata or IFromFormMetadata
                or IFromServiceMetadata))
            .Select(p => (Parameter: p, Name: p.GetCustomAttributes().OfType<IFromQueryMetadata>().FirstOrDefault()?.Name ?? p.Name!))
            .Where(p => p.Parameter.GetCustomAttributes().OfType<IFromQueryMetadata>().Any() || !IsRouteValue(route.RoutePattern, p.Name))
            .Select(p => new EnumParameter(p.Name, EnumWireNames.Of(Nullable.GetUnderlyingType(p.Parameter.ParameterType) ?? p.Parameter.ParameterType)))
            .ToArray();
    }

    private static bool IsRouteValue(RoutePattern pattern, string name) => pattern.GetParameter(name) is not null;
}
