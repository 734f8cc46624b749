using System.Text.Json;
using Crm.Client;
using Crm.Grains.Calendars;
using Crm.Grains.Metrics;
using Crm.Grains.Notes;
using Crm.Server.Api.Common;
using Scriban;

namespace Crm.Server.Api.Notes;

/// <summary>Checks answers against a template version and renders them in the sandbox.</summary>
public sealed class NoteComposer(CompiledTemplates compiled, CalendarDirectory calendars, TimeProvider clock)
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

    /// <param name="orgUnitId">The writer's unit: <c>date.now</c> is the time in its calendar's zone.</param>
    public async Task<NoteRenderResult> RenderAsync(NoteTemplateDto template, NoteAnswers answers, string? orgUnitId) =>
        compiled.Get(template) is { } body
            ? await RenderAsync(body, answers, orgUnitId)
            : new NoteRenderResult(null, $"Version {template.Version} of template '{template.Id}' does not parse.");

    public async Task<NoteRenderResult> RenderAsync(Template body, NoteAnswers answers, string? orgUnitId)
    {
        var (calendar, _) = await calendars.ForUnitAsync(orgUnitId);
        return await NoteRenderer.RenderAsync(body, answers.Values, Limits, calendar.LocalTime(clock.GetUtcNow()));
    }

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
        var trial = await RenderAsync(body, sample!, orgUnitId: null); // a trial: the default calendar's time will do
        if (!trial.Ok)
        {
            errors["body"] = [$"The body fails when rendered with sample answers: {trial.Error}"];
            return (errors, null);
        }

        return (errors, body);
    }
}
