using System.Text.Json;
using Crm.Client;
using Crm.Grains.Metrics;
using Crm.Grains.Notes;
using Crm.Server.Api.Common;
using Scriban;

namespace Crm.Server.Api.Notes;

/// <summary>Checks answers against a template version and renders them in the sandbox.</summary>
public sealed class NoteComposer(CompiledTemplates compiled, TimeProvider clock)
{
    public NoteLimits Limits { get; } = NoteLimits.Default;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Answers, with sample answers for the questions a preview left out.</summary>
    public Dictionary<string, JsonElement> WithSamples(IReadOnlyList<NoteFieldDto> fields, Dictionary<string, JsonElement>? answers)
    {
        var merged = NoteAnswerValidator.SampleAnswers(fields, Today);
        foreach (var (key, value) in answers ?? [])
        {
            merged[key] = value;
        }

        return merged;
    }

    public (NoteAnswers? Answers, Dictionary<string, List<string>> Errors) Check(IReadOnlyList<NoteFieldDto> fields, Dictionary<string, JsonElement>? answers)
    {
        var (checkedAnswers, errors) = NoteAnswerValidator.Validate(fields, answers);
        // The date feeds reminders, routes and daily reports: not in the past, and in the years a date may name (Validation.Date).
        if (checkedAnswers?.NextFollowUp is { } next && (next < Today.AddDays(-1) || !Validation.IsDate(next)))
        {
            var key = fields.First(f => f.NextFollowUp).Key!;
            errors[$"answers.{key}"] = [next < Today.AddDays(-1)
                ? $"The next follow-up date {next:yyyy-MM-dd} is in the past."
                : $"The next follow-up date {next:yyyy-MM-dd} is after {ReportPeriod.MaxYear}."];
            return (null, errors);
        }

        return (checkedAnswers, errors);
    }

    public Task<NoteRenderResult> RenderAsync(NoteTemplateDto template, NoteAnswers answers) =>
        compiled.Get(template) is { } body
            ? NoteRenderer.RenderAsync(body, answers.Values, Limits)
            : Task.FromResult(new NoteRenderResult(null, $"Version {template.Version} of template '{template.Id}' does not parse."));

    public Task<NoteRenderResult> RenderAsync(Template body, NoteAnswers answers) => NoteRenderer.RenderAsync(body, answers.Values, Limits);

    /// <summary>
    /// Validates a draft and renders it once with sample answers, so that a body that only fails at run time
    /// (a loop without end, a reach for a .NET member, a huge output) is refused when it is saved.
    /// </summary>
    public async Task<(Dictionary<string, List<string>> Errors, Template? Body)> CheckDraftAsync(NoteTemplateRequest request)
    {
        var (errors, body) = NoteTemplateRules.Validate(request, Limits);
        if (body is null)
        {
            return (errors, null);
        }

        var (sample, _) = NoteAnswerValidator.Validate(request.Fields!, NoteAnswerValidator.SampleAnswers(request.Fields!, Today));
        var trial = await RenderAsync(body, sample!);
        if (!trial.Ok)
        {
            errors["body"] = [$"The body fails when rendered with sample answers: {trial.Error}"];
            return (errors, null);
        }

        return (errors, body);
    }
}
