using Crm.Server.Composition;

namespace Crm.Server.Idempotency;

public static class IdempotencyComposition
{
    public static WebApplicationBuilder AddCrmIdempotency(this WebApplicationBuilder builder)
    {
        builder.AddCrmOptions<IdempotencyOptions>(IdempotencyOptions.Section);
        builder.Services.AddSingleton<IdempotencyStore>();
        builder.Services.AddSingleton<IdempotencyInFlight>();
        builder.Services.AddSingleton<KeyedRequests>();
        builder.Services.AddSingleton<IdempotencyCleanup>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<IdempotencyCleanup>());
        return builder;
    }

    /// <summary>After authentication (keys are per caller) and authorization (a refused request keeps no key).</summary>
    public static IApplicationBuilder UseCrmIdempotency(this IApplicationBuilder app) => app.UseMiddleware<IdempotencyMiddleware>();
}
