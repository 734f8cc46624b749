namespace Crm.Grains.Reps;

[GenerateSerializer]
public sealed class RepState
{
    /// <summary>The private pool: every customer this rep owns.</summary>
    [Id(0)] public Dictionary<Guid, OwnedCustomer> Owned { get; set; } = [];

    /// <summary>Claims counted per pool for <see cref="ClaimDay"/> (the UTC day they were made on).</summary>
    [Id(1)] public Dictionary<string, int> ClaimsToday { get; set; } = [];

    [Id(2)] public DateOnly ClaimDay { get; set; }
}
