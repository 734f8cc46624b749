using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Pools;
using Crm.Grains.Storage;
using Crm.Server.Storage;
using Dapper;
using Orleans.Serialization;

namespace Crm.Benchmarks.EventLog;

/// <summary>
/// The old design's follow-up, emulated: the state holds the profile and the whole timeline (entries shaped like the
/// old <c>TimelineEntry</c>), and each follow-up appends one entry and rewrites the state through the same group-commit
/// grain storage the server uses, then, as the old <c>SaveAsync</c> and <c>TrackAsync</c> did one after the other, upserts
/// the read-model rows through the group-commit writer (the old SQL, by Dapper) and has the owner's rep grain write its
/// state (<see cref="LegacyRepGrain"/>; today's rep grain defers that write). Pushes (one-way) are left out.
/// </summary>
public sealed class LegacyHistoryGrain(
    [PersistentState("bench-legacy-customer", SiloSetup.StorageName)] IPersistentState<LegacyCustomerState> state,
    SqlBatchWriter writer,
    Serializer serializer) : Grain, ILegacyHistoryGrain
{
    public Task Seed(int entries)
    {
        var s = state.State;
        Init(s);
        for (var i = s.Timeline.Count; i < entries; i++)
        {
            Append(s, "rep-seed", $"seeded follow-up {i}");
        }

        return state.WriteStateAsync();
    }

    public async Task FollowUp(string repId, string text)
    {
        var s = state.State;
        Init(s);
        Append(s, repId, text);
        s.OwnerId = repId;
        await state.WriteStateAsync();
        var row = new CustomerRow
        {
            Id = this.GetPrimaryKey().ToString(), Name = s.Profile.Name, Company = s.Profile.Company, Phone = s.Profile.Phone,
            Email = s.Profile.Email, TaxId = s.Profile.TaxId, Address = s.Profile.Address, Source = s.Profile.Source, Stage = "lead",
            PoolId = s.PoolId, OwnerId = s.OwnerId, OrgUnitId = s.OrgUnitId, CreatedMs = UnixTime.ToMs(s.CreatedAt),
            UpdatedMs = UnixTime.ToMs(s.UpdatedAt), LastFollowUpMs = UnixTime.ToMs(s.LastFollowUpAt), Version = s.Version,
        };
        await writer.WriteAsync((connection, transaction) =>
        {
            connection.Execute(UpsertCustomerSql, row, transaction);
            connection.Execute(UpsertStatusPoolSql, row, transaction);
        });
        await GrainFactory.GetGrain<ILegacyRepGrain>(repId).Track(this.GetPrimaryKey(),
            new RecycleFacts(s.CreatedAt, s.LastFollowUpAt, null, (CustomerStage)s.Stage, s.Version));
    }

    // The read-model SQL of cdecf5f (ReadModelWriter), bound by name as it was.
    private const string UpsertCustomerSql = """
        INSERT INTO customers (id, name, company, phone, phone_digits, email, tax_id, address, source, stage,
                               pool_id, owner_id, org_unit_id, created_ms, updated_ms, last_follow_up_ms, search, version)
        VALUES (@Id, @Name, @Company, @Phone, @PhoneDigits, @Email, @TaxId, @Address, @Source, @Stage,
                @PoolId, @OwnerId, @OrgUnitId, @CreatedMs, @UpdatedMs, @LastFollowUpMs, @Search, @Version)
        ON CONFLICT (id) DO UPDATE SET
            name = excluded.name, company = excluded.company, phone = excluded.phone,
            phone_digits = excluded.phone_digits, email = excluded.email, tax_id = excluded.tax_id,
            address = excluded.address, source = excluded.source, stage = excluded.stage,
            pool_id = excluded.pool_id, owner_id = excluded.owner_id, org_unit_id = excluded.org_unit_id,
            created_ms = excluded.created_ms, updated_ms = excluded.updated_ms,
            last_follow_up_ms = excluded.last_follow_up_ms, search = excluded.search, version = excluded.version
        WHERE excluded.version > customers.version
        """;

    private const string UpsertStatusPoolSql = """
        INSERT INTO customer_status_pools (id, status_pool, version) VALUES (@Id, @StatusPool, @Version)
        ON CONFLICT (id) DO UPDATE SET status_pool = excluded.status_pool, version = excluded.version
        WHERE excluded.version > customer_status_pools.version
        """;

    public Task<int> Count() => Task.FromResult(state.State.Timeline.Count);

    public Task<int> StateBytes() => Task.FromResult(serializer.SerializeToArray(state.State).Length);

    private void Init(LegacyCustomerState s)
    {
        if (s.Exists)
        {
            return;
        }

        s.Exists = true;
        s.Profile = new CustomerProfile($"Lead {this.GetPrimaryKey():N}", "Shanghai Acme Trading Co., Ltd.", "+86 138 0013 8000",
            "li.wei@acme.example", "91310000MA1FL0000X", "No. 1 Century Avenue, Pudong, Shanghai", "trade fair");
        s.Stage = Stage.Lead;
        s.PoolId = "bench-pool";
        s.OrgUnitId = "bench-unit";
        s.CreatedAt = DateTimeOffset.UtcNow;
    }

    private static void Append(LegacyCustomerState s, string repId, string text)
    {
        var now = DateTimeOffset.UtcNow;
        s.Timeline.Add(new LegacyTimelineEntry(s.Timeline.Count + 1, now, "follow-up", repId, null, text, new()
        {
            ["type"] = "call",
            ["outcome"] = "reached",
            ["location"] = null,
        }));
        s.LastFollowUpAt = now;
        s.UpdatedAt = now;
        s.Version++;
    }
}

/// <summary>The old <c>CustomerState</c> (cdecf5f) with the fields a follow-up touches and the timeline.</summary>
[GenerateSerializer]
public sealed class LegacyCustomerState
{
    [Id(0)] public bool Exists { get; set; }
    [Id(1)] public CustomerProfile Profile { get; set; } = new("", null, null, null, null, null, null);
    [Id(2)] public Stage Stage { get; set; }
    [Id(3)] public string PoolId { get; set; } = "";
    [Id(4)] public string? OrgUnitId { get; set; }
    [Id(5)] public string? OwnerId { get; set; }
    [Id(7)] public DateTimeOffset CreatedAt { get; set; }
    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }
    [Id(9)] public DateTimeOffset? LastFollowUpAt { get; set; }
    [Id(12)] public List<LegacyTimelineEntry> Timeline { get; set; } = [];
    [Id(13)] public long Version { get; set; }
}

/// <summary>The old <c>TimelineEntry</c> (cdecf5f).</summary>
[GenerateSerializer, Immutable]
public sealed record LegacyTimelineEntry(
    [property: Id(0)] int Seq,
    [property: Id(1)] DateTimeOffset At,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? ActorId,
    [property: Id(4)] string? Reason,
    [property: Id(5)] string? Text,
    [property: Id(6)] Dictionary<string, string?> Data);

/// <summary>The old rep grain's <c>Track</c> (cdecf5f): new recycle facts are written to the rep's state at once.</summary>
public interface ILegacyRepGrain : IGrainWithStringKey
{
    Task Track(Guid customerId, RecycleFacts facts);
}

public sealed class LegacyRepGrain(
    [PersistentState("bench-legacy-rep", SiloSetup.StorageName)] IPersistentState<LegacyRepState> state) : Grain, ILegacyRepGrain
{
    public Task Track(Guid customerId, RecycleFacts facts)
    {
        state.State.Owned[customerId] = facts;
        return state.WriteStateAsync();
    }
}

[GenerateSerializer]
public sealed class LegacyRepState
{
    [Id(0)] public Dictionary<Guid, RecycleFacts> Owned { get; set; } = [];
}
