namespace Crm.Grains.Morning;

/// <summary>What one unit's morning did: the local day, the reasons found, and how many of them were new tasks.</summary>
[GenerateSerializer, Immutable]
public sealed record MorningReport(
    [property: Id(0)] string OrgUnitId,
    [property: Id(1)] DateOnly? Day,
    [property: Id(2)] int Reasons,
    [property: Id(3)] int Created,
    [property: Id(4)] int Owners)
{
    public static MorningReport Nothing(string orgUnitId) => new(orgUnitId, null, 0, 0, 0);
}
