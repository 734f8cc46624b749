using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary><c>many-keys</c>: gives every customer 5,000 distinct keys (a strategy keying every n-gram of a name).</summary>
public sealed class ManyKeysStrategy : IDedupStrategy
{
    public string Name => "many-keys";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer) =>
        Enumerable.Range(0, 5_000).Select(i => new BlockingKey("gram", $"{customer.Name}-{i}"));

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing) => null;
}

/// <summary><c>long-key</c>: gives every customer one key of 100,000 characters.</summary>
public sealed class LongKeyStrategy : IDedupStrategy
{
    public string Name => "long-key";

    public IEnumerable<BlockingKey> Keys(CustomerSnapshot customer) => [new BlockingKey("blob", new string('x', 100_000))];

    public MatchResult? Compare(CustomerSnapshot incoming, CustomerSnapshot existing) =>
        new MatchResult { Key = new BlockingKey("blob", new string('x', 100_000)), Strength = MatchStrength.Weak, Score = 0.1 };
}

/// <summary><c>big-state</c>: assigns the first candidate and keeps 1,000,000 characters of state per pool.</summary>
public sealed class BigStateStrategy : IAssignmentStrategy
{
    public string Name => "big-state";

    public AssignmentDecision Choose(AssignmentRequest request) =>
        AssignmentDecision.Assign(request.Candidates[0].RepId, "first", new string('s', 1_000_000));
}

/// <summary><c>long-reason</c>: assigns the first candidate with a 100,000-character reason (it goes to the timeline).</summary>
public sealed class LongReasonStrategy : IAssignmentStrategy
{
    public string Name => "long-reason";

    public AssignmentDecision Choose(AssignmentRequest request) =>
        AssignmentDecision.Assign(request.Candidates[0].RepId, new string('r', 100_000));
}
