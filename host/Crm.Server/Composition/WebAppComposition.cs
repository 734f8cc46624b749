using Microsoft.AspNetCore.ResponseCompression;
using Microsoft.Extensions.FileProviders;

namespace Crm.Server.Composition;

public static class WebAppComposition
{
    public const string Path = "/app";

    /// <summary>The folder of the web app's static files next to the server binary (copied there by the build).</summary>
    public static string Root => System.IO.Path.Combine(AppContext.BaseDirectory, "WebApp");

    /// <summary>The app's files go out compressed (the vendored SignalR client shrinks from 47 KB to about 14 KB).</summary>
    public static IServiceCollection AddCrmWebApp(this IServiceCollection services) => services.AddResponseCompression(o =>
    {
        o.Providers.Add<BrotliCompressionProvider>();
        o.Providers.Add<GzipCompressionProvider>();
        o.MimeTypes = ["text/html", "text/css", "text/javascript", "application/javascript"];
    });

    /// <summary>
    /// Serves the reps' and managers' web app (host/Crm.Server/WebApp: plain ES modules, no build step) under /app.
    /// The files are public; everything they show comes from the API with the user's token. <c>no-cache</c> with
    /// ETags: a browser revalidates each file (304) and picks up a new server's app at once.
    /// </summary>
    public static WebApplication UseCrmWebApp(this WebApplication app)
    {
        if (!Directory.Exists(Root))
        {
            app.Logger.LogWarning("The web app's files are missing ({Root}); /app is not served", Root);
            return app;
        }

        var files = new PhysicalFileProvider(Root);
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Path), branch => branch.UseResponseCompression());
        app.UseDefaultFiles(new DefaultFilesOptions { RequestPath = Path, FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            RequestPath = Path,
            FileProvider = files,
            OnPrepareResponse = context =>
            {
                var headers = context.Context.Response.Headers;
                headers.CacheControl = "no-cache";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers.ContentSecurityPolicy =
                    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'";
            },
        });
        return app;
    }
}
