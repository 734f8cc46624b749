using System.Collections;
using System.Globalization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Crm.Server.Api.Common;

/// <summary>
/// Writes the bounds <see cref="InputBoundsFilter"/> enforces into the OpenAPI document: ASP.NET Core already writes a
/// property's own <c>[MaxLength]</c> and <c>[Range]</c>; this adds the defaults of <see cref="InputBounds"/> to strings,
/// lists and dictionaries that declare none, so that every string, list and map of a request body shows its bound.
/// </summary>
public sealed class InputBoundsSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.JsonPropertyInfo is not { } property)
        {
            return Task.CompletedTask;
        }

        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var declared = property.AttributeProvider is { } provider ? InputBounds.DeclaredMaxLength(provider) : null;
        if (type == typeof(string))
        {
            schema.MaxLength ??= InputBounds.DefaultMaxStringLength;
        }
        else if (typeof(IDictionary).IsAssignableFrom(type) || IsGenericDictionary(type))
        {
            schema.MaxLength = null;
            schema.MaxProperties ??= declared ?? InputBounds.DefaultMaxEntries;
            if (schema.AdditionalProperties is OpenApiSchema { Type: { } valueType } values && valueType.HasFlag(JsonSchemaType.String) && values.Format is null)
            {
                values.MaxLength ??= InputBounds.DefaultMaxStringLength;
            }
        }
        else if (type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type))
        {
            schema.MaxItems ??= declared ?? InputBounds.DefaultMaxItems;
            if (schema.Items is OpenApiSchema { Type: { } itemType } items && itemType.HasFlag(JsonSchemaType.String) && items.Format is null && items.Enum is not { Count: > 0 })
            {
                items.MaxLength ??= InputBounds.DefaultMaxStringLength;
            }
        }
        else if (type == typeof(System.Text.Json.JsonElement))
        {
            schema.Description ??= string.Create(CultureInfo.InvariantCulture,
                $"Free-form JSON: at most {InputBounds.DefaultMaxEntries} entries per object, {InputBounds.DefaultMaxItems} items per array, strings of {InputBounds.DefaultMaxStringLength} characters, {InputBounds.MaxJsonDepth} levels.");
        }

        return Task.CompletedTask;
    }

    private static bool IsGenericDictionary(Type type) =>
        type.IsGenericType && type.GetInterfaces().Append(type).Any(i => i.IsGenericType &&
            (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
}
