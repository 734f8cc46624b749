using Crm.Sdk;

namespace Crm.TestPlugins.Faulty;

/// <summary>
/// <c>slow-validator</c>: checks its options by sleeping <c>hangMs</c> (a validator waiting on something that never
/// answers), or throws when given <c>boom</c>. Assigns the first candidate.
/// </summary>
public sealed class SlowValidatorStrategy : IAssignmentStrategy, IAssignmentOptionsValidator
{
    public string Name => "slow-validator";

    public AssignmentDecision Choose(AssignmentRequest request) => AssignmentDecision.Assign(request.Candidates[0].RepId, "first");

    public IReadOnlyDictionary<string, string> ValidateOptions(IReadOnlyDictionary<string, string> options)
    {
        if (options.ContainsKey("boom"))
        {
            throw new InvalidOperationException("validator boom");
        }

        Thread.Sleep(int.Parse(options.GetValueOrDefault("hangMs", "0")));
        return new Dictionary<string, string>();
    }
}
