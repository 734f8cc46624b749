using Crm.Client;
using Crm.Sdk;

namespace Crm.Grains.Plugins;

/// <summary>
/// Runs a strategy on sample input inside a grain, exactly as pools and the dedup index run it (time budget,
/// fallback, fault counting), and changes nothing. Lets integrators try a plugin on a running server.
/// </summary>
public interface IStrategyTrialGrain : IGrainWithIntegerKey
{
    Task<AssignmentTrialDto> TryAssignment(string strategy, string? fallback, AssignmentRequest request);

    Task<DedupTrialDto> TryDedup(string strategy, string? fallback, CustomerSnapshot incoming, CustomerSnapshot existing);
}
