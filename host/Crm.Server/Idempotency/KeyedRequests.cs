using System.Security.Claims;

namespace Crm.Server.Idempotency;

/// <summary>
/// What an endpoint that makes a retry safe by itself (<see cref="KeyedByEndpoint"/>: the customer import) was first
/// asked with an <c>Idempotency-Key</c>: the key is kept with the request's hash, so the same key sent with another file
/// or pool is refused (422) as it is on every other command, instead of importing the other file under the first one's
/// key. The answer is not kept: a retry of the same request runs again and the endpoint answers it the same.
/// </summary>
public sealed class KeyedRequests(IdempotencyStore store, IdempotencyInFlight inFlight, TimeProvider clock)
{
    /// <summary>
    /// True when the request may run: the key's first use, or a retry of the same request (same method, path, query and
    /// <paramref name="body"/>: the file itself, so that a retry through another multipart form is the same request; and
    /// <paramref name="charset"/>, which makes other rows of the same bytes). Call it once the request was found valid, so
    /// that a refused request does not take the key.
    /// </summary>
    public async Task<bool> IsFirstOrRetryAsync(HttpContext http, ReadOnlyMemory<byte> body, string? charset = null)
    {
        var key = http.Request.Headers[IdempotencyMiddleware.Header].ToString();
        var callerId = http.User.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
        if (key.Length == 0 || callerId.Length == 0)
        {
            return true;
        }

        var hash = IdempotencyMiddleware.RequestHash(http.Request, body.Span) + (charset is null ? "" : $";{charset.Trim().ToLowerInvariant()}");
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        if (await store.TryInsertAsync(callerId, key, hash, inFlight.Owner, now))
        {
            // Completed at once, with no answer to replay: another request with this key meets a completed key of another
            // request (422), not one in flight.
            await store.CompleteAsync(callerId, key, inFlight.Owner, new StoredAnswer(StatusCodes.Status200OK, null, null, []), now);
            return true;
        }

        return (await store.FindAsync(callerId, key))?.RequestHash is not { } earlier || earlier == hash;
    }
}
