using Crm.Client;
using Crm.Server.Api.Common;
using Crm.Server.Api.Customers;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Crm.Server.Api.FieldWork;

/// <summary>
/// Uploads (visit photos): <c>POST /api/files</c> takes the raw bytes as the body, or one file of a multipart form.
/// The type is sniffed from the content and the size bounded (<c>Crm:FieldWork:MaxFileBytes</c>).
/// </summary>
public static class FilesApi
{
    public static IEndpointRouteBuilder MapFilesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/files").WithTags("Field work").RequireAuthorization();
        // The file's own bound answers 400 (FileStore); the body may carry a multipart envelope around it.
        api.MapPost("/", Upload).DisableAntiforgery()
            .WithBodySizeLimit(services => services.GetRequiredService<IOptions<FieldWorkOptions>>().Value.MaxFileBytes + 64 * 1024L);
        api.MapGet("/{id}", Download).ProducesFile(FileSniffer.Accepted[0], FileSniffer.Accepted[1..]);
        return app;
    }

    private static async Task<Results<Created<FileDto>, ValidationProblem, ProblemHttpResult>> Upload(HttpContext http, FileStore files)
    {
        var body = http.Request.Body;
        if (http.Request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await http.Request.ReadFormAsync(http.RequestAborted);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException && ex is not BadHttpRequestException && !http.RequestAborted.IsCancellationRequested)
            {
                // No boundary, a body that is not multipart, too many parts: the client's form, a 400. (A body past the
                // route's limit is Kestrel's BadHttpRequestException, left to BodySizeLimits for its 413.)
                return new Validation().Check(false, "file", $"The multipart body is malformed ({ex.Message.TrimEnd()}); send the image as the body or as the form's one file.").ToProblem();
            }

            if (form.Files.Count != 1)
            {
                return new Validation().Check(false, "file", "Send exactly one file.").ToProblem();
            }

            body = form.Files[0].OpenReadStream();
        }

        var saved = await files.SaveAsync(body, http.User.ToActor().UserId, http.RequestAborted);
        if (saved.Error is { } error)
        {
            return error.Status == 400 ? ApiResults.Invalid(error) : ApiResults.Problem(error);
        }

        return TypedResults.Created($"/api/files/{saved.Value!.Id}", saved.Value);
    }

    /// <summary>The bytes: to the uploader, and to whoever may see the customer whose visit the file is linked to.</summary>
    private static async Task<Results<FileStreamHttpResult, ProblemHttpResult>> Download(string id, HttpContext http, FileStore files, CustomerQueries customers)
    {
        var caller = http.User.ToActor();
        var found = id.Length == 32 && id.All(char.IsAsciiHexDigitLower) ? await files.GetAsync(id) : null;
        if (found is not { } file
            || (file.UploaderId != caller.UserId && (file.CustomerId is not { } customerId || !await customers.IsVisibleAsync(customerId, http.User.ToVisibility()))))
        {
            return ApiResults.NotFound("File", id.Length > 64 ? id[..64] : id);
        }

        return TypedResults.File(files.OpenRead(id), file.File.ContentType);
    }
}
