using Crm.Client;
using Crm.Grains.Customers;
using Crm.Server.Storage;

namespace Crm.Benchmarks.Storage;

/// <summary>Writes a customer-sized state (profile, a few timeline entries) to the "crm" storage on every call.</summary>
public sealed class StorageBenchGrain(
    [PersistentState("bench-customer", SiloSetup.StorageName)] IPersistentState<CustomerState> state) : Grain, IStorageBenchGrain
{
    public Task Touch(long n)
    {
        state.State.Version = n;
        return Task.CompletedTask;
    }

    public Task Write(long n)
    {
        var s = state.State;
        if (!s.Exists)
        {
            s.Exists = true;
            s.Profile = new CustomerProfile($"Lead {this.GetPrimaryKeyLong()}", "Shanghai Acme Trading Co., Ltd.", "+86 138 0013 8000",
                "li.wei@acme.example", "91310000MA1FL0000X", "No. 1 Century Avenue, Pudong, Shanghai", "trade fair");
            s.Stage = CustomerStage.Lead;
            s.PoolId = "pool-east";
            s.LastFollowUpAt = DateTimeOffset.UnixEpoch.AddDays(3);
        }

        s.Version = n;
        return state.WriteStateAsync();
    }
}
