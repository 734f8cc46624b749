using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace Crm.Server.Api.Common;

/// <summary>A route's largest request body in bytes (imports and uploads take more than <see cref="BodySizeLimits.Default"/>), read from the settings.</summary>
public sealed record BodySizeLimit(Func<IServiceProvider, long> Bytes);

/// <summary>
/// Request body limits per route: <see cref="Default"/> unless the endpoint carries a <see cref="BodySizeLimit"/>.
/// A body declared larger is refused at once with a 413 ProblemDetails; a chunked one is cut off by Kestrel when it
/// passes the limit (also 413).
/// </summary>
public static class BodySizeLimits
{
    /// <summary>Enough for the largest JSON command (a simulation of 10 000 leads); far below Kestrel's 30 MB.</summary>
    public const long Default = 4 * 1024 * 1024;

    public static TBuilder WithBodySizeLimit<TBuilder>(this TBuilder builder, Func<IServiceProvider, long> bytes) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodySizeLimit(bytes));

    public static IApplicationBuilder UseBodySizeLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<BodySizeLimit>()?.Bytes(context.RequestServices) ?? Default;
        if (context.Request.ContentLength > limit)
        {
            await TooLargeAsync(context, limit);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        try
        {
            await next(context);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await TooLargeAsync(context, limit);
        }
    });

    public static ValueTask TooLargeAsync(HttpContext context, long limit)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return ProblemAnswers.WriteAsync(context, new ProblemDetails
        {
            Status = StatusCodes.Status413PayloadTooLarge,
            Title = "Request body too large",
            Detail = $"This route takes request bodies of at most {limit} bytes.",
            Extensions = { ["code"] = Crm.Client.ErrorCodes.TooLarge, ["limit"] = limit },
        });
    }
}
