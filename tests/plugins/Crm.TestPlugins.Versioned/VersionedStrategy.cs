using Crm.Sdk;

namespace Crm.TestPlugins.Versioned;

/// <summary>
/// <c>versioned</c>: version 1 gives the lead to the first candidate, version 2 to the last; the reason names the
/// version. Waits <c>delayMs</c> first, so a test can reload while a call is in flight.
/// </summary>
public sealed class VersionedStrategy : IAssignmentStrategy
{
#if V2
    private const int Version = 2;
#else
    private const int Version = 1;
#endif

    public string Name => "versioned";

    public AssignmentDecision Choose(AssignmentRequest request)
    {
        if (request.Pool.Options.TryGetValue("delayMs", out var delay))
        {
            Thread.Sleep(int.Parse(delay));
        }

        var rep = Version == 1 ? request.Candidates[0] : request.Candidates[^1];
        return AssignmentDecision.Assign(rep.RepId, $"v{Version}");
    }
}
