using Crm.Client;
using Crm.Server.Api.Common;
using Microsoft.AspNetCore.Mvc;

namespace Crm.Server.Health;

/// <summary>
/// Grain calls that failed because a silo left the cluster (a rolling restart, docs/reliability.md "Silos that
/// stop"), told apart by what the caller can know:
/// <list type="bullet">
/// <item><b>Refused</b> (<see cref="OrleansMessageRejectionException"/>, e.g. "Silo stopping"): the target silo
/// answered the message with a rejection instead of running it, so that call changed nothing and may be sent again;
/// the grain then activates on a silo that stays.</item>
/// <item><b>Lost</b> (<see cref="SiloUnavailableException"/>): the message was sent and its silo left before
/// answering. A read may be asked again. A command may have run: it is neither retried nor said to have changed
/// nothing.</item>
/// </list>
/// </summary>
public static class ClusterChangeAnswers
{
    /// <summary>The <c>Retry-After</c> of a refused call: the grain has moved (or is moving) to a silo that stays.</summary>
    public const int RetryAfterSeconds = 1;

    /// <summary>The call was refused without running: safe to send again. (A lost call's exception derives from the rejection's.)</summary>
    public static bool IsRefused(Exception ex) => Find<OrleansMessageRejectionException>(ex) && !IsLost(ex);

    /// <summary>The call's silo left before answering: it may have run.</summary>
    public static bool IsLost(Exception ex) => Find<SiloUnavailableException>(ex);

    /// <summary>A request that may be run again after <paramref name="ex"/>: a refused call, or a lost one of a read.</summary>
    public static bool MayRetry(Exception ex, string method) =>
        IsRefused(ex) || (IsLost(ex) && IsRead(method));

    /// <summary>A command whose outcome is unknown: its silo left while it ran.</summary>
    public static bool IsOutcomeUnknown(Exception ex, string method) => !IsRefused(ex) && IsLost(ex) && !IsRead(method);

    public static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method);

    /// <summary>503 with <c>Retry-After</c>: <c>silo-stopping</c> (nothing was changed) or <c>outcome-unknown</c>.</summary>
    public static ValueTask WriteAsync(HttpContext context, Exception ex, int inFlightSeconds)
    {
        var unknown = IsOutcomeUnknown(ex, context.Request.Method);
        var retryAfter = unknown ? inFlightSeconds : RetryAfterSeconds;
        context.Response.Clear();
        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ProblemAnswers.WriteAsync(context, new ProblemDetails
        {
            Status = StatusCodes.Status503ServiceUnavailable,
            Title = "Service unavailable",
            Detail = unknown
                ? $"The silo that ran this command left the cluster before answering; it may have run. A retry with the same Idempotency-Key is answered 409 for {retryAfter} s, then runs."
                : $"A silo of the cluster is stopping and refused the call; nothing of it was changed. Retry after {retryAfter} s.",
            Extensions = { ["code"] = unknown ? ErrorCodes.OutcomeUnknown : ErrorCodes.SiloStopping },
        });
    }

    private static bool Find<T>(Exception? ex) where T : Exception
    {
        for (var depth = 0; ex is not null && depth < 8; depth++, ex = ex.InnerException)
        {
            if (ex is T)
            {
                return true;
            }
        }

        return false;
    }
}
