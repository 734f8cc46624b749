namespace Crm.Grains.Outbox;

/// <summary>
/// The customer left the rep's private pool at <see cref="Version"/>. The rep keeps an entry taken at a later version:
/// a late delivery never undoes a new claim.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record DropOwner(string RepId, Guid CustomerId, long Version) : OutboxEffect;
