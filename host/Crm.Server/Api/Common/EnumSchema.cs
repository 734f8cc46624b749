using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Crm.Server.Api.Common;

/// <summary>
/// Gives the OpenAPI document the names of every enum: the document learns them from System.Text.Json's own string
/// converter, which <see cref="StrictEnumConverter"/> stands in for on reading.
/// </summary>
public sealed class EnumSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = context.JsonTypeInfo.Type;
        if (schema.Items is null && ElementOf(type) is { } element)
        {
            // A list of enums (a calendar's weekend days): the document drops the items it could not describe.
            schema.Items = new OpenApiSchema { Type = JsonSchemaType.String, Enum = NamesOf(element) };
            return Task.CompletedTask;
        }

        // A nullable one takes null too, as the document wrote it before (its names and null).
        var nullable = Nullable.GetUnderlyingType(type) is not null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (!type.IsEnum || type.IsDefined(typeof(FlagsAttribute), false))
        {
            return Task.CompletedTask;
        }

        schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
        schema.Enum = NamesOf(type);
        if (nullable)
        {
            schema.Enum.Add(null!);
        }

        return Task.CompletedTask;
    }

    private static List<JsonNode> NamesOf(Type type) => EnumWireNames.Of(type).Values.Select(v => (JsonNode)JsonValue.Create(v.Wire)).ToList();

    /// <summary>The enum a list holds (not a flags one); null for any other type.</summary>
    private static Type? ElementOf(Type type) => type == typeof(string) ? null : type.GetInterfaces().Append(type)
        .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
        .Select(i => i.GetGenericArguments()[0])
        .FirstOrDefault(e => e.IsEnum && !e.IsDefined(typeof(FlagsAttribute), false));
}
