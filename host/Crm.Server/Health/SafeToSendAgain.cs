namespace Crm.Server.Health;

/// <summary>
/// Marks a route whose grain call is safe to send again even when its silo left before answering: the call carries the
/// request's id (<see cref="Of"/>) and the grain answers a repeat with what the first one did (e.g. a follow-up,
/// <c>NewFollowUp.RequestId</c>). <see cref="RefusedCallRetry"/> then runs it once more instead of answering 503.
/// </summary>
public sealed class SafeToSendAgain
{
    public static readonly SafeToSendAgain Instance = new();

    private const string Item = "crm.request-id";

    private SafeToSendAgain()
    {
    }

    /// <summary>The id of this HTTP request, the same for every run of its handler.</summary>
    public static Guid Of(HttpContext http)
    {
        if (http.Items.TryGetValue(Item, out var id) && id is Guid known)
        {
            return known;
        }

        var fresh = Guid.NewGuid();
        http.Items[Item] = fresh;
        return fresh;
    }
}
