using System.Text;
using Crm.Client;

namespace Crm.Server.Api.Customers;

/// <summary>
/// Unicode-normal identity fields (NFKC) before validation, storage and matching: Chinese input methods type
/// full-width digits, letters, brackets and spaces (１３８－００１３－８０００, ｉｎｆｏ＠ａｃｍｅ．ｃｎ), which are the same
/// phone, e-mail or tax id as their ASCII forms.
/// </summary>
public static class IdentityText
{
    public static CreateCustomerRequest Normalize(CreateCustomerRequest request) => request with
    {
        Name = Nfkc(request.Name)!,
        Company = Nfkc(request.Company),
        Phone = Nfkc(request.Phone),
        Email = Nfkc(request.Email),
        TaxId = Nfkc(request.TaxId),
        Address = Nfkc(request.Address),
    };

    public static string? Nfkc(string? value) =>
        value is null || value.IsNormalized(NormalizationForm.FormKC) ? value : value.Normalize(NormalizationForm.FormKC);
}
