using System.Security.Claims;
using System.Security.Cryptography;
using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Health;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Crm.Server.Idempotency;

/// <summary>
/// Every command under <c>/api</c> (POST, PUT, PATCH, DELETE) that carries an <c>Idempotency-Key</c> header runs at
/// most once per caller and key: the first answer is stored and a retry with the same key and request gets it again
/// (header <c>Idempotent-Replayed: true</c>) without running the command; the same key with another request is 422; a
/// retry while the first is still running is 409. Answers of 5xx are not kept (nothing was changed; the retry runs).
/// Keys live in the database, so a retry after a restart or on another silo is recognised. docs/reliability.md.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IdempotencyStore store, IdempotencyInFlight inFlight,
    IOptions<IdempotencyOptions> options, TimeProvider clock, ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The owner of a key whose command's outcome is unknown (its silo left mid-call): no process is it.</summary>
    public const string OutcomeUnknownOwner = "outcome-unknown";

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsKeyedCommand(context, out var key, out var callerId))
        {
            await next(context);
            return;
        }

        if (key.Length is 0 or > IdempotencyOptions.MaxKeyLength)
        {
            await WriteProblemAsync(context, 400, ErrorCodes.Invalid, $"The {Header} header must have 1 to {IdempotencyOptions.MaxKeyLength} characters.");
            return;
        }

        // Held in this process first: a duplicate arriving here at the same moment is refused without a database round trip.
        using var held = inFlight.TryHold(callerId, key);
        if (held is null)
        {
            await RefuseInFlightAsync(context);
            return;
        }

        if (context.GetEndpoint()?.Metadata.GetMetadata<KeyedByEndpoint>() is not null)
        {
            await next(context);
            return;
        }

        var hash = await RequestHashAsync(context.Request);
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (!await store.TryInsertAsync(callerId, key, hash, inFlight.Owner, now) && !await TakeOverAsync(context, callerId, key, hash, now))
        {
            return;
        }

        await RunAndKeepAsync(context, callerId, key, hash, now);
    }

    /// <summary>The key exists: replay its answer, refuse, or take it over from a request that was cut off. True to run the command.</summary>
    private async Task<bool> TakeOverAsync(HttpContext context, string callerId, string key, string hash, long now)
    {
        var existing = await store.FindAsync(callerId, key);
        if (existing is null)
        {
            // Released between our insert and our read (the first request failed): try once more.
            return await store.TryInsertAsync(callerId, key, hash, inFlight.Owner, now) || await RefuseInFlightAsync(context);
        }

        if (existing.Completed && existing.RequestHash != hash)
        {
            await WriteProblemAsync(context, 422, ErrorCodes.IdempotencyKeyReused,
                $"The {Header} '{key}' was used before with another request; send a new key for a new request.");
            return false;
        }

        if (existing.Completed)
        {
            await ReplayAsync(context, existing);
            return false;
        }

        // Held by a request that is no longer running: one of this process that could not release it (the database was
        // away at that moment; no other request of this process holds the key, we do), or one of another process whose
        // hold is older than the in-flight timeout (that process stopped mid-request, or is another silo still busy).
        var cutOff = existing.Owner == inFlight.Owner
            || now - existing.StartedMs > (long)options.Value.InFlightTimeout.TotalMilliseconds;
        if (cutOff && await store.TryTakeOverAsync(callerId, key, hash, inFlight.Owner, now, existing.Owner, existing.StartedMs))
        {
            return true;
        }

        return await RefuseInFlightAsync(context);
    }

    private async Task<bool> RefuseInFlightAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "1";
        await WriteProblemAsync(context, 409, ErrorCodes.IdempotencyKeyInFlight,
            $"A request with this {Header} is still being processed; retry later to get its answer.");
        return false;
    }

    /// <summary>Runs the command with its answer captured, keeps the answer (unless 5xx), then sends it.</summary>
    private async Task RunAndKeepAsync(HttpContext context, string callerId, string key, string hash, long startedMs)
    {
        var original = context.Response.Body;
        using var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            context.Response.Body = original;
            if (ClusterChangeAnswers.IsOutcomeUnknown(ex, context.Request.Method))
            {
                await HoldUnknownAsync(callerId, key, hash, startedMs);
            }
            else
            {
                await ReleaseQuietlyAsync(callerId, key);
            }

            throw;
        }

        context.Response.Body = original;
        var status = context.Response.StatusCode;
        if (status >= 500)
        {
            await ReleaseQuietlyAsync(callerId, key);
        }
        else
        {
            var answer = new StoredAnswer(status, context.Response.ContentType, context.Response.Headers.Location.FirstOrDefault(), captured.ToArray());
            try
            {
                await store.CompleteAsync(callerId, key, inFlight.Owner, answer, clock.GetUtcNow().ToUnixTimeMilliseconds());
            }
            catch (Exception ex)
            {
                // The command is done; its answer goes out even if it could not be kept. A retry then waits for the
                // in-flight timeout and runs again (docs/reliability.md: the one case a key cannot cover).
                logger.LogWarning(ex, "The answer to {Method} {Path} with {Header} could not be stored", context.Request.Method, context.Request.Path, Header);
            }
        }

        captured.Position = 0;
        await captured.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// The command's silo left before answering, so it may have run: its key is not let go but handed to an owner no
    /// process is, so a retry waits for the in-flight timeout as after a crash instead of running it twice at once.
    /// </summary>
    private async Task HoldUnknownAsync(string callerId, string key, string hash, long startedMs)
    {
        try
        {
            await store.TryTakeOverAsync(callerId, key, hash, OutcomeUnknownOwner, clock.GetUtcNow().ToUnixTimeMilliseconds(), inFlight.Owner, startedMs);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Could not hold the idempotency key of {CallerId} whose outcome is unknown", callerId);
        }
    }

    private async Task ReleaseQuietlyAsync(string callerId, string key)
    {
        try
        {
            await store.ReleaseAsync(callerId, key, inFlight.Owner);
        }
        catch (Exception ex)
        {
            // This process knows the key is not running any more: a retry here takes it over at once.
            logger.LogDebug(ex, "Could not release idempotency key of {CallerId}", callerId);
        }
    }

    private static async Task ReplayAsync(HttpContext context, IdempotencyRecord stored)
    {
        context.Response.StatusCode = stored.Status!.Value;
        context.Response.Headers[ReplayedHeader] = "true";
        if (stored.ContentType is not null)
        {
            context.Response.ContentType = stored.ContentType;
        }

        if (stored.Location is not null)
        {
            context.Response.Headers.Location = stored.Location;
        }

        if (stored.Body is { Length: > 0 } body)
        {
            await context.Response.Body.WriteAsync(body, context.RequestAborted);
        }
    }

    private static bool IsKeyedCommand(HttpContext context, out string key, out string callerId)
    {
        key = context.Request.Headers[Header].ToString();
        callerId = context.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        var method = context.Request.Method;
        return context.Request.Headers.ContainsKey(Header)
            && callerId.Length > 0
            && (HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method) || HttpMethods.IsDelete(method))
            && context.Request.Path.StartsWithSegments("/api");
    }

    /// <summary>
    /// SHA-256 of the method, path, query and body: "the same request". A JSON body counts by its content, not its bytes:
    /// a retry sent through another serializer (indented, escaped differently) is the same request.
    /// </summary>
    private static async Task<string> RequestHashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        request.Body.Position = 0;
        using var sha = StartHash(request);
        var bytes = body.ToArray();
        sha.AppendData(request.HasJsonContentType() && CompactJson(bytes) is { } compact ? compact : bytes);
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    /// <summary>The JSON without insignificant whitespace and with one escaping of strings; null when it does not parse.</summary>
    private static byte[]? CompactJson(byte[] json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            using var output = new MemoryStream(json.Length);
            using (var writer = new System.Text.Json.Utf8JsonWriter(output, new System.Text.Json.JsonWriterOptions
            {
                Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            }))
            {
                document.WriteTo(writer);
            }

            return output.ToArray();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The same hash of a request whose body its endpoint has read already (<see cref="KeyedRequests"/>).</summary>
    public static string RequestHash(HttpRequest request, ReadOnlySpan<byte> body)
    {
        using var sha = StartHash(request);
        sha.AppendData(body);
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static IncrementalHash StartHash(HttpRequest request)
    {
        var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method}\n{request.Path}{request.QueryString}\n"));
        return sha;
    }

    private static ValueTask WriteProblemAsync(HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        return ProblemAnswers.WriteAsync(context, new ProblemDetails
        {
            Status = status,
            Title = status switch { 409 => "Conflict", 422 => "Unprocessable request", _ => "Request refused" },
            Detail = detail,
            Extensions = { ["code"] = code },
        });
    }
}
