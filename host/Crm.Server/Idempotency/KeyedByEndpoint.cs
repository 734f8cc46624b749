namespace Crm.Server.Idempotency;

/// <summary>
/// Endpoint metadata: the endpoint makes a retry with the same <c>Idempotency-Key</c> safe by itself (the customer
/// import derives every row's customer id from the key), and its answer may be too large to keep or to hold in memory.
/// <see cref="IdempotencyMiddleware"/> then only refuses a second request with the key while the first runs here; it
/// neither captures nor stores the answer.
/// </summary>
public sealed class KeyedByEndpoint
{
    public static KeyedByEndpoint Instance { get; } = new();
}
