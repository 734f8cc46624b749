namespace Crm.Grains.Customers;

/// <summary>
/// A follow-up as the rep reports it (<see cref="ICustomerGrain.AddFollowUp"/>), checked by the API first.
/// <see cref="Type"/> is the kind in lower case ("call", "visit", …), as the timeline and the read models name it.
/// <see cref="RequestId"/>, when set, makes the call safe to send again: a follow-up with a request id the customer
/// recorded recently is answered with that entry instead of being added twice (docs/reliability.md, "Silos that stop").
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NewFollowUp(
    [property: Id(0)] string Type,
    [property: Id(1)] string? Outcome,
    [property: Id(2)] string? Text = null,
    [property: Id(3)] DateTimeOffset? At = null,
    [property: Id(4)] string? Location = null,
    [property: Id(5)] Guid? RequestId = null)
{
    /// <summary>A follow-up of the given kind, as the API's and the server's own callers (tasks, sequences) record it.</summary>
    public NewFollowUp(Crm.Client.FollowUpType Type, string? Outcome, string? Text = null, DateTimeOffset? At = null, string? Location = null)
        : this(Type.ToString().ToLowerInvariant(), Outcome, Text, At, Location)
    {
    }
}
