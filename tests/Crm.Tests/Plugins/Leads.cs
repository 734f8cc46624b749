using Crm.Sdk;

namespace Crm.Tests.Plugins;

/// <summary>Small builders for what strategies see.</summary>
public static class Leads
{
    public static AssignmentRequest Request(IReadOnlyDictionary<string, string>? options = null, string? state = null, params string[] reps) => new()
    {
        Lead = new CustomerSnapshot { Id = Guid.NewGuid().ToString(), Name = "Li Wei", Company = "Shanghai Acme Trading Co., Ltd." },
        Candidates = (reps.Length == 0 ? ["rep-a", "rep-b", "rep-c"] : reps).Select(r => new RepCandidate { RepId = r }).ToList(),
        Pool = new PoolContext { PoolId = "pool-1", Options = options ?? new Dictionary<string, string>(), StrategyState = state },
        Now = DateTimeOffset.Parse("2026-03-02T09:00:00Z"),
    };

    public static CustomerSnapshot Customer(string name, string? phone = null, string? email = null, string? taxId = null) =>
        new() { Id = Guid.NewGuid().ToString(), Name = name, Phone = phone, Email = email, TaxId = taxId };
}
