using Crm.Client;
using Crm.Grains.Assignment;
using Crm.Grains.Pools;

namespace Crm.Server.Api.Assignment;

/// <summary>The assignment grain's answers as the API's wire records.</summary>
public static class AssignmentWire
{
    public static AssignmentStatusDto ToWire(this AssignmentStatus s) => new(
        s.PoolId, s.Rule?.ToWire(), s.Assigned, s.FellBack, s.Pending, s.LastFault, s.LastFaultAt,
        s.Unassigned.Select(u => new UnassignedLead(u.CustomerId, u.Reason, u.Since)).ToList());

    public static SimulationResult ToWire(this Simulation s)
    {
        var assigned = s.Decisions.Count(d => d.RepId is not null);
        return new SimulationResult(s.Strategy, s.Decisions.Count, assigned, s.Decisions.Count - assigned,
            AssignmentSimulator.Spread(s.Distribution.Select(d => d.Received).ToList()),
            s.Decisions.Select(d => new SimulatedDecision(d.LeadId, d.LeadName, d.RepId, d.Reason, d.Strategy)).ToList(),
            s.Distribution.Select(d => new RepShare(d.RepId, d.Received, d.OwnedBefore, d.OwnedAfter)).ToList(),
            s.Faults);
    }
}
