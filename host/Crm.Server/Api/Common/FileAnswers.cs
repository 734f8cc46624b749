namespace Crm.Server.Api.Common;

/// <summary>
/// Documents a route that answers a file: a file result (CSV, XLSX, a photo) tells the OpenAPI document nothing of its
/// content, so without this the route would list no 200 at all.
/// </summary>
public static class FileAnswers
{
    public const string Csv = "text/csv";

    /// <summary>What a CSV answer is sent as: its charset said, or clients that follow HTTP's default read the UTF-8 as Latin-1.</summary>
    public const string CsvUtf8 = "text/csv; charset=utf-8";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static RouteHandlerBuilder ProducesFile(this RouteHandlerBuilder route, string contentType, params string[] more) =>
        route.Produces(StatusCodes.Status200OK, typeof(Stream), contentType, more);
}
