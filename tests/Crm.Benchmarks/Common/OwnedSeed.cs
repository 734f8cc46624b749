using System.Data.Common;
using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Customers;
using Crm.Grains.Customers.Events;
using Crm.Grains.Pools;
using Crm.Grains.Reps;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace Crm.Benchmarks.Common;

/// <summary>
/// Seeds N customers owned by R reps without running N creations through the grains (a million of those take over an
/// hour on this machine): each customer's snapshot is the state its grain stores after <c>Create</c> with an owner
/// (its <see cref="Created"/> event applied; a last follow-up set where the scenario has one), serialized by the silo's
/// serializer into <c>customer_snapshots</c> in transactions of 10,000; each rep's private pool (<see cref="RepState"/>,
/// one <see cref="OwnedCustomer"/> with its recycle facts per customer) is written through the silo's own grain storage,
/// the rows the rep grain itself would write. Not seeded: the events, the list rows and the dedup index (nothing here
/// reads them; a commit's upsert writes a list row).
/// </summary>
public static class OwnedSeed
{
    /// <summary>One customer: its id, owner (rep index), owned since, last follow-up.</summary>
    public readonly record struct Owned(Guid Id, int Rep, DateTimeOffset Since, DateTimeOffset? LastFollowUp);

    public static string RepId(int rep) => $"rep-{rep}";

    public static async Task RunAsync(BenchSilo silo, string poolId, string unitId, int reps, IReadOnlyList<Owned> customers)
    {
        var serializer = silo.Services.GetRequiredService<Serializer>();
        const int Batch = 10_000;
        for (var start = 0; start < customers.Count; start += Batch)
        {
            await using var connection = await silo.Database.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO customer_snapshots (customer_id, version, state, updated_ms) VALUES (@id, @version, @state, @updated)";
            var (id, version, state, updated) = (Add(insert, "@id"), Add(insert, "@version"), Add(insert, "@state"), Add(insert, "@updated"));
            for (var i = start; i < Math.Min(start + Batch, customers.Count); i++)
            {
                var c = customers[i];
                var snapshot = new CustomerState();
                snapshot.Apply([new Created(c.Since, RepId(c.Rep), Profile(i), LeadTraits.None, poolId, unitId, null, RepId(c.Rep), [])], c.Since);
                snapshot.LastFollowUpAt = c.LastFollowUp;
                (id.Value, version.Value, state.Value, updated.Value) = (c.Id.ToString(), snapshot.Version, serializer.SerializeToArray(snapshot), UnixTime.ToMs(snapshot.UpdatedAt));
                await insert.ExecuteNonQueryAsync();
            }

            await transaction.CommitAsync();
        }

        var storage = silo.Services.GetRequiredKeyedService<IGrainStorage>("crm");
        var byRep = customers.GroupBy(c => c.Rep).ToDictionary(g => g.Key, g => g.ToList());
        await Parallel.ForEachAsync(Enumerable.Range(0, reps), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (rep, _) =>
        {
            var owned = new RepState();
            foreach (var c in byRep.GetValueOrDefault(rep) ?? [])
            {
                var facts = new RecycleFacts(c.Since, c.LastFollowUp, null, CustomerStage.Lead, 1);
                owned.Owned[c.Id] = new OwnedCustomer(c.Id, poolId, c.Since, facts, TakenAt: 1);
            }

            await storage.WriteStateAsync("rep", GrainId.Create("rep", RepId(rep)), new GrainState<RepState>(owned));
        });
    }

    private static CustomerProfile Profile(int i) =>
        new($"客户{i:D7}", $"上海某某贸易有限公司{i % 50_000}", $"138{i:D8}", null, null, null, "seed");

    private static DbParameter Add(DbCommand command, string name)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
