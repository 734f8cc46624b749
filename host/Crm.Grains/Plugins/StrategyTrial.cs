using Crm.Client;
using Crm.Sdk;

namespace Crm.Grains.Plugins;

/// <summary>
/// Runs a strategy on sample input exactly as pools and the dedup index run it (through <see cref="StrategyRunner"/>:
/// thread pool, time budget, fallback, fault counting) and changes nothing. Lets integrators try a plugin on a running
/// server. A plain service of the silo's process, not a grain: its input is the plugin SDK's own records, which
/// never cross a grain call.
/// </summary>
public sealed class StrategyTrial(StrategyRunner runner)
{
    public async Task<AssignmentTrialDto> TryAssignment(string strategy, string? fallback, AssignmentRequest request)
    {
        var outcome = await runner.ChooseAsync(strategy, fallback, request);
        var decision = outcome.Value;
        return new AssignmentTrialDto(outcome.Requested, outcome.UsedStrategy, outcome.Succeeded, outcome.FellBack,
            outcome.Faults, decision?.RepId, decision?.Reason, decision?.StrategyState);
    }

    public async Task<DedupTrialDto> TryDedup(string strategy, string? fallback, CustomerSnapshot incoming, CustomerSnapshot existing)
    {
        // Keys and comparison are separate calls, as in the dedup index: each has its own budget and fallback.
        var incomingKeys = await runner.KeysAsync(strategy, fallback, incoming);
        var existingKeys = await runner.KeysAsync(strategy, fallback, existing);
        var match = await runner.CompareAsync(strategy, fallback, incoming, existing);
        var faults = incomingKeys.Faults.Concat(existingKeys.Faults).Concat(match.Faults).Distinct().ToList();
        return new DedupTrialDto(strategy, match.UsedStrategy, match.Succeeded && incomingKeys.Succeeded && existingKeys.Succeeded,
            match.FellBack || incomingKeys.FellBack || existingKeys.FellBack, faults,
            ToDtos(incomingKeys.Value), ToDtos(existingKeys.Value),
            match.Value is { } m ? new MatchDto(ToDto(m.Key), m.Strength.ToString().ToLowerInvariant(), m.Score, m.Reason) : null);
    }

    private static IReadOnlyList<BlockingKeyDto> ToDtos(IReadOnlyList<BlockingKey>? keys) => keys?.Select(ToDto).ToList() ?? [];

    private static BlockingKeyDto ToDto(BlockingKey key) => new(key.Kind, key.Value);
}
