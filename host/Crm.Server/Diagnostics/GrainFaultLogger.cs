using Crm.Grains.Storage;

namespace Crm.Server.Diagnostics;

/// <summary>Logs one structured line per grain call that throws: which grain, which method, what failed.</summary>
public sealed class GrainFaultLogger(ILogger<GrainFaultLogger> logger) : IIncomingGrainCallFilter
{
    public async Task Invoke(IIncomingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception ex) when (DatabaseFailures.IsUnavailable(ex))
        {
            // An outage is logged once by DatabaseAvailability, not once per failed call.
            logger.LogDebug("Grain call {Grain}.{Method} on {GrainId} failed: the database is unavailable", context.InterfaceName, context.MethodName, context.TargetId);
            throw;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Grain call {Grain}.{Method} on {GrainId} failed: {Error}",
                context.InterfaceName, context.MethodName, context.TargetId, ex.Message);
            throw;
        }
    }
}
