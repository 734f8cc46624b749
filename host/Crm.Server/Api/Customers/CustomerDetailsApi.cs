using System.Globalization;
using Crm.Client;
using Crm.Grains.CustomerDetails;
using Crm.Grains.Customers;
using Crm.Server.Api.Common;
using Crm.Server.Api.Dedup;
using Crm.Server.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Customers;

/// <summary>
/// <c>PATCH /api/customers/{id}</c>: a customer's contact details and traits edited by its owner or a manager. The
/// values are normalised and validated as a new customer's are; the edited card is keyed and compared again before the
/// answer (<see cref="CardReindex"/>). <c>If-Match</c> with the version a client read (the <c>ETag</c> of
/// <c>GET /api/customers/{id}</c>) makes the edit conditional: 412 when someone changed the customer since.
/// </summary>
public static class CustomerDetailsApi
{
    public static RouteGroupBuilder MapCustomerDetailsApi(this RouteGroupBuilder customers)
    {
        customers.MapPatch("/{id:guid}", Edit).WithTags("Customers").ProducesProblem(StatusCodes.Status412PreconditionFailed);
        return customers;
    }

    private static async Task<Results<Ok<CustomerDto>, ValidationProblem, ProblemHttpResult>> Edit(
        Guid id, EditCustomerRequest request, HttpContext http, IGrainFactory grains, CardReindex reindex)
    {
        var validation = new Validation();
        var expected = ExpectedVersion(http.Request.Headers.IfMatch.ToString(), validation);
        var edit = Normalized(request);
        validation
            .Check(edit.Name is null || edit.Name.Trim().Length > 0, "name", "A customer keeps a name: give a new one or leave it out.")
            .MaxLength(edit.Name, "name", 200)
            .MaxLength(edit.Company, "company", 200)
            .MaxLength(edit.Address, "address", 500)
            .MaxLength(edit.Source, "source", 100)
            .MaxLength(edit.TaxId, "taxId", 64)
            .MaxLength(edit.Email, "email", 254)
            .MaxLength(edit.Phone, "phone", 40)
            .MaxLength(edit.Industry, "industry", 100)
            .MaxLength(edit.Region, "region", 100)
            .MaxLength(edit.Language, "language", 35)
            .Phone(edit.Phone is { Length: > 0 } ? edit.Phone : null, "phone")
            .Email(edit.Email is { Length: > 0 } ? edit.Email : null, "email")
            .Check(edit != new DetailsEdit(), "", "Give at least one field to change.");
        if (!validation.IsValid)
        {
            return validation.ToProblem();
        }

        var actor = http.User.ToActor();
        var result = await grains.GetGrain<ICustomerDetails>(id).EditDetails(edit, actor, expected);
        if (result.Error is not null)
        {
            return ApiResults.OkOrProblem(result.ToDto());
        }

        return WithETag(http, await reindex.AnswerAfterEditAsync(id, "details", actor, result.ToDto().Value!));
    }

    /// <summary>The customer with its version as its <c>ETag</c> (quoted): what an edit's <c>If-Match</c> gives back.</summary>
    public static Ok<CustomerDto> WithETag(HttpContext http, CustomerDto customer)
    {
        http.Response.Headers.ETag = ETagOf(customer.Version);
        return TypedResults.Ok(customer);
    }

    private static string ETagOf(long version) => $"\"{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// Whether the caller's copy is the customer as it is now: <c>If-None-Match</c> names its version (the <c>ETag</c> it
    /// was sent), so a card polled for changes answers <c>304</c> with no body while nothing changed.
    /// </summary>
    public static bool IsCurrent(HttpContext http, long version)
    {
        var tag = ETagOf(version);
        var current = http.Request.Headers.IfNoneMatch.Any(header => header?.Split(',')
            .Any(value => value.Trim() is var v && (v == "*" || v == tag || v == "W/" + tag)) == true);
        if (current)
        {
            http.Response.Headers.ETag = tag;
        }

        return current;
    }

    /// <summary>The version an <c>If-Match</c> asks for: none without one or with <c>*</c>.</summary>
    private static long? ExpectedVersion(string ifMatch, Validation validation)
    {
        var value = ifMatch.Trim();
        if (value.Length == 0 || value == "*")
        {
            return null;
        }

        var bare = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        bare = bare.Trim('"');
        var ok = long.TryParse(bare, NumberStyles.None, CultureInfo.InvariantCulture, out var version);
        validation.Check(ok, "If-Match", "Give the customer's version as its ETag has it (\"12\"), or leave If-Match out.");
        return ok ? version : null;
    }

    /// <summary>The edit's values in the form a new customer's are stored in; an empty string stays empty (it clears).</summary>
    private static DetailsEdit Normalized(EditCustomerRequest request)
    {
        // The creation's normalisation, field by field; a field the request leaves out stays null (unchanged).
        var normal = IdentityText.Normalize(new CreateCustomerRequest(request.Name ?? "", request.Company, request.Phone, request.Email, request.TaxId,
            request.Address, request.Source));
        return new DetailsEdit(
            request.Name is null ? null : normal.Name ?? "",
            Kept(request.Company, normal.Company), Kept(request.Phone, normal.Phone), Kept(request.Email, normal.Email),
            Kept(request.TaxId, normal.TaxId), Kept(request.Address, normal.Address), Kept(request.Source, normal.Source),
            request.Industry, request.Region, request.Language);

        // Given but normalised away (a placeholder such as 无 or N/A): cleared.
        static string? Kept(string? given, string? normalised) => given is null ? null : normalised ?? "";
    }
}
