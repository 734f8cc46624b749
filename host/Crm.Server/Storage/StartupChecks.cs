using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Crm.Server.Storage;

/// <summary>Checks the settings needed before the host is built (storage and cluster) with the same rules as the options pipeline.</summary>
public static class StartupChecks
{
    public static void Validate(params object[] options)
    {
        foreach (var option in options)
        {
            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(option, new ValidationContext(option), results, validateAllProperties: true))
            {
                throw new OptionsValidationException(option.GetType().Name, option.GetType(), results.Select(r => r.ErrorMessage ?? "invalid"));
            }
        }
    }
}
