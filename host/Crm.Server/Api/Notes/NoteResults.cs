using Crm.Client;
using Crm.Grains.Common;
using Crm.Grains.Notes;
using Crm.Server.Api.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Crm.Server.Api.Notes;

/// <summary>The refusals the notes APIs share: field errors of a template or its answers, and a body that fails to render.</summary>
public static class NoteResults
{
    public static ValidationProblem Invalid(Dictionary<string, List<string>> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));

    public static ProblemHttpResult RenderFailed(NoteTemplateDto template, NoteRenderResult rendered) =>
        ApiResults.Problem(CrmError.Conflict(ErrorCodes.TemplateRenderFailed,
            $"Template '{template.Id}' version {template.Version} could not render these answers: {rendered.Error}",
            new() { ["templateId"] = template.Id, ["version"] = template.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
}
