using Crm.Client;

namespace Crm.Grains.Assignment;

/// <summary>A rep of a roster: its profile and the path of its org unit (for pool membership and regions).</summary>
public sealed record RosterRep(RepProfileDto Profile, string? OrgUnitPath)
{
    public string RepId => Profile.RepId;

    /// <summary>Takes leads now: active (employed, enabled) and on duty.</summary>
    public bool TakesLeads => Profile.Active && Profile.OnDuty;
}
