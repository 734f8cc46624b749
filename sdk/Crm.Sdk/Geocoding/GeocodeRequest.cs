namespace Crm.Sdk;

/// <summary>What to geocode: a customer's address as its card has it.</summary>
public sealed record GeocodeRequest
{
    /// <summary>The address text, e.g. <c>浙江省杭州市西湖区文三路 90 号</c>. Never empty.</summary>
    public required string Address { get; init; }

    /// <summary>This geocoder's settings from the host's configuration (e.g. a service's URL and key). Never null.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = EmptySettings;

    private static readonly IReadOnlyDictionary<string, string> EmptySettings = new Dictionary<string, string>();
}
