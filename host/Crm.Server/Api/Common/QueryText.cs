using Crm.Grains.Common;

namespace Crm.Server.Api.Common;

/// <summary>
/// A query string with a control character no text holds (<c>%00</c> and the other C0 controls but tab, line feed and
/// carriage return) is a 400 with the parameter named: query values reach SQL as they are, and PostgreSQL refuses a NUL
/// in text (a search for <c>poolId=a%00</c> was a 500). JSON bodies are cleaned instead (<see cref="RequestText"/>).
/// </summary>
public static class QueryText
{
    public static IApplicationBuilder UseQueryTextCheck(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var bad = context.Request.Query
            .Where(q => TextInput.HasInvisibleControls(q.Key) || q.Value.Any(v => TextInput.HasInvisibleControls(v)))
            .Select(q => TextInput.WithoutInvisibleControls(q.Key)!)
            .ToList();
        if (bad.Count == 0)
        {
            await next(context);
            return;
        }

        // As the handlers' validation answers (JSON whatever the Accept header asks for).
        await TypedResults.ValidationProblem(bad.Distinct().ToDictionary(key => key, _ => new[] { "Must not contain control characters." })).ExecuteAsync(context);
    });
}
