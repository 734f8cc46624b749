using Crm.Client;

namespace Crm.Grains.Customers;

/// <summary>What a customer merged into another hands over: its profile, its history and its dedup keys.</summary>
[GenerateSerializer, Immutable]
public sealed record MergeSource(
    [property: Id(0)] CustomerDto Customer,
    [property: Id(1)] List<TimelineEntry> Timeline,
    [property: Id(2)] List<string> DedupKeys);
