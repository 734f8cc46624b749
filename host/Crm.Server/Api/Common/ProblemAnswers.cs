using Microsoft.AspNetCore.Mvc;

namespace Crm.Server.Api.Common;

/// <summary>The ProblemDetails a middleware answers with (413, 503, an idempotency refusal, a bad query string).</summary>
public static class ProblemAnswers
{
    /// <summary>
    /// Writes <paramref name="problem"/> as JSON whatever the request's Accept header asks for, as the handlers' results
    /// do: <c>IProblemDetailsService.WriteAsync</c> throws when no writer takes the Accept header (<c>text/csv</c>, an
    /// export's), and the answer became a 500.
    /// </summary>
    public static ValueTask WriteAsync(HttpContext context, ProblemDetails problem) => new(TypedResults.Problem(problem).ExecuteAsync(context));
}
