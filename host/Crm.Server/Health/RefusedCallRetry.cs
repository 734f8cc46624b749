namespace Crm.Server.Health;

/// <summary>
/// Runs a route's handler once more when a grain call of it was refused by a stopping silo (it never ran), or when a
/// read lost its silo: by then the grain is activating on a silo that stays, so the caller gets its answer instead of
/// a 503. A command that lost its silo is not run again (it may have run; <see cref="ClusterChangeAnswers"/>) unless its
/// route is <see cref="SafeToSendAgain"/>. Nothing is retried once the answer has begun.
/// </summary>
public sealed class RefusedCallRetry(ILogger<RefusedCallRetry> logger) : IEndpointFilter
{
    /// <summary>Long enough for the stopping silo to hand its grain over (deactivated, unregistered); short for a caller.</summary>
    private static readonly TimeSpan Pause = TimeSpan.FromMilliseconds(250);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (Exception ex) when (!context.HttpContext.Response.HasStarted
                                   && (ClusterChangeAnswers.MayRetry(ex, context.HttpContext.Request.Method)
                                       || (ClusterChangeAnswers.IsLost(ex) && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<SafeToSendAgain>() is not null)))
        {
            // Rare (a silo stops) and worth seeing in the log: which call, and what refused it.
            logger.LogInformation("{Method} {Path}: a grain call failed as a silo left ({Error}: {Message}); running it once more",
                context.HttpContext.Request.Method, context.HttpContext.Request.Path, ex.GetType().Name, ex.Message);
            await Task.Delay(Pause, context.HttpContext.RequestAborted);
            return await next(context);
        }
    }
}
