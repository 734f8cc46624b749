using System.Reflection;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Crm.Server.Api.Common;

/// <summary>
/// A map whose values may be null (<c>IReadOnlyDictionary&lt;string, string?&gt;</c>, a timeline entry's <c>data</c>)
/// says so in the OpenAPI document. The document reads a property's own nullability but not its type arguments', so it
/// wrote such values as plain strings, and a strict client generated from it (Kotlin, Swift) failed on the nulls.
/// </summary>
public sealed class NullableMapValuesSchema : IOpenApiSchemaTransformer
{
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        // A context per call: NullabilityInfoContext is not thread-safe.
        if (context.JsonPropertyInfo?.AttributeProvider is PropertyInfo property
            && schema.AdditionalProperties is OpenApiSchema { Type: { } valueType } values
            && new NullabilityInfoContext().Create(property).GenericTypeArguments is [_, { ReadState: NullabilityState.Nullable }])
        {
            values.Type = valueType | JsonSchemaType.Null;
        }

        return Task.CompletedTask;
    }
}
