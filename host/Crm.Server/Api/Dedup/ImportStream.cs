using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Pools;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.Dedup;

/// <summary>
/// The answer of a batched import, written as the batches finish: an <see cref="ImportReport"/> whose <c>rows</c> come
/// first, batch by batch, and whose totals follow them (JSON readers take the properties in any order), so the server
/// never holds the whole report. A failure after the first byte ends the response unfinished: the client sees a broken
/// answer and retries with its key.
/// </summary>
public sealed class ImportStream(ImportTable table, ImportColumns columns, PoolInfo pool, string? idempotencyKey, Actor actor,
    BatchImporter importer) : IResult
{
    public async Task ExecuteAsync(HttpContext http)
    {
        var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json; charset=utf-8";
        // Into the response's pipe: the serializer's own flushes only hand bytes to it, never a synchronous write.
        var body = http.Response.BodyWriter;
        // The server's encoder, as every other answer: Chinese and Cyrillic as UTF-8, not as \u escapes.
        await using var writer = new Utf8JsonWriter(body, new JsonWriterOptions { Encoder = json.Encoder });
        // Begun with the first batch's rows: a failure before them still answers a clean problem (503 for a database outage).
        var started = false;
        void Start()
        {
            if (!started)
            {
                started = true;
                writer.WriteStartObject();
                writer.WriteString("poolId", pool.Id);
                writer.WritePropertyName("columns");
                JsonSerializer.Serialize(writer, columns.First, json);
                writer.WritePropertyName("ignoredColumns");
                JsonSerializer.Serialize(writer, columns.Ignored, json);
                writer.WriteStartArray("rows");
            }
        }

        var totals = await importer.ImportAsync(table, columns, pool, idempotencyKey, actor, async rows =>
        {
            Start();
            foreach (var row in rows)
            {
                JsonSerializer.Serialize(writer, row, json);
            }

            await writer.FlushAsync(http.RequestAborted);
            await body.FlushAsync(http.RequestAborted);
        }, http.RequestAborted);
        Start();
        writer.WriteEndArray();
        writer.WriteString("importId", totals.ImportId);
        writer.WriteNumber("total", totals.Processed);
        writer.WriteNumber("created", totals.Created);
        writer.WriteNumber("duplicates", totals.Duplicates);
        writer.WriteNumber("rejected", totals.Rejected);
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
        await body.FlushAsync(http.RequestAborted);
    }
}
