using System.Text.Json;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Push;

namespace Crm.Grains.Pools;

public sealed class PoolGrain(
    [PersistentState("pool", "crm")] IPersistentState<PoolState> state,
    PoolProjection readModel,
    PoolDirectory directory,
    RuleChangeFanOut fanOut,
    TimeProvider clock) : Grain, IPoolGrain
{
    /// <summary>Cases kept per pool; older ones fall off (their evidence stays in the customers' timelines).</summary>
    public const int MaxCases = 1000;

    private string Id => this.GetPrimaryKeyString();

    public async Task<Result<PoolInfo>> Create(string name, string orgUnitId, PoolRuleSet rules)
    {
        if (state.State.Exists)
        {
            return CrmError.Conflict(ErrorCodes.AlreadyExists, $"Pool '{Id}' already exists.", new() { ["id"] = Id });
        }

        state.State = new PoolState
        {
            Exists = true,
            Name = name,
            OrgUnitId = orgUnitId,
            Rules = rules,
            CreatedAt = clock.GetUtcNow(),
            Version = 1,
        };
        await SaveAsync();
        return ToDto();
    }

    public Task<PoolInfo?> Get() => Task.FromResult(state.State.Exists ? ToDto() : null);

    public Task<PoolRulesSnapshot?> GetRules() =>
        Task.FromResult(state.State.Exists ? new PoolRulesSnapshot(state.State.Rules, state.State.Version) : null);

    public async Task ReportCollusion(CollusionCase found)
    {
        var cases = state.State.CollusionCases;
        if (cases.Any(c => c.Kind == found.Kind && c.CustomerId == found.CustomerId && c.DetectedAt == found.DetectedAt))
        {
            return;
        }

        cases.Add(found);
        if (cases.Count > MaxCases)
        {
            cases.RemoveRange(0, cases.Count - MaxCases);
        }

        await state.WriteStateAsync();
        EventPublisher.Publish(GrainFactory,
            new CollusionSuspected(found.CustomerId, found.DetectedAt, Id, found.Kind, found.FromRepId, found.ToRepId),
            [PushChannels.Unit(state.State.OrgUnitId)]);
    }

    public Task<IReadOnlyList<CollusionCase>> GetCollusionCases() =>
        Task.FromResult<IReadOnlyList<CollusionCase>>(Enumerable.Reverse(state.State.CollusionCases).ToList());

    public async Task<Result<PoolInfo>> UpdateRules(PoolRuleSet rules)
    {
        if (!state.State.Exists)
        {
            return CrmError.NotFound("Pool", Id);
        }

        state.State.Rules = rules;
        state.State.Version++;
        await SaveAsync();
        await fanOut.NotifyOwnersAsync(Id, state.State.Version);
        return ToDto();
    }

    public Task<PoolAccess?> GetAccess() =>
        Task.FromResult(state.State.Exists ? new PoolAccess(state.State.OrgUnitId, state.State.Members, state.State.Rules) : null);

    public async Task<Result<PoolAccess>> SetMembers(IReadOnlyList<string> members)
    {
        if (!state.State.Exists)
        {
            return CrmError.NotFound("Pool", Id);
        }

        state.State.Members = members.Distinct().Order(StringComparer.Ordinal).ToList();
        state.State.Version++;
        await SaveAsync();
        await readModel.ReplacePoolMembersAsync(Id, state.State.Members);
        return new PoolAccess(state.State.OrgUnitId, state.State.Members, state.State.Rules);
    }

    private async Task SaveAsync()
    {
        await state.WriteStateAsync();
        var s = state.State;
        await readModel.UpsertPoolAsync(new PoolRow(Id, s.Name, s.OrgUnitId,
            JsonSerializer.Serialize(s.Rules, EventPublisher.Json), UnixTime.ToMs(s.CreatedAt), s.Version));
        await directory.ChangedAsync(Id);
    }

    private PoolInfo ToDto() => new(Id, state.State.Name, state.State.OrgUnitId, state.State.Rules, state.State.CreatedAt);
}
