using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Crm.Server.Api.Common;

/// <summary>The name a route's validation gives its body in field errors (<c>rules</c> for <c>PUT /api/pools/{id}/rules</c>).</summary>
public sealed record InputBoundsPrefix(string Prefix);

/// <summary>
/// Refuses a JSON body with anything past its bound (<see cref="InputBounds"/>) with a 400 naming the fields, before
/// the handler runs: nothing of it reaches a grain or the database. Added to every API route; a route without a
/// JSON body gets no filter at all.
/// </summary>
public static class InputBoundsFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        // Minimal APIs bind a Crm type that is not a service from the JSON body; those are the parameters to check.
        var services = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var bodies = context.MethodInfo.GetParameters()
            .Where(p => IsBody(p, services))
            .Select(p => p.Position)
            .ToArray();
        if (bodies.Length == 0)
        {
            return next;
        }

        return async invocation =>
        {
            var validation = new Validation();
            var prefix = invocation.HttpContext.GetEndpoint()?.Metadata.GetMetadata<InputBoundsPrefix>()?.Prefix ?? "";
            foreach (var position in bodies)
            {
                RequestText.Clean(invocation.Arguments[position]);
                InputBounds.Check(invocation.Arguments[position], validation, prefix);
            }

            return validation.IsValid ? await next(invocation) : validation.ToProblem();
        };
    }

    private static bool IsBody(ParameterInfo parameter, IServiceProviderIsService services)
    {
        var type = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        if (parameter.GetCustomAttributes().Any(a => a is IFromBodyMetadata))
        {
            return true;
        }

        return InputBounds.IsRecord(type) && !services.IsService(type)
            && !parameter.GetCustomAttributes().Any(a => a is IFromServiceMetadata or IFromQueryMetadata or IFromRouteMetadata or IFromHeaderMetadata or AsParametersAttribute);
    }
}
