namespace Crm.Grains.Customers.Events;

/// <summary>An event as the timeline shows it, besides when and by whom: why, the free text, and the data fields.</summary>
public sealed record TimelineFields(string? Reason, string? Text, Dictionary<string, string?> Data);
