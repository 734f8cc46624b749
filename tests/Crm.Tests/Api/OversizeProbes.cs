using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Crm.Tests.Api;

/// <summary>One request that puts one value past its bound: which route, which field the 400 must name, and the body.</summary>
public sealed record OversizeProbe(string Method, string Path, string Field, string What, JsonNode Body)
{
    public override string ToString() => $"{Method} {Path} {Field} ({What})";
}

/// <summary>
/// Reads the server's OpenAPI document and derives, for every route with a JSON body, bodies that each break one
/// bound: a string one character past its <c>maxLength</c> (100 000 characters when none is documented), a list one
/// item past <c>maxItems</c>, a map one entry past <c>maxProperties</c>, a number one past <c>minimum</c> or
/// <c>maximum</c>. The rest of the body is the smallest one the schema requires, so the 400 must be about the probe.
/// </summary>
public sealed class OversizeProbes(JsonElement document)
{
    public const int Undocumented = 100_000;

    private readonly JsonElement _components = document.GetProperty("components").GetProperty("schemas");

    /// <summary>Routes with a JSON body: method, path, body schema.</summary>
    public IEnumerable<(string Method, string Path, JsonElement Schema)> JsonRoutes()
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("requestBody", out _)))
            {
                if (operation.Value.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out var json))
                {
                    yield return (operation.Name.ToUpperInvariant(), path.Name, Resolve(json.GetProperty("schema")));
                }
            }
        }
    }

    public IEnumerable<OversizeProbe> All() =>
        JsonRoutes().SelectMany(r => ObjectProbes(r.Schema, "").Select(p => new OversizeProbe(r.Method, r.Path, p.Field, p.What, p.Body)));

    /// <summary>
    /// Every top-level string of every request body at exactly its documented <c>maxLength</c> (the rest the smallest
    /// valid body): the bound the document gives must be the one the server keeps, not a larger default.
    /// </summary>
    public IEnumerable<OversizeProbe> AtBound() =>
        JsonRoutes().SelectMany(r => StringsAtBound(r.Schema).Select(p => new OversizeProbe(r.Method, r.Path, p.Field, p.What, p.Body)));

    private IEnumerable<(string Field, string What, JsonNode Body)> StringsAtBound(JsonElement schema)
    {
        if (!schema.TryGetProperty("properties", out var properties))
        {
            yield break;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var value = Resolve(property.Value);
            if (Kind(value) == "string" && !IsFormatted(value) && Number(value, "maxLength") is { } max)
            {
                var body = Smallest(schema);
                body[property.Name] = new string('x', (int)max);
                yield return (property.Name, $"{max} characters", body);
            }
        }
    }

    /// <summary>Every leaf of every request body with the bound it lacks (empty when all are documented).</summary>
    public IEnumerable<string> Unbounded() => JsonRoutes().SelectMany(r => UnboundedIn(r.Schema, $"{r.Method} {r.Path} ", 0)).Distinct();

    private IEnumerable<string> UnboundedIn(JsonElement schema, string path, int depth)
    {
        if (depth > 6 || !schema.TryGetProperty("properties", out var properties))
        {
            yield break;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var value = Resolve(property.Value);
            var name = path + property.Name;
            var missing = Kind(value) switch
            {
                "string" when !IsFormatted(value) && !Has(value, "maxLength") => "maxLength",
                "array" when !Has(value, "maxItems") => "maxItems",
                "map" when !Has(value, "maxProperties") => "maxProperties",
                "integer" or "number" when !Has(value, "minimum") || !Has(value, "maximum") => "minimum and maximum",
                _ => null,
            };
            if (missing is not null)
            {
                yield return $"{name}: no {missing}";
            }

            var inner = Kind(value) == "array" ? Resolve(value.GetProperty("items")) : value;
            foreach (var nested in UnboundedIn(inner, name + ".", depth + 1))
            {
                yield return nested;
            }
        }
    }

    private IEnumerable<(string Field, string What, JsonNode Body)> ObjectProbes(JsonElement schema, string prefix, int depth = 0)
    {
        if (depth > 6 || !schema.TryGetProperty("properties", out var properties))
        {
            yield break;
        }

        foreach (var property in properties.EnumerateObject())
        {
            var value = Resolve(property.Value);
            var field = prefix + property.Name;
            foreach (var (inner, what, node) in ValueProbes(value, field, depth))
            {
                var body = Smallest(schema);
                body[property.Name] = node;
                yield return (inner, what, body);
            }
        }
    }

    private IEnumerable<(string Field, string What, JsonNode Node)> ValueProbes(JsonElement value, string field, int depth)
    {
        switch (Kind(value))
        {
            case "string" when !IsFormatted(value):
                var length = Number(value, "maxLength") is { } max ? (int)max + 1 : Undocumented;
                yield return (field, $"{length} characters", JsonValue.Create(new string('x', length)));
                break;
            case "integer" or "number":
                if (Number(value, "minimum") is { } minimum)
                {
                    yield return (field, "below minimum", JsonValue.Create(minimum - 1));
                }

                if (Number(value, "maximum") is { } maximum && maximum < int.MaxValue)
                {
                    yield return (field, "above maximum", JsonValue.Create(maximum + 1));
                }

                break;
            case "array":
                var items = Resolve(value.GetProperty("items"));
                var count = Number(value, "maxItems") is { } maxItems ? (int)maxItems + 1 : Undocumented;
                yield return (field, $"{count} items", new JsonArray(Enumerable.Range(0, count).Select(i => Sample(items, i)).ToArray()));
                foreach (var (inner, what, node) in ValueProbes(items, $"{field}[0]", depth + 1))
                {
                    yield return (inner, what, new JsonArray(node));
                }

                break;
            case "map":
                var entries = Number(value, "maxProperties") is { } maxEntries ? (int)maxEntries + 1 : Undocumented;
                var values = value.TryGetProperty("additionalProperties", out var v) && v.ValueKind == JsonValueKind.Object ? Resolve(v) : default;
                var map = new JsonObject();
                for (var i = 0; i < entries; i++)
                {
                    map[$"k{i}"] = values.ValueKind == JsonValueKind.Object ? Sample(values, i) : JsonValue.Create("x");
                }

                yield return (field, $"{entries} entries", map);
                // A free-form value (no type) or a string value: one entry far too long.
                if (values.ValueKind != JsonValueKind.Object || Kind(values) is "string" or "any")
                {
                    var length2 = values.ValueKind == JsonValueKind.Object && Number(values, "maxLength") is { } m ? (int)m + 1 : Undocumented;
                    yield return ($"{field}.k", $"a value of {length2} characters", new JsonObject { ["k"] = new string('x', length2) });
                }

                break;
            case "object":
                foreach (var probe in ObjectProbes(value, field + ".", depth + 1))
                {
                    yield return probe;
                }

                break;
        }
    }

    /// <summary>The body with only what the schema requires, each the smallest valid-looking value.</summary>
    private JsonObject Smallest(JsonElement schema)
    {
        var body = new JsonObject();
        if (schema.TryGetProperty("required", out var required) && schema.TryGetProperty("properties", out var properties))
        {
            foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
            {
                if (properties.TryGetProperty(name, out var property))
                {
                    body[name] = Sample(Resolve(property), 0);
                }
            }
        }

        return body;
    }

    private JsonNode? Sample(JsonElement schema, int index)
    {
        if (schema.TryGetProperty("enum", out var values))
        {
            return JsonValue.Create(values.EnumerateArray().First(e => e.ValueKind == JsonValueKind.String).GetString());
        }

        return Kind(schema) switch
        {
            "string" => Format(schema) switch
            {
                "date-time" => JsonValue.Create("2026-03-02T09:00:00Z"),
                "date" => JsonValue.Create("2026-03-02"),
                "uuid" => JsonValue.Create(Guid.NewGuid().ToString()),
                _ => JsonValue.Create($"x{index}"),
            },
            "integer" or "number" => JsonValue.Create(Number(schema, "minimum") is { } min and > 0 ? min : 1),
            "boolean" => JsonValue.Create(false),
            "array" => new JsonArray(),
            "map" => new JsonObject(),
            "object" => Smallest(schema),
            _ => JsonValue.Create("x"),
        };
    }

    private JsonElement Resolve(JsonElement schema)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var resolved = Resolve(_components.GetProperty(reference.GetString()!.Split('/')[^1]));
            return MergeSiblings(schema, resolved);
        }

        if (schema.TryGetProperty("oneOf", out var oneOf) || schema.TryGetProperty("anyOf", out oneOf))
        {
            var choice = oneOf.EnumerateArray().FirstOrDefault(o => !(o.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"));
            return choice.ValueKind == JsonValueKind.Object ? MergeSiblings(schema, Resolve(choice)) : schema;
        }

        return schema;
    }

    /// <summary>Bounds written beside a <c>$ref</c> or <c>oneOf</c> belong to the property: keep them.</summary>
    private static JsonElement MergeSiblings(JsonElement outer, JsonElement inner)
    {
        var merged = JsonNode.Parse(inner.GetRawText())!.AsObject();
        foreach (var property in outer.EnumerateObject().Where(p => p.Name is not ("$ref" or "oneOf" or "anyOf")))
        {
            merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        return JsonDocument.Parse(merged.ToJsonString()).RootElement;
    }

    private static string Kind(JsonElement schema)
    {
        var types = schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!]
            : [];
        if (types.Contains("object"))
        {
            return schema.TryGetProperty("properties", out _) ? "object" : "map";
        }

        // Numbers also accept strings ("type": ["integer", "string"] with a pattern): they are numbers.
        return new[] { "integer", "number", "array", "boolean", "string" }.FirstOrDefault(types.Contains) ?? "any";
    }

    private static bool IsFormatted(JsonElement schema) => Format(schema) is not null || schema.TryGetProperty("enum", out _);

    private static string? Format(JsonElement schema) => schema.TryGetProperty("format", out var f) ? f.GetString() : null;

    private static bool Has(JsonElement schema, string name) => schema.TryGetProperty(name, out _);

    private static decimal? Number(JsonElement schema, string name) =>
        schema.TryGetProperty(name, out var n)
            ? n.ValueKind == JsonValueKind.Number ? n.GetDecimal() : decimal.Parse(n.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
            : null;
}
